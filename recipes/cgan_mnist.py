"""A class-conditional GAN on MNIST with slim DCGAN networks (grid: one row per digit).

ganzoo data prepare mnist --from ../shared/data/mnist
python recipes/cgan_mnist.py             # --resume after an interruption
"""

from ganzoo.training import recipe

recipe(
    "CGAN",
    "mnist",
    epochs=10,
    batch_size=64,
    latent_dim=100,
    model_options={"network": "dcgan", "width": 32},
    seed=0,
    description=__doc__,
)
