"""LSGAN on MNIST: slim DCGAN networks, least-squares losses with the 0-1 coding.

ganzoo data prepare mnist --from ../shared/data/mnist
python recipes/lsgan_mnist.py            # --resume after an interruption
"""

from ganzoo.training import recipe

recipe(
    "LSGAN",
    "mnist",
    epochs=10,
    batch_size=128,
    latent_dim=100,
    model_options={"width": 32, "coding": [0, 1, 1]},
    seed=0,
    description=__doc__,
)
