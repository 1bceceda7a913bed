"""Try: the sixth DCGAN recipe with Mescheder et al.'s R1 penalty on D,
gamma/2 * E_real[||grad_x D(x)||^2] (arXiv 1801.04406, Eq. 9), added in each D update.

    python docs/runs/dcgan_mnist_tries/g32_r1_1/experiment.py runs/r1 30 1  (stopped after 8)

The penalty's pass runs D in training mode (its batch norm sees the real batch alone).

Run with the library at 0847308 (the average copied the generator's batch-norm statistics).
"""

import sys

import keras
import tensorflow as tf

from ganzoo import models
from ganzoo.models.dcgan import DCGAN
from ganzoo.training import train

out, epochs, gamma = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])


@keras.saving.register_keras_serializable(package="try")
class R1DCGAN(DCGAN):
    def discriminator_penalty(self, real, fake, condition):
        with tf.GradientTape() as tape:
            tape.watch(real)
            logits, _ = self.discriminate(real, condition, training=True)
            total = tf.reduce_sum(tf.cast(logits, tf.float32))
        gradients = tf.cast(tape.gradient(total, real), tf.float32)
        return 0.5 * gamma * tf.reduce_mean(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]))


models.MODELS["R1DCGAN"] = R1DCGAN
train(
    "R1DCGAN",
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
    compile_options={"learning_rates": [2e-4, 1e-3]},
    seed=0,
    evaluate_every=2,
    evaluate_samples=10000,
    resume="--resume" in sys.argv,
)
