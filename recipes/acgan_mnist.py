"""ACGAN on MNIST with slim DCGAN networks: D also classifies the digit (grid: one row per
digit).

ganzoo data prepare mnist --from ../shared/data/mnist
python recipes/acgan_mnist.py            # --resume after an interruption

Trains into runs/acgan_mnist, then publishes saved_models/acgan_mnist (generator,
SavedModel, float16/int8 TFLite, samples.png, card.json with the evaluation and label
accuracy); --smoke checks it all in seconds.
"""

from ganzoo.training import recipe

recipe(
    "ACGAN",
    "mnist",
    epochs=10,
    batch_size=64,
    latent_dim=100,
    model_options={"width": 32},
    seed=0,
    description=__doc__,
    publish="acgan_mnist",
)
