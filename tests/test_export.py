"""ganzoo.export: SavedModel and TFLite export of every model class, loading, the CLI.

Each class is exported once per module (a SavedModel and all four TFLite variants) and
shared by the tests. Tiny shapes: 16x16 images, latent 8.
"""

import json
import math
import shutil
import zipfile
from types import SimpleNamespace

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import TINY, tiny_model
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import ganzoo
from ganzoo import cli
from ganzoo.export import (
    VARIANTS,
    ExportError,
    GeneratorNotFoundError,
    draw_latent,
    export_generator,
    latent_inputs,
    load_generator,
)

litert = pytest.importorskip("ai_edge_litert.interpreter")
Interpreter, OpResolverType = litert.Interpreter, litert.OpResolverType

MODELS = sorted(TINY)

# Bounds on the largest absolute difference from the Keras generator, for generators whose
# images fill [-1, 1] (`_spread` re-draws their weights: the N(0, 0.02) initialisation gives
# images near 0, which any bound would pass). Measured on the five classes, three weight
# and noise draws, batch 64: float32 <= 1.2e-6, float16 <= 3.8e-3, dynamic <= 0.054, int8
# <= 0.23 (means <= 8.6e-8, 1.9e-4, 3.4e-3, 0.013). The trained MNIST DCGAN
# (docs/runs/dcgan_mnist, 256 images) gave 2.4e-6, 4.0e-3, 0.16 and 0.40 (means 4.5e-8,
# 5.8e-5, 1.8e-3, 6.6e-3). Why: int8 keeps 8 bits per activation (a step of 1/128 of tanh's
# range) and its rounding compounds over the layers; dynamic range rounds the weights to 8
# bits (and hybrid kernels the activations, per batch). The dynamic and int8 bounds are
# about twice the tiny models' worst case (float32 and float16: 1e-5 and 1e-2, as promised
# in the docs); the mean bounds catch a broken variant whose worst pixel still passes.
MAX_DIFF = {"float32": 1e-5, "float16": 1e-2, "dynamic": 0.1, "int8": 0.4}
MEAN_DIFF = {"float32": 1e-6, "float16": 1e-3, "dynamic": 0.01, "int8": 0.04}


def _spread(generator, seed=0):
    """Re-draws kernels and embeddings with a gain that makes the images fill [-1, 1]."""
    rng = np.random.default_rng(seed)
    for weight in generator.weights:
        shape = tuple(weight.shape)
        if len(shape) < 2:
            continue
        fan_in = math.prod(shape[:-1])
        if "transpose" in weight.path:  # (h, w, out, in); stride 2 uses a quarter of the taps
            fan_in = shape[0] * shape[1] * shape[3] / 4
        weight.assign(rng.normal(0.0, 1.5 / math.sqrt(fan_in), shape).astype("float32"))


def _export(name, tmp_path_factory):
    gan = tiny_model(name)
    _spread(gan.generator)
    out = tmp_path_factory.mktemp(f"export_{name.lower()}")
    export_dir = export_generator(
        gan, out, quantize=list(VARIANTS), dataset="tiny", training_command="pytest"
    )
    card = json.loads((export_dir / "card.json").read_text())
    return SimpleNamespace(name=name, gan=gan, dir=export_dir, card=card)


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """`exports(name)`: the export of a tiny model of that class, made once per module."""
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = _export(name, tmp_path_factory)
        return cache[name]

    return get


@pytest.fixture(params=MODELS)
def exported(request, exports):
    return exports(request.param)


def _latent(gan, n, seed):
    """The generator's inputs by name, from the model's own sampler."""
    values = gan.sample_latent(n, seed=seed)
    values = values if isinstance(values, list) else [values]
    return {
        spec["name"]: np.asarray(keras.ops.convert_to_numpy(value))
        for spec, value in zip(latent_inputs(gan), values)
    }


def _keras_images(gan, latent):
    inputs = [latent[spec["name"]] for spec in latent_inputs(gan)]
    return keras.ops.convert_to_numpy(
        gan.generator(inputs[0] if len(inputs) == 1 else inputs, training=False)
    )


def _expected_inputs(gan):
    expected = {"noise": (tf.float32, [None, 8])}
    if isinstance(gan, ganzoo.CGAN):
        expected["label"] = (tf.int32, [None])
    if isinstance(gan, ganzoo.InfoGAN):
        expected["codes"] = (tf.float32, [None, gan.code_dim])
    return expected


# ---------------------------------------------------------------------- latent priors
@pytest.mark.parametrize("name", MODELS)
def test_draw_latent_equals_the_models_sampler(name):
    gan = tiny_model(name)
    for seed in (0, 7):
        drawn = {k: v.numpy() for k, v in draw_latent(latent_inputs(gan), 5, seed).items()}
        expected = _latent(gan, 5, seed)
        assert sorted(drawn) == sorted(expected)
        for key in expected:
            np.testing.assert_array_equal(drawn[key], expected[key])


# ---------------------------------------------------------------------- SavedModel
def test_saved_model_layout_and_signatures(exported):
    assert (exported.dir / "1" / "saved_model.pb").is_file()
    assert (exported.dir / "1" / "variables").is_dir()
    signatures = tf.saved_model.load(str(exported.dir / "1")).signatures
    assert set(signatures) == {"serving_default", "sample"}

    serving = signatures["serving_default"]
    inputs = serving.structured_input_signature[1]
    got = {key: (spec.dtype, spec.shape.as_list()) for key, spec in inputs.items()}
    assert got == _expected_inputs(exported.gan)
    outputs = serving.structured_outputs
    assert list(outputs) == ["images"]
    assert outputs["images"].dtype == tf.float32
    assert outputs["images"].shape.as_list() == [None, 16, 16, 1]

    sample = signatures["sample"]
    inputs = sample.structured_input_signature[1]
    got = {key: (spec.dtype, spec.shape.as_list()) for key, spec in inputs.items()}
    expected = {"num_images": (tf.int32, []), "seed": (tf.int64, [])}
    if exported.gan.conditional:
        expected["label"] = (tf.int32, [])
    assert got == expected
    assert sample.structured_outputs["images"].dtype == tf.uint8


def test_saved_model_stores_each_weight_once(exported):
    reader = tf.train.load_checkpoint(str(exported.dir / "1" / "variables" / "variables"))
    stored = sum(math.prod(shape) for shape in reader.get_variable_to_shape_map().values())
    weights = sum(math.prod(w.shape) for w in exported.gan.generator.weights)
    assert weights <= stored < weights + 16  # plus a few scalars (e.g. the save counter)


def test_serving_default_equals_keras(exported):
    serving = tf.saved_model.load(str(exported.dir / "1")).signatures["serving_default"]
    for n, seed in ((1, 0), (5, 3)):
        latent = _latent(exported.gan, n, seed)
        images = serving(**{k: tf.constant(v) for k, v in latent.items()})["images"].numpy()
        np.testing.assert_allclose(images, _keras_images(exported.gan, latent), atol=1e-6)


def test_sample_signature_is_deterministic_uint8(exported):
    sample = tf.saved_model.load(str(exported.dir / "1")).signatures["sample"]
    gan = exported.gan
    extra = {"label": tf.constant(2)} if gan.conditional else {}

    def call(n, seed):
        return sample(num_images=tf.constant(n), seed=tf.constant(seed, tf.int64), **extra)[
            "images"
        ].numpy()

    first, again, other = call(4, 7), call(4, 7), call(4, 8)
    assert first.dtype == np.uint8 and first.shape == (4, 16, 16, 1)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    # The latent inputs are those of gan.generate(n, seed): the same images, as uint8.
    images = gan.generate(4, labels=2, seed=7) if gan.conditional else gan.generate(4, seed=7)
    expected = np.rint((np.clip(keras.ops.convert_to_numpy(images), -1, 1) + 1) * 127.5)
    assert np.abs(first.astype(int) - expected.astype(int)).max() <= 1  # ties may round apart


# ---------------------------------------------------------------------- TFLite
@pytest.mark.parametrize("variant", VARIANTS)
def test_tflite_variant_matches_keras_at_any_batch(exported, variant):
    path = exported.dir / f"{exported.name.lower()}_{variant}.tflite"
    runner = Interpreter(model_path=str(path)).get_signature_runner("serving_default")
    details = runner.get_input_details()
    expected = _expected_inputs(exported.gan)
    assert {k: np.dtype(v["dtype"]) for k, v in details.items()} == {
        k: np.dtype(dtype.as_numpy_dtype) for k, (dtype, _) in expected.items()
    }
    for n in (1, 3, 64):  # the runner resizes the batch of every input
        latent = _latent(exported.gan, n, seed=n)
        images = runner(**latent)["images"]
        assert images.shape == (n, 16, 16, 1) and images.dtype == np.float32
        difference = np.abs(images - _keras_images(exported.gan, latent))
        assert difference.max() <= MAX_DIFF[variant], (variant, float(difference.max()))
        if n == 64:
            assert difference.mean() <= MEAN_DIFF[variant], (variant, float(difference.mean()))


def test_int8_variant_computes_in_integers(exported):
    # Ops without an int8 kernel would silently stay float (TFLITE_BUILTINS is allowed as a
    # fallback); ganzoo's networks must have none.
    path = exported.dir / f"{exported.name.lower()}_int8.tflite"
    interpreter = Interpreter(
        model_path=str(path),
        experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES,
    )
    interpreter.allocate_tensors()
    dtypes = {t["index"]: np.dtype(t["dtype"]) for t in interpreter.get_tensor_details()}
    float_ops = [
        op["op_name"]
        for op in interpreter._get_ops_details()
        if op["op_name"] not in ("QUANTIZE", "DEQUANTIZE", "DELEGATE")
        and any(dtypes[i] == np.float32 for i in op["inputs"] if i >= 0)
    ]
    assert float_ops == []


def test_tflite_needing_select_tf_ops_is_refused(tmp_path):
    class Determinant(keras.layers.Layer):
        def call(self, x):  # MatrixDeterminant has no TFLite builtin kernel
            return tf.reshape(tf.linalg.det(tf.reshape(x, [-1, 2, 2, 2])), [-1, 2])

        def compute_output_shape(self, input_shape):
            return (input_shape[0], 2)

    noise = keras.Input((8,), name="noise")
    x = keras.layers.Dense(256, activation="tanh")(Determinant()(noise))
    generator = keras.Model(noise, keras.layers.Reshape((16, 16, 1))(x))
    gan = ganzoo.GAN(generator=generator, **{k: v for k, v in TINY["GAN"].items()})
    with pytest.raises(ExportError, match="MatrixDeterminant.*select TF ops"):
        export_generator(gan, tmp_path, formats=("tflite",))
    assert list(tmp_path.iterdir()) == []  # nothing left behind


# ---------------------------------------------------------------------- card
def test_card_describes_every_file(exported):
    card, gan = exported.card, exported.gan
    assert card["model"] == exported.name and card["name"] == exported.name.lower()
    assert card["latent_inputs"] == json.loads(json.dumps(latent_inputs(gan)))
    assert [s["name"] for s in card["latent_inputs"]] == list(_expected_inputs(gan))
    assert card["images"] == {
        "shape": [16, 16, 1],
        "dtype": "float32",
        "range": [-1.0, 1.0],
        "channels_last": True,
    }
    assert card["generator_parameters"] == gan.generator.count_params()
    assert card["dataset"] == "tiny" and card["training_command"] == "pytest"
    assert set(card["versions"]) >= {"ganzoo", "keras", "tensorflow"}
    assert card["versions"]["keras"] == keras.__version__
    assert set(card["signatures"]) == {"serving_default", "sample"}
    name = exported.name.lower()
    assert set(card["files"]) == {"1"} | {f"{name}_{v}.tflite" for v in VARIANTS}
    for filename, info in card["files"].items():
        path = exported.dir / filename
        size = (
            sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
            if path.is_dir()
            else path.stat().st_size
        )
        assert info["bytes"] == size
        bound = 1e-6 if info["format"] == "saved_model" else MAX_DIFF[info["quantization"]]
        assert 0.0 <= info["max_abs_diff"] <= bound, (filename, info)
    assert card["parity"]["batch_size"] == 8


# ---------------------------------------------------------------------- loading
def test_load_generator_from_every_format(exported, tmp_path):
    gan, name = exported.gan, exported.name.lower()
    labels = {"labels": [0, 1, 2]} if gan.conditional else {}
    expected = keras.ops.convert_to_numpy(gan.generate(3, seed=1, **labels))
    keras_path = tmp_path / "model.keras"
    gan.save(keras_path)
    bounds = {
        keras_path: 1e-6,
        exported.dir: 1e-6,  # the model directory: its highest version
        exported.dir / "1": 1e-6,
        exported.dir / f"{name}_float32.tflite": MAX_DIFF["float32"],
        exported.dir / f"{name}_int8.tflite": MAX_DIFF["int8"],
    }
    for path, bound in bounds.items():
        generator = load_generator(path)
        assert generator.card == ({} if path == keras_path else exported.card)
        generator.sample(1, seed=0, labels=[1] if labels else None)  # then resize to 3
        images = generator.sample(3, seed=1, **labels)
        assert images.shape == (3, 16, 16, 1) and images.dtype == np.float32
        assert -1.0 <= images.min() and images.max() <= 1.0
        assert np.abs(images - expected).max() <= bound, path
        fresh = generator.sample(2)
        assert fresh.shape == (2, 16, 16, 1)


def test_load_generator_of_a_bare_generator(exports, tmp_path):
    gan = exports("DCGAN").gan
    gan.generator.save(tmp_path / "generator.keras")
    generator = load_generator(tmp_path / "generator.keras")
    assert [s["name"] for s in generator.latent_inputs] == ["noise"]
    assert generator.latent_inputs[0]["distribution"] == "normal"  # no card: assumed
    assert generator.sample(2, seed=0).shape == (2, 16, 16, 1)
    # Beside its card (as ganzoo.zoo ships it) it takes the card's priors: uniform here.
    shutil.copy(exports("DCGAN").dir / "card.json", tmp_path / "card.json")
    beside = load_generator(tmp_path / "generator.keras")
    assert beside.latent_inputs[0]["distribution"] == "uniform"
    np.testing.assert_allclose(
        beside.sample(3, seed=1), load_generator(exports("DCGAN").dir).sample(3, seed=1), atol=1e-5
    )


def test_labels_and_codes(exports):
    cgan = load_generator(exports("CGAN").dir)
    sevens = cgan.sample(2, seed=0, labels=2)
    np.testing.assert_allclose(
        sevens,
        keras.ops.convert_to_numpy(exports("CGAN").gan.generate(2, labels=2, seed=0)),
        atol=1e-6,
    )
    with pytest.raises(ValueError, match=r"Labels must lie in \[0, 3\)"):
        cgan.sample(2, labels=3)
    with pytest.raises(ValueError, match="takes no labels"):
        load_generator(exports("DCGAN").dir).sample(2, labels=1)

    infogan = exports("InfoGAN")
    loaded = load_generator(infogan.dir / "infogan_float32.tflite")
    codes = {"categorical": [0, 1, 2], "continuous": 0.5}
    expected = keras.ops.convert_to_numpy(infogan.gan.generate(3, codes=codes, seed=4))
    np.testing.assert_allclose(loaded.sample(3, seed=4, codes=codes), expected, atol=1e-5)
    raw = infogan.gan.make_codes(3, categorical=[2, 2, 2], seed=4)
    np.testing.assert_allclose(
        loaded.sample(3, seed=4, codes=raw),
        keras.ops.convert_to_numpy(infogan.gan.generate(3, codes={"categorical": 2}, seed=4)),
        atol=1e-5,
    )
    with pytest.raises(ValueError, match="Categorical code 0 has 3 categories"):
        loaded.sample(3, codes={"categorical": 3})


def test_load_by_name_and_highest_version(exports, tmp_path, monkeypatch):
    source = exports("DCGAN").dir
    models = tmp_path / "models"
    shutil.copytree(source, models / "dcgan_tiny")
    shutil.copytree(source / "1", models / "dcgan_tiny" / "10")
    monkeypatch.setenv("GANZOO_SAVED_MODELS", str(models))
    generator = load_generator("dcgan_tiny")
    assert generator.format == "saved_model" and generator.path.name == "10"
    with pytest.raises(GeneratorNotFoundError, match="dcgan_tiny.*GANZOO_SAVED_MODELS"):
        load_generator("dcgan_tin")


def test_bad_files_raise_our_error(exports, tmp_path):
    missing = tmp_path / "missing.keras"
    with pytest.raises(FileNotFoundError, match="missing.keras"):
        load_generator(missing)
    assert issubclass(GeneratorNotFoundError, ExportError)

    text = tmp_path / "notes.keras"
    text.write_text("not a model")
    with pytest.raises(ExportError, match="notes.keras.*Expected a .keras file"):
        load_generator(text)

    gan = exports("DCGAN").gan
    gan.save(tmp_path / "whole.keras")
    truncated = tmp_path / "truncated.keras"
    data = (tmp_path / "whole.keras").read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ExportError, match="truncated.keras"):
        load_generator(truncated)

    tflite = exports("DCGAN").dir / "dcgan_float32.tflite"
    for broken, content in (
        ("half.tflite", tflite.read_bytes()[: tflite.stat().st_size // 2]),
        ("text.tflite", b"hello, not a flatbuffer" * 10),
    ):
        (tmp_path / broken).write_bytes(content)
        with pytest.raises(ExportError, match=f"{broken}.*TFLite"):
            load_generator(tmp_path / broken)

    module = tf.Module()
    module.double = tf.function(
        lambda x: {"y": 2 * x}, input_signature=[tf.TensorSpec((None,), tf.float32)]
    )
    tf.saved_model.save(module, str(tmp_path / "other" / "1"), signatures={"double": module.double})
    with pytest.raises(ExportError, match="no `serving_default` signature"):
        load_generator(tmp_path / "other")

    corrupt = tmp_path / "corrupt" / "1"
    shutil.copytree(exports("DCGAN").dir / "1", corrupt)
    (corrupt / "saved_model.pb").write_bytes(b"\x00garbage" * 20)
    with pytest.raises(ExportError, match="Could not load the SavedModel"):
        load_generator(corrupt)

    (tmp_path / "empty").mkdir()
    with pytest.raises(ExportError, match="holds no SavedModel"):
        load_generator(tmp_path / "empty")
    (tmp_path / "weights.h5").write_bytes(b"x")
    with pytest.raises(ExportError, match="expected a .keras file"):
        load_generator(tmp_path / "weights.h5")


def test_tampered_files_are_refused(exports, tmp_path):
    source = exports("CGAN").dir
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    tflite = folder / "cgan_float16.tflite"
    data = bytearray(tflite.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte: still a flatbuffer, other weights
    tflite.write_bytes(bytes(data))
    with pytest.raises(ExportError, match="cgan_float16.tflite does not match the sha256"):
        load_generator(tflite)
    variables = next((folder / "1" / "variables").glob("variables.data-*"))
    variables.write_bytes(variables.read_bytes()[:-4] + b"\0\0\0\0")
    with pytest.raises(ExportError, match="does not match the sha256"):
        load_generator(folder)
    assert load_generator(folder / "cgan_int8.tflite").sample(1, seed=0, labels=1).shape[0] == 1


def test_a_keras_file_holding_code_is_refused_without_running_it(tmp_path):
    marker = tmp_path / "code_ran"
    noise = keras.Input((8,), name="noise")
    images = keras.layers.Reshape((4, 4, 1))(keras.layers.Dense(16)(noise))
    # What a malicious file could do: its lambda's bytecode is stored in the file.
    path = str(marker)
    payload = keras.layers.Lambda(lambda x: (open(path, "w").close(), x)[1])
    keras.Model(noise, payload(images)).save(tmp_path / "lambda.keras")
    marker.unlink()
    with pytest.raises(ExportError, match="lambda.keras holds Python code.*safe_mode=True"):
        load_generator(tmp_path / "lambda.keras")
    assert not marker.exists()


def test_a_keras_file_naming_an_unknown_class_is_refused(exports, tmp_path):
    exports("GAN").gan.save(tmp_path / "gan.keras")
    with zipfile.ZipFile(tmp_path / "gan.keras") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for ours, foreign in (
        (b"ganzoo>GAN", b"other>Thing"),
        (b'"GAN"', b'"Thing"'),
        (b"ganzoo.", b"other."),
    ):
        members["config.json"] = members["config.json"].replace(ours, foreign)
    with zipfile.ZipFile(tmp_path / "foreign.keras", "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    with pytest.raises(ExportError, match="foreign.keras"):
        load_generator(tmp_path / "foreign.keras")


_DTYPES = ["float16", "float32", "float64", "int32", "uint8", "bool", "complex64"]


@st.composite
def _latent_inputs(draw):
    """Dicts of arrays with the tiny CGAN's input names (or too few, or a foreign one), of
    any shapes, dtypes and values (NaN noise, out-of-range labels); mostly right ones."""
    n = draw(st.integers(0, 3))
    right = {"noise": ([n, 8], "float32"), "label": ([n], "int32"), "extra": ([n], "float32")}
    names = draw(st.sampled_from([("noise", "label")] * 4 + [("noise",), tuple(right)]))
    latent = {}
    for name in names:
        shape, dtype = right[name]
        if draw(st.integers(0, 3)) == 0:
            shape = draw(st.lists(st.integers(0, 9), max_size=3))
        if draw(st.integers(0, 3)) == 0:
            dtype = draw(st.sampled_from(_DTYPES))
        values = draw(st.sampled_from([0, 1, 2, 0.5, -1, 7, np.nan]))
        with np.errstate(invalid="ignore"):
            latent[name] = np.full(shape, values).astype(dtype)
    return latent


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(latent=_latent_inputs(), file=st.sampled_from(["keras", "tflite"]))
def test_any_latent_input_samples_or_raises_export_error(exports, latent, file):
    export = exports("CGAN")
    generator = _loaded(export, file)
    try:
        images = generator(latent)
    except ExportError:
        event("refused")
        return
    event("sampled")
    n = len(latent["noise"])
    assert images.shape == (n, 16, 16, 1) and np.all(np.abs(images) <= 1)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.one_of(st.integers(-2, 4), st.floats(-1, 3), st.text(max_size=2), st.none()),
    seed=st.one_of(st.none(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True)),
    labels=st.one_of(st.none(), st.integers(-2, 12), st.lists(st.integers(-1, 10), max_size=4)),
)
def test_any_sample_arguments_sample_or_raise_export_error(exports, n, seed, labels):
    generator = _loaded(exports("CGAN"), "tflite")
    try:
        images = generator.sample(n, seed=seed, labels=labels)
    except ExportError:
        event("refused")
        return
    event("sampled")
    assert images.shape == (n, 16, 16, 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    formats=st.sampled_from(["saved_model", ("saved_model",), ("onnx",), (), "tflite", 3]),
    quantize=st.sampled_from([None, None, "float16", "int4", ["float16", "float16"], 5]),
    version=st.sampled_from([1, 1, 2, 0, -1, True, 1.5, "1"]),
    name=st.sampled_from([None, None, "ok", "../up", "", "a b", 7]),
    representative_samples=st.sampled_from([4, 4, 0, -3, "x", 2.5, None]),
)
def test_any_export_arguments_export_or_raise_export_error(
    exports, tmp_path_factory, formats, quantize, version, name, representative_samples
):
    out = tmp_path_factory.mktemp("export_arguments")
    try:
        folder = export_generator(
            exports("GAN").gan,
            out,
            version=version,
            formats=formats,
            quantize=quantize,
            name=name,
            representative_samples=representative_samples,
        )
    except ExportError:
        event("refused")
        assert list(out.iterdir()) == []  # nothing half-written
        return
    event("exported")
    for file in json.loads((folder / "card.json").read_text())["files"]:
        assert load_generator(folder / file).sample(2, seed=0).shape == (2, 16, 16, 1)


_LOADED = {}


def _loaded(export, file):
    key = (export.dir, file)
    if key not in _LOADED:
        path = export.dir / "cgan_float16.tflite" if file == "tflite" else export.dir.parent
        if file == "keras":
            path = path / "cgan.keras"
            export.gan.save(path)
        _LOADED[key] = load_generator(path)
    return _LOADED[key]


# ---------------------------------------------------------------------- export rules
def test_no_overwrite_without_force(tmp_path):
    gan = tiny_model("GAN")
    export_dir = export_generator(gan, tmp_path, formats="saved_model", dataset="first")
    with pytest.raises(ExportError, match="1, card.json.*force=True"):
        export_generator(gan, tmp_path, formats="saved_model", dataset="second")
    card = json.loads((export_dir / "card.json").read_text())
    assert card["dataset"] == "first" and "tflite" not in json.dumps(card["files"])
    export_generator(gan, tmp_path, formats="saved_model", dataset="second", force=True)
    card = json.loads((export_dir / "card.json").read_text())
    assert card["dataset"] == "second" and set(card["files"]) == {"1"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gan"]  # no staging left


def test_bad_arguments(tmp_path):
    gan = tiny_model("GAN")
    with pytest.raises(ValueError, match="Unknown TFLite variant 'int4'"):
        export_generator(gan, tmp_path, quantize="int4")
    with pytest.raises(ValueError, match="formats"):
        export_generator(gan, tmp_path, formats=("onnx",))
    with pytest.raises(ValueError, match="add 'tflite' to formats"):
        export_generator(gan, tmp_path, formats="saved_model", quantize="int8")
    with pytest.raises(ValueError, match="version"):
        export_generator(gan, tmp_path, version=0)
    with pytest.raises(ValueError, match="plain directory name"):
        export_generator(gan, tmp_path, name="../up")
    with pytest.raises(ExportError, match="takes a ganzoo model"):
        export_generator(gan.generator, tmp_path)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------- command line
def test_cli_export_and_sample(exports, tmp_path, capsys, monkeypatch):
    run = tmp_path / "run"
    run.mkdir()
    tiny_model("DCGAN").save(run / "model.keras")
    (run / "run.json").write_text(json.dumps({"model": "DCGAN", "dataset": "mnist"}))
    out = tmp_path / "exported"
    args = ["export", str(run / "model.keras"), "--out", str(out), "--tflite", "float32", "int8"]
    assert cli.main(args) == 0
    card = json.loads((out / "dcgan" / "card.json").read_text())
    assert card["dataset"] == "mnist"
    assert set(card["files"]) == {"1", "dcgan_float32.tflite", "dcgan_int8.tflite"}
    assert cli.main(args) == 1
    assert "force" in capsys.readouterr().err
    assert cli.main(args + ["--force"]) == 0

    grid = tmp_path / "grid.png"
    assert cli.main(["sample", str(out / "dcgan"), "-n", "4", "--out", str(grid)]) == 0
    assert grid.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert cli.main(["sample", str(out / "dcgan"), "-n", "4", "--out", str(grid)]) == 1
    assert "--force" in capsys.readouterr().err
    tflite = str(out / "dcgan" / "dcgan_int8.tflite")
    assert cli.main(["sample", tflite, "-n", "4", "--out", str(grid), "--force"]) == 0

    monkeypatch.setenv("GANZOO_SAVED_MODELS", str(exports("CGAN").dir.parent))
    labelled = tmp_path / "threes.png"
    assert cli.main(["sample", "cgan", "-n", "3", "--label", "2", "--out", str(labelled)]) == 0
    assert labelled.is_file()
    assert cli.main(["sample", "cgan", "-n", "3", "--label", "5", "--out", str(labelled)]) == 1
    assert cli.main(["sample", "nothing", "--out", str(tmp_path / "x.png")]) == 1
