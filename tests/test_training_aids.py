"""Training aids usable with every class: DiffAugment, the generator's weight average (EMA),
two time-scale learning rates (TTUR) and one-sided label smoothing."""

import itertools
import math

import keras
import numpy as np
import pytest
import tensorflow as tf

import ganzoo
from conftest import TINY, fit_data, tiny_model
from ganzoo import augment, losses

MODELS = sorted(TINY)


# ---------------------------------------------------------------------- DiffAugment
def _ramp(n=6, size=16):
    values = np.arange(n * size * size, dtype="float32").reshape(n, size, size, 1)
    return tf.constant(values / values.max() * 1.8 - 0.9 + 0.05)  # no pixel is 0


def test_translation_shifts_each_image_with_zeros_filling_in():
    images = _ramp()
    out = augment.translate(images, seed=keras.random.SeedGenerator(1)).numpy()
    padded = np.pad(images.numpy(), [(0, 0), (2, 2), (2, 2), (0, 0)])
    shifts = []
    for image, result in zip(padded, out):
        # 16 * 1/8 = 2: the output is a 16x16 window of the zero-padded image.
        found = [
            (dy, dx)
            for dy, dx in itertools.product(range(-2, 3), repeat=2)
            if np.array_equal(result, image[2 - dy : 18 - dy, 2 - dx : 18 - dx])
        ]
        assert len(found) == 1
        shifts.append(found[0])
    assert len(set(shifts)) > 1  # drawn per image


def test_cutout_zeros_one_square_of_half_the_size_per_image():
    images = tf.ones((20, 16, 16, 1))
    out = augment.cutout(images, seed=keras.random.SeedGenerator(2)).numpy()[..., 0]
    assert set(np.unique(out)) <= {0.0, 1.0}
    for mask in out == 0:
        rows, cols = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
        # One rectangle (the 8x8 square, clipped by the border to at least 4x4).
        assert 4 <= len(rows) <= 8 and 4 <= len(cols) <= 8
        assert mask.sum() == len(rows) * len(cols)
        assert rows[-1] - rows[0] + 1 == len(rows) and cols[-1] - cols[0] + 1 == len(cols)


def test_color_changes_brightness_saturation_contrast_per_image():
    images = tf.random.uniform((8, 16, 16, 3), -1, 1, seed=0)
    out = augment.adjust_color(images, seed=keras.random.SeedGenerator(3)).numpy()
    assert out.shape == images.shape
    shift = (out - images.numpy()).mean(axis=(1, 2, 3))
    assert np.std(shift) > 0.01  # different per image


def test_diff_augment_is_differentiable_and_reproducible():
    images = tf.Variable(tf.random.uniform((4, 16, 16, 1), -1, 1, seed=0))
    with tf.GradientTape() as tape:
        out = augment.diff_augment(images, seed=keras.random.SeedGenerator(4))
        total = tf.reduce_sum(out * out)
    gradient = tape.gradient(total, images).numpy()
    assert np.isfinite(gradient).all() and np.abs(gradient).sum() > 0
    again = augment.diff_augment(images, seed=keras.random.SeedGenerator(4))
    np.testing.assert_array_equal(out.numpy(), again.numpy())
    with pytest.raises(ValueError, match="Unknown DiffAugment policy 'colour'"):
        augment.diff_augment(images, "colour")
    with pytest.raises(ValueError, match="Unknown DiffAugment policy"):
        tiny_model("DCGAN", augment="color,flip")


def test_replicas_draw_their_own_transformations():
    # Replicas start from the same seed state: replica r of R transforms its batch as the
    # r-th slice of one draw for R batches, so no two replicas transform alike.
    whole = tf.random.uniform((6, 16, 16, 3), -1, 1, seed=1)
    expected = augment.diff_augment(whole, seed=keras.random.SeedGenerator(5)).numpy()
    parts = [
        augment.diff_augment(
            whole[2 * r : 2 * r + 2], seed=keras.random.SeedGenerator(5), replica=(r, 3)
        ).numpy()
        for r in range(3)
    ]
    np.testing.assert_allclose(np.concatenate(parts), expected, atol=1e-6)
    same_images = [
        augment.diff_augment(whole[:2], seed=keras.random.SeedGenerator(5), replica=(r, 3))
        for r in range(2)
    ]
    assert np.abs(same_images[0].numpy() - same_images[1].numpy()).max() > 0.1


def test_d_sees_augmented_images_of_real_and_fake(images, monkeypatch):
    calls = []
    original = augment.diff_augment

    def spy(batch, policy, seed=None, replica=None):
        calls.append((policy, replica))
        return original(batch, policy, seed=seed, replica=replica)

    monkeypatch.setattr(ganzoo.models.gan, "diff_augment", spy)
    gan = tiny_model("DCGAN", augment="translation,cutout")
    gan.compile(run_eagerly=True)
    gan.fit(images[:4], batch_size=4, verbose=0)
    # D's update: real and fake (apart, DCGAN's D has batch norm); G's update: fake. One
    # device: one batch of transformations.
    assert calls == [("translation,cutout", None)] * 3


# ---------------------------------------------------------------------- EMA
def _norms(model):
    return [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]


def _is_statistic(variable, model):
    return any(
        variable is norm.moving_mean or variable is norm.moving_variance for norm in _norms(model)
    )


def _own_statistics(average, statistics, latent):
    # What the average's batch-norm statistics should be after a step: a trainable copy of
    # it, holding the statistics from before the step, after one training-mode pass on the
    # step's noise.
    copy = keras.models.clone_model(average)
    copy.set_weights(
        [
            before if _is_statistic(variable, average) else variable.numpy()
            for variable, before in zip(average.weights, statistics)
        ]
    )
    for layer in copy.layers:  # clone_model keeps the layers' flags
        layer.trainable = True
    copy(latent, training=True)
    return [v.numpy() for v in copy.weights]


def test_ema_averages_the_generators_weights_and_keeps_its_own_statistics(images, monkeypatch):
    gan = tiny_model("DCGAN", ema_decay=0.9)
    gan.compile(run_eagerly=True)  # to see each step's noise
    drawn = []
    sample_latent = type(gan).sample_latent

    def spy(self, *args, **kwargs):
        drawn.append(sample_latent(self, *args, **kwargs))
        return drawn[-1]

    monkeypatch.setattr(type(gan), "sample_latent", spy)
    average, generator = gan.ema_generator, gan.generator
    start = [v.numpy().copy() for v in generator.weights]
    for ema, value in zip(average.weights, start):
        np.testing.assert_array_equal(ema.numpy(), value)
    trainable = [i for i, v in enumerate(generator.weights) if v.trainable]
    statistics = [i for i, v in enumerate(average.weights) if _is_statistic(v, average)]
    assert trainable and statistics and not set(trainable) & set(statistics)

    # The first update copies the weights (1 - beta_1 = (1 - 0.9) / (1 - 0.9) = 1) ...
    gan.fit(images[:4], batch_size=4, verbose=0)
    first = [v.numpy().copy() for v in generator.weights]
    assert not np.allclose(first[0], start[0])
    expected = _own_statistics(average, start, drawn[-1])  # G's update draws last
    for i in trainable:
        np.testing.assert_allclose(average.weights[i].numpy(), first[i], rtol=1e-6, atol=1e-7)
    for i in statistics:
        np.testing.assert_allclose(average.weights[i].numpy(), expected[i], rtol=1e-5, atol=1e-7)
    # ... which are not the generator's: it updated its own in the D and the G update.
    assert not all(np.allclose(average.weights[i].numpy(), first[i]) for i in statistics)

    # ... the second averages: 1 - beta_2 = 0.1 / (1 - 0.81) = 1 / 1.9.
    statistics_before = [v.numpy().copy() for v in average.weights]
    gan.fit(images[:4], batch_size=4, verbose=0)
    expected = _own_statistics(average, statistics_before, drawn[-1])
    for i in trainable:
        np.testing.assert_allclose(
            average.weights[i].numpy(),
            (0.9 * first[i] + generator.weights[i].numpy()) / 1.9,
            rtol=1e-5,
            atol=1e-7,
        )
    for i in statistics:
        np.testing.assert_allclose(average.weights[i].numpy(), expected[i], rtol=1e-5, atol=1e-7)
    assert not average.trainable
    assert not any(layer.trainable for layer in average.layers)


def test_ema_statistics_average_a_tenth_of_the_weights_horizon():
    gan = tiny_model("DCGAN", ema_decay=0.999)
    momenta = [norm.momentum for norm in _norms(gan.ema_generator)]
    assert momenta and np.allclose(momenta, 0.999**10)  # 0.990
    # the generator's own layers keep theirs
    assert all(norm.momentum == 0.9 for norm in _norms(gan.generator))
    # A short average keeps the layers' momentum (0.9 > 0.5^10).
    short = tiny_model("DCGAN", ema_decay=0.5)
    assert {norm.momentum for norm in _norms(short.ema_generator)} == {0.9}


@pytest.mark.parametrize("name", MODELS)
def test_ema_is_used_for_sampling_export_and_survives_saving(name, images, tmp_path):
    gan = tiny_model(name, ema_decay=0.5)
    gan.compile()
    gan.fit(**fit_data(name, images[:8]), batch_size=4, verbose=0)  # the first step copies
    latent = gan.sample_latent(3, seed=0)
    averaged = gan.ema_generator(latent).numpy()
    assert not np.allclose(averaged, gan.generator(latent).numpy())
    np.testing.assert_array_equal(gan(latent).numpy(), averaged)
    path = tmp_path / "model.keras"
    gan.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.ema_decay == 0.5
    np.testing.assert_allclose(loaded.ema_generator(latent).numpy(), averaged, atol=1e-6)
    np.testing.assert_allclose(
        np.asarray(loaded.generate(3, seed=0)), np.asarray(gan.generate(3, seed=0)), atol=1e-6
    )
    loaded.fit(**fit_data(name, images[:4]), batch_size=4, verbose=0)  # continues


def test_exported_generator_is_the_average(images, tmp_path):
    gan = tiny_model("DCGAN", ema_decay=0.5)
    gan.compile()
    gan.fit(images[:8], batch_size=4, verbose=0)  # the first step copies
    out = ganzoo.export_generator(gan, tmp_path, formats=("saved_model",))
    noise = gan.sample_noise(3, seed=1).numpy()
    served = ganzoo.load_generator(out)({"noise": noise})
    # Images of the freshly initialised nets are ~1e-4: compare the differences.
    to_average = np.abs(served - gan.ema_generator(noise).numpy()).max()
    to_generator = np.abs(served - gan.generator(noise).numpy()).max()
    assert to_average < 1e-6 and to_generator > 1e-5


def test_bad_ema_decay():
    with pytest.raises(ValueError, match="ema_decay must lie in"):
        tiny_model("GAN", ema_decay=1.0)


# ---------------------------------------------------------------------- TTUR
def test_two_time_scale_learning_rates_survive_saving(images, tmp_path):
    gan = tiny_model("DCGAN")
    gan.compile(learning_rates=(4e-4, 1e-4))
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(4e-4)
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(1e-4)
    gan.fit(images[:4], batch_size=4, verbose=0)
    gan.save(tmp_path / "model.keras")
    loaded = keras.saving.load_model(tmp_path / "model.keras")
    assert float(loaded.d_optimizer.learning_rate) == pytest.approx(4e-4)
    assert float(loaded.g_optimizer.learning_rate) == pytest.approx(1e-4)
    for bad in ((1e-4,), (0.0, 1e-4), "fast"):
        with pytest.raises(ValueError, match="learning_rates must be two positive numbers"):
            gan.compile(learning_rates=bad)


# ---------------------------------------------------------------------- label smoothing
def test_one_sided_label_smoothing_by_hand():
    # Real logit ln 3 (D = 3/4), fake logit 0, alpha = 0.1:
    # 0.9 ln(4/3) + 0.1 ln 4 for the real term, ln 2 for the fake one.
    real, fake = np.array([math.log(3.0)], "float32"), np.array([0.0], "float32")
    expected = 0.9 * math.log(4 / 3) + 0.1 * math.log(4) + math.log(2)
    value = losses.minimax_discriminator_loss(real, fake, label_smoothing=0.1)
    assert float(value) == pytest.approx(expected, rel=1e-6)
    gan = tiny_model("DCGAN")
    gan.compile(label_smoothing=0.1)
    assert float(gan.discriminator_loss(real, fake)) == pytest.approx(expected, rel=1e-6)
    gan.compile()  # off again
    assert float(gan.discriminator_loss(real, fake)) == pytest.approx(
        math.log(4 / 3) + math.log(2), rel=1e-6
    )


def test_label_smoothing_survives_saving_and_needs_cross_entropy(images, tmp_path):
    gan = tiny_model("CGAN")
    gan.compile(label_smoothing=0.2)
    gan.fit(**fit_data("CGAN", images[:4]), batch_size=4, verbose=0)
    gan.save(tmp_path / "model.keras")
    assert keras.saving.load_model(tmp_path / "model.keras").label_smoothing == 0.2
    with pytest.raises(ValueError, match="label_smoothing applies to the cross-entropy"):
        tiny_model("LSGAN").compile(label_smoothing=0.1)
    with pytest.raises(ValueError, match="label_smoothing must lie in"):
        gan.compile(label_smoothing=1.0)
