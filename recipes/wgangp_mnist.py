"""WGAN-GP on MNIST with slim DCGAN networks (no batch norm in the critic).

ganzoo data prepare mnist --from ../shared/data/mnist
python recipes/wgangp_mnist.py           # --resume after an interruption

The paper's settings: lambda = 10, five critic updates per generator update (a batch of
5 x 64 images gives each critic update its own 64), Adam(1e-4, beta_1=0, beta_2=0.9).
Trains into runs/wgangp_mnist, then publishes saved_models/wgangp_mnist (generator,
SavedModel, float16/int8 TFLite, samples.png, card.json with the evaluation); --smoke checks
it all in seconds.
"""

from ganzoo.training import recipe

recipe(
    "WGANGP",
    "mnist",
    epochs=40,
    batch_size=320,
    latent_dim=100,
    model_options={"width": 32},
    preset="paper",  # trained before the presets: the paper's settings and these options
    seed=0,
    description=__doc__,
    publish="wgangp_mnist",
)
