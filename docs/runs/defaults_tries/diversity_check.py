"""Does G collapse against a spectrally normalized D? 300 steps of SNGAN's default on MNIST
(batch 128), then the standard deviation across 64 samples, averaged over pixels, for the
live generator and the weight average (a collapsed G draws one image: about 0.03).

    python docs/runs/defaults_tries/diversity_check.py MODE

MODE: ours (the default preset as it was, both hidden layers), keras (the same with Keras'
SpectralNormalization), nohidden, g_hidden_only, d_hidden_only, g_hidden_uniform,
dcgan_loss (non-saturating instead of hinge), noema.
"""

import sys

import keras

import ganzoo
from ganzoo.networks import dcgan as D

mode = sys.argv[1]
if mode == "keras":

    def keras_sn(layer, enabled=True, **kwargs):
        return keras.layers.SpectralNormalization(layer, power_iterations=1) if enabled else layer

    D.spectrally_normalized = keras_sn
keras.utils.set_random_seed(0)
data = ganzoo.datasets.load("mnist", batch_size=128, seed=0)
opts = dict(image_shape=(28, 28, 1), generator_hidden_units=256)
if mode == "nohidden":
    opts.update(discriminator_hidden_units=None, generator_hidden_units=None)
if mode == "g_hidden_only":
    opts.update(discriminator_hidden_units=None)
if mode == "d_hidden_only":
    opts.update(generator_hidden_units=None)
if mode == "g_hidden_uniform":
    opts.update(discriminator_hidden_units=None, latent_distribution="uniform")
if mode == "noema":
    opts.update(ema_decay=None)
gan = ganzoo.SNGAN(**opts)
gan.compile(loss="non_saturating" if mode == "dcgan_loss" else "auto")
h = gan.fit(data.repeat(), steps_per_epoch=150, epochs=2, verbose=0)
live = gan.generator(gan.sample_latent(64, seed=1), training=False).numpy()
ema = gan.generate(64, seed=1).numpy()
print(
    mode,
    {
        k: [round(float(x), 3) for x in v]
        for k, v in h.history.items()
        if k in ("d_loss", "d_real", "d_fake")
    },
    "live std across samples",
    round(float(live.std(axis=0).mean()), 4),
    "ema",
    round(float(ema.std(axis=0).mean()), 4),
)
