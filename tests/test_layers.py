"""ganzoo.networks.BatchNormalization: Keras's layer, computed by the fused kernel."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from ganzoo.networks import BatchNormalization


def _run(layer, x, training):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x, training=training)
        loss = tf.reduce_sum(tf.square(y) * tf.range(1.0, 1.0 + y.shape[-1]))
    grads = tape.gradient(loss, [x, *layer.trainable_variables])
    return [y, *grads, *layer.non_trainable_variables]


def test_batch_norm_by_hand():
    # One channel, n = 4 values 1, 2, 3, 6: mean 3, biased variance (4 + 1 + 0 + 9) / 4 = 3.5.
    layer = BatchNormalization(momentum=0.5, epsilon=0.0)
    x = tf.reshape(tf.constant([1.0, 2.0, 3.0, 6.0]), (1, 2, 2, 1))
    y = layer(x, training=True)
    np.testing.assert_allclose(
        tf.reshape(y, [-1]), np.array([-2.0, -1.0, 0.0, 3.0]) / np.sqrt(3.5), rtol=1e-5
    )
    # moving_mean = 0.5 * 0 + 0.5 * 3; moving_variance = 0.5 * 1 + 0.5 * 3.5.
    np.testing.assert_allclose(layer.moving_mean.numpy(), [1.5], rtol=1e-6)
    np.testing.assert_allclose(layer.moving_variance.numpy(), [2.25], rtol=1e-6)


@pytest.mark.parametrize("shape", [(4, 5, 5, 3), (6, 7)])
@pytest.mark.parametrize("training", [True, False])
def test_matches_keras_batch_norm(shape, training):
    # Outputs, gradients (input, gamma, beta) and moving statistics after two calls.
    x = tf.constant(np.random.default_rng(0).normal(2.0, 3.0, shape).astype("float32"))
    config = {"momentum": 0.9, "epsilon": 1e-5, "gamma_initializer": "random_normal"}
    results = []
    for cls in (keras.layers.BatchNormalization, BatchNormalization):
        keras.utils.set_random_seed(1)
        layer = cls(**config)
        _run(layer, x, training)
        results.append(_run(layer, x * 0.5 + 1.0, training))
    for expected, got in zip(*results, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)


def test_mixed_bfloat16_keeps_statistics_in_float32():
    layer = BatchNormalization(dtype="mixed_bfloat16")
    x = tf.random.normal((4, 3, 3, 2), 5.0)
    y = layer(tf.cast(x, "bfloat16"), training=True)
    assert y.dtype == tf.bfloat16
    assert layer.moving_mean.dtype == "float32"
    np.testing.assert_allclose(
        layer.moving_mean.numpy(), 0.01 * tf.reduce_mean(x, [0, 1, 2]).numpy(), rtol=0.02
    )


def test_serializes_as_its_own_class():
    layer = BatchNormalization(momentum=0.8, epsilon=1e-4, center=False)
    restored = keras.layers.deserialize(keras.layers.serialize(layer))
    assert type(restored) is BatchNormalization
    assert restored.get_config() == layer.get_config()
