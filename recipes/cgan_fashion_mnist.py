"""A class-conditional GAN on Fashion-MNIST with slim DCGAN networks (one grid row per class).

    ganzoo data prepare fashion_mnist --from ../shared/data/fashion_mnist
    python recipes/cgan_fashion_mnist.py     # --resume after an interruption

Trains into runs/cgan_fashion_mnist, then publishes saved_models/cgan_fashion_mnist (label
accuracy by the Fashion-MNIST classifier); --smoke checks it all in seconds.
"""

from ganzoo.training import recipe

recipe(
    "CGAN",
    "fashion_mnist",
    epochs=6,
    batch_size=64,
    latent_dim=100,
    model_options={"network": "dcgan", "width": 32},
    preset="paper",  # trained before the presets: the paper's settings and these options
    seed=0,
    description=__doc__,
    publish="cgan_fashion_mnist",
)
