"""Goodfellow et al.'s MLP GAN on MNIST (maxout discriminator with dropout).

    ganzoo data prepare mnist --from ../shared/data/mnist
    python recipes/gan_mnist.py              # --resume after an interruption
"""

from ganzoo.training import recipe

recipe(
    "GAN",
    "mnist",
    epochs=30,
    batch_size=100,
    latent_dim=100,
    seed=0,
    description=__doc__,
)
