"""The pretrained zoo: a finished training run published as a shipped generator.

`publish("runs/dcgan_mnist", "dcgan_mnist")` turns a run directory of `ganzoo.train` (its
`model.keras`, `run.json` and `history.csv`) into `saved_models/dcgan_mnist/`:

```
dcgan_mnist.keras            the generator alone (no discriminator, no optimizer state)
1/                           SavedModel, TF Serving layout (`ganzoo.export_generator`)
dcgan_mnist_float16.tflite   TFLite, float16 weights
dcgan_mnist_int8.tflite      TFLite, full-integer quantization
samples.png                  8x8 samples; one row per class for conditional models; the
                             latent traversal (one row per category) for InfoGAN
card.json                    the export card plus `training` and `evaluation`
```

The card's `training` records the exact recipe command, seed, epochs, steps, batch size,
wall time and images/s (from the run's `history.csv`) and the machine that trained it; its
`evaluation` holds `ganzoo.evaluators.evaluate_generator` results for the SavedModel and for
the int8 TFLite file (FID in the evaluator's features with the real-train floor, KID,
precision, recall, density, coverage, class scores, and label accuracy for conditional
models), InfoGAN's categorical-code accuracy on the test digits and its mutual-information
estimate, and the TFLite files' latency. Everything is written to a staging directory and
moved into place only when all of it succeeded, so a failed publish leaves the previous
generator as it was.
"""

import csv
import json
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from ganzoo import datasets, evaluators, export, metrics, visualization
from ganzoo.training import MODEL_FILE, RUN_FILE

HISTORY_FILE = "history.csv"
SAMPLES_FILE = "samples.png"
TFLITE_VARIANTS = ("float16", "int8")
LATENCY_BATCH = 1
LATENCY_RUNS = 50

# What every shipped generator's card must hold (checked by the tests).
REQUIRED_TRAINING = (
    "command",
    "seed",
    "epochs",
    "steps",
    "batch_size",
    "wall_seconds",
    "images_per_second",
    "device",
)
REQUIRED_METRICS = ("fid", "kid_mean", "precision", "recall", "density", "coverage")


def training_summary(run_dir):
    """What a run's `run.json` and `history.csv` say about its training.

    Wall time is the sum of the epochs' `epoch_seconds` (`callbacks.Throughput`), so time
    between an interruption and `--resume` is not counted; images/s is the images of all
    epochs over that time.
    """
    run_dir = Path(run_dir)
    run = json.loads((run_dir / RUN_FILE).read_text())
    with open(run_dir / HISTORY_FILE, newline="") as file:
        rows = list(csv.DictReader(file))
    if not rows:
        raise ValueError(f"{run_dir / HISTORY_FILE} has no epochs: the run has not finished one.")
    seconds = [float(row["epoch_seconds"]) for row in rows]
    images = sum(s * float(row["images_per_second"]) for s, row in zip(seconds, rows))
    wall = sum(seconds)
    return {
        "model": run["model"],
        "dataset": run["dataset"],
        "seed": run["seed"],
        "epochs": len(rows),
        "steps": round(images / run["batch_size"]),
        "preset": run.get("preset", "paper"),
        "batch_size": run["batch_size"],
        "latent_dim": run["latent_dim"] or (run.get("config") or {}).get("latent_dim"),
        "model_options": run["model_options"],
        "compile_options": run["compile_options"],
        "config": run.get("config"),
        "compile_config": run.get("compile_config"),
        "wall_seconds": round(wall, 1),
        "images_per_second": round(images / wall, 1),
        "last_epoch": {k: float(v) for k, v in rows[-1].items() if v not in ("", "NA")},
    }


def device_description():
    """The machine training runs on: GPUs by name, else the CPU and its cores."""
    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        names = [
            tf.config.experimental.get_device_details(gpu).get("device_name", "GPU") for gpu in gpus
        ]
        return ", ".join(names)
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as file:
            cpu = next(
                line.split(":", 1)[1].strip() for line in file if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPU cores ({cpu}), no GPU"


def _write_samples(gan, path, class_names=None):
    if hasattr(gan, "traversal_latent") and gan.continuous_codes:
        latent = gan.traversal_latent(10, code_index=0, seed=0)
        rows = int(latent[0].shape[0]) // 10
        images = gan.sampler(latent, training=False)
        labels = [f"c1={row}" for row in range(rows)] if rows > 1 else None
        title = "rows: categorical code; columns: continuous code 1 from -2 to 2"
        return visualization.save_grid(images, path, rows, 10, title=title, row_labels=labels)
    if getattr(gan, "conditional", False):
        labels = np.repeat(np.arange(gan.num_classes), 8)
        images = gan.generate(len(labels), labels=labels, seed=0)
        names = [str(name) for name in class_names] if class_names else None
        return visualization.save_grid(images, path, gan.num_classes, 8, row_labels=names)
    return visualization.save_grid(gan.generate(64, seed=0), path, 8, 8)


def _class_names(dataset, data_dir):
    try:
        return datasets.load(
            dataset, "test[:1]", 1, with_labels=True, data_dir=data_dir
        ).class_names
    except Exception:  # noqa: BLE001 - names are decoration; a folder may have none
        return None


def tflite_latency(path, batch_size=LATENCY_BATCH, runs=LATENCY_RUNS):
    """Median milliseconds of one `.tflite` generator call on a batch (after a warm-up)."""
    generator = export.load_generator(path)
    latent = generator.sample_latent(batch_size, seed=0)
    generator(latent)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        generator(latent)
        times.append(time.perf_counter() - start)
    return round(1000 * float(np.median(times)), 3)


def _evaluation(result):
    """The card's copy of an `evaluate_generator` result (paths made relative)."""
    keep = ("num_samples", "seeds", "fid_floor", "floor", "metrics", "wall_seconds")
    out = {key: result[key] for key in keep}
    out["evaluator"] = {
        "name": Path(result["evaluator"]["path"]).name if result["evaluator"]["path"] else None,
        "test_accuracy": result["evaluator"]["test_accuracy"],
    }
    return out


def publish(
    run_dir,
    name,
    *,
    out_dir=None,
    command=None,
    num_samples=10000,
    seeds=3,
    evaluator=None,
    data_dir=None,
    representative_samples=256,
    device=None,
):
    """Publishes a finished run as `out_dir/<name>/` (see the module docstring).

    Args:
        run_dir: a directory written by `ganzoo.train` (a recipe's `--out`).
        name: the generator's directory name, e.g. "dcgan_mnist".
        out_dir: the folder of shipped generators (default: the repository's
            `saved_models/`, or `GANZOO_SAVED_MODELS`).
        command: the command that trained the run, recorded in the card.
        num_samples, seeds: images per seed and the number of seeds of the evaluation.
        evaluator: what `evaluators.load_evaluator` accepts (default "<dataset>_classifier").
        data_dir: the tfds data directory.
        representative_samples: latent inputs that calibrate the int8 file.
        device: the machine that trained the run (default: this one, `device_description`).

    Returns:
        The `Path` of the published directory.
    """
    run_dir = Path(run_dir)
    model_path = run_dir / MODEL_FILE
    if not model_path.is_file():
        raise FileNotFoundError(
            f"{model_path} does not exist: the run in {run_dir} has not finished. Finish it "
            "(the recipe or `ganzoo train` with --resume) before publishing."
        )
    training = training_summary(run_dir)
    training = {"command": command, "device": device or device_description(), **training}
    dataset = training["dataset"]
    gan = keras.saving.load_model(str(model_path), compile=False)
    out_dir = Path(out_dir) if out_dir is not None else export._saved_models_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-publish-", dir=out_dir))
    try:
        folder = export.export_generator(
            gan,
            staging,
            name=name,
            quantize=list(TFLITE_VARIANTS),
            training_command=command,
            dataset=dataset,
            representative_samples=representative_samples,
        )
        gan.sampler.save(folder / f"{name}.keras")
        _write_samples(gan, folder / SAMPLES_FILE, _class_names(dataset, data_dir))

        evaluator = evaluators.load_evaluator(
            evaluator if evaluator is not None else f"{dataset}_classifier"
        )
        options = {"num_samples": num_samples, "seeds": range(seeds), "data_dir": data_dir}
        evaluation = {}
        for key, target in (
            ("saved_model", folder),
            ("int8", folder / f"{name}_int8.tflite"),
        ):
            result = evaluators.evaluate_generator(target, dataset, evaluator, **options)
            evaluation[key] = _evaluation(result)
        if hasattr(gan, "predict_codes") and gan.categorical_codes:
            codes = metrics.code_accuracy(gan, dataset, split="test", data_dir=data_dir)
            evaluation["code_accuracy"] = codes["accuracy"]
            evaluation["code_error"] = codes["error"]
            evaluation["code_mapping"] = codes["mapping"]
            mi = training["last_epoch"].get("mi_categorical")
            evaluation["mutual_information"] = {
                "estimate_nats": mi,
                "maximum_nats": float(np.log(gan.categorical_codes[0])),
                "what": "H(c) - cross-entropy of Q on generated images, training's last epoch",
            }
        evaluation["tflite_latency_ms"] = {
            variant: tflite_latency(folder / f"{name}_{variant}.tflite")
            for variant in TFLITE_VARIANTS
        }
        evaluation["tflite_latency_batch"] = LATENCY_BATCH

        card_path = folder / export.CARD_FILE
        card = json.loads(card_path.read_text())
        card["generator_file"] = f"{name}.keras"
        keras_file = folder / card["generator_file"]
        card["files"][keras_file.name] = {
            "format": "keras",
            "bytes": keras_file.stat().st_size,
            "sha256": export.file_digest(keras_file),
        }
        card["samples"] = SAMPLES_FILE
        card["training"] = training
        card["evaluation"] = evaluation
        card_path.write_text(json.dumps(card, indent=2) + "\n")

        destination = out_dir / name
        previous = None
        if destination.exists():
            previous = out_dir / f".{name}-previous-{os.getpid()}"
            os.replace(destination, previous)
        os.replace(folder, destination)
        if previous is not None:
            shutil.rmtree(previous)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return destination


def _published(out_dir=None):
    # (directory, card) of each published generator: those whose card has `training`.
    out_dir = Path(out_dir) if out_dir is not None else export._saved_models_dir()
    for card_path in sorted(out_dir.glob(f"*/{export.CARD_FILE}")):
        card = json.loads(card_path.read_text())
        if "training" in card and "evaluation" in card:
            yield card_path.parent, card


def shipped(out_dir=None):
    """The directories of published generators (those whose card has `training`)."""
    return [folder for folder, _ in _published(out_dir)]


def _cell(summary, digits, scale=1.0):
    if summary is None:
        return ""
    return f"{summary['mean'] * scale:.{digits}f} ± {summary['std'] * scale:.{digits}f}"


def model_table(out_dir=None, link_root="saved_models"):
    """A markdown table with one row per published generator, from the cards: MNIST first,
    then by dataset, each in the order of `ganzoo.models.MODELS`."""
    header = (
        "| generator | model | dataset | G params | epochs | train time | FID (floor) | "
        "KID | precision / recall | accuracy | int8 FID | int8 size | int8 / fp16 ms |\n"
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |\n"
    )
    from ganzoo.models import MODELS

    cards = list(_published(out_dir))
    order = list(MODELS)

    def position(item):  # MNIST first, then by dataset; within one, the classes' order
        card = item[1]
        model = order.index(card["model"]) if card["model"] in order else len(order)
        return (card["dataset"] != "mnist", str(card["dataset"]), model, item[0].name)

    rows = []
    for folder, card in sorted(cards, key=position):
        training, evaluation = card["training"], card["evaluation"]
        scores = evaluation["saved_model"]["metrics"]
        int8 = evaluation["int8"]["metrics"]
        accuracy = ""
        if "label_accuracy" in scores:
            accuracy = f"label {scores['label_accuracy']['mean']:.1%}"
        elif "code_accuracy" in evaluation:
            accuracy = f"code {evaluation['code_accuracy']:.1%}"
        latency = evaluation["tflite_latency_ms"]
        size = card["files"][f"{folder.name}_int8.tflite"]["bytes"]
        rows.append(
            f"| [{folder.name}]({link_root}/{folder.name}) | {card['model']} | "
            f"{training['dataset']} | {card['generator_parameters']:,} | {training['epochs']} | "
            f"{training['wall_seconds'] / 60:.0f} min | {_cell(scores['fid'], 1)} "
            f"({evaluation['saved_model']['fid_floor']:.2f}) | "
            f"{_cell(scores['kid_mean'], 2)} | {scores['precision']['mean']:.2f} / "
            f"{scores['recall']['mean']:.2f} | {accuracy} | {_cell(int8['fid'], 1)} | "
            f"{size / 1024:.0f} KiB | {latency['int8']:.1f} / {latency['float16']:.1f} |"
        )
    return header + "\n".join(rows) + "\n"


def _replace_between(text, begin, end, content):
    if begin not in text or end not in text:
        raise ValueError(f"Markers {begin!r} and {end!r} not found.")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{content}{end}{tail}"


def update_readme(readme="README.md", out_dir=None, marker="zoo"):
    """Rewrites the table between `<!-- zoo -->` and `<!-- end zoo -->` in the README."""
    path = Path(readme)
    text = _replace_between(
        path.read_text(), f"<!-- {marker} -->", f"<!-- end {marker} -->", model_table(out_dir)
    )
    path.write_text(text)
    return path


def total_bytes(out_dir=None):
    """Bytes under the saved-models folder (the zoo aims to stay under 60 MB)."""
    out_dir = Path(out_dir) if out_dir is not None else export._saved_models_dir()
    return sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file())


__all__ = [
    "device_description",
    "model_table",
    "publish",
    "shipped",
    "tflite_latency",
    "total_bytes",
    "training_summary",
    "update_readme",
]
