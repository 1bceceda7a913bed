"""Every GAN class: one-step fit, k discriminator steps, config and .keras round trips,
generate determinism and bad input. Tiny shapes: 16x16 images, batch 4, latent 8."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import ganzoo
from conftest import TINY, fit_data, tiny_model

MODELS = sorted(TINY)


def weights_of(model):
    return [v.numpy().copy() for v in model.weights]


@pytest.mark.parametrize("name", MODELS)
def test_one_step_fit_updates_both_nets(name, images):
    gan = tiny_model(name)
    gan.compile()
    g_before = weights_of(gan.generator)
    d_before = weights_of(gan.discriminator)
    history = gan.fit(**fit_data(name, images[:4]), batch_size=4, epochs=1, verbose=0)
    for key in ("d_loss", "g_loss", "d_real", "d_fake"):
        assert np.isfinite(history.history[key][0]), key
    for key in ("d_real", "d_fake"):
        assert 0.0 < history.history[key][0] < 1.0
    assert int(gan.d_optimizer.iterations) == 1
    assert int(gan.g_optimizer.iterations) == 1
    assert any(not np.allclose(a, b) for a, b in zip(g_before, weights_of(gan.generator)))
    assert any(not np.allclose(a, b) for a, b in zip(d_before, weights_of(gan.discriminator)))


def test_batch_norm_statistics_update_in_both_nets(images):
    gan = tiny_model("DCGAN")
    gan.compile()
    moving = [
        v
        for net in (gan.generator, gan.discriminator)
        for v in net.non_trainable_weights
        if "moving_mean" in v.path or "moving_variance" in v.path
    ]
    assert len(moving) == 6  # G: 2 batch norms, D: 1, mean and variance each
    before = [v.numpy().copy() for v in moving]
    gan.fit(images[:4], batch_size=4, verbose=0)
    assert all(not np.allclose(b, v.numpy()) for b, v in zip(before, moving))


def test_k_discriminator_steps_per_generator_step(images):
    gan = tiny_model("GAN", d_steps=2)
    gan.compile()
    gan.fit(images, batch_size=4, epochs=1, verbose=0)  # 2 fit steps of 4 images
    assert int(gan.d_optimizer.iterations) == 4
    assert int(gan.g_optimizer.iterations) == 2


def test_auto_compile_uses_the_papers_settings():
    dcgan = tiny_model("DCGAN")
    dcgan.compile()
    for optimizer in (dcgan.d_optimizer, dcgan.g_optimizer):
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert float(optimizer.learning_rate) == pytest.approx(2e-4)
        assert optimizer.beta_1 == pytest.approx(0.5)
    assert dcgan.latent_distribution == "uniform"
    gan = tiny_model("GAN")
    gan.compile()
    assert isinstance(gan.d_optimizer, keras.optimizers.SGD)
    assert gan.d_optimizer is not gan.g_optimizer
    assert gan.g_loss_fn is ganzoo.losses.non_saturating_generator_loss
    gan.compile(loss="minimax")
    assert gan.g_loss_fn is ganzoo.losses.minimax_generator_loss


@pytest.mark.parametrize("name", MODELS)
def test_config_round_trip(name):
    gan = tiny_model(name, d_steps=2)
    config = gan.get_config()
    restored = type(gan).from_config(config)
    assert restored.get_config() == config
    assert restored.image_shape == gan.image_shape and restored.d_steps == 2
    revived = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(gan))
    assert type(revived) is type(gan) and revived.latent_dim == gan.latent_dim


def test_noise_follows_set_random_seed_and_differs_between_models():
    def noise():
        return keras.ops.convert_to_numpy(tiny_model("DCGAN").sample_latent(4))

    keras.utils.set_random_seed(1)
    first, second = noise(), noise()
    assert not np.allclose(first, second)  # two models, two noise streams
    keras.utils.set_random_seed(1)
    np.testing.assert_array_equal(noise(), first)  # the same seed, the same stream
    keras.utils.set_random_seed(2)
    assert not np.allclose(noise(), first)


def test_gan_generator_batch_norm_option():
    plain = tiny_model("GAN")
    normed = tiny_model("GAN", generator_batch_norm=True)
    layers = [type(layer).__name__ for layer in normed.generator.layers]
    assert "BatchNormalization" in layers
    assert "BatchNormalization" not in [type(layer).__name__ for layer in plain.generator.layers]
    restored = ganzoo.GAN.from_config(normed.get_config())
    assert restored.generator_batch_norm is True


@pytest.mark.parametrize("name", MODELS)
def test_save_load_continue_training(name, images, tmp_path):
    gan = tiny_model(name)
    gan.compile(loss="minimax", g_optimizer=keras.optimizers.Adam(1e-3))
    gan.fit(**fit_data(name, images), batch_size=4, epochs=1, verbose=0)
    path = tmp_path / "gan.keras"
    gan.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)  # no code runs from the file

    assert type(loaded) is type(gan)
    for a, b in zip(gan.weights, loaded.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    for original, restored in (
        (gan.d_optimizer, loaded.d_optimizer),
        (gan.g_optimizer, loaded.g_optimizer),
    ):
        assert type(restored) is type(original)
        assert int(restored.iterations) == 2
        assert len(restored.variables) == len(original.variables)
        for a, b in zip(original.variables, restored.variables):
            np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    assert float(loaded.g_optimizer.learning_rate) == pytest.approx(1e-3)
    assert loaded.g_loss_fn is ganzoo.losses.minimax_generator_loss
    np.testing.assert_array_equal(gan.generate(3, seed=5), loaded.generate(3, seed=5))

    loaded.fit(**fit_data(name, images), batch_size=4, epochs=1, verbose=0)
    assert int(loaded.d_optimizer.iterations) == 4
    assert int(loaded.g_optimizer.iterations) == 4


def test_custom_loss_pair_survives_saving(images, tmp_path):
    gan = tiny_model("GAN")
    gan.compile(loss=(ganzoo.losses.hinge_discriminator_loss, ganzoo.losses.hinge_generator_loss))
    gan.fit(images[:4], batch_size=4, verbose=0)
    gan.save(tmp_path / "gan.keras")
    loaded = keras.models.load_model(tmp_path / "gan.keras")
    assert loaded.d_loss_fn is ganzoo.losses.hinge_discriminator_loss


@pytest.mark.parametrize("name", MODELS)
def test_generate_is_deterministic_with_a_seed(name):
    gan = tiny_model(name)
    first = np.asarray(gan.generate(5, seed=3))
    assert first.shape == (5, 16, 16, 1) and first.dtype == np.float32
    assert first.min() >= -1.0 and first.max() <= 1.0
    np.testing.assert_array_equal(first, gan.generate(5, seed=3))
    assert not np.allclose(first, gan.generate(5, seed=4))
    assert not np.allclose(gan.generate(5), gan.generate(5))


def test_user_networks(images):
    generator = ganzoo.networks.mlp_generator(6, (16, 16, 1), units=(8,))
    discriminator = ganzoo.networks.mlp_discriminator((16, 16, 1), units=(8,), pieces=2)
    gan = ganzoo.GAN(generator, discriminator)
    assert gan.latent_dim == 6 and gan.image_shape == (16, 16, 1)
    gan.compile(d_optimizer="adam", g_optimizer="adam")
    gan.fit(images[:4], batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="latent_dim is 7"):
        ganzoo.GAN(generator, discriminator, latent_dim=7)


def test_dcgan_sizes_channels_and_upsampling():
    for size in (28, 32, 64):
        gan = ganzoo.DCGAN(image_shape=(size, size, 3), latent_dim=8, width=2)
        assert gan.generate(1).shape == (1, size, size, 3)
    resize = tiny_model("DCGAN", upsampling="resize")
    layers = [type(layer).__name__ for layer in resize.generator.layers]
    assert "UpSampling2D" in layers and "Conv2DTranspose" not in layers
    with pytest.raises(ValueError, match="square images of size"):
        ganzoo.DCGAN(image_shape=(20, 20, 1), latent_dim=8)
    with pytest.raises(ValueError, match="upsampling"):
        tiny_model("DCGAN", upsampling="bilinear")


@pytest.mark.parametrize("name", ["GAN", "DCGAN"])
def test_real_and_fake_batches_give_d_the_same_outputs_joined_or_apart(name, images):
    # GAN's D (no batch norm) sees them joined, which is faster; DCGAN's D (batch norm) apart.
    gan = tiny_model(name, **({"dropout": 0.0} if name == "GAN" else {}))
    real, fake = tf.constant(images[:4]), gan.generate(4, seed=0)
    real_logits, fake_logits, _, _ = gan._discriminate_both(real, fake, None)
    np.testing.assert_allclose(real_logits, gan._discriminate32(real, None)[0], atol=1e-5)
    np.testing.assert_allclose(fake_logits, gan._discriminate32(fake, None)[0], atol=1e-5)


def test_dcgan_discriminator_depth():
    def strided(gan):
        return [l.output.shape[1] for l in gan.discriminator.layers if "conv" in l.name]

    assert strided(tiny_model("DCGAN")) == [8, 4]  # mirrors G: 4 -> 8 -> 16
    deeper = tiny_model("DCGAN", discriminator_depth=3)
    assert strided(deeper) == [8, 4, 2]
    assert strided(ganzoo.DCGAN(image_shape=(28, 28, 1), latent_dim=8, width=2)) == [14, 7]
    paper = ganzoo.DCGAN(image_shape=(28, 28, 1), latent_dim=8, width=2, discriminator_depth=3)
    assert strided(paper) == [14, 7, 4]  # ends at 4x4 like the paper's D
    restored = ganzoo.DCGAN.from_config(deeper.get_config())
    assert restored.discriminator_depth == 3 and strided(restored) == [8, 4, 2]
    for depth in (0, 6, 2.5, True):
        with pytest.raises(ValueError, match="depth must be an integer from 1 to 5"):
            tiny_model("DCGAN", discriminator_depth=depth)


def test_dcgan_discriminator_width():
    def channels(network):
        return [l.filters for l in network.layers if "conv" in l.name]

    narrow = tiny_model("DCGAN", width=4, discriminator_width=2)
    assert channels(narrow.discriminator) == [2, 4] and channels(narrow.generator) == [4, 1]
    restored = ganzoo.DCGAN.from_config(narrow.get_config())
    assert channels(restored.discriminator) == [2, 4] and restored.discriminator_width == 2
    assert channels(tiny_model("DCGAN", width=4).discriminator) == [4, 8]  # None: `width`


def test_dcgan_hidden_units(images):
    def dense_units(network):
        return [l.units for l in network.layers if isinstance(l, keras.layers.Dense)]

    paper = tiny_model("DCGAN", width=4)
    assert dense_units(paper.generator) == [4 * 4 * 8] and dense_units(paper.discriminator) == [1]
    hidden = tiny_model("DCGAN", width=4, generator_hidden_units=6, discriminator_hidden_units=5)
    assert dense_units(hidden.generator) == [6, 4 * 4 * 8]
    assert dense_units(hidden.discriminator) == [5, 1]
    # Each hidden layer is normalized like the convolutions (batch norm here).
    norms = [l for l in hidden.discriminator.layers if "batch_norm" in l.name]
    assert norms[-1].input.shape == (None, 5)
    restored = ganzoo.DCGAN.from_config(hidden.get_config())
    assert dense_units(restored.generator) == [6, 4 * 4 * 8]
    assert restored.discriminator_hidden_units == 5
    hidden.compile()
    hidden.fit(images, batch_size=4, epochs=1, verbose=0)
    assert hidden.generate(2).shape == (2, 16, 16, 1)
    spectral = tiny_model("SNGAN", width=4, discriminator_hidden_units=5)
    assert sum("spectral" in l.name for l in spectral.discriminator.layers) == 4  # 2 convs, 2 FC
    for bad in (0, 2.5, True):
        with pytest.raises(ValueError, match="hidden_units must be None or a positive integer"):
            tiny_model("DCGAN", generator_hidden_units=bad)


def test_bad_input_errors(images):
    gan = tiny_model("GAN")
    gan.compile()
    with pytest.raises(ValueError, match=r"built for images of shape \(16, 16, 1\)"):
        gan.fit(np.zeros((4, 28, 28, 1), "float32"), batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="Expected float images in \\[-1, 1\\], got dtype uint8"):
        gan.fit(np.zeros((4, 16, 16, 1), "uint8"), batch_size=4, verbose=0)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"must be finite and lie in \[-1, 1\]"
    ):
        gan.fit((images + 1) * 127.5, batch_size=4, verbose=0)  # 0-255 floats
    with pytest.raises(ValueError, match="needs `image_shape`"):
        ganzoo.GAN(latent_dim=8)
    with pytest.raises(ValueError, match="d_steps"):
        tiny_model("GAN", d_steps=0)
    with pytest.raises(ValueError, match="takes no `optimizer`"):
        gan.compile(optimizer="adam")
    with pytest.raises(ValueError, match="Unknown loss"):
        gan.compile(loss="l1")
    with pytest.raises(ValueError, match="Unknown model 'wgan'"):
        ganzoo.models.get("wgan")


@pytest.mark.parametrize("policy", ["mixed_bfloat16", "mixed_float16"])
@pytest.mark.parametrize("name", ["DCGAN", "InfoGAN"])
def test_mixed_precision_trains_with_float32_losses(name, policy, images, tmp_path):
    keras.mixed_precision.set_global_policy(policy)
    try:
        gan = tiny_model(name)
        gan.compile()
        assert gan.generator.layers[-1].compute_dtype == policy.split("_")[1]
        scaled = isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
        assert scaled == isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer)
        assert scaled == (policy == "mixed_float16")  # float16 needs loss scaling, bf16 not
        history = gan.fit(**fit_data(name, images), batch_size=4, epochs=2, verbose=0)
        assert all(np.isfinite(history.history[key]).all() for key in ("d_loss", "g_loss"))
        gan.save(tmp_path / "gan.keras")
        loaded = keras.models.load_model(tmp_path / "gan.keras")
        assert type(loaded.d_optimizer) is type(gan.d_optimizer)
        loaded.fit(**fit_data(name, images), batch_size=4, epochs=1, verbose=0)
    finally:
        keras.mixed_precision.set_global_policy("float32")
