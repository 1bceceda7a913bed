"""A class-conditional GAN on MNIST with slim DCGAN networks (grid: one row per digit).

ganzoo data prepare mnist --from ../shared/data/mnist
python recipes/cgan_mnist.py             # --resume after an interruption

Trains into runs/cgan_mnist, then publishes saved_models/cgan_mnist (generator, SavedModel,
float16/int8 TFLite, samples.png, card.json with the evaluation); --smoke checks it all in
seconds.
"""

from ganzoo.training import recipe

recipe(
    "CGAN",
    "mnist",
    epochs=10,
    batch_size=64,
    latent_dim=100,
    model_options={"network": "dcgan", "width": 32},
    seed=0,
    description=__doc__,
    publish="cgan_mnist",
)
