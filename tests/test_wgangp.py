"""WGAN-GP: the gradient penalty by hand, the paper's defaults, n_critic and the penalty's
place in the critic's update."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import ganzoo
from conftest import tiny_model
from ganzoo.models.wgangp import gradient_penalty


def test_penalty_of_a_linear_critic():
    # D(x) = sum(0.5 x): the gradient is 0.5 at every one of 16 pixels, whatever x_hat is,
    # so ||g|| = sqrt(16 * 0.25) = 2 and the penalty (2 - 1)^2 = 1.
    real = tf.ones((3, 4, 4, 1))
    fake = -tf.ones((3, 4, 4, 1))
    critic = lambda x: tf.reduce_sum(0.5 * x, axis=[1, 2, 3])[:, None]
    value = gradient_penalty(critic, real, fake, tf.constant([0.0, 0.3, 1.0]))
    assert float(value) == pytest.approx(1.0, rel=1e-5)


def test_penalty_uses_one_interpolation_weight_per_sample():
    # D(x) = sum(x^2) / 2 has gradient x_hat. With real = 1, fake = 0 and 4 pixels,
    # x_hat = eps everywhere, ||g|| = 2 eps: eps = 0.25 gives (0.5 - 1)^2 = 0.25, eps = 1
    # gives (2 - 1)^2 = 1, mean 0.625.
    real, fake = tf.ones((2, 2, 2, 1)), tf.zeros((2, 2, 2, 1))
    critic = lambda x: tf.reduce_sum(x * x, axis=[1, 2, 3])[:, None] / 2
    value = gradient_penalty(critic, real, fake, tf.constant([0.25, 1.0]))
    assert float(value) == pytest.approx(0.625, rel=1e-5)
    # At a zero gradient the epsilon inside the square root keeps the penalty's gradient
    # finite: ||g|| = 1e-6, penalty ~ 1.
    with tf.GradientTape() as tape:
        scale = tf.Variable(0.0)
        tape.watch(scale)
        value = gradient_penalty(
            lambda x: scale * tf.reduce_sum(x, axis=[1, 2, 3])[:, None], real, fake, [0.5, 0.5]
        )
    assert float(value) == pytest.approx(1.0, abs=1e-5)
    assert np.isfinite(float(tape.gradient(value, scale)))


def test_the_models_interpolation_weights_are_uniform_per_sample(monkeypatch):
    seen = []

    def spy(critic, real, fake, weights):
        seen.append(np.asarray(weights))
        return gradient_penalty(critic, real, fake, weights)

    monkeypatch.setattr(ganzoo.models.wgangp, "gradient_penalty", spy)
    gan = tiny_model("WGANGP")
    real = tf.random.uniform((512, 16, 16, 1), -1, 1)
    gan.discriminator_penalty(real, gan.generate(512, seed=0), None)
    (weights,) = seen
    assert weights.shape == (512,)  # one per sample, not per pixel
    assert weights.min() >= 0 and weights.max() <= 1
    assert 0.45 < weights.mean() < 0.55 and 0.25 < weights.std() < 0.33  # U[0, 1]: 0.5, 0.289


def test_paper_preset_is_the_papers():
    gan = ganzoo.WGANGP.from_preset("paper", image_shape=(16, 16, 1), latent_dim=8, width=4)
    gan.compile()
    assert gan.d_steps == 5 and gan.gradient_penalty_weight == 10.0
    assert gan.loss_name == "wasserstein"
    for optimizer in (gan.d_optimizer, gan.g_optimizer):
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert float(optimizer.learning_rate) == pytest.approx(1e-4)
        assert (optimizer.beta_1, optimizer.beta_2) == (0.0, 0.9)
    layers = gan.discriminator.layers
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in layers)


def test_n_critic_updates_per_generator_update(images):
    gan = ganzoo.WGANGP(image_shape=(16, 16, 1), latent_dim=8, width=4)
    gan.compile()
    history = gan.fit(np.concatenate([images, images[:2]]), batch_size=10, verbose=0)
    assert int(gan.d_optimizer.iterations) == 5 and int(gan.g_optimizer.iterations) == 1
    assert np.isfinite(history.history["gradient_penalty"][0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="d_steps=5 needs batches of at"):
        gan.fit(images[:4], batch_size=4, verbose=0)


def test_the_penalty_enters_the_critics_update(images):
    moved = []
    for weight in (0.0, 10.0):
        keras.utils.set_random_seed(0)
        gan = tiny_model("WGANGP", gradient_penalty_weight=weight)
        gan.compile()
        before = [v.numpy().copy() for v in gan.discriminator.trainable_weights]
        gan.fit(images[:4], batch_size=4, verbose=0)
        moved.append([v.numpy() - b for v, b in zip(gan.discriminator.trainable_weights, before)])
    assert any(not np.allclose(a, b) for a, b in zip(*moved))
    with pytest.raises(ValueError, match="gradient_penalty_weight must be >= 0"):
        tiny_model("WGANGP", gradient_penalty_weight=-1)
