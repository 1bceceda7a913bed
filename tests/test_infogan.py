"""InfoGAN: the mutual-information losses, code routing, where the information gradients go,
training logs, config and .keras round trips, code validation, traversal grids.
Tiny shapes: 16x16 images, batch 4, latent 8."""

import math
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

import ganzoo
from ganzoo.callbacks import LatentTraversal
from ganzoo.models.infogan import (
    categorical_mutual_information_loss,
    gaussian_mutual_information_loss,
)
from ganzoo.networks.infogan import infogan_discriminator, infogan_generator

TINY = dict(image_shape=(16, 16, 1), latent_dim=8, width=4, categorical_codes=(3,))
Q_LAYERS = ("q_hidden", "q_batch_norm", "q")


def tiny(**overrides):
    return ganzoo.InfoGAN(**{**TINY, **overrides})


@pytest.fixture(scope="module")
def untrained():
    """A tiny InfoGAN shared by the tests that only read from it."""
    return tiny()


def layer_variables(model, names):
    return [v for name in names for v in model.get_layer(name).trainable_variables]


# ------------------------------------------------------------------ losses
def test_categorical_loss_matches_hand_computed_values():
    onehot = np.array([[1.0, 0.0], [0.0, 1.0]], "float32")
    logits = np.array([[0.0, 0.0], [math.log(3.0), 0.0]], "float32")
    # Row 1: -ln(1/2); row 2: softmax = (3/4, 1/4), so -ln(1/4).
    loss = categorical_mutual_information_loss(onehot, logits)
    assert loss.dtype == "float32"
    assert float(loss) == pytest.approx((math.log(2.0) + math.log(4.0)) / 2, rel=1e-6)
    # Q certain of the right category: the bound reaches H(c) = ln K.
    confident = categorical_mutual_information_loss(onehot, 50.0 * onehot)
    assert float(confident) == pytest.approx(0.0, abs=1e-6)


def test_gaussian_loss_matches_hand_computed_values():
    half_log_two_pi = 0.5 * math.log(2.0 * math.pi)
    values = np.array([[0.5], [-1.0]], "float32")
    mean = np.array([[0.5], [0.0]], "float32")
    log_std = np.array([[0.0], [math.log(2.0)]], "float32")
    # Row 1: exact mean, unit std; row 2: z = -1/2 with std 2.
    expected = (half_log_two_pi + (half_log_two_pi + math.log(2.0) + 0.5 * 0.25)) / 2
    loss = gaussian_mutual_information_loss(values, mean, log_std)
    assert loss.dtype == "float32"
    assert float(loss) == pytest.approx(expected, rel=1e-6)
    # Factored: two codes per row sum their negative log-likelihoods.
    both = gaussian_mutual_information_loss(
        np.concatenate([values, values], 1),
        np.concatenate([mean, mean], 1),
        np.concatenate([log_std, log_std], 1),
    )
    assert float(both) == pytest.approx(2 * expected, rel=1e-6)
    # A confident, correct Q has a negative differential-entropy term.
    assert float(gaussian_mutual_information_loss(mean, mean, np.full_like(mean, -3.0))) < 0


# ------------------------------------------------------------------ networks and codes
def test_networks_have_the_documented_interface(untrained):
    generator, discriminator = untrained.generator, untrained.discriminator
    assert [t.name for t in generator.inputs] == ["noise", "codes"]
    assert generator.input_shape == [(None, 8), (None, 5)]  # one-hot 3 + 2 continuous
    assert discriminator.output_shape == [(None, 1), (None, 7)]  # 3 logits, 2 means, 2 stds
    assert untrained.latent_distribution == "uniform"
    noise, codes = untrained.sample_latent(64, seed=0)
    codes = np.asarray(codes)
    np.testing.assert_array_equal(codes[:, :3].sum(1), np.ones(64))
    assert set(np.unique(codes[:, :3])) == {0.0, 1.0}
    assert -1.0 <= codes[:, 3:].min() and codes[:, 3:].max() <= 1.0
    assert np.unique(codes[:, :3].argmax(1)).size == 3
    assert ganzoo.InfoGAN(image_shape=(28, 28, 1), width=2).latent_dim == 62
    for size in (28, 32, 64):
        assert infogan_generator(4, 3, (size, size, 3), 2).output_shape == (None, size, size, 3)
    with pytest.raises(ValueError, match="square images of size"):
        tiny(image_shape=(20, 20, 1))


def test_codes_reach_the_images_and_seeds_reproduce_them(untrained):
    def images(categorical, continuous, seed=1):
        return np.asarray(
            untrained.generate(
                2, codes={"categorical": categorical, "continuous": continuous}, seed=seed
            )
        )

    base = images(0, [[0.0, 0.0], [0.0, 0.0]])
    assert base.shape == (2, 16, 16, 1) and base.dtype == np.float32
    np.testing.assert_array_equal(base, images(0, [[0.0, 0.0], [0.0, 0.0]]))
    assert np.abs(base - images(2, [[0.0, 0.0], [0.0, 0.0]])).max() > 0
    assert np.abs(base - images(0, [[1.0, 0.0], [1.0, 0.0]])).max() > 0
    assert np.abs(base - images(0, [[0.0, 1.0], [0.0, 1.0]])).max() > 0
    assert np.abs(base - images(0, [[0.0, 0.0], [0.0, 0.0]], seed=2)).max() > 0
    # The noise of a seed does not depend on the codes; codes left out come from the seed.
    noise = np.asarray(untrained.sample_latent(2, seed=1)[0])
    explicit = untrained.generator([noise, untrained.make_codes(2, 0, 0.0)], training=False)
    np.testing.assert_array_equal(base, explicit)
    np.testing.assert_array_equal(
        untrained.generate(3, seed=4), untrained.generate(3, codes={}, seed=4)
    )
    np.testing.assert_array_equal(
        untrained.make_codes(3, categorical=[2, 0, 1], seed=5)[:, 3:],
        np.asarray(untrained.sample_latent(3, seed=5)[1])[:, 3:],
    )


@pytest.mark.parametrize(
    "codes, message",
    [
        ({"categorical": [0, 3]}, r"3 categories \(indices 0 to 2\), got indices from 0 to 3"),
        ({"categorical": [-1, 0]}, "got indices from -1"),
        ({"categorical": [0, 1, 2]}, r"Expected categorical indices of shape \(2, 1\)"),
        ({"categorical": [0.0, 1.0]}, "integer category indices"),
        ({"continuous": [[0.0, 0.0, 0.0]] * 2}, r"Expected continuous codes of shape \(2, 2\)"),
        ({"continuous": [[0.0, np.nan]] * 2}, "finite"),
        ({"style": 1}, "keys 'categorical'"),
        (np.zeros((2, 5)), "must be a dict"),
    ],
)
def test_bad_codes_are_rejected(untrained, codes, message):
    with pytest.raises(ValueError, match=message):
        untrained.generate(2, codes=codes)


def test_predict_codes_and_grids(untrained):
    predicted = untrained.predict_codes(np.zeros((5, 16, 16, 1), "float32"), batch_size=2)
    assert predicted["categorical"].shape == (5, 1)
    assert predicted["categorical"].dtype == np.int64
    assert predicted["continuous"].shape == (5, 2)
    with pytest.raises(ValueError, match=r"Expected images of shape \(n,\) \+ \(16, 16, 1\)"):
        untrained.predict_codes(np.zeros((5, 28, 28, 1), "float32"))

    noise, codes = (np.asarray(x) for x in untrained.grid_latent(4, 2, seed=0))
    np.testing.assert_array_equal(codes[:, :3].argmax(1), [0, 0, 1, 1, 2, 2, 0, 0])
    np.testing.assert_array_equal(noise[0::2], np.repeat(noise[:1], 4, 0))  # fixed per column
    np.testing.assert_array_equal(codes[0::2, 3:], np.repeat(codes[:1, 3:], 4, 0))
    assert not np.array_equal(noise[0], noise[1])

    noise, codes = (np.asarray(x) for x in untrained.traversal_latent(5, code_index=1, seed=0))
    assert noise.shape == (15, 8) and codes.shape == (15, 5)
    np.testing.assert_array_equal(noise, np.repeat(noise[:1], 15, 0))  # one noise for all
    np.testing.assert_array_equal(codes[:, :3].argmax(1), np.repeat([0, 1, 2], 5))
    np.testing.assert_allclose(codes[:, 4], np.tile(np.linspace(-2, 2, 5), 3))
    np.testing.assert_array_equal(codes[:, 3], np.zeros(15))
    with pytest.raises(ValueError, match="code_index"):
        untrained.traversal_latent(5, code_index=2)


# ------------------------------------------------------------------ training
def test_information_gradients_reach_generator_and_q_but_not_the_logit_head(untrained):
    noise, codes = untrained.sample_latent(4, seed=0)
    generator, discriminator = untrained.generator, untrained.discriminator
    body = discriminator.layers[1].trainable_variables  # the first convolution
    groups = {
        "generator": generator.trainable_variables,
        "q": layer_variables(discriminator, Q_LAYERS),
        "body": body,
        "logits": discriminator.get_layer("logits").trainable_variables,
    }
    with tf.GradientTape(persistent=True) as tape:
        fake = generator([noise, codes], training=True)
        _, q = discriminator(fake, training=True)
        info = untrained.information_loss(codes, q)
    grads = {name: tape.gradient(info["info_loss"], v) for name, v in groups.items()}
    for name in ("generator", "q", "body"):
        assert all(g is not None for g in grads[name]), name
        assert any(float(tf.reduce_max(tf.abs(g))) > 0 for g in grads[name]), name
    assert all(g is None for g in grads["logits"])
    expected = info["categorical"] + 0.1 * info["continuous"]
    assert float(info["info_loss"]) == pytest.approx(float(expected), rel=1e-6)


def test_one_step_fit_logs_every_key_and_updates_q(images):
    gan = tiny(d_steps=2)
    gan.compile()
    for optimizer, rate in ((gan.d_optimizer, 2e-4), (gan.g_optimizer, 1e-3)):
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert float(optimizer.learning_rate) == pytest.approx(rate)
        assert optimizer.beta_1 == pytest.approx(0.5)
    q_before = [v.numpy().copy() for v in layer_variables(gan.discriminator, Q_LAYERS)]
    history = gan.fit(images, batch_size=8, epochs=1, verbose=0)  # 2 D steps of 4, 1 G step
    logs = {key: values[0] for key, values in history.history.items()}
    assert set(logs) == {"d_loss", "g_loss", "d_real", "d_fake", "info_loss", "mi_categorical"}
    assert all(np.isfinite(value) for value in logs.values()), logs
    assert 0.0 < logs["d_real"] < 1.0 and 0.0 < logs["d_fake"] < 1.0
    assert logs["mi_categorical"] <= math.log(3.0)
    assert int(gan.d_optimizer.iterations) == 2 and int(gan.g_optimizer.iterations) == 1
    q_after = layer_variables(gan.discriminator, Q_LAYERS)
    assert all(not np.allclose(a, b.numpy()) for a, b in zip(q_before, q_after))
    evaluated = gan.evaluate(images, batch_size=4, verbose=0, return_dict=True)
    assert set(evaluated) == set(logs) and np.isfinite(evaluated["info_loss"])


def test_config_round_trip():
    gan = tiny(
        categorical_codes=(3, 2),
        continuous_codes=1,
        continuous_std="fixed",
        info_weight_continuous=0.5,
        d_steps=2,
    )
    assert gan.discriminator.output_shape[1] == (None, 6)  # 3 + 2 logits, 1 mean
    config = gan.get_config()
    assert config["categorical_codes"] == [3, 2] and config["continuous_std"] == "fixed"
    restored = ganzoo.InfoGAN.from_config(config)
    assert restored.get_config() == config
    assert restored.categorical_codes == (3, 2) and restored.info_weight_continuous == 0.5
    revived = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(gan))
    assert type(revived) is ganzoo.InfoGAN and revived.code_dim == 6
    assert ganzoo.models.get("infogan") is ganzoo.InfoGAN


def test_save_load_continue_training(images, tmp_path):
    gan = tiny()
    gan.compile()
    gan.fit(images, batch_size=4, epochs=1, verbose=0)
    gan.save(tmp_path / "infogan.keras")
    loaded = keras.models.load_model(tmp_path / "infogan.keras")  # safe_mode=True

    assert type(loaded) is ganzoo.InfoGAN
    for a, b in zip(gan.weights, loaded.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    q_variables = layer_variables(loaded.discriminator, Q_LAYERS)
    assert len(q_variables) == 5  # q_hidden kernel, batch norm gamma and beta, q kernel, bias
    for a, b in zip(layer_variables(gan.discriminator, Q_LAYERS), q_variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    for original, restored in (
        (gan.d_optimizer, loaded.d_optimizer),
        (gan.g_optimizer, loaded.g_optimizer),
    ):
        assert type(restored) is type(original) and int(restored.iterations) == 2
        assert float(restored.learning_rate) == pytest.approx(float(original.learning_rate))
        assert len(restored.variables) == len(original.variables)
        for a, b in zip(original.variables, restored.variables):
            np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    codes = {"categorical": [0, 1, 2], "continuous": 0.5}
    np.testing.assert_array_equal(
        gan.generate(3, codes=codes, seed=5), loaded.generate(3, codes=codes, seed=5)
    )

    loaded.fit(images, batch_size=4, epochs=1, verbose=0)
    assert int(loaded.d_optimizer.iterations) == 4 and int(loaded.g_optimizer.iterations) == 4


def test_user_networks_are_validated():
    generator = infogan_generator(6, 5, (16, 16, 1), width=2)
    discriminator = infogan_discriminator((16, 16, 1), 7, width=2)
    gan = ganzoo.InfoGAN(generator, discriminator, categorical_codes=(3,))
    assert gan.latent_dim == 6 and gan.image_shape == (16, 16, 1)
    with pytest.raises(ValueError, match=r"two inputs, \[noise \(latent_dim,\), codes"):
        ganzoo.InfoGAN(generator, discriminator)  # default codes: (10,) + 2 = 12 wide
    with pytest.raises(ValueError, match=r"two outputs, \[logits, q\]"):
        ganzoo.InfoGAN(generator, discriminator, categorical_codes=(3,), continuous_std="fixed")
    with pytest.raises(ValueError, match="two inputs"):
        ganzoo.InfoGAN(ganzoo.networks.dcgan_generator(6, (16, 16, 1), 2), discriminator)
    with pytest.raises(ValueError, match="categorical_codes must be"):
        tiny(categorical_codes=(1,))
    with pytest.raises(ValueError, match="at least one latent code"):
        tiny(categorical_codes=(), continuous_codes=0)
    with pytest.raises(ValueError, match="continuous_std"):
        tiny(continuous_std="learnt")
    with pytest.raises(ValueError, match="info_weight_continuous"):
        tiny(info_weight_continuous=-1.0)


# ------------------------------------------------------------------ callback
def test_latent_traversal_writes_pngs_into_out_dir_only(images, tmp_path, monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    out_dir = tmp_path / "traversals"
    callback = LatentTraversal(out_dir, code_index=1, steps=4, log_dir=tmp_path / "logs")
    gan = tiny()
    gan.compile()
    gan.fit(images[:4], batch_size=4, epochs=2, callbacks=[callback], verbose=0)
    assert sorted(os.listdir(out_dir)) == ["traversal_epoch_0001.png", "traversal_epoch_0002.png"]
    for path in callback.paths:
        with open(path, "rb") as file:
            assert file.read(8) == b"\x89PNG\r\n\x1a\n"
    assert callback.generate_images().shape == (3 * 4, 16, 16, 1)
    assert any(name.startswith("events.out") for name in os.listdir(tmp_path / "logs"))
    assert list(cwd.iterdir()) == []
    with pytest.raises(ValueError, match="out_dir"):
        LatentTraversal(None)
    with pytest.raises(ValueError, match="steps"):
        LatentTraversal(tmp_path, steps=0)
