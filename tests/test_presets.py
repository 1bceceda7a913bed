"""Presets: every class's "default" and "paper" configurations, how constructor and compile
arguments override them, zoo entries as presets, and options that do not apply."""

import json

import keras
import numpy as np
import pytest

import ganzoo
from ganzoo.models.preset import Preset

MODELS = sorted(ganzoo.models.MODELS)
SMALL = dict(image_shape=(16, 16, 1), latent_dim=8)


def _small(name, **options):
    cls = ganzoo.models.get(name)
    if cls.conditional:
        options.setdefault("num_classes", 3)
    return cls(**{**SMALL, **options})


def _optimizer_config(optimizer):
    config = optimizer.get_config()
    return type(optimizer).__name__, {
        key: round(float(config[key]), 6)
        for key in ("learning_rate", "beta_1", "beta_2", "momentum")
        if key in config
    }


@pytest.mark.parametrize("name", MODELS)
def test_every_class_has_a_default_and_a_paper_preset(name):
    cls = ganzoo.models.get(name)
    assert {"default", "paper"} <= set(cls.presets)
    for preset in cls.presets.values():
        assert isinstance(preset, Preset) and preset.batch_size >= 1
        assert "SEE_DEFAULT" not in preset.description
    assert "arXiv" in cls.presets["paper"].description
    # Every option a preset names is a constructor option of the class.
    for preset in cls.presets.values():
        assert set(preset.options) <= set(cls.options()), name


@pytest.mark.parametrize("name", MODELS)
def test_the_constructor_and_compile_use_the_default_preset(name):
    cls = ganzoo.models.get(name)
    preset = cls.presets["default"]
    gan = _small(name, width=4) if "width" in cls.options() else _small(name)
    gan.compile()
    assert gan.preset == "default"
    for key, value in preset.options.items():
        if key not in ("width", "latent_dim"):
            assert getattr(gan, key) == (tuple(value) if isinstance(value, list) else value)
    for role, optimizer in (("d_optimizer", gan.d_optimizer), ("g_optimizer", gan.g_optimizer)):
        if role in preset.compile:
            expected = keras.optimizers.deserialize(dict(preset.compile[role]))
            assert _optimizer_config(optimizer) == _optimizer_config(expected)


def test_the_paper_preset_is_one_argument_away():
    default = _small("DCGAN")
    paper = ganzoo.DCGAN.from_preset("paper", **SMALL)
    assert (default.width, default.ema_decay, default.generator_hidden_units) == (32, 0.999, 256)
    assert (paper.width, paper.ema_decay, paper.generator_hidden_units) == (64, None, None)
    paper.compile()
    assert _optimizer_config(paper.g_optimizer) == (
        "Adam",
        {"learning_rate": 2e-4, "beta_1": 0.5, "beta_2": 0.999},
    )
    cgan = ganzoo.CGAN.from_preset("paper", num_classes=3, **SMALL)
    cgan.compile()
    assert cgan.network == "mlp" and type(cgan.d_optimizer).__name__ == "SGD"
    sngan = ganzoo.SNGAN.from_preset("paper", **SMALL, width=4)
    sngan.compile()
    assert sngan.d_steps == 5
    assert _optimizer_config(sngan.d_optimizer) == (
        "Adam",
        {"learning_rate": 2e-4, "beta_1": 0.0, "beta_2": 0.9},
    )


def test_arguments_override_the_preset():
    gan = _small("DCGAN", width=4, ema_decay=None)  # None turns the average off
    assert gan.ema_decay is None and gan.ema_generator is None
    gan = ganzoo.DCGAN(preset="paper", ema_decay=0.9, width=4, **SMALL)
    assert gan.ema_decay == 0.9 and gan.generator_hidden_units is None
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-2), loss="hinge")
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(1e-2)
    assert gan.loss_name == "hinge"


def test_options_that_do_not_apply_are_refused_with_those_that_do():
    with pytest.raises(ValueError, match=r"width does not apply.*the options that do: .*network"):
        ganzoo.CGAN(preset="paper", num_classes=3, width=16, **SMALL)
    with pytest.raises(ValueError, match="width does not apply"):
        ganzoo.CGAN(network="mlp", num_classes=3, width=16, **SMALL)
    # The preset's own options for other networks are no argument of the user's.
    cgan = ganzoo.CGAN(network="mlp", num_classes=3, **SMALL)
    assert "width" not in cgan.get_config()
    with pytest.raises(ValueError, match="DCGAN takes no option no_such_option; its options: "):
        ganzoo.DCGAN(no_such_option=1, **SMALL)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"latent_dim": 0}, "latent_dim must be a positive integer"),
        ({"latent_dim": 8.7}, "latent_dim must be a positive integer"),
        ({"d_steps": 1.9}, "d_steps must be a positive integer"),
        ({"ema_decay": 1.0}, "ema_decay must lie in"),
        ({"preset": "nonesuch"}, "Unknown DCGAN preset 'nonesuch'. Presets: default, paper"),
    ],
)
def test_bad_options_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        ganzoo.DCGAN(**{**SMALL, "width": 4, **options})


@pytest.mark.parametrize("preset", ["default", "paper"])
def test_config_round_trip_keeps_the_preset_and_its_options(preset):
    gan = ganzoo.CGAN(preset=preset, num_classes=3, **SMALL)
    config = gan.get_config()
    clone = ganzoo.CGAN.from_config(json.loads(json.dumps(config)))
    assert clone.preset == preset
    assert clone.get_config().keys() == config.keys()
    for key in config:
        if key not in ("generator", "discriminator", "name"):
            assert clone.get_config()[key] == config[key], key


def test_configs_saved_before_presets_load_as_the_paper_with_their_options():
    gan = ganzoo.CGAN(preset="paper", num_classes=3, **SMALL)
    config = json.loads(json.dumps(gan.get_config()))
    del config["preset"]
    config.update({"width": 64, "upsampling": "transpose", "ema_decay": None})  # saved then
    old = ganzoo.CGAN.from_config(config)
    assert old.preset == "paper" and old.network == "mlp" and old.ema_decay is None


def _write_card(root, name, model, training):
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "card.json").write_text(
        json.dumps({"name": name, "model": model, "training": training})
    )


def test_a_published_generator_is_a_preset(tmp_path, monkeypatch):
    monkeypatch.setenv("GANZOO_SAVED_MODELS", str(tmp_path))
    compile_config = {"d_optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.05}}}
    _write_card(
        tmp_path,
        "my_dcgan",
        "DCGAN",
        {
            "preset": "default",
            "batch_size": 32,
            "config": {"width": 4, "discriminator_width": 8, "ema_decay": 0.99, "latent_dim": 8},
            "compile_config": compile_config,
        },
    )
    gan = ganzoo.DCGAN.from_preset("my_dcgan", image_shape=(16, 16, 1))
    assert (gan.width, gan.discriminator_width, gan.ema_decay, gan.latent_dim) == (4, 8, 0.99, 8)
    assert gan.generator_hidden_units == 256  # the card's base preset, "default"
    assert ganzoo.DCGAN.get_preset("my_dcgan")[1].batch_size == 32
    gan.compile()
    assert type(gan.d_optimizer).__name__ == "SGD"
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(0.05)
    with pytest.raises(ValueError, match=r"is a DCGAN, not a CGAN: use ganzoo.DCGAN"):
        ganzoo.CGAN.from_preset("my_dcgan", image_shape=(16, 16, 1), num_classes=3)


def test_saved_model_keeps_its_preset_and_compile(tmp_path):
    gan = ganzoo.LSGAN(preset="paper", width=4, **SMALL)
    gan.compile()
    images = np.random.default_rng(0).uniform(-1, 1, (4, 16, 16, 1)).astype("float32")
    gan.fit(images, batch_size=4, verbose=0)
    gan.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.preset == "paper" and loaded.ema_decay is None
    assert _optimizer_config(loaded.g_optimizer) == _optimizer_config(gan.g_optimizer)
    assert int(loaded.g_optimizer.iterations) == 1
