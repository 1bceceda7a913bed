"""LSGAN on MNIST: slim DCGAN networks, least-squares losses with the 0-1 coding.

ganzoo data prepare mnist --from ../shared/data/mnist
python recipes/lsgan_mnist.py            # --resume after an interruption

Trains into runs/lsgan_mnist, then publishes saved_models/lsgan_mnist (generator, SavedModel,
float16/int8 TFLite, samples.png, card.json with the evaluation); --smoke checks it all in
seconds.
"""

from ganzoo.training import recipe

recipe(
    "LSGAN",
    "mnist",
    epochs=20,
    batch_size=128,
    latent_dim=100,
    model_options={"width": 32, "coding": [0, 1, 1]},
    seed=0,
    description=__doc__,
    publish="lsgan_mnist",
)
