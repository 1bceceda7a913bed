"""Try: the fifth DCGAN recipe's settings at batch 128 with both learning rates decayed
linearly to 0 over the run (keras.optimizers.schedules.PolynomialDecay).

    python docs/runs/dcgan_mnist_tries/ema_batch_128_lr_decay/experiment.py runs/b128_decay30 30
"""

import sys

import keras

from ganzoo.training import train

out, epochs = sys.argv[1], int(sys.argv[2])
steps = epochs * (60000 // 128)


def adam(rate):
    schedule = keras.optimizers.schedules.PolynomialDecay(rate, steps, 0.0)
    return keras.optimizers.serialize(keras.optimizers.Adam(learning_rate=schedule, beta_1=0.5))


train(
    "DCGAN",
    "mnist",
    out,
    epochs=epochs,
    batch_size=128,
    latent_dim=100,
    model_options={
        "width": 16,
        "generator_hidden_units": 256,
        "discriminator_hidden_units": 256,
        "ema_decay": 0.999,
    },
    compile_options={"d_optimizer": adam(2e-4), "g_optimizer": adam(1e-3)},
    seed=0,
    evaluate_every=2,
    evaluate_samples=10000,
    resume="--resume" in sys.argv,
)
