"""SNGAN: spectral normalization of every D layer (reparameterized), the hinge loss, the
paper's preset."""

import keras
import numpy as np
import pytest
from conftest import tiny_model

import ganzoo
from ganzoo.networks import SpectralNormalization


def test_every_weight_layer_of_d_is_spectrally_normalized():
    gan = tiny_model("SNGAN")
    gan.compile()
    assert gan.loss_name == "hinge"
    layers = gan.discriminator.layers
    normalized = [layer for layer in layers if isinstance(layer, SpectralNormalization)]
    assert len(normalized) == 3  # two convolutions and the logit layer at 16x16
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in layers)
    paper = ganzoo.SNGAN.from_preset("paper", image_shape=(16, 16, 1), latent_dim=8, width=4)
    assert paper.d_steps == 5  # the paper's n_dis (tiny_model makes it 1)
    optimizer = gan.d_optimizer
    assert float(optimizer.learning_rate) == pytest.approx(2e-4)
    assert (optimizer.beta_1, optimizer.beta_2) == (0.0, 0.9)


def test_training_calls_bring_each_kernels_spectral_norm_to_one(images):
    gan = tiny_model("SNGAN")
    for layer in gan.discriminator.layers:
        if isinstance(layer, SpectralNormalization):
            layer.layer.kernel.assign(layer.layer.kernel * 50.0)  # far from 1
    kernels = [
        layer.layer.kernel.numpy().copy()
        for layer in gan.discriminator.layers
        if isinstance(layer, SpectralNormalization)
    ]
    for _ in range(100):  # one power iteration per training call
        gan.discriminator(images, training=True)
    normalized = [l for l in gan.discriminator.layers if isinstance(l, SpectralNormalization)]
    for layer, before in zip(normalized, kernels):
        np.testing.assert_array_equal(layer.layer.kernel.numpy(), before)  # W is not rewritten
        kernel = layer.normalized_kernel().numpy()
        kernel = kernel.reshape(-1, kernel.shape[-1])
        assert np.linalg.svd(kernel, compute_uv=False)[0] == pytest.approx(1.0, abs=0.01)
