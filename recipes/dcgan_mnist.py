"""A slim DCGAN on MNIST, trainable on 2 CPU cores (the grid in docs/dcgan_mnist.md).

ganzoo data prepare mnist --from ../shared/data/mnist
python recipes/dcgan_mnist.py            # --resume after an interruption
"""

from ganzoo.training import recipe

recipe(
    "DCGAN",
    "mnist",
    epochs=20,
    batch_size=128,
    latent_dim=100,
    model_options={"width": 32},
    seed=0,
    description=__doc__,
)
