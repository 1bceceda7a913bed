"""SNGAN on MNIST: a spectrally normalized DCGAN discriminator and the hinge loss.

ganzoo data prepare mnist --from ../shared/data/mnist
python recipes/sngan_mnist.py            # --resume after an interruption

Trains into runs/sngan_mnist, then publishes saved_models/sngan_mnist (generator,
SavedModel, float16/int8 TFLite, samples.png, card.json with the evaluation); --smoke checks
it all in seconds.
"""

from ganzoo.training import recipe

recipe(
    "SNGAN",
    "mnist",
    epochs=20,
    batch_size=64,
    latent_dim=100,
    model_options={"width": 32},
    seed=0,
    description=__doc__,
    publish="sngan_mnist",
)
