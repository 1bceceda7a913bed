"""Exporting generators for serving (SavedModel, TFLite) and loading them back.

`export_generator(gan, "saved_models")` writes the generator alone (no discriminator, no
optimizer) as

```
saved_models/dcgan/
  1/saved_model.pb, 1/variables/   SavedModel in the TF Serving layout (version 1)
  dcgan_float32.tflite             TFLite (LiteRT) files, one per variant
  dcgan_int8.tflite
  card.json                        what the files are and how well they match the model
```

SavedModel signatures (written with `keras.export.ExportArchive`):

- `serving_default`: the latent inputs by name, `noise` float32 `(None, latent_dim)`, plus
  `label` int32 `(None,)` for conditional models (CGAN) or `codes` float32
  `(None, code_dim)` for InfoGAN; returns `{"images": float32 (n, H, W, C) in [-1, 1]}`.
- `sample`: `num_images` (int32 scalar) and `seed` (int64 scalar), plus `label` (int32
  scalar, one class for all images) for conditional models; returns `{"images": uint8
  (n, H, W, C)}`, pixels `rint((x + 1) * 127.5)` as in `ganzoo.visualization`, ready to
  encode as PNG. The latent inputs are drawn in TF ops from the model's prior with
  stateless random ops and the same keys as Keras, so `sample` of seed s gives the images of
  `gan.generate(n, seed=s)` (with `labels=label` for CGAN; InfoGAN draws its codes from
  P(c)).

TFLite variants (converted from the exported SavedModel's `serving_default`, builtin ops
only, so a generator that needs select TF ops (Flex) or custom ops fails with `ExportError`
instead of producing a file that mobile runtimes cannot run):

- "float32": no optimization.
- "float16": weights stored as float16 (half the size); CPUs compute in float32.
- "dynamic": dynamic-range quantization: int8 weights, float activations.
- "int8": full-integer quantization calibrated on `representative_samples` latent inputs
  drawn from the model's prior. Inputs and outputs stay float32 (and int32 for labels):
  the interpreter quantizes and dequantizes at the edges, so every variant has the same
  signature and callers need no scale and zero point. Ops without an int8 kernel would
  fall back to float (`TFLITE_BUILTINS` next to `TFLITE_BUILTINS_INT8`); ganzoo's networks
  have none.

Dynamic-range models of generators with `Conv2DTranspose` run much slower than float32 on a
CPU. Measured (ai_edge_litert, 2 shared x86 cores, median of 7 runs, batch 32) on the trained
MNIST DCGAN of `docs/runs/dcgan_mnist` (width 32): float32 8.4 ms, float16 8.0 ms, int8
8.1 ms, dynamic 101 ms. The converter keeps the transposed convolution's weights in int8 and
emits a hybrid TRANSPOSE_CONV (int8 weights, float activations; the small last one, under
1024 weights, stays float). That op alone explains it: one Conv2DTranspose 7x7x64 ->
14x14x32 (kernel 5, stride 2) takes 10 ms in float32 and 85 ms in dynamic range, the same
with or without the XNNPACK delegate (`OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES`) and
with 1 or 2 threads, so it runs in LiteRT's builtin hybrid kernel, which is far less
optimized than the float one (GEMM + col2im). Dense and Conv2D layers are not affected (their
dynamic-range versions are as fast or faster than float32: Conv2D 64 -> 32, 5x5 on 14x14:
7.6 ms float32, 6.8 ms dynamic). On CPUs prefer "float16" (half the size, same speed) or
"int8" (a quarter of the size, same speed here) for these generators.

`card.json` holds the model class, the latent inputs (names, shapes, dtypes, priors), the
image shape and value range, the library versions, the generator's parameter count, the
dataset and training command when given, and for each file its size in bytes and its
parity: the largest absolute difference from the Keras generator on a fixed batch of 8
latent inputs (seed 1234).

`load_generator(name_or_path)` opens a `.keras` file (a whole ganzoo GAN or a bare
generator), an exported SavedModel (a version directory, or the model directory holding
versions: the highest is used) or a `.tflite` file (run with `ai_edge_litert`, installed by
`pip install ganzoo[tflite]`), and returns a `LoadedGenerator` whose `sample(n, seed)`
gives the same images whichever format it came from (up to the format's precision).

Names: `load_generator("dcgan_mnist")` looks for `saved_models/dcgan_mnist` in the
directory named by the environment variable `GANZOO_SAVED_MODELS` when it is set, else in
the repository's `saved_models/` (the parent of the `ganzoo` package directory). The
pretrained generators are not packaged in the wheel (they are large, binary and change
apart from the code): pip users download a model directory and pass its path, or set
`GANZOO_SAVED_MODELS` to the folder holding them. A path that exists always wins over a
name.
"""

import datetime
import hashlib
import importlib.metadata
import json
import math
import operator
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Mapping
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from ganzoo.models.cgan import check_labels

VARIANTS = ("float32", "float16", "dynamic", "int8")
FORMATS = ("saved_model", "tflite")
CARD_FILE = "card.json"
SAVED_MODELS_ENV = "GANZOO_SAVED_MODELS"
PARITY_BATCH = 8
PARITY_SEED = 1234
# Keras reduces int64 seeds to int32 keys this way (backend/tensorflow/random.py, _cast_seed).
_SEED_MODULUS = 2**31 - 2
_CALIBRATION_BATCH = 16


class ExportError(ValueError):
    """A generator cannot be exported, or a file is not an exported generator."""


class GeneratorNotFoundError(ExportError, FileNotFoundError):
    """No generator at the given path or under the given name."""


# ---------------------------------------------------------------------- latent inputs
def latent_inputs(gan):
    """The latent inputs of a ganzoo GAN's generator, in the generator's order.

    Returns a list of JSON-ready dicts with `name`, `shape` (None for the batch), `dtype`,
    `distribution` and `range`, plus `num_classes` for labels and `categorical_codes` /
    `continuous_codes` for InfoGAN's codes.
    """
    noise = {
        "name": "noise",
        "shape": [None, int(gan.latent_dim)],
        "dtype": "float32",
        "distribution": gan.latent_distribution,
        "range": [-1.0, 1.0] if gan.latent_distribution == "uniform" else None,
    }
    if hasattr(gan, "code_dim"):
        codes = {
            "name": "codes",
            "shape": [None, int(gan.code_dim)],
            "dtype": "float32",
            "distribution": "one-hot blocks of the categorical codes (each uniform over its "
            "categories), then the continuous codes ~ U[-1, 1]",
            "range": [-1.0, 1.0],
            "categorical_codes": [int(k) for k in gan.categorical_codes],
            "continuous_codes": int(gan.continuous_codes),
        }
        return [noise, codes]
    if getattr(gan, "conditional", False):
        num_classes = int(gan.num_classes)
        label = {
            "name": "label",
            "shape": [None],
            "dtype": "int32",
            "distribution": "uniform over the classes",
            "range": [0, num_classes - 1],
            "num_classes": num_classes,
        }
        return [noise, label]
    return [noise]


def _inferred_latent_inputs(shapes, source):
    """Latent inputs read from input names and shapes alone (no card, no ganzoo model):
    normal noise is assumed; labels and codes must then be passed to `sample`."""
    if "noise" not in shapes or len(shapes["noise"]) != 2 or shapes["noise"][1] is None:
        raise ExportError(
            f"{source} has no `noise` input of shape (batch, latent_dim) (inputs: "
            f"{sorted(shapes)}). Expected a generator exported by ganzoo.export_generator."
        )
    unknown = set(shapes) - {"noise", "label", "codes"}
    if unknown:
        raise ExportError(
            f"{source} has inputs {sorted(unknown)} that ganzoo generators do not take; "
            "expected `noise`, plus `label` or `codes`."
        )
    specs = [
        {
            "name": "noise",
            "shape": [None, int(shapes["noise"][1])],
            "dtype": "float32",
            "distribution": "normal",
            "range": None,
        }
    ]
    if "label" in shapes:
        specs.append({"name": "label", "shape": [None], "dtype": "int32", "num_classes": None})
    if "codes" in shapes:
        specs.append(
            {
                "name": "codes",
                "shape": [None, int(shapes["codes"][-1])],
                "dtype": "float32",
                "categorical_codes": None,
                "continuous_codes": None,
            }
        )
    return specs


def _key(seed, index):
    """The stateless key of draw `index` of a Keras seed stream started from `seed`:
    an integer seed s is the key [s, 0], and `SeedGenerator(s)` yields [s, 0], [s, 1], ..."""
    pair = tf.stack([tf.cast(seed, tf.int64), tf.cast(index, tf.int64)])
    return tf.cast(tf.math.floormod(pair, _SEED_MODULUS), tf.int32)


def draw_latent(specs, num_images, seed):
    """Draws latent inputs from their priors in TF ops (eagerly or inside a graph).

    For an integer seed s these are the inputs of `gan.generate(n, seed=s)` and
    `gan.sample_latent(n, seed=s)`: noise from the key [s, 0]; CGAN's random labels from the
    key [s + 1, 0]; InfoGAN's codes from the keys [s, 1], [s, 2], ... (one per categorical
    code, then one for the continuous codes). Labels or codes whose layout is unknown (a
    generator without a card) are left out.

    Returns:
        A dict from input name to tensor.
    """
    n = tf.cast(num_images, tf.int32)
    seed = tf.cast(seed, tf.int64)
    latent = {}
    for spec in specs:
        if spec["name"] == "noise":
            shape = tf.stack([n, spec["shape"][1]])
            if spec.get("distribution") == "uniform":
                latent["noise"] = tf.random.stateless_uniform(shape, _key(seed, 0), -1.0, 1.0)
            else:
                latent["noise"] = tf.random.stateless_normal(shape, _key(seed, 0))
        elif spec["name"] == "label" and spec.get("num_classes"):
            latent["label"] = tf.random.stateless_uniform(
                tf.reshape(n, [1]), _key(seed + 1, 0), 0, spec["num_classes"], dtype=tf.int32
            )
        elif spec["name"] == "codes" and spec.get("categorical_codes") is not None:
            blocks, index = [], 1
            for categories in spec["categorical_codes"]:
                indices = tf.random.stateless_uniform(
                    tf.reshape(n, [1]), _key(seed, index), 0, categories, dtype=tf.int32
                )
                blocks.append(tf.one_hot(indices, categories, dtype=tf.float32))
                index += 1
            if spec["continuous_codes"]:
                shape = tf.stack([n, spec["continuous_codes"]])
                blocks.append(tf.random.stateless_uniform(shape, _key(seed, index), -1.0, 1.0))
            latent["codes"] = tf.concat(blocks, axis=-1)
    return latent


def _to_uint8(images):
    # The mapping of ganzoo.visualization.image_grid; tf.round rounds half to even like np.rint.
    pixels = tf.round((tf.clip_by_value(tf.cast(images, tf.float32), -1.0, 1.0) + 1.0) * 127.5)
    return tf.cast(pixels, tf.uint8)


# ---------------------------------------------------------------------- export
def _as_list(value, what):
    """A name or an iterable of names as a list, else an ExportError about `what`."""
    if isinstance(value, str):
        return [value]
    try:
        return list(value)
    except TypeError:
        raise ExportError(f"{what} takes a name or a list of names, got {value!r:.100}.") from None


def _variants(quantize):
    if quantize is None:
        return ["float32"]
    variants = []
    for variant in _as_list(quantize, "quantize"):
        if variant not in VARIANTS:
            raise ExportError(
                f"Unknown TFLite variant {variant!r}; choose from {', '.join(VARIANTS)} "
                "(None means float32)."
            )
        if variant not in variants:
            variants.append(variant)
    return variants


def _formats(formats):
    formats = list(dict.fromkeys(_as_list(formats, "formats")))
    unknown = [f for f in formats if f not in FORMATS]
    if not formats or unknown:
        raise ExportError(f"formats must hold one or more of {FORMATS}, got {formats!r}.")
    return formats


def _check_model(gan):
    from ganzoo.models import GAN

    if not isinstance(gan, GAN):
        raise ExportError(
            "export_generator takes a ganzoo model (e.g. keras.models.load_model("
            f"'model.keras') of a ganzoo GAN), got {type(gan).__name__}. Its latent inputs "
            "and their priors come from the model."
        )
    specs = latent_inputs(gan)
    if len(gan.sampler.inputs) != len(specs):
        raise ExportError(
            f"The generator of this {type(gan).__name__} takes {len(gan.sampler.inputs)} "
            f"inputs, but the model's latent inputs are {[s['name'] for s in specs]}."
        )
    return specs


def _tensor_spec(spec):
    return tf.TensorSpec(spec["shape"], spec["dtype"], name=spec["name"])


def _write_saved_model(gan, specs, path):
    generator = gan.sampler
    names = [spec["name"] for spec in specs]

    def run(latent):
        inputs = [latent[name] for name in names]
        images = generator(inputs[0] if len(inputs) == 1 else inputs, training=False)
        return tf.cast(images, tf.float32)  # float16 under a mixed-precision policy

    def serving_default(*inputs):
        return {"images": run(dict(zip(names, inputs)))}

    sample_signature = [
        tf.TensorSpec((), tf.int32, name="num_images"),
        tf.TensorSpec((), tf.int64, name="seed"),
    ]
    conditional = "label" in names
    if conditional:
        sample_signature.append(tf.TensorSpec((), tf.int32, name="label"))
        num_classes = specs[names.index("label")]["num_classes"]

    def sample(num_images, seed, label=None):
        checks = [tf.debugging.assert_non_negative(num_images, "num_images must be >= 0")]
        if conditional:
            checks += [
                tf.debugging.assert_non_negative(label, "label must be >= 0"),
                tf.debugging.assert_less(
                    label, num_classes, f"label must be < num_classes={num_classes}"
                ),
            ]
        with tf.control_dependencies(checks):
            latent = draw_latent(specs, num_images, seed)
            if conditional:
                latent["label"] = tf.fill(tf.reshape(num_images, [1]), label)
            return {"images": _to_uint8(run(latent))}

    # No archive.track(generator): the endpoints track the variables they use, and tracking
    # the model as well stores every weight twice (keras-team/keras issue 23553: the Keras
    # variable wrappers and the tf.Variables they wrap are saved as separate objects).
    archive = keras.export.ExportArchive()
    # Positional signatures: the TensorSpec names become the signature's input names.
    archive.add_endpoint(
        "serving_default", serving_default, input_signature=[_tensor_spec(s) for s in specs]
    )
    archive.add_endpoint("sample", sample, input_signature=sample_signature)
    archive.write_out(str(path), verbose=False)


def _flex_ops(error):
    return sorted(
        set(re.findall(r"'tf\.(\w+)' op is neither a custom op nor a flex op", str(error)))
    )


def _convert(saved_model_dir, variant, representative_dataset, model_name):
    converter = tf.lite.TFLiteConverter.from_saved_model(
        str(saved_model_dir), signature_keys=["serving_default"]
    )
    # Builtin ops only: a model needing select TF ops must fail here, not on a phone.
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    if variant != "float32":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if variant == "float16":
        converter.target_spec.supported_types = [tf.float16]
    elif variant == "int8":
        converter.target_spec.supported_ops = [
            tf.lite.OpsSet.TFLITE_BUILTINS_INT8,
            tf.lite.OpsSet.TFLITE_BUILTINS,
        ]
        converter.representative_dataset = representative_dataset
    try:
        with warnings.catch_warnings():
            # TF's own calibrator still runs the deprecated tf.lite.Interpreter.
            warnings.filterwarnings("ignore", message=".*tf.lite.Interpreter is deprecated")
            return converter.convert()
    except Exception as error:  # the converter raises ConverterError and plain exceptions
        ops = _flex_ops(error)
        if ops:
            raise ExportError(
                f"The generator of {model_name} uses TensorFlow ops that TFLite's builtin op "
                f"set lacks: {', '.join(ops)}. They would need select TF ops (Flex) or "
                "custom ops, which mobile runtimes (LiteRT without the Flex delegate) lack. "
                "Replace the layers that use them, or export formats=('saved_model',) only."
            ) from error
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise ExportError(
            f"TFLite conversion ({variant}) of the generator of {model_name} failed: "
            f"{type(error).__name__}: {first_line[:500]}"
        ) from error


def _directory_bytes(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def file_digest(path):
    """SHA-256 (hex) of a file, or of a directory's files (their relative paths and bytes,
    in sorted order): the `sha256` of each entry in a card's `files`."""
    path = Path(path)
    digest = hashlib.sha256()
    files = sorted(f for f in path.rglob("*") if f.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(file.relative_to(path).as_posix().encode() + b"\0")
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _verified_card(path):
    """The card beside `path` ({} when there is none), after checking `path` against it."""
    card = _read_card(Path(path).parent)
    verify_file(path, card)
    return card


def verify_file(path, card):
    """Raises an ExportError if the card lists `path` (by its name) with a SHA-256 that the
    file or directory no longer has: changed or damaged since it was exported."""
    expected = card.get("files", {}).get(Path(path).name, {}).get("sha256")
    if expected and file_digest(path) != expected:
        raise ExportError(
            f"{path} does not match the sha256 recorded in its card.json: it was changed or "
            "damaged after export. Export it again (or restore the original files)."
        )


def _max_abs_diff(images, reference):
    return float(np.max(np.abs(np.asarray(images, np.float32) - reference)))


def _versions():
    from ganzoo import __version__

    versions = {"ganzoo": __version__, "keras": keras.__version__, "tensorflow": tf.__version__}
    try:
        versions["ai_edge_litert"] = importlib.metadata.version("ai-edge-litert")
    except importlib.metadata.PackageNotFoundError:
        pass
    return versions


def export_generator(
    gan,
    out_dir,
    version=1,
    formats=("saved_model", "tflite"),
    quantize=None,
    name=None,
    representative_samples=256,
    force=False,
    training_command=None,
    dataset=None,
):
    """Exports a GAN's generator as a SavedModel (TF Serving layout) and TFLite files.

    Writes `out_dir/<name>/<version>/` (SavedModel), `out_dir/<name>/<name>_<variant>.tflite`
    and `out_dir/<name>/card.json`; see the module docstring for the signatures, variants and
    card. Everything is built in a temporary directory inside `out_dir` and moved into place
    only when all of it succeeded (conversion included), so a failed export leaves nothing.

    Args:
        gan: a ganzoo model (`GAN`, `DCGAN`, `CGAN`, `LSGAN`, `InfoGAN`, ...).
        out_dir: the directory receiving `<name>/`, e.g. "saved_models".
        version: the SavedModel version directory (a positive integer, as TF Serving wants).
        formats: "saved_model" and/or "tflite". With "tflite" alone the SavedModel is only
            an intermediate step and is not kept.
        quantize: the TFLite variants: None (float32), one of "float32", "float16",
            "dynamic", "int8", or a list of them.
        name: the model's directory name; the class name in lower case by default.
        representative_samples: latent inputs drawn from the prior to calibrate "int8".
        force: replace existing files of this export (`<version>/`, the `.tflite` files of
            the asked variants, `card.json`); other versions and files are kept. Without
            it, any of them existing is an error.
        training_command: how the model was trained, recorded in the card.
        dataset: what it was trained on, recorded in the card.

    Returns:
        The `Path` of `out_dir/<name>`.

    Example:
    ```python
    gan = keras.models.load_model("runs/dcgan/model.keras")
    ganzoo.export_generator(gan, "saved_models", name="dcgan_mnist", quantize=["float16", "int8"])
    ganzoo.load_generator("saved_models/dcgan_mnist").sample(16, seed=0)
    ```
    """
    specs = _check_model(gan)
    formats = _formats(formats)
    if "tflite" not in formats and quantize is not None:
        raise ExportError(
            f"quantize={quantize!r} chooses TFLite variants; add 'tflite' to formats."
        )
    variants = _variants(quantize) if "tflite" in formats else []
    if isinstance(version, bool) or not isinstance(version, (int, np.integer)) or version < 1:
        raise ExportError(f"version must be a positive integer, got {version!r}.")
    version = int(version)
    model_name = type(gan).__name__
    name = model_name.lower() if name is None else str(name)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise ExportError(
            f"name must be a plain directory name (letters, digits, '_', '-', '.'), got {name!r}."
        )
    _integer(representative_samples, "representative_samples", 1, 2**31 - 1)

    mixed = sorted(
        {layer.compute_dtype for layer in gan.sampler.layers if layer.compute_dtype != "float32"}
    )
    if variants and mixed:
        raise ExportError(
            f"The generator of this {model_name} computes in {', '.join(mixed)} (a mixed "
            "precision policy); TFLite's builtin kernels need float32 graphs. Rebuild the "
            "model under keras.mixed_precision.set_global_policy('float32'), copy the "
            "generator's weights (new.generator.set_weights(gan.generator.get_weights())) "
            "and export that, or export formats=('saved_model',) only."
        )

    export_dir = Path(out_dir) / name
    targets = [str(version)] if "saved_model" in formats else []
    targets += [f"{name}_{variant}.tflite" for variant in variants] + [CARD_FILE]
    existing = [target for target in targets if (export_dir / target).exists()]
    if existing and not force:
        raise ExportError(
            f"{export_dir} already holds {', '.join(existing)}; not overwriting them. Pass "
            "force=True (ganzoo export --force) to replace them, or choose another output "
            "directory, name or version."
        )

    export_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-export-", dir=export_dir.parent))
    try:
        saved_model_dir = staging / str(version)
        _write_saved_model(gan, specs, saved_model_dir)

        parity_latent = {
            k: v.numpy() for k, v in draw_latent(specs, PARITY_BATCH, PARITY_SEED).items()
        }
        reference = np.asarray(_keras_runner(gan.sampler, specs)(parity_latent), np.float32)
        files = {}
        if "saved_model" in formats:
            loaded = _open_saved_model(saved_model_dir)
            files[str(version)] = {
                "format": "saved_model",
                "bytes": _directory_bytes(saved_model_dir),
                "sha256": file_digest(saved_model_dir),
                "max_abs_diff": _max_abs_diff(loaded(parity_latent), reference),
            }

        def representative_dataset():
            batches = max(1, math.ceil(int(representative_samples) / _CALIBRATION_BATCH))
            for batch in range(batches):
                latent = draw_latent(specs, _CALIBRATION_BATCH, seed=batch)
                yield {key: value.numpy() for key, value in latent.items()}

        for variant in variants:
            content = _convert(saved_model_dir, variant, representative_dataset, model_name)
            filename = f"{name}_{variant}.tflite"
            (staging / filename).write_bytes(content)
            runner = _open_tflite(staging / filename)
            files[filename] = {
                "format": "tflite",
                "quantization": variant,
                "bytes": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
                "max_abs_diff": _max_abs_diff(runner(parity_latent), reference),
            }

        card = {
            "name": name,
            "model": model_name,
            "latent_inputs": specs,
            "images": {
                "shape": list(gan.image_shape),
                "dtype": "float32",
                "range": [-1.0, 1.0],
                "channels_last": True,
            },
            "generator_parameters": int(gan.sampler.count_params()),
            "dataset": dataset,
            "training_command": training_command,
            "versions": _versions(),
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "signatures": {
                "serving_default": {
                    "inputs": {
                        s["name"]: {"shape": s["shape"], "dtype": s["dtype"]} for s in specs
                    },
                    "outputs": {"images": {"shape": [None, *gan.image_shape], "dtype": "float32"}},
                },
                "sample": {
                    "inputs": {
                        "num_images": {"shape": [], "dtype": "int32"},
                        "seed": {"shape": [], "dtype": "int64"},
                        **(
                            {"label": {"shape": [], "dtype": "int32"}}
                            if "label" in [s["name"] for s in specs]
                            else {}
                        ),
                    },
                    "outputs": {"images": {"shape": [None, *gan.image_shape], "dtype": "uint8"}},
                },
            },
            "parity": {
                "reference": "the Keras generator, training=False",
                "batch_size": PARITY_BATCH,
                "seed": PARITY_SEED,
                "metric": "max abs difference of images in [-1, 1]",
            },
            "files": files,
            "ship": _recommendation(gan),
        }
        if "saved_model" not in formats:
            shutil.rmtree(saved_model_dir)
        (staging / CARD_FILE).write_text(json.dumps(card, indent=2) + "\n")

        export_dir.mkdir(exist_ok=True)
        for target in targets:
            destination = export_dir / target
            if destination.is_dir() and not destination.is_symlink():
                shutil.rmtree(destination)
            elif destination.exists() or destination.is_symlink():
                destination.unlink()
            os.replace(staging / target, destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return export_dir


def _recommendation(gan):
    """Which TFLite file to ship, from the measurements in this module's docstring."""
    transposed = any(
        isinstance(layer, keras.layers.Conv2DTranspose) for layer in gan.sampler.layers
    )
    return {
        "tflite": "float16",
        "why": "float16 halves the file at float32 speed with errors near 4e-3; int8 is "
        "smallest and as fast but errs by up to about 0.3 in [-1, 1]"
        + (
            "; dynamic-range quantization runs transposed convolutions about 10x slower "
            "than float32 on CPUs (LiteRT's hybrid kernel)"
            if transposed
            else ""
        )
        + ".",
    }


# ---------------------------------------------------------------------- loading
def _saved_models_dir():
    override = os.environ.get(SAVED_MODELS_ENV)
    if override:
        return Path(override).expanduser()
    return Path(__file__).resolve().parent.parent / "saved_models"


def _resolve(name_or_path):
    path = Path(os.fspath(name_or_path)).expanduser()
    if path.exists():
        return path
    text = os.fspath(name_or_path)
    is_name = not path.suffix and os.sep not in text and (os.altsep or os.sep) not in text
    if is_name:
        root = _saved_models_dir()
        candidate = root / text
        if candidate.exists():
            return candidate
        available = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
        raise GeneratorNotFoundError(
            f"No generator named {text!r}: neither a path nor a directory in {root} "
            f"(available: {', '.join(available) or 'none'}). Pass a path to a .keras file, "
            f"an exported SavedModel directory or a .tflite file, or set {SAVED_MODELS_ENV} "
            "to the folder holding the pretrained models."
        )
    raise GeneratorNotFoundError(
        f"No such file or directory: {text}. Expected a .keras file, an exported SavedModel "
        "directory or a .tflite file."
    )


def _read_card(directory):
    path = Path(directory) / CARD_FILE
    if not path.is_file():
        return {}
    try:
        card = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise ExportError(f"{path} is not a readable JSON model card: {error}") from error
    if not isinstance(card, dict):
        raise ExportError(f"{path} is not a model card: expected a JSON object.")
    return card


def _open_saved_model(path):
    """Returns a function from latent inputs (dict of arrays) to images, and checks the
    signature."""
    try:
        loaded = tf.saved_model.load(str(path))
    except Exception as error:  # corrupt protobufs raise DecodeError, OSError, ...
        raise ExportError(
            f"Could not load the SavedModel in {path} ({type(error).__name__}: "
            f"{str(error)[:300]}). Expected a generator exported by ganzoo.export_generator."
        ) from error
    signature = loaded.signatures.get("serving_default")
    outputs = getattr(signature, "structured_outputs", None)
    if signature is None or not isinstance(outputs, dict) or "images" not in outputs:
        raise ExportError(
            f"The SavedModel in {path} has no `serving_default` signature returning "
            f"`images` (signatures: {sorted(loaded.signatures)}). Expected a generator "
            "exported by ganzoo.export_generator."
        )
    inputs = signature.structured_input_signature[1]

    def run(latent):
        feed = {key: tf.constant(latent[key], dtype=inputs[key].dtype) for key in inputs}
        return signature(**feed)["images"].numpy()

    run.input_shapes = {key: list(spec.shape) for key, spec in inputs.items()}
    run.keep_alive = loaded  # the signature needs its object alive
    return run


def _open_tflite(path):
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError as error:
        raise ImportError(
            "Running .tflite files needs the LiteRT interpreter: pip install ai-edge-litert "
            "(or pip install 'ganzoo[tflite]')."
        ) from error
    try:
        interpreter = Interpreter(model_path=str(path))
        signatures = interpreter.get_signature_list()
    except Exception as error:  # a truncated or foreign file raises ValueError/RuntimeError
        raise ExportError(
            f"Could not read {path} as a TFLite model ({type(error).__name__}: "
            f"{str(error)[:300]}). Expected a .tflite file written by ganzoo.export_generator."
        ) from error
    if "serving_default" not in signatures or "images" not in signatures["serving_default"].get(
        "outputs", []
    ):
        raise ExportError(
            f"{path} has no `serving_default` signature returning `images` (signatures: "
            f"{sorted(signatures)}). Expected a .tflite file written by ganzoo.export_generator."
        )
    runner = interpreter.get_signature_runner("serving_default")
    details = runner.get_input_details()

    def run(latent):
        # The runner resizes its inputs to each batch and reallocates when they change.
        feed = {key: np.ascontiguousarray(latent[key], details[key]["dtype"]) for key in details}
        return np.array(runner(**feed)["images"])

    run.input_shapes = {
        key: [None if d < 0 else int(d) for d in value["shape_signature"]]
        for key, value in details.items()
    }
    return run


def _keras_runner(generator, specs):
    # Traced once for any batch size: an eager call per batch is several times slower.
    call = tf.function(lambda inputs: generator(inputs, training=False), reduce_retracing=True)

    def run(latent):
        inputs = [tf.constant(latent[spec["name"]], dtype=spec["dtype"]) for spec in specs]
        return keras.ops.convert_to_numpy(call(inputs[0] if len(inputs) == 1 else inputs))

    return run


def _saved_model_version_dir(path):
    if (path / "saved_model.pb").is_file():
        return path
    versions = [
        p
        for p in path.iterdir()
        if p.is_dir() and p.name.isdigit() and (p / "saved_model.pb").is_file()
    ]
    if versions:
        return max(versions, key=lambda p: int(p.name))
    return None


class LoadedGenerator:
    """A generator loaded by `load_generator`: sample images from any exported format.

    Attributes:
        path: the file or directory it was loaded from.
        format: "keras", "saved_model" or "tflite".
        card: the model card (`card.json`) as a dict; {} when there is none.
        latent_inputs: the generator's inputs (see `ganzoo.export.latent_inputs`).
        image_shape: `(height, width, channels)`, or None when unknown.
    """

    def __init__(self, path, format, run, latent_inputs, card=None, image_shape=None):
        self.path = Path(path)
        self.format = format
        self.card = card or {}
        self.latent_inputs = latent_inputs
        self.image_shape = tuple(image_shape) if image_shape else None
        self._run = run

    def __repr__(self):
        names = [spec["name"] for spec in self.latent_inputs]
        return f"<LoadedGenerator {self.format} {self.path} inputs={names}>"

    def _spec(self, name):
        return next((s for s in self.latent_inputs if s["name"] == name), None)

    def __call__(self, latent):
        """Runs the generator on latent inputs (a dict from input name to array); returns
        float32 images clipped to [-1, 1] (quantized variants can step just past it).
        Inputs of the wrong names, shapes or dtypes raise an `ExportError` saying which."""
        return np.clip(np.asarray(self._run(self._check_latent(latent)), np.float32), -1.0, 1.0)

    def _check_latent(self, latent):
        expected = {s["name"]: [None, *s["shape"][1:]] for s in self.latent_inputs}
        if not isinstance(latent, Mapping) or set(latent) != set(expected):
            got = sorted(map(str, latent)) if isinstance(latent, Mapping) else type(latent)
            raise ExportError(
                f"Expected latent inputs as a dict with the keys {sorted(expected)} (shapes "
                f"{expected}), got {got}. sample_latent(n) makes one."
            )
        checked, sizes = {}, set()
        for spec in self.latent_inputs:
            name, integer = spec["name"], spec["dtype"].startswith("int")
            value = np.asarray(latent[name])
            kinds = "iu" if integer else "iuf"
            shape_fits = value.ndim == len(expected[name]) and all(
                want is None or want == got for want, got in zip(expected[name], value.shape)
            )
            if value.dtype.kind not in kinds or not shape_fits or value.shape[0] == 0:
                raise ExportError(
                    f"Latent input {name!r} must be {'an integer' if integer else 'a real'} "
                    f"array of shape {tuple(expected[name])} with at least one row, got "
                    f"dtype {value.dtype} and shape {value.shape}."
                )
            if integer:
                try:
                    value = check_labels(len(value), value, spec.get("num_classes"))
                except ValueError as error:
                    raise ExportError(f"Latent input {name!r}: {error}") from None
            else:
                value = value.astype(np.float32)
                if not np.all(np.isfinite(value)):
                    raise ExportError(f"Latent input {name!r} holds NaN or infinite values.")
            checked[name] = value
            sizes.add(len(value))
        if len(sizes) > 1:
            raise ExportError(
                f"Latent inputs have different numbers of rows: "
                f"{ {name: len(value) for name, value in checked.items()} }."
            )
        return checked

    def _names(self):
        return [s["name"] for s in self.latent_inputs]

    def sample_latent(self, n, seed=None, labels=None, codes=None):
        """The latent inputs of `sample` as a dict of numpy arrays (same arguments)."""
        n = _integer(n, "n", 1, 2**31 - 1)
        if seed is None:
            seed = int(np.random.default_rng().integers(0, _SEED_MODULUS))
        seed = _integer(seed, "seed", -(2**62), 2**62)
        latent = {
            key: value.numpy() for key, value in draw_latent(self.latent_inputs, n, seed).items()
        }
        label_spec, codes_spec = self._spec("label"), self._spec("codes")
        if labels is not None:
            if label_spec is None:
                raise ExportError(
                    f"This generator takes no labels (inputs: {self._names()}); leave labels out."
                )
            try:
                latent["label"] = check_labels(n, labels, label_spec.get("num_classes"))
            except ValueError as error:
                raise ExportError(str(error)) from None
        elif label_spec is not None and "label" not in latent:
            raise ExportError(
                "This generator has no card giving its number of classes: pass labels "
                "(one integer or n integers)."
            )
        if codes is not None:
            if codes_spec is None:
                raise ExportError(
                    f"This generator takes no codes (inputs: {self._names()}); leave codes out."
                )
            latent["codes"] = self._codes(n, codes, codes_spec, latent.get("codes"))
        elif codes_spec is not None and "codes" not in latent:
            raise ExportError(
                "This generator has no card describing its codes: pass codes as an array "
                f"of shape ({n}, {codes_spec['shape'][1]})."
            )
        return latent

    def sample(self, n, seed=None, labels=None, codes=None):
        """Returns n generated images, float32 numpy `(n, H, W, C)` in [-1, 1].

        Args:
            n: number of images.
            seed: an integer makes the images reproducible; the same seed gives the images
                of `gan.generate(n, seed=seed)` whichever format was loaded (up to its
                precision). None draws a fresh seed.
            labels: conditional models: one class for all images, n classes, or None for
                random classes.
            codes: InfoGAN: None (drawn from P(c)), a dict with "categorical" (category
                indices) and/or "continuous" (values), as `InfoGAN.make_codes`, or raw code
                vectors `(n, code_dim)`.
        """
        return self(self.sample_latent(n, seed=seed, labels=labels, codes=codes))

    @staticmethod
    def _codes(n, codes, spec, drawn):
        width = spec["shape"][1]
        if not isinstance(codes, dict):
            array = np.asarray(codes, np.float32)
            if array.shape != (n, width):
                raise ExportError(f"Expected codes of shape ({n}, {width}), got {array.shape}.")
            return array
        if set(codes) - {"categorical", "continuous"} or drawn is None:
            raise ExportError(
                "codes must be a dict with the keys 'categorical' and/or 'continuous' (for "
                "a generator whose card describes its codes) or an array of shape "
                f"({n}, {width}); got {codes!r:.200}."
            )
        drawn = np.array(drawn, np.float32)
        categorical_codes = spec["categorical_codes"]
        if codes.get("categorical") is not None:
            indices = np.asarray(codes["categorical"])
            if not categorical_codes or indices.dtype.kind not in "iu":
                raise ExportError(
                    "codes['categorical'] takes integer category indices, and the generator "
                    f"needs categorical codes (it has {categorical_codes})."
                )
            indices = np.broadcast_to(
                indices.reshape(n, -1)
                if indices.ndim == 1 and len(categorical_codes) == 1
                else indices,
                (n, len(categorical_codes)),
            )
            start = 0
            for column, categories in enumerate(categorical_codes):
                values = indices[:, column]
                if values.min() < 0 or values.max() >= categories:
                    raise ExportError(
                        f"Categorical code {column} has {categories} categories, got indices "
                        f"from {values.min()} to {values.max()}."
                    )
                drawn[:, start : start + categories] = np.eye(categories, dtype=np.float32)[values]
                start += categories
        if codes.get("continuous") is not None:
            count = spec["continuous_codes"]
            values = np.asarray(codes["continuous"], np.float32)
            if not count:
                raise ExportError("This generator has no continuous codes.")
            if values.ndim == 1 and count == 1 and values.shape[0] == n:
                values = values.reshape(n, 1)
            drawn[:, width - count :] = np.broadcast_to(values, (n, count))
        return drawn


def _integer(value, name, low, high):
    """`value` as a Python int in [low, high], or an ExportError naming `name`."""
    try:
        number = operator.index(value)
    except TypeError:
        number = None
    if number is None or not low <= number <= high:
        raise ExportError(f"{name} must be an integer in [{low}, {high}], got {value!r:.100}.")
    return number


def _load_keras(path):
    from ganzoo.models import GAN

    card = _verified_card(path)
    try:
        # safe_mode: a file holding code (a Lambda layer's bytecode) is refused, not run.
        model = keras.saving.load_model(str(path), compile=False, safe_mode=True)
    except Exception as error:  # zipfile.BadZipFile, ValueError, KeyError, ...
        if "safe_mode" in str(error):
            raise ExportError(
                f"{path} holds Python code (a Lambda layer's bytecode). ganzoo loads models "
                "with safe_mode=True and never runs code from a file: rebuild the generator "
                "from registered layers, or load it yourself with keras.saving.load_model("
                "path, safe_mode=False) if you trust where it came from."
            ) from error
        raise ExportError(
            f"Could not load {path} as a .keras model ({type(error).__name__}: "
            f"{str(error)[:300]}). Expected a .keras file of a ganzoo GAN or a generator."
        ) from error
    if isinstance(model, GAN):
        specs = latent_inputs(model)
        generator, image_shape = model.sampler, model.image_shape
    elif isinstance(model, keras.Model) and getattr(model, "inputs", None):
        shapes = {tensor.name.split(":")[0]: list(tensor.shape) for tensor in model.inputs}
        # A generator shipped beside a card (ganzoo.zoo.publish) takes its priors from it.
        specs = [dict(spec) for spec in _specs_for(shapes, card, path)]
        order = [tensor.name.split(":")[0] for tensor in model.inputs]
        specs.sort(key=lambda spec: order.index(spec["name"]))
        generator, image_shape = model, tuple(model.output_shape[1:])
    else:
        raise ExportError(
            f"{path} holds a {type(model).__name__}, not a ganzoo GAN or a functional "
            "generator model."
        )
    return LoadedGenerator(path, "keras", _keras_runner(generator, specs), specs, card, image_shape)


def _specs_for(shapes, card, source):
    """The latent inputs of a model taking inputs of these shapes (name -> shape): the
    card's, checked against them, or inferred from them when there is no card."""
    specs = card.get("latent_inputs")
    if not specs:
        return _inferred_latent_inputs(shapes, source)
    names = [spec.get("name") for spec in specs]
    if sorted(names) != sorted(shapes) or any(
        spec["shape"][1:] != shapes[spec["name"]][1:] for spec in specs
    ):
        raise ExportError(
            f"The card beside {source} describes inputs "
            f"{ {s.get('name'): s.get('shape') for s in specs} }, but the model takes "
            f"{shapes}. The card belongs to another export."
        )
    return specs


def _image_shape(card):
    shape = card.get("images", {}).get("shape")
    return tuple(shape) if shape else None


def load_generator(name_or_path):
    """Loads a generator to sample from: a `.keras` file, a SavedModel or a `.tflite` file.

    Args:
        name_or_path: a path, or the name of a model in the saved-models folder (the
            `GANZOO_SAVED_MODELS` environment variable, else the repository's
            `saved_models/`; see the module docstring). Accepted:
            - a `.keras` file: a whole ganzoo GAN (its latent priors come from the model),
              or a bare generator (inputs named `noise`, `label`, `codes`): its priors come
              from the `card.json` beside it (as in `ganzoo.zoo.publish`'s directories);
              without a card normal noise is assumed and labels and codes must be passed
              to `sample`;
            - an exported SavedModel: its version directory, or the model directory
              (`out_dir/<name>`) holding versions, of which the highest is used;
            - a `.tflite` file written by `export_generator` (run with ai_edge_litert).
            The card (`card.json` beside the files) gives the latent priors.

    Returns:
        A `LoadedGenerator`: `.sample(n, seed=None, labels=None, codes=None)` returns float32
        numpy images in [-1, 1]; `.card` is the model card ({} when there is none).

    Raises:
        GeneratorNotFoundError (an `ExportError` and a `FileNotFoundError`): nothing there.
        ExportError: the file is truncated, corrupt or not an exported generator.

    Example:
    ```python
    generator = ganzoo.load_generator("saved_models/dcgan_mnist/dcgan_mnist_int8.tflite")
    images = generator.sample(64, seed=0)
    ```
    """
    path = _resolve(name_or_path)
    if path.is_dir():
        version_dir = _saved_model_version_dir(path)
        if version_dir is None:
            float_file = path / f"{path.name}_float32.tflite"
            if float_file.is_file():
                return load_generator(float_file)
            raise ExportError(
                f"{path} holds no SavedModel (saved_model.pb, or version directories 1/, "
                f"2/, ... holding one) and no {float_file.name}. Expected a directory "
                "written by ganzoo.export_generator."
            )
        card = _verified_card(version_dir)
        run = _open_saved_model(version_dir)
        specs = _specs_for(run.input_shapes, card, version_dir)
        return LoadedGenerator(version_dir, "saved_model", run, specs, card, _image_shape(card))
    suffix = path.suffix.lower()
    if suffix == ".keras":
        return _load_keras(path)
    if suffix == ".tflite":
        card = _verified_card(path)
        run = _open_tflite(path)
        specs = _specs_for(run.input_shapes, card, path)
        return LoadedGenerator(path, "tflite", run, specs, card, _image_shape(card))
    raise ExportError(
        f"Cannot load {path}: expected a .keras file, a .tflite file or a SavedModel directory."
    )
