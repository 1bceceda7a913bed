"""Model classes and training aids compared on one image dataset, over several seeds.

Every variant ("DCGAN", "WGANGP", "DCGAN+ema", ...; `ganzoo.models.parse_variant`) is its
class's "paper" preset with the aids named after "+", trained with the same networks size, epochs and latent size by `ganzoo.train` (checkpoints,
`--resume`), once per seed, then scored by `ganzoo.evaluators.evaluate_generator`: FID and
KID in the evaluator's features, precision and recall, and the coverage of the classes
(`classes_covered`, `class_entropy`: how evenly the samples spread over the ten digits; ln 10
= 2.303 for an even spread). A finished run keeps its `evaluation.json`, so an interrupted
comparison is continued by running it again.

WGANGP's critic takes five updates per generator update, each on its own `batch_size`
images: its fit batches hold five times as many.

Example:
```python
from ganzoo import comparison

rows = comparison.compare(["DCGAN", "DCGAN+ema"], "mnist", seeds=(0, 1), epochs=5,
                          out_dir="runs/compare_mnist")
print(comparison.markdown_table(rows))
```
"""

import json
from pathlib import Path

import numpy as np

from ganzoo import models
from ganzoo.evaluators import evaluate_generator, load_evaluator, write_results_section
from ganzoo.training import train

METRICS = ("fid", "kid_mean", "precision", "recall", "classes_covered", "class_entropy")


def run_variant(
    variant,
    dataset,
    seed,
    out_dir,
    *,
    epochs,
    batch_size=64,
    latent_dim=100,
    model_options=None,
    evaluator=None,
    num_samples=10000,
    data_dir=None,
    steps_per_epoch=None,
):
    """Trains one variant with one seed into `out_dir` (resuming a run found there) and
    evaluates it (one evaluation seed, `num_samples` images); returns the evaluation dict,
    also kept in `out_dir/evaluation.json`.

    A run evaluated after fewer epochs is trained on to `epochs` and evaluated again, so a
    comparison is lengthened by running it again with more epochs."""
    out_dir = Path(out_dir)
    done = out_dir / "evaluation.json"
    if done.exists():
        result = json.loads(done.read_text())
        if result["epochs"] == epochs:
            return result
        if result["epochs"] > epochs:
            raise ValueError(
                f"{out_dir} was trained for {result['epochs']} epochs, more than the "
                f"{epochs} asked for: ask for {result['epochs']} or more, or choose "
                "another output directory."
            )
    cls, variant_options, compile_options = models.parse_variant(variant)
    model_options = {**(model_options or {}), **variant_options}
    d_steps = int(model_options.get("d_steps") or cls.default_d_steps)
    train(
        cls.__name__,
        dataset,
        out_dir,
        epochs=epochs,
        batch_size=batch_size * d_steps,
        latent_dim=latent_dim,
        # The papers' classes, so that an aid ("+ema") is measured against its absence.
        preset="paper",
        model_options=model_options,
        compile_options=compile_options,
        seed=seed,
        resume=(out_dir / "run.json").exists(),
        data_dir=data_dir,
        steps_per_epoch=steps_per_epoch,
        verbose=0,
    )
    result = evaluate_generator(
        str(out_dir / "model.keras"),
        dataset,
        evaluator,
        num_samples=num_samples,
        seeds=(seed,),
        data_dir=data_dir,
    )
    result = {"variant": variant, "seed": seed, "epochs": epochs, **result}
    done.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return result


def compare(variants, dataset, seeds, epochs, out_dir, *, evaluator=None, log=None, **options):
    """`run_variant` for every variant and seed, into `out_dir/<variant>_seed<seed>`;
    returns the list of evaluation dicts. `log` gets a line per finished run."""
    if evaluator is None or isinstance(evaluator, str):
        evaluator = load_evaluator(evaluator or f"{Path(dataset).name}_classifier")
    results = []
    for variant in variants:
        for seed in seeds:
            result = run_variant(
                variant,
                dataset,
                seed,
                Path(out_dir) / f"{variant}_seed{seed}",
                epochs=epochs,
                evaluator=evaluator,
                **options,
            )
            results.append(result)
            if log is not None:
                fid = result["metrics"]["fid"]["mean"]
                log(f"{variant} seed {seed}: FID {fid:.2f}")
    return results


def summarize(results):
    """Mean and sample standard deviation over seeds of each metric, one row per variant, in
    the order the variants first appear; the floor (real training images) comes first."""
    groups = {}
    for result in results:
        groups.setdefault(result["variant"], []).append(result)
    rows = [{"variant": "real train images (floor)", "seeds": [], **results[0]["floor"]}]
    for variant, group in groups.items():
        row = {"variant": variant, "seeds": [r["seed"] for r in group]}
        for key in METRICS:
            values = np.array([r["metrics"][key]["mean"] for r in group], dtype=np.float64)
            row[key] = float(values.mean())
            row[f"{key}_std"] = float(values.std(ddof=1)) if len(values) > 1 else 0.0
        rows.append(row)
    return rows


def markdown_table(rows):
    """The rows of `summarize` as a markdown table (mean ± std over seeds)."""
    header = ["variant", "seeds", "FID", "KID", "precision", "recall", "classes", "class entropy"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    digits = {"fid": 2, "kid_mean": 3, "precision": 3, "recall": 3}
    digits.update({"classes_covered": 1, "class_entropy": 3})
    for row in rows:
        cells = [row["variant"], str(len(row["seeds"])) if row["seeds"] else ""]
        for key in METRICS:
            value = f"{row[key]:.{digits[key]}f}"
            if f"{key}_std" in row and len(row["seeds"]) > 1:
                value += f" ± {row[f'{key}_std']:.{digits[key]}f}"
            cells.append(value)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_report(results, page, *, command, dataset="mnist"):
    """Puts the table of `results` (with the command that made it) into the markdown file
    `page`, between `<!-- results:compare_<dataset> -->` and its end marker (appended when
    the markers are missing); returns the section."""
    first = results[0]
    epochs = sorted({r["epochs"] for r in results})
    return write_results_section(
        page,
        f"compare_{dataset}",
        f"""{first["num_samples"]} generated images per run against as many real test images, in the
features of `{Path(first["evaluator"]["path"]).parent.name}`; {", ".join(map(str, epochs))}
epochs; mean ± std over the seeds. Made by:

```bash
{command}
```

{markdown_table(summarize(results))}""",
    )
