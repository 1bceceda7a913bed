"""DCGAN on Fashion-MNIST with the class's default preset (`ganzoo.DCGAN.presets`).

    ganzoo data prepare fashion_mnist --from ../shared/data/fashion_mnist
    python recipes/dcgan_fashion_mnist.py    # --resume after an interruption

Trains into runs/dcgan_fashion_mnist (10,000-sample FID-Fashion every 2 epochs in
history.csv), then publishes saved_models/dcgan_fashion_mnist (scored with the Fashion-MNIST
classifier); --smoke checks it all in seconds.
"""

from ganzoo.training import recipe

recipe(
    "DCGAN",
    "fashion_mnist",
    epochs=40,
    seed=0,
    evaluate_every=2,
    evaluate_samples=10000,
    description=__doc__,
    publish="dcgan_fashion_mnist",
)
