"""A slim InfoGAN on MNIST (Chen et al. 2016, Appendix C.1), trainable on 2 CPU cores.

One 10-way categorical code, two continuous codes and 62 noise variables, as in the paper;
the Table 1 networks at a quarter of their width. Each grid row of `grids/` is one value of
the categorical code (ideally one digit), each column one noise vector. `mi_categorical` in
`history.csv` is the mutual-information lower bound of the categorical code, at most
ln 10 = 2.30 nats.

    ganzoo data prepare mnist --from ../shared/data/mnist
    python recipes/infogan_mnist.py          # --resume after an interruption
"""

from ganzoo.training import recipe

recipe(
    "InfoGAN",
    "mnist",
    epochs=5,
    batch_size=64,
    latent_dim=62,
    # Lists, not tuples: the options are stored as JSON and compared on --resume.
    model_options={"width": 16, "categorical_codes": [10], "continuous_codes": 2},
    grid_rows=10,
    seed=0,
    description=__doc__,
)
