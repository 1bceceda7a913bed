"""LSGAN on MNIST with the class's default preset (`ganzoo.LSGAN.presets`): least squares
with the 0-1 coding on the DCGAN default preset's networks, weight average and optimizers.

    ganzoo data prepare mnist --from ../shared/data/mnist
    python recipes/lsgan_mnist.py            # --resume after an interruption

Trains into runs/lsgan_mnist (10,000-sample FID-MNIST every 2 epochs in history.csv), then
publishes saved_models/lsgan_mnist; --smoke checks it all in seconds.
"""

from ganzoo.training import recipe

recipe(
    "LSGAN",
    "mnist",
    epochs=40,
    seed=0,
    evaluate_every=2,
    evaluate_samples=10000,
    description=__doc__,
    publish="lsgan_mnist",
)
