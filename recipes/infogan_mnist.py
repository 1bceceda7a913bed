"""A slim InfoGAN on MNIST (Chen et al. 2016, Appendix C.1), trainable on 2 CPU cores.

One 10-way categorical code, two continuous codes and 62 noise variables, as in the paper;
the Table 1 networks at a quarter of their width. Grid rows (`grids/`, `traversals/`) are
the values of the categorical code; `mi_categorical` in `history.csv` is the categorical
mutual-information estimate (at most ln 10 = 2.30 nats). The published card holds Q's
categorical code as a classifier of the MNIST test digits (error after Hungarian matching).

    ganzoo data prepare mnist --from ../shared/data/mnist
    python recipes/infogan_mnist.py          # --resume after an interruption

Trains into runs/infogan_mnist, then publishes saved_models/infogan_mnist; --smoke checks
it all in seconds.
"""

from ganzoo.training import recipe

recipe(
    "InfoGAN",
    "mnist",
    epochs=20,
    batch_size=64,
    latent_dim=62,
    model_options={"width": 16, "categorical_codes": [10], "continuous_codes": 2},
    grid_rows=10,
    preset="paper",  # trained before the presets: the paper's settings and these options
    seed=0,
    description=__doc__,
    publish="infogan_mnist",
)
