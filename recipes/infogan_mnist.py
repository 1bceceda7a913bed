"""A slim InfoGAN on MNIST (Chen et al. 2016, Appendix C.1), trainable on 2 CPU cores.

One 10-way categorical code, two continuous codes and 62 noise variables, as in the paper;
the Table 1 networks at a quarter of their width. Grid rows (`grids/`, `traversals/`) are
the values of the categorical code; `mi_categorical` in `history.csv` is the categorical
mutual-information estimate (at most ln 10 = 2.30 nats). At the end, Q classifies the MNIST
test digits and the error after Hungarian matching goes to `<out>/code_accuracy.json`.

    ganzoo data prepare mnist --from ../shared/data/mnist
    python recipes/infogan_mnist.py          # --resume after an interruption
"""

import json
from pathlib import Path

import ganzoo
from ganzoo.training import recipe

gan, args = recipe(
    "InfoGAN",
    "mnist",
    epochs=20,
    batch_size=64,
    latent_dim=62,
    model_options={"width": 16, "categorical_codes": [10], "continuous_codes": 2},
    grid_rows=10,
    seed=0,
    description=__doc__,
)
result = ganzoo.metrics.code_accuracy(gan, "mnist", split="test", data_dir=args.data_dir)
Path(args.out, "code_accuracy.json").write_text(json.dumps(result, indent=2) + "\n")
print(f"Categorical code as a classifier of MNIST test digits: {result['error']:.1%} error")
