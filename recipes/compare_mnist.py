"""Model classes and training aids compared on MNIST over several seeds (docs/results.md).

The GAN game (DCGAN), LSGAN, WGAN-GP and SNGAN on the same slim DCGAN networks (width 32,
batch 64, latent 100), and the DCGAN with each training aid: the generator's weight average
(ema), DiffAugment (augment), two time-scale learning rates (ttur) and one-sided label
smoothing (smoothing). Each run is scored on 10,000 samples: FID-MNIST, KID, precision,
recall, and how the samples spread over the ten digits.

    ganzoo data prepare mnist --from ../shared/data/mnist
    python recipes/compare_mnist.py                  # runs/compare_mnist; rerun to continue
    python recipes/compare_mnist.py --epochs 8       # trains the same runs on to 8 epochs
    python recipes/compare_mnist.py --seeds 2 --epochs 3 --variants DCGAN DCGAN+ema
    python recipes/compare_mnist.py --smoke          # seconds, into runs/compare_mnist_smoke
"""

import argparse
import shlex
import sys

from ganzoo import comparison

VARIANTS = (
    "DCGAN",
    "LSGAN",
    "WGANGP",
    "SNGAN",
    "DCGAN+ema",
    "DCGAN+augment",
    "DCGAN+ttur",
    "DCGAN+smoothing",
)

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--variants", nargs="+", default=VARIANTS)
parser.add_argument("--seeds", type=int, default=3, help="seeds 0 .. N-1 per variant")
parser.add_argument("--epochs", type=int, help="default 5 (1 with --smoke)")
parser.add_argument("--out", default="runs/compare_mnist", help="the runs")
parser.add_argument("--report", default="docs/results.md", help="the page of the table")
parser.add_argument("--data-dir")
parser.add_argument("--smoke", action="store_true", help="two steps per run, to check it runs")
args = parser.parse_args()
options = {"model_options": {"width": 32}, "data_dir": args.data_dir}
out, report = args.out, args.report
if args.smoke:
    out = f"{out}_smoke"
    report = f"{out}/results.md"
    options.update(steps_per_epoch=2, num_samples=20, model_options={"width": 4})
results = comparison.compare(
    args.variants,
    "mnist",
    range(args.seeds),
    args.epochs or (1 if args.smoke else 5),
    out,
    log=print,
    **options,
)
command = shlex.join(["python", "recipes/compare_mnist.py", *sys.argv[1:]])
print(comparison.write_report(results, report, command=command))
