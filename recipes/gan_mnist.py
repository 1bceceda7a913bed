"""Goodfellow et al.'s MLP GAN on MNIST (maxout discriminator with dropout).

Adam(2e-4, beta_1=0.5) for both nets, and batch norm in G's hidden layers: with plain SGD
(the paper's optimizer, the model's "auto") the MLP GAN collapsed to a single mode within
one epoch in our runs, and with Adam but no batch norm it drew mostly 1s and noisy blobs
after 7 epochs.

    ganzoo data prepare mnist --from ../shared/data/mnist
    python recipes/gan_mnist.py              # --resume after an interruption

Trains into runs/gan_mnist, then publishes saved_models/gan_mnist (generator, SavedModel,
float16/int8 TFLite, samples.png, card.json with the evaluation); --smoke checks it all in
seconds.
"""

from ganzoo.training import recipe

ADAM = {"class_name": "Adam", "config": {"learning_rate": 2e-4, "beta_1": 0.5}}

recipe(
    "GAN",
    "mnist",
    epochs=20,
    batch_size=100,
    latent_dim=100,
    model_options={"generator_batch_norm": True},
    compile_options={"d_optimizer": ADAM, "g_optimizer": ADAM},
    seed=0,
    description=__doc__,
    publish="gan_mnist",
)
