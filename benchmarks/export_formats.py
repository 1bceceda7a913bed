"""Benchmark of a ganzoo generator's export formats: file size, CPU latency, image quality.

Usage (from the repository root; the zoo ships only float16 and int8, so export all four
TFLite variants first):

    ganzoo export runs/dcgan_mnist/model.keras --out exported --name dcgan_mnist \\
        --tflite float32 float16 dynamic int8
    python benchmarks/export_formats.py --model exported/dcgan_mnist \\
        --keras runs/dcgan_mnist/model.keras --repeats 20 --out docs/export_benchmark.md

For each format (the Keras generator of `--keras` when given, the SavedModel, and the TFLite
float32, float16, dynamic and int8 files written by `ganzoo.export_generator`) it reports:

- the file size in bytes (the directory total for the SavedModel);
- the latency of one inference call at batch 1 and batch 64 on this CPU: median over
  `--repeats` calls after `--warmup` calls, in ms per call and ms per image. The same fixed
  latent batch goes to every format and only the inference call is timed (input already a
  tensor / array, output copied to numpy), not the noise generation. Keras runs eagerly
  (`generator(x, training=False)`, as `ganzoo.load_generator` does) and compiled
  (`predict_on_batch`); the SavedModel runs its `serving_default` signature; TFLite runs with
  ai_edge_litert, `num_threads=--threads`, default op resolver (XNNPACK delegate included);
- the quality cost: PSNR (peak 1, images mapped to [0, 1]) and max abs difference of each
  format's images against the reference (the Keras generator, else the SavedModel) on 256
  latent inputs drawn from the prior with seed 0, loaded through `ganzoo.load_generator`.

Writes the markdown table to `--out` and the raw numbers next to it (`.json`). Latencies
are only meaningful on an otherwise idle machine: the report records running training
jobs (`recipes/` processes) and the load average.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter

from ganzoo.export import VARIANTS, _directory_bytes, _versions, load_generator

BATCHES = (1, 64)
QUALITY_BATCH, QUALITY_SEED = 256, 0


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def busy_jobs():
    result = subprocess.run(
        ["pgrep", "-af", "recipes/"], capture_output=True, text=True, check=False
    )
    return [line for line in result.stdout.splitlines() if "pgrep" not in line]


def runners(model_dir, keras_path, threads):
    """(name, path, size in bytes, call, prepare) per format: `call(prepare(noise))` runs
    one inference and returns numpy images; `prepare` (not timed) makes the input tensor."""
    out = []
    if keras_path:
        model = keras.saving.load_model(str(keras_path), compile=False)
        generator = getattr(model, "generator", model)
        size = Path(keras_path).stat().st_size
        out.append(
            (
                "keras (eager call)",
                keras_path,
                size,
                lambda x: generator(x, training=False).numpy(),
                tf.constant,
            )
        )
        out.append(
            (
                "keras (predict_on_batch)",
                keras_path,
                size,
                lambda x: np.asarray(generator.predict_on_batch(x)),
                lambda x: x,
            )
        )
    version_dir = max(
        (p for p in model_dir.iterdir() if p.name.isdigit()), key=lambda p: int(p.name)
    )
    signature = tf.saved_model.load(str(version_dir)).signatures["serving_default"]
    out.append(
        (
            "saved_model",
            version_dir,
            _directory_bytes(version_dir),
            lambda x: signature(noise=x)["images"].numpy(),
            tf.constant,
        )
    )
    for variant in VARIANTS:
        path = model_dir / f"{model_dir.name}_{variant}.tflite"
        if not path.is_file():
            continue
        runner = Interpreter(model_path=str(path), num_threads=threads).get_signature_runner(
            "serving_default"
        )
        out.append(
            (
                f"tflite {variant}",
                path,
                path.stat().st_size,
                lambda x, r=runner: np.array(r(noise=x)["images"]),
                lambda x: x,
            )
        )
    return out


def time_call(call, x, warmup, repeats):
    for _ in range(warmup):
        call(x)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call(x)
        times.append((time.perf_counter() - start) * 1000)
    return times


def psnr(images, reference):
    a, b = (np.clip(images, -1, 1) + 1) / 2, (np.clip(reference, -1, 1) + 1) / 2
    mse = np.mean((a - b) ** 2, axis=(1, 2, 3))
    overall = float(np.mean(mse))
    return [float("inf") if m == 0 else float(10 * np.log10(1 / m)) for m in (overall, np.max(mse))]


def measure(args):
    model_dir = Path(args.model)
    jobs_before, load_before = busy_jobs(), os.getloadavg()
    formats = runners(model_dir, args.keras, args.threads)

    # Quality through ganzoo.load_generator on one fixed latent batch.
    reference_gen = load_generator(args.keras or model_dir)
    latent = reference_gen.sample_latent(QUALITY_BATCH, seed=QUALITY_SEED)
    reference = reference_gen(latent)
    noise = latent["noise"].astype(np.float32)

    rows = []
    for name, path, size, call, prepare in formats:
        if name.startswith("keras"):  # the reference generator, run as timed
            images = np.clip(call(prepare(noise)), -1.0, 1.0)
        else:
            images = load_generator(path)(latent)
        overall_db, worst_db = psnr(images, reference)
        row = {
            "format": name,
            "path": str(path),
            "bytes": size,
            "psnr_db": overall_db,
            "worst_image_psnr_db": worst_db,
            "max_abs_diff": float(np.max(np.abs(images - reference))),
            "latency": {},
        }
        for batch in BATCHES:
            times = time_call(call, prepare(noise[:batch]), args.warmup, args.repeats)
            median = statistics.median(times)
            row["latency"][batch] = {
                "median_ms_per_call": median,
                "median_ms_per_image": median / batch,
                "min_ms": min(times),
                "max_ms": max(times),
            }
        rows.append(row)
        print(
            f"{name:26s} {size:>9d} B  psnr {overall_db:6.1f} dB  "
            + "  ".join(f"b{b}: {row['latency'][b]['median_ms_per_call']:.2f} ms" for b in BATCHES),
            flush=True,
        )
    return {
        "command": "python " + " ".join(sys.argv),
        "machine": {
            "cpu": cpu_model(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
            "training_jobs_before": jobs_before,
            "training_jobs_after": busy_jobs(),
        },
        "versions": _versions(),
        "settings": {
            "repeats": args.repeats,
            "warmup": args.warmup,
            "litert_num_threads": args.threads,
            "tf_intra_op_threads": tf.config.threading.get_intra_op_parallelism_threads(),
            "tf_inter_op_threads": tf.config.threading.get_inter_op_parallelism_threads(),
            "quality_batch": QUALITY_BATCH,
            "quality_seed": QUALITY_SEED,
            "reference": rows[0]["format"],
        },
        "results": rows,
    }


def recommendation(rows):
    by = {r["format"]: r for r in rows}
    f32 = by.get("tflite float32")
    if f32 is None:
        return "No TFLite float32 file: no recommendation."
    base = f32["latency"][64]["median_ms_per_call"]
    lines = []
    ok = [
        r
        for r in rows
        if r["format"].startswith("tflite")
        and r["latency"][64]["median_ms_per_call"] <= 1.25 * base
        and r["psnr_db"] >= 40
    ]
    best = min(ok, key=lambda r: r["bytes"]) if ok else f32
    lines.append(
        f"- **Ship `{best['format']}`** ({Path(best['path']).name}): the smallest TFLite file "
        f"that stays within 1.25x the float32 latency at batch 64 with PSNR >= 40 dB "
        f"({best['bytes'] / f32['bytes']:.0%} of float32's size, "
        f"{best['latency'][64]['median_ms_per_call'] / base:.2f}x its batch-64 time, "
        f"PSNR {best['psnr_db']:.1f} dB, max abs diff {best['max_abs_diff']:.1e})."
    )
    if "tflite int8" in by:
        r = by["tflite int8"]
        lines.append(
            f"- `tflite int8` is the smallest ({r['bytes'] / f32['bytes']:.0%} of float32; "
            f"{r['latency'][1]['median_ms_per_call'] / f32['latency'][1]['median_ms_per_call']:.2f}x"
            f" its batch-1 and {r['latency'][64]['median_ms_per_call'] / base:.2f}x its batch-64 "
            f"time) and the least exact: PSNR "
            f"{r['psnr_db']:.1f} dB (worst image {r['worst_image_psnr_db']:.1f} dB), max abs "
            f"diff {r['max_abs_diff']:.2f} in [-1, 1] "
            f"({r['max_abs_diff'] * 127.5:.0f} of 255 grey levels)."
        )
    if "tflite dynamic" in by:
        r = by["tflite dynamic"]
        ratios = [
            r["latency"][b]["median_ms_per_call"] / f32["latency"][b]["median_ms_per_call"]
            for b in BATCHES
        ]
        lines.append(
            f"- Avoid `tflite dynamic`: {ratios[0]:.1f}x (batch 1) and {ratios[1]:.1f}x (batch 64) "
            f"slower than float32 here (the hybrid int8-weight TRANSPOSE_CONV kernel, see "
            f"`ganzoo/export.py`), {r['bytes'] / f32['bytes']:.0%} of float32's size, "
            f"PSNR {r['psnr_db']:.1f} dB."
        )
    if "saved_model" in by:
        r = by["saved_model"]
        ratio_1 = r["latency"][1]["median_ms_per_call"] / f32["latency"][1]["median_ms_per_call"]
        lines.append(
            f"- Servers (TF Serving): `saved_model`, exact (max abs diff {r['max_abs_diff']:.1e}); "
            f"{r['latency'][64]['median_ms_per_call'] / base:.2f}x the TFLite float32 time at "
            f"batch 64 and {ratio_1:.1f}x at batch 1."
        )
    return "\n".join(lines)


def _db(value):
    return "inf" if value == float("inf") else f"{value:.1f}"


def _ms(latency):
    return f"{latency['median_ms_per_call']:.2f} ({latency['min_ms']:.2f}–{latency['max_ms']:.2f})"


def markdown(report):
    m, s = report["machine"], report["settings"]
    versions = ", ".join(f"{k} {v}" for k, v in report["versions"].items())
    busy = sorted(set(m["training_jobs_before"] + m["training_jobs_after"]))
    load = (
        f"load average {m['load_average_before'][0]:.2f} before, "
        f"{m['load_average_after'][0]:.2f} after"
    )
    if busy:
        state = (
            f"**The machine was loaded**: training jobs ran during the measurement "
            f"({'; '.join(busy)}); {load}. Latencies are inflated and noisy."
        )
    else:
        state = f"No training jobs ran during the measurement; {load}."
    table = [
        (
            "| format | size (bytes) | batch 1: ms/call (min–max) | batch 64: ms/call (min–max)"
            " | batch 64: ms/image"
            " | PSNR (dB) | worst-image PSNR (dB) | max abs diff |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["results"]:
        lat = r["latency"]
        table.append(
            f"| {r['format']} | {r['bytes']:,} | {_ms(lat[1])} | {_ms(lat[64])} "
            f"| {lat[64]['median_ms_per_image']:.3f} "
            f"| {_db(r['psnr_db'])} | {_db(r['worst_image_psnr_db'])} | {r['max_abs_diff']:.1e} |"
        )
    table = "\n".join(table)
    keras_note = (
        " Both Keras rows load the same `.keras` file (the whole GAN: discriminator and "
        "optimizer state included)."
        if s["reference"].startswith("keras")
        else ""
    )
    return f"""# Export formats: size, CPU latency, quality

Written by `benchmarks/export_formats.py`. Command:

```
{report["command"]}
```

- Machine: {m["cpu"]}, {m["cores"]} cores; Python {m["python"]}; {versions}.
- Threads: LiteRT `Interpreter(num_threads={s["litert_num_threads"]})` with the default op
  resolver (XNNPACK delegate); TensorFlow defaults (intra-op {s["tf_intra_op_threads"]},
  inter-op {s["tf_inter_op_threads"]}; 0 = one per core).
- Latency: median of {s["repeats"]} calls after {s["warmup"]} warm-up calls, the same latent
  inputs for every format, only the inference call timed (output copied to numpy). Keras
  "eager call" is `generator(x, training=False)` as `ganzoo.load_generator` runs it;
  `predict_on_batch` runs a compiled `tf.function`.
- Quality: {s["quality_batch"]} latents (seed {s["quality_seed"]}) through
  `ganzoo.load_generator`, against `{s["reference"]}`: PSNR with images mapped to [0, 1]
  (peak 1, MSE over all images; "worst" is the lowest per-image PSNR) and the max abs
  difference in [-1, 1].
- {state}

{table}

At batch 1 ms/call = ms/image.{keras_note}

## Which format to ship

{recommendation(report["results"])}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--model",
        default="saved_models/dcgan_mnist",
        help="directory written by ganzoo.export_generator",
    )
    parser.add_argument("--keras", default=None, help="the .keras file of the trained model")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="LiteRT num_threads")
    parser.add_argument("--out", default="docs/export_benchmark.md")
    args = parser.parse_args()
    report = measure(args)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown(report))
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {out} and {out.with_suffix('.json')}")


if __name__ == "__main__":
    main()
