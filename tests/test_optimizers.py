"""ganzoo.optimizers.Adam: Keras's Adam, computed by one fused kernel per variable."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import ganzoo
from ganzoo.optimizers import Adam


def test_first_step_by_hand():
    # w = 1, g = 0.5, lr = 0.1, beta_1 = 0.5, beta_2 = 0.999: m = 0.25, v = 0.00025,
    # alpha = 0.1 sqrt(0.001) / 0.5 = 0.0063246, step = alpha m / (sqrt(v) + 1e-7)
    # = 0.0063246 * 0.25 / 0.0158115 = 0.1 (to 6e-6): Adam's first step is lr * sign(g).
    w = keras.Variable(np.array([1.0, -2.0], "float32"))
    optimizer = Adam(0.1, beta_1=0.5, beta_2=0.999, epsilon=1e-7)
    optimizer.apply([tf.constant([0.5, -4.0])], [w])
    np.testing.assert_allclose(w.numpy(), [0.9, -1.9], rtol=1e-5)
    m, v = optimizer._momentums[0].numpy(), optimizer._velocities[0].numpy()
    np.testing.assert_allclose(m, [0.25, -2.0], rtol=1e-6)
    np.testing.assert_allclose(v, [0.00025, 0.016], rtol=1e-4)  # 1 - 0.999 in float32
    assert int(optimizer.iterations) == 1


def _training_step(optimizer, variables, jit_compile):
    @tf.function(jit_compile=jit_compile)
    def step(i):
        grads = [tf.sin(v * (tf.cast(i, "float32") + 1.0)) for v in variables]
        optimizer.apply(grads, variables)

    return step


@pytest.mark.parametrize("jit_compile", [False, True])
@pytest.mark.parametrize("amsgrad", [False, True])
def test_matches_keras_adam(jit_compile, amsgrad):
    # Same variables, slots and step count as keras.optimizers.Adam over five steps, with a
    # learning-rate schedule and gradient clipping (Keras's own code around the update).
    rng = np.random.default_rng(0)
    start = [rng.normal(size=(6, 5)).astype("float32"), rng.normal(size=5).astype("float32")]
    states = []
    for cls in (keras.optimizers.Adam, Adam):
        variables = [keras.Variable(w) for w in start]
        schedule = keras.optimizers.schedules.ExponentialDecay(1e-2, 2, 0.5)
        optimizer = cls(schedule, beta_1=0.5, clipnorm=1.0, amsgrad=amsgrad)

        step = _training_step(optimizer, variables, jit_compile)
        for i in range(5):
            step(tf.constant(i))
        states.append([v.numpy() for v in variables + optimizer.variables])
    for keras_value, fused_value in zip(*states, strict=True):
        np.testing.assert_allclose(fused_value, keras_value, rtol=1e-5, atol=1e-6)


@keras.saving.register_keras_serializable(package="ganzoo_tests")
class CustomAdam(keras.optimizers.Adam):
    pass


def test_compile_runs_keras_adam_fused():
    gan = ganzoo.GAN(image_shape=(4, 4, 1), latent_dim=8)
    gan.compile(d_optimizer=keras.optimizers.Adam(3e-4, beta_1=0.5), g_optimizer="sgd")
    assert type(gan.d_optimizer) is Adam
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(3e-4)
    assert gan.d_optimizer.beta_1 == pytest.approx(0.5)
    assert type(gan.g_optimizer) is keras.optimizers.SGD
    # Subclasses of Keras's Adam (with their own update) are left as they are.
    gan.compile(d_optimizer=CustomAdam(), g_optimizer="adam")
    assert type(gan.d_optimizer) is CustomAdam
    assert type(gan.g_optimizer) is Adam
