"""A class-conditional GAN on MNIST with the class's default preset (`ganzoo.CGAN.presets`):
the DCGAN default preset's networks with the label in both (grid: one row per digit).

    ganzoo data prepare mnist --from ../shared/data/mnist
    python recipes/cgan_mnist.py             # --resume after an interruption

Trains into runs/cgan_mnist (10,000-sample FID-MNIST and label accuracy every 2 epochs in
history.csv), then publishes saved_models/cgan_mnist; --smoke checks it all in seconds.
"""

from ganzoo.training import recipe

recipe(
    "CGAN",
    "mnist",
    epochs=30,
    seed=0,
    evaluate_every=2,
    evaluate_samples=10000,
    description=__doc__,
    publish="cgan_mnist",
)
