"""Time and memory of the evaluation metrics at 10k real x 10k generated samples.

python benchmarks/metrics_speed.py --out docs

For the classifier's 128-d features and Inception-v3's 2048-d: each metric's wall time and
peak of numpy memory (tracemalloc); and feature extraction in images/s for the MNIST
classifier (random weights: speed does not depend on them) and for Inception-v3 at 299x299
(random weights), with the process's peak resident memory. Writes
`<out>/metrics_benchmark.json` and `<out>/metrics_benchmark.md`.
"""

import argparse
import json
import os
import platform
import resource
import shlex
import sys
import time
import tracemalloc
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from ganzoo import evaluators, metrics

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--num-samples", type=int, default=10000)
parser.add_argument("--dims", type=int, nargs="+", default=[128, 2048])
parser.add_argument("--inception-images", type=int, default=200)
parser.add_argument("--out", default="docs")
parser.add_argument("--note", help="a sentence about the conditions, for the report")
args = parser.parse_args()

METRICS = {
    "fid_from_features": metrics.fid_from_features,
    "kernel_inception_distance (100 subsets of 1000)": metrics.kernel_inception_distance,
    "precision_recall (k=3)": metrics.precision_recall,
    "density_coverage (k=5)": metrics.density_coverage,
}


def measure(function, *arguments):
    tracemalloc.start()
    start = time.perf_counter()
    function(*arguments)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seconds": round(seconds, 2), "peak_mb": round(peak / 2**20, 1)}


rows = []
rng = np.random.default_rng(0)
for dim in args.dims:
    real = rng.normal(size=(args.num_samples, dim)).astype(np.float32)
    fake = (rng.normal(size=(args.num_samples, dim)) + 0.1).astype(np.float32)
    for name, function in METRICS.items():
        rows.append({"what": name, "dim": dim, **measure(function, real, fake)})
        print(rows[-1], flush=True)

images = rng.uniform(-1, 1, (args.num_samples, 28, 28, 1)).astype(np.float32)
classifier = evaluators.load_evaluator(evaluators.mnist_classifier())
classifier.features(images[:500])  # trace once
start = time.perf_counter()
classifier.features(images)
seconds = time.perf_counter() - start
rows.append(
    {
        "what": "mnist_classifier features, 28x28 images",
        "dim": 128,
        "seconds": round(seconds, 2),
        "images_per_second": round(args.num_samples / seconds, 1),
    }
)
print(rows[-1], flush=True)

weights = Path("/tmp/ganzoo_inception_random.weights.h5")
keras.applications.InceptionV3(
    include_top=False, weights=None, input_shape=(299, 299, 3), pooling="avg"
).save_weights(weights)
inception = evaluators.load_evaluator(weights)
os.remove(weights)
inception.features(images[:2])  # trace once
count = args.inception_images
start = time.perf_counter()
inception.features(images[:count])
seconds = time.perf_counter() - start
rows.append(
    {
        "what": f"Inception-v3 features, 28x28 resized to 299x299 ({count} images)",
        "dim": 2048,
        "seconds": round(seconds, 2),
        "images_per_second": round(count / seconds, 1),
        "minutes_for_num_samples": round(args.num_samples / (count / seconds) / 60, 1),
    }
)
print(rows[-1], flush=True)

report = {
    "command": shlex.join(["python", *sys.argv]),
    "num_samples": args.num_samples,
    "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores",
    "versions": {"tensorflow": tf.__version__, "keras": keras.__version__},
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "rows": rows,
}
out = Path(args.out)
out.mkdir(parents=True, exist_ok=True)
(out / "metrics_benchmark.json").write_text(json.dumps(report, indent=2) + "\n")
lines = [
    "# Evaluation metrics: time and memory",
    "",
    (
        f"{args.num_samples} real and {args.num_samples} generated samples on "
        f"{report['machine']} (TF {tf.__version__}, Keras {keras.__version__}); process peak "
        f"RSS {report['peak_rss_mb']} MB. Made by:"
    ),
    "",
    "```bash",
    report["command"],
    "```",
    "",
    *([args.note, ""] if args.note else []),
    "| what | feature dim | seconds | numpy peak MB | images/s |",
    "| --- | --- | --- | --- | --- |",
]
for row in rows:
    lines.append(
        f"| {row['what']} | {row['dim']} | {row['seconds']} | {row.get('peak_mb', '')} | "
        f"{row.get('images_per_second', '')} |"
    )
(out / "metrics_benchmark.md").write_text("\n".join(lines) + "\n")
print(f"Wrote {out / 'metrics_benchmark.md'}")
