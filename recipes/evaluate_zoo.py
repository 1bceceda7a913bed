"""Scores generators with `ganzoo.evaluators.evaluate_generator` and writes the results table.

python recipes/evaluate_zoo.py --dataset mnist saved_models/dcgan_mnist runs/x/model.keras

Writes `<out>/results_<dataset>.json` (every figure) and puts the table into `<out>/results.md`,
between the lines `<!-- results:<dataset> -->` and `<!-- end results:<dataset> -->`.
"""

import argparse
import json
import shlex
import sys
from pathlib import Path

from ganzoo.evaluators import (
    evaluate_generator,
    load_evaluator,
    results_table,
    write_results_section,
)

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("generators", nargs="+", help="names or paths (see `ganzoo evaluate`)")
parser.add_argument("--dataset", default="mnist")
parser.add_argument("--evaluator", help="default: <dataset>_classifier")
parser.add_argument("--num-samples", type=int, default=10000)
parser.add_argument("--seeds", type=int, default=3)
parser.add_argument("--data-dir")
parser.add_argument("--out", default="docs")
args = parser.parse_args()

# One evaluator for all: the real images' features and the floor are computed once.
evaluator = load_evaluator(args.evaluator or f"{Path(args.dataset).name}_classifier")
results = [
    evaluate_generator(
        generator,
        args.dataset,
        evaluator,
        num_samples=args.num_samples,
        seeds=range(args.seeds),
        data_dir=args.data_dir,
    )
    for generator in args.generators
]
tag = Path(args.dataset).name  # a tfds name, or a folder's name
out = Path(args.out)
out.mkdir(parents=True, exist_ok=True)
(out / f"results_{tag}.json").write_text(json.dumps(results, indent=2) + "\n")

card = results[0]["evaluator"]
accuracy = card["test_accuracy"]
accuracy = "unknown" if accuracy is None else f"{accuracy:.2%}"
section = write_results_section(
    out / "results.md",
    tag,
    f"""{args.num_samples} generated images per seed, seeds 0 to {args.seeds - 1} (mean ± std over
seeds), against {args.num_samples} real test images in the features of
`{Path(card["path"]).parent.name}` (test accuracy {accuracy}). Made by:

```bash
{shlex.join(["python", *sys.argv])}
```

{results_table(results, args.generators)}""",
)
print(section)
