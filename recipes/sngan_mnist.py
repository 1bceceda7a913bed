"""SNGAN on MNIST with the class's default preset (`ganzoo.SNGAN.presets`): the spectrally
normalized D (`ganzoo.networks.SpectralNormalization`) and the hinge loss.

    ganzoo data prepare mnist --from ../shared/data/mnist
    python recipes/sngan_mnist.py            # --resume after an interruption

Trains into runs/sngan_mnist (10,000-sample FID-MNIST every 2 epochs in history.csv), then
publishes saved_models/sngan_mnist; --smoke checks it all in seconds.
"""

from ganzoo.training import recipe

recipe(
    "SNGAN",
    "mnist",
    epochs=40,
    seed=0,
    evaluate_every=2,
    evaluate_samples=10000,
    description=__doc__,
    publish="sngan_mnist",
)
