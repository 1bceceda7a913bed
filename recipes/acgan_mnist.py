"""ACGAN on MNIST with the class's default preset (`ganzoo.ACGAN.presets`): D also
classifies the digit (grid: one row per digit).

    ganzoo data prepare mnist --from ../shared/data/mnist
    python recipes/acgan_mnist.py            # --resume after an interruption

Trains into runs/acgan_mnist (10,000-sample FID-MNIST and label accuracy every 2 epochs in
history.csv), then publishes saved_models/acgan_mnist; --smoke checks it all in seconds.
"""

from ganzoo.training import recipe

recipe(
    "ACGAN",
    "mnist",
    epochs=30,
    seed=0,
    evaluate_every=2,
    evaluate_samples=10000,
    description=__doc__,
    publish="acgan_mnist",
)
