"""Try: the seventh DCGAN recipe (the average keeps its own batch-norm statistics) with the
average's statistics at momentum 0.99 (about the last 100 steps' batches) instead of the
layers' 0.9.

    python docs/runs/dcgan_mnist_tries/own_stats_momentum_0.99/experiment.py runs/stats99 30 0.99

Run with the library at cfce89b (the average's batch norms at the layers' momentum, 0.9).
"""

import sys

import keras

from ganzoo import models
from ganzoo.models.dcgan import DCGAN
from ganzoo.training import train

out, epochs, momentum = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])


@keras.saving.register_keras_serializable(package="try")
class StatsDCGAN(DCGAN):
    def _clone_generator(self):
        clone = super()._clone_generator()
        for layer in clone.layers:
            if isinstance(layer, keras.layers.BatchNormalization):
                layer.momentum = momentum
        return clone


models.MODELS["StatsDCGAN"] = StatsDCGAN
train(
    "StatsDCGAN",
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
