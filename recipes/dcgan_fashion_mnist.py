"""A slim DCGAN (width 32) on Fashion-MNIST, trainable on 2 CPU cores.

    ganzoo data prepare fashion_mnist --from ../shared/data/fashion_mnist
    python recipes/dcgan_fashion_mnist.py    # --resume after an interruption

Trains into runs/dcgan_fashion_mnist, then publishes saved_models/dcgan_fashion_mnist
(scored with the Fashion-MNIST classifier: FID-Fashion); --smoke checks it all in seconds.
"""

from ganzoo.training import recipe

recipe(
    "DCGAN",
    "fashion_mnist",
    epochs=8,
    batch_size=128,
    latent_dim=100,
    model_options={"width": 32},
    seed=0,
    description=__doc__,
    publish="dcgan_fashion_mnist",
)
