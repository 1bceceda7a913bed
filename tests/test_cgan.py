"""CGAN: label routing, label validation, both network variants, class-row grids."""

import numpy as np
import pytest

import ganzoo
from conftest import tiny_model


@pytest.mark.parametrize("network", ["mlp", "dcgan"])
def test_label_reaches_both_nets(network):
    cgan = tiny_model("CGAN", network=network)
    noise = np.random.default_rng(0).normal(size=(2, 8)).astype("float32")
    labels_a, labels_b = np.array([0, 0]), np.array([1, 1])
    images_a = np.asarray(cgan.generator([noise, labels_a]))
    images_b = np.asarray(cgan.generator([noise, labels_b]))
    assert not np.allclose(images_a, images_b)
    logits_a = np.asarray(cgan.discriminator([images_a, labels_a]))
    logits_b = np.asarray(cgan.discriminator([images_a, labels_b]))
    assert not np.allclose(logits_a, logits_b)


def test_generate_with_labels_is_reproducible():
    cgan = tiny_model("CGAN")
    first = np.asarray(cgan.generate(3, labels=[0, 1, 2], seed=7))
    np.testing.assert_array_equal(first, cgan.generate(3, labels=[0, 1, 2], seed=7))
    assert not np.allclose(first, cgan.generate(3, labels=[2, 1, 0], seed=7))
    assert cgan.generate(4, labels=1, seed=0).shape == (4, 16, 16, 1)
    np.testing.assert_array_equal(cgan.generate(2, seed=3), cgan.generate(2, seed=3))


def test_bad_labels_are_rejected(images):
    cgan = tiny_model("CGAN")
    with pytest.raises(ValueError, match=r"Labels must lie in \[0, 3\)"):
        cgan.generate(2, labels=[0, 3])
    with pytest.raises(ValueError, match="Expected 2 integer labels"):
        cgan.generate(2, labels=[0, 1, 2])
    cgan.compile()
    with pytest.raises(ValueError, match="with_labels=True"):
        cgan.fit(images[:4], batch_size=4, verbose=0)
    with pytest.raises(Exception, match="labels must be < num_classes=3"):
        cgan.fit(images[:4], np.array([0, 1, 2, 5]), batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="needs num_classes"):
        ganzoo.CGAN(image_shape=(16, 16, 1), latent_dim=8)


def test_grid_has_one_row_per_class():
    cgan = tiny_model("CGAN")
    noise, labels = cgan.grid_latent(rows=3, cols=2, seed=0)
    np.testing.assert_array_equal(labels, [0, 0, 1, 1, 2, 2])
    np.testing.assert_array_equal(noise[0], noise[2])  # the same noise in every row
    assert not np.allclose(noise[0], noise[1])


def test_fit_on_labelled_dataset(images):
    import tensorflow as tf

    data = tf.data.Dataset.from_tensor_slices((images, np.arange(8) % 3)).batch(4)
    cgan = tiny_model("CGAN", network="mlp")
    cgan.compile(d_optimizer="adam", g_optimizer="adam")
    history = cgan.fit(data, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])
    assert int(cgan.g_optimizer.iterations) == 2
