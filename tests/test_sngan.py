"""SNGAN: spectral normalization of every D layer, the hinge loss, the paper's Adam."""

import keras
import numpy as np
import pytest

from conftest import tiny_model


def test_every_weight_layer_of_d_is_spectrally_normalized():
    gan = tiny_model("SNGAN")
    gan.compile()
    assert gan.loss_name == "hinge"
    layers = gan.discriminator.layers
    normalized = [
        layer for layer in layers if isinstance(layer, keras.layers.SpectralNormalization)
    ]
    assert len(normalized) == 3  # two convolutions and the logit layer at 16x16
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in layers)
    optimizer = gan.d_optimizer
    assert float(optimizer.learning_rate) == pytest.approx(2e-4)
    assert (optimizer.beta_1, optimizer.beta_2) == (0.5, 0.999)


def test_training_calls_bring_each_kernels_spectral_norm_to_one(images):
    gan = tiny_model("SNGAN")
    for layer in gan.discriminator.layers:
        if isinstance(layer, keras.layers.SpectralNormalization):
            layer.kernel.assign(layer.kernel * 50.0)  # far from 1
    for _ in range(100):  # one power iteration per training call
        gan.discriminator(images, training=True)
    for layer in gan.discriminator.layers:
        if isinstance(layer, keras.layers.SpectralNormalization):
            kernel = layer.kernel.numpy().reshape(-1, layer.kernel.shape[-1])
            assert np.linalg.svd(kernel, compute_uv=False)[0] == pytest.approx(1.0, abs=0.01)
