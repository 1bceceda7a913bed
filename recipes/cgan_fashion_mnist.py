"""A class-conditional GAN on Fashion-MNIST with the class's default preset
(`ganzoo.CGAN.presets`; grid: one row per class).

    ganzoo data prepare fashion_mnist --from ../shared/data/fashion_mnist
    python recipes/cgan_fashion_mnist.py     # --resume after an interruption

Trains into runs/cgan_fashion_mnist (10,000-sample FID-Fashion and label accuracy every 2
epochs in history.csv), then publishes saved_models/cgan_fashion_mnist; --smoke checks it
all in seconds.
"""

from ganzoo.training import recipe

recipe(
    "CGAN",
    "fashion_mnist",
    epochs=40,
    seed=0,
    evaluate_every=2,
    evaluate_samples=10000,
    description=__doc__,
    publish="cgan_fashion_mnist",
)
