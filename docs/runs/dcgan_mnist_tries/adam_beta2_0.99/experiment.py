"""Try: the eighth DCGAN recipe with another Adam beta_2 in both optimizers (the paper's
beta_1 = 0.5 kept; Keras' default beta_2 is 0.999).

    python docs/runs/dcgan_mnist_tries/adam_beta2_0.99/experiment.py runs/beta2 30 0.99
    python docs/runs/dcgan_mnist_tries/adam_beta2_0.99/experiment.py runs/beta2 40 0.99 --resume
    python docs/runs/dcgan_mnist_tries/adam_beta2_0.99/experiment.py runs/g48 40 0.99 width=48

Arguments after the third of the form key=value replace the recipe's model options.
"""

import sys

from ganzoo.training import train

out, epochs, beta_2 = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])


def adam(rate):
    return {
        "class_name": "Adam",
        "config": {"learning_rate": rate, "beta_1": 0.5, "beta_2": beta_2},
    }


options = {
    "width": 32,
    "discriminator_width": 16,
    "generator_hidden_units": 256,
    "discriminator_hidden_units": 256,
    "ema_decay": 0.999,
}
for arg in sys.argv[4:]:
    if "=" in arg:
        key, value = arg.split("=")
        options[key] = type(options[key])(value)

train(
    "DCGAN",
    "mnist",
    out,
    epochs=epochs,
    batch_size=128,
    latent_dim=100,
    model_options=options,
    compile_options={"d_optimizer": adam(2e-4), "g_optimizer": adam(1e-3)},
    seed=0,
    evaluate_every=2,
    evaluate_samples=10000,
    resume="--resume" in sys.argv,
)
