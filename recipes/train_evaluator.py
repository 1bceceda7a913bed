"""Trains the evaluator classifier of a dataset (features and probabilities for metrics).

ganzoo data prepare mnist --from ../shared/data/mnist
python recipes/train_evaluator.py --dataset mnist --epochs 10            # 99.48% test accuracy
python recipes/train_evaluator.py --dataset fashion_mnist --epochs 12    # 92.48%
"""

import argparse
import shlex
import sys

from ganzoo.evaluators import train_evaluator

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--dataset", choices=("mnist", "fashion_mnist"), default="mnist")
parser.add_argument("--out", help="default: saved_models/<dataset>_classifier")
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--batch-size", type=int, default=128)
parser.add_argument("--data-dir", help="tensorflow-datasets data directory")
args = parser.parse_args()
card = train_evaluator(
    args.dataset,
    args.out or f"saved_models/{args.dataset}_classifier",
    epochs=args.epochs,
    batch_size=args.batch_size,
    data_dir=args.data_dir,
    command=shlex.join(["python", *sys.argv]),
)
print(f"Test accuracy {card['test_accuracy']:.4f} after {card['epochs']} epochs")
