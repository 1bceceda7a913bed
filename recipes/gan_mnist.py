"""Goodfellow et al.'s MLP GAN on MNIST (maxout discriminator with dropout).

Adam(2e-4, beta_1=0.5) for both nets: with plain SGD (the paper's optimizer, the model's
"auto") the MLP GAN collapsed to a single mode within one epoch in our runs.

    ganzoo data prepare mnist --from ../shared/data/mnist
    python recipes/gan_mnist.py              # --resume after an interruption
"""

from ganzoo.training import recipe

ADAM = {"class_name": "Adam", "config": {"learning_rate": 2e-4, "beta_1": 0.5}}

recipe(
    "GAN",
    "mnist",
    epochs=30,
    batch_size=100,
    latent_dim=100,
    compile_options={"d_optimizer": ADAM, "g_optimizer": ADAM},
    seed=0,
    description=__doc__,
)
