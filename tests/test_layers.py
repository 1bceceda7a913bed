"""ganzoo.networks.BatchNormalization, Conv2D and Conv2DTranspose (Keras's layers, computed
by faster kernels), Maxout (its two layouts) and SpectralNormalization (reparameterized)."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from ganzoo.networks import (
    BatchNormalization,
    Conv2D,
    Conv2DTranspose,
    Maxout,
    SpectralNormalization,
)


def _run(layer, x, training):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x, training=training)
        loss = tf.reduce_sum(tf.square(tf.cast(y, "float32")) * tf.range(1.0, 1.0 + y.shape[-1]))
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


# A transposed convolution by hand: x = [[1, 2], [3, 4]], a 3x3 kernel of ones, stride 2,
# "same" (padding before the image max(3 - 2, 0) // 2 = 0): output row Y sums the input rows
# i with Y in {2i, 2i + 1, 2i + 2}, so rows 0, 1 <- row 0; row 2 <- rows 0, 1; row 3 <- row 1
# (and likewise for columns).
BY_HAND = [[1, 1, 3, 2], [1, 1, 3, 2], [4, 4, 10, 6], [3, 3, 7, 4]]


def test_conv_transpose_by_hand():
    layer = Conv2DTranspose(
        1, 3, strides=2, padding="same", use_bias=False, kernel_initializer="ones"
    )
    x = tf.reshape(tf.constant([1.0, 2.0, 3.0, 4.0]), (1, 2, 2, 1))
    for training in (True, False):
        np.testing.assert_allclose(tf.reshape(layer(x, training=training), (4, 4)), BY_HAND)


def test_conv_input_gradient_by_hand():
    # The convolution's input gradient is the transposed convolution of the upstream gradient.
    layer = Conv2D(1, 3, strides=2, padding="same", use_bias=False, kernel_initializer="ones")
    x = tf.zeros((1, 4, 4, 1))
    upstream = tf.reshape(tf.constant([1.0, 2.0, 3.0, 4.0]), (1, 2, 2, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(layer(x, training=True) * upstream)
    np.testing.assert_allclose(tf.reshape(tape.gradient(loss, x), (4, 4)), BY_HAND)


CONVOLUTIONS = [
    # (kernel_size, strides, filters, input shape)
    (5, 2, 1, (3, 7, 7, 16)),
    (4, 2, 3, (2, 4, 4, 8)),
    (3, 2, 1, (2, 5, 6, 4)),
    ((5, 3), 3, 2, (2, 3, 4, 5)),
    (1, 2, 1, (2, 3, 3, 2)),
]


def _pair(keras_cls, cls, config, x, dtype="float32"):
    # Outputs and gradients (input, kernel, bias) of Keras's layer and ganzoo's, same weights.
    results = []
    for layer_cls in (keras_cls, cls):
        keras.utils.set_random_seed(2)
        layer = layer_cls(**config, bias_initializer="random_normal", dtype=dtype)
        results.append(_run(layer, x, training=True))
    return results


@pytest.mark.parametrize("kernel_size, strides, filters, shape", CONVOLUTIONS)
def test_matches_keras_conv_transpose(kernel_size, strides, filters, shape):
    x = tf.constant(np.random.default_rng(0).normal(size=shape).astype("float32"))
    config = {"filters": filters, "kernel_size": kernel_size, "strides": strides, "padding": "same"}
    expected, got = _pair(keras.layers.Conv2DTranspose, Conv2DTranspose, config, x)
    assert got[0].shape == expected[0].shape
    for e, g in zip(expected, got, strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("kernel_size, strides, filters, shape", CONVOLUTIONS)
def test_matches_keras_conv(kernel_size, strides, filters, shape):
    # The transposed case's shapes read the other way: the convolution of its output.
    batch, height, width, channels = shape
    x = np.random.default_rng(0).normal(size=(batch, height * strides, width * strides, filters))
    config = {
        "filters": channels,
        "kernel_size": kernel_size,
        "strides": strides,
        "padding": "same",
    }
    expected, got = _pair(keras.layers.Conv2D, Conv2D, config, tf.constant(x, "float32"))
    for e, g in zip(expected, got, strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-4, atol=1e-5)


def test_convolutions_in_mixed_bfloat16():
    x = tf.constant(np.random.default_rng(0).normal(size=(2, 7, 7, 8)).astype("float32"))
    config = {"filters": 1, "kernel_size": 5, "strides": 2, "padding": "same"}
    expected, got = _pair(
        keras.layers.Conv2DTranspose, Conv2DTranspose, config, x, "mixed_bfloat16"
    )
    assert got[0].dtype == tf.bfloat16
    for e, g in zip(expected, got, strict=True):
        np.testing.assert_allclose(
            tf.cast(g, "float32"), tf.cast(e, "float32"), rtol=0.05, atol=0.05
        )
    x = tf.constant(np.random.default_rng(1).normal(size=(2, 14, 14, 1)).astype("float32"))
    config = {"filters": 8, "kernel_size": 5, "strides": 2, "padding": "same"}
    expected, got = _pair(keras.layers.Conv2D, Conv2D, config, x, "mixed_bfloat16")
    for e, g in zip(expected, got, strict=True):
        np.testing.assert_allclose(
            tf.cast(g, "float32"), tf.cast(e, "float32"), rtol=0.05, atol=0.05
        )


@pytest.mark.parametrize(
    "cls, config, shape",
    [
        (
            Conv2DTranspose,
            {"filters": 8, "kernel_size": 3, "strides": 2, "padding": "same"},
            (1, 3, 3, 2),
        ),
        (
            Conv2DTranspose,
            {"filters": 1, "kernel_size": 3, "strides": 2, "padding": "valid"},
            (1, 3, 3, 2),
        ),
        (
            Conv2DTranspose,
            {"filters": 1, "kernel_size": 3, "strides": 1, "padding": "same"},
            (1, 3, 3, 2),
        ),
        (Conv2D, {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}, (1, 6, 6, 8)),
        (Conv2D, {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}, (1, 5, 6, 1)),
        (
            Conv2D,
            {"filters": 4, "kernel_size": 3, "strides": (2, 1), "padding": "same"},
            (1, 6, 6, 1),
        ),
    ],
)
def test_other_convolutions_take_keras_path(cls, config, shape, monkeypatch):
    calls = []
    monkeypatch.setattr(tf, "custom_gradient", lambda f: calls.append(f) or (lambda *a: f(*a)[0]))
    cls(**config)(tf.ones(shape), training=True)
    assert calls == []


@pytest.mark.parametrize("cls", [Conv2D, Conv2DTranspose])
def test_convolutions_serialize_as_their_own_class(cls):
    layer = cls(3, 4, strides=2, padding="same", use_bias=False)
    restored = keras.layers.deserialize(keras.layers.serialize(layer))
    assert type(restored) is cls
    assert restored.get_config() == layer.get_config()


def test_conv_second_order_gradient_matches_keras():
    # WGAN-GP's penalty differentiates the gradient with respect to the input (the sub-pixel
    # form here) again, with respect to the kernel.
    x = tf.constant(np.random.default_rng(0).normal(size=(2, 8, 8, 1)).astype("float32"))
    grads = []
    for cls in (keras.layers.Conv2D, Conv2D):
        keras.utils.set_random_seed(3)
        layer = cls(4, 5, strides=2, padding="same")
        with tf.GradientTape() as outer:
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = tf.reduce_sum(tf.square(layer(x, training=True)))
            penalty = tf.reduce_sum(tf.square(inner.gradient(y, x)))
        grads.append(outer.gradient(penalty, layer.trainable_variables))
    for expected, got in zip(*grads, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "cls, config, shape",
    [
        (
            Conv2DTranspose,
            {"filters": 3, "kernel_size": 4, "strides": 2, "padding": "same"},
            (1, 3, 3, 8),
        ),
        (Conv2D, {"filters": 8, "kernel_size": 4, "strides": 2, "padding": "same"}, (1, 6, 6, 3)),
    ],
)
def test_thin_convolutions_take_their_own_path(cls, config, shape, monkeypatch):
    # The control for test_other_convolutions_take_keras_path: only training calls do.
    calls = []
    monkeypatch.setattr(tf, "custom_gradient", lambda f: calls.append(f) or (lambda *a: f(*a)[0]))
    layer = cls(**config)
    layer(tf.ones(shape), training=False)
    assert calls == []
    layer(tf.ones(shape), training=True)
    assert len(calls) == 1


# ---------------------------------------------------------------------- Maxout
@pytest.mark.parametrize(
    "layout, outputs, kernel_gradient",
    [
        # Piece j of unit i is output j * 2 + i: unit 0 = max(1, 3, 5), unit 1 = max(6, 2, 4).
        ("pieces_major", [5.0, 6.0], [0, 2, 0, 0, 1, 0]),
        # Output i * 3 + j: unit 0 = max(1, 6, 3), unit 1 = max(2, 5, 4).
        ("units_major", [6.0, 5.0], [0, 1, 0, 0, 2, 0]),
    ],
)
def test_maxout_by_hand(layout, outputs, kernel_gradient):
    layer = Maxout(2, pieces=3, layout=layout)
    layer.build((1, 1))
    layer.dense.kernel.assign([[1.0, 6.0, 3.0, 2.0, 5.0, 4.0]])
    with tf.GradientTape() as tape:
        y = layer(tf.ones((1, 1)))
        loss = tf.reduce_sum(y * [1.0, 2.0])
    np.testing.assert_allclose(y.numpy(), [outputs])
    np.testing.assert_allclose(tape.gradient(loss, layer.dense.kernel).numpy(), [kernel_gradient])


def test_maxout_layout_survives_saving_and_old_configs_load_units_major(tmp_path):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, Maxout(4, pieces=2)(inputs))
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    assert loaded.layers[-1].layout == "pieces_major"
    np.testing.assert_array_equal(loaded(x).numpy(), model(x).numpy())
    # A layer saved before the layout option has no "layout" in its config.
    config = model.layers[-1].get_config()
    del config["layout"]
    assert Maxout.from_config(config).layout == "units_major"
    with pytest.raises(ValueError, match="layout must be one of"):
        Maxout(4, layout="columns")


# ------------------------------------------------------------------ spectral normalization
SPECTRAL_CASES = [
    (lambda: keras.layers.Dense(6), (4, 5)),
    (lambda: keras.layers.Conv2D(3, 3, padding="same"), (2, 6, 6, 2)),
    (lambda: Conv2D(4, 3, strides=2, padding="same"), (2, 8, 8, 3)),
]


def _spectral(make, shape, seed=0):
    keras.utils.set_random_seed(seed)
    layer = SpectralNormalization(make())
    layer.build(shape)
    return layer, tf.random.stateless_normal(shape, (seed, 1))


def _reference_output(inner, kernel, x):
    # The wrapped layer's computation with `kernel`, written out.
    if isinstance(inner, keras.layers.Dense):
        return x @ kernel + inner.bias
    strides = inner.strides
    return tf.nn.conv2d(x, kernel, strides=strides, padding="SAME") + inner.bias


@pytest.mark.parametrize("make, shape", SPECTRAL_CASES)
def test_spectral_gradient_flows_through_sigma_with_u_fixed(make, shape):
    layer, x = _spectral(make, shape)
    inner = layer.layer
    kernel0 = inner.kernel.numpy().copy()
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(layer(x, training=True)))
    gradient = tape.gradient(loss, inner.kernel)
    u = tf.constant(layer.u.numpy())  # after this call's power iteration
    w = tf.Variable(kernel0)
    with tf.GradientTape(persistent=True) as tape:
        matrix = tf.reshape(w, (-1, kernel0.shape[-1]))
        v = tf.stop_gradient(tf.math.l2_normalize(u @ tf.transpose(matrix)))
        sigma = tf.reduce_sum((v @ matrix) * u)
        w_sn = w / sigma
        reference = tf.reduce_sum(tf.square(_reference_output(inner, w_sn, x)))
    expected = tape.gradient(reference, w)
    np.testing.assert_allclose(gradient.numpy(), expected.numpy(), rtol=1e-4, atol=1e-5)
    # ... which is not the gradient with respect to W / sigma alone (Keras' layer).
    with_respect_to_normalized = tape.gradient(reference, w_sn)
    assert not np.allclose(gradient.numpy(), with_respect_to_normalized.numpy(), atol=1e-3)
    np.testing.assert_array_equal(inner.kernel.numpy(), kernel0)  # never overwritten


@pytest.mark.parametrize("make, shape", SPECTRAL_CASES)
def test_spectral_sigma_of_the_effective_kernel_is_one(make, shape):
    layer, x = _spectral(make, shape)
    for _ in range(30):  # one power iteration a call, carried over
        layer(x, training=True)
    kernel = layer.normalized_kernel().numpy()
    sigma = np.linalg.svd(kernel.reshape(-1, kernel.shape[-1]), compute_uv=False)[0]
    assert abs(sigma - 1.0) < 0.01


def test_spectral_u_updates_only_in_training():
    layer, x = _spectral(*SPECTRAL_CASES[0])
    u = layer.u.numpy().copy()
    inference = layer(x).numpy()
    np.testing.assert_array_equal(layer.u.numpy(), u)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), inference)
    layer(x, training=True)
    assert not np.allclose(layer.u.numpy(), u)
    assert layer.u.trainable is False and len(layer.trainable_weights) == 2


def test_spectral_round_trips_through_a_keras_file(tmp_path):
    keras.utils.set_random_seed(0)
    inputs = keras.Input((6, 6, 1))
    x = SpectralNormalization(Conv2D(3, 3, strides=2, padding="same"))(inputs)
    outputs = SpectralNormalization(keras.layers.Dense(1))(keras.layers.Flatten()(x))
    model = keras.Model(inputs, outputs)
    images = np.random.default_rng(0).normal(size=(2, 6, 6, 1)).astype("float32")
    model(images, training=True)
    model.save(tmp_path / "sn.keras")
    loaded = keras.models.load_model(tmp_path / "sn.keras")
    assert isinstance(loaded.layers[1], SpectralNormalization)
    for a, b in zip(model.weights, loaded.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    np.testing.assert_allclose(loaded(images).numpy(), model(images).numpy(), rtol=1e-6)


def test_spectral_refuses_a_layer_without_kernel():
    with pytest.raises(ValueError, match="kernel"):
        SpectralNormalization(keras.layers.ReLU()).build((2, 3))
