"""Try: the sixth DCGAN recipe with both learning rates held for `hold` epochs, then cosine
decay to 0 at `epochs` (keras CosineDecay with a flat 'warmup' from the rate to itself).

    python docs/runs/dcgan_mnist_tries/g32_hold_16_cosine_decay/experiment.py runs/hold16 30 16

Run with the library at 0847308 (the average copied the generator's batch-norm statistics).
"""

import sys

import keras

from ganzoo.training import train

out, epochs, hold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
per_epoch = 60000 // 128


def adam(rate):
    schedule = keras.optimizers.schedules.CosineDecay(
        rate,
        (epochs - hold) * per_epoch,
        alpha=0.0,
        warmup_target=rate,
        warmup_steps=hold * per_epoch,
    )
    return keras.optimizers.serialize(keras.optimizers.Adam(learning_rate=schedule, beta_1=0.5))


train(
    "DCGAN",
    "mnist",
    out,
    epochs=epochs,
    batch_size=128,
    latent_dim=100,
    model_options={
        "width": 32,
        "discriminator_width": 16,
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
