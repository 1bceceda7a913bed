"""Evaluator classifiers: a small CNN per dataset whose features measure generators.

Inception-v3 features suit natural images, not 28x28 digits. For MNIST and Fashion-MNIST a
small classifier trained on the real training split gives both the feature space of the
distribution metrics (its penultimate layer, named `features`, as "FID-MNIST" and similar
scores in the GAN literature) and the class probabilities of the classifier metrics.

```
saved_models/mnist_classifier/
  classifier.keras   the trained network, without optimizer state
  card.json          dataset, test accuracy, parameters, command, epochs, wall time, versions
```

`evaluate_generator(generator, "mnist")` compares a generator's samples with the real test
split in that space, over several seeds (see `ganzoo.metrics` for each metric).

Example:

```python
ganzoo.evaluators.train_evaluator("mnist", "saved_models/mnist_classifier", epochs=6)
evaluator = ganzoo.evaluators.load_evaluator("mnist_classifier")
results = ganzoo.evaluators.evaluate_generator("dcgan_mnist", "mnist", evaluator)
```
"""

import datetime
import json
import os
import sys
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from ganzoo import datasets, metrics
from ganzoo.export import _saved_models_dir, _versions

CLASSIFIER_FILE = "classifier.keras"
CARD_FILE = "card.json"
FEATURES_LAYER = "features"


def mnist_classifier(num_classes=10, image_shape=(28, 28, 1), *, width=32, feature_dim=128):
    """A small CNN classifier for 28x28 grayscale images in [-1, 1].

    Two blocks of two 3x3 convolutions (`width`, then `2 * width` filters) with max pooling
    and dropout, a dense ReLU layer named `features` (`feature_dim` units: the feature
    space of the evaluation metrics), dropout and a softmax over `num_classes`.

    Returns:
        An uncompiled `keras.Model` from images `(None, *image_shape)` to probabilities
        `(None, num_classes)`.
    """
    inputs = keras.Input(shape=tuple(image_shape), name="images")
    x = inputs
    for filters in (width, 2 * width):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = keras.layers.MaxPooling2D()(x)
        x = keras.layers.Dropout(0.25)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(feature_dim, activation="relu", name=FEATURES_LAYER)(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax", name="probabilities")(x)
    return keras.Model(inputs, outputs, name="mnist_classifier")


def train_evaluator(
    dataset,
    out_dir,
    *,
    epochs=6,
    batch_size=128,
    num_classes=10,
    image_shape=(28, 28, 1),
    learning_rate=1e-3,
    data_dir=None,
    seed=0,
    command=None,
):
    """Trains `mnist_classifier` on a dataset's training split and saves it with a card.

    Args:
        dataset: a tfds name ("mnist", "fashion_mnist") or what `ganzoo.datasets.load`
            accepts with labels (arrays `(images, labels)`: then the "test" accuracy is
            measured on the same arrays, since arrays have no splits).
        out_dir: directory receiving `classifier.keras` and `card.json`.
        epochs, batch_size, learning_rate: Adam training settings.
        num_classes, image_shape: the classifier's shapes.
        data_dir: the tfds data directory.
        seed: seeds Keras and the shuffle order.
        command: the command recorded in the card (default: this process's command line).

    Returns:
        The card as a dict (`test_accuracy` among its keys).
    """
    keras.utils.set_random_seed(seed)
    train_data = datasets.load(
        dataset, "train", batch_size, with_labels=True, data_dir=data_dir, seed=seed
    )
    test_data = datasets.load(
        dataset,
        "test",
        batch_size,
        with_labels=True,
        data_dir=data_dir,
        shuffle=False,
        drop_remainder=False,
    )
    model = mnist_classifier(num_classes, image_shape)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    start = time.monotonic()
    model.fit(train_data, epochs=epochs, verbose=2)
    wall_seconds = time.monotonic() - start
    _, test_accuracy = model.evaluate(test_data, verbose=0)

    # Saved from a fresh, uncompiled copy so the file holds no optimizer state.
    plain = mnist_classifier(num_classes, image_shape)
    plain.set_weights(model.get_weights())
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    plain.save(out_dir / CLASSIFIER_FILE)
    card = {
        "name": out_dir.name,
        "model": "mnist_classifier",
        "dataset": dataset if isinstance(dataset, str) else "arrays",
        "test_accuracy": float(test_accuracy),
        "test_split": "test" if isinstance(dataset, str) else "the training arrays",
        "num_classes": int(num_classes),
        "image_shape": [int(size) for size in image_shape],
        "features_layer": FEATURES_LAYER,
        "parameters": int(plain.count_params()),
        "epochs": int(epochs),
        "batch_size": int(batch_size),
        "learning_rate": float(learning_rate),
        "seed": seed,
        "training_command": command or " ".join(sys.argv),
        "wall_seconds": round(wall_seconds, 1),
        "versions": _versions(),
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    (out_dir / CARD_FILE).write_text(json.dumps(card, indent=2) + "\n")
    return card


class Evaluator:
    """A trained evaluator classifier: features and probabilities of images in [-1, 1].

    Attributes:
        model: the classifier (`keras.Model`), with a layer named `features`.
        card: its card as a dict ({} when there is none).
        num_classes: the number of classes (None for a feature extractor without classes).
        path: where it was loaded from (None when built from a model).
        batch_size: images per forward pass (bounds the memory of `features`).
    """

    def __init__(self, model, card=None, path=None, batch_size=500):
        self.model = model
        self.card = card or {}
        self.path = path
        self.batch_size = batch_size
        self.num_classes = int(model.output_shape[-1])
        self._features = keras.Model(model.input, model.get_layer(FEATURES_LAYER).output)
        self._both = None
        self.cache = {}  # real features and floors of evaluate_generator, per setting

    def check_images(self, images):
        """Returns `images` as float32, or raises ValueError if their shape does not fit."""
        images = np.asarray(images, np.float32)
        expected = tuple(self.model.input_shape[1:])
        if images.ndim != 4 or images.shape[1:] != expected:
            raise ValueError(
                f"Expected images of shape (n, {', '.join(map(str, expected))}), got "
                f"{images.shape}. Generate or load images of the evaluator's dataset."
            )
        return images

    def prepare(self, images):
        """Maps a batch of checked images to the network's input (here: unchanged)."""
        return images

    def _run(self, network, images):
        images = self.check_images(images)
        outputs = [
            network(self.prepare(images[start : start + self.batch_size]), training=False)
            for start in range(0, len(images), self.batch_size)
        ]
        if not outputs:
            return network(self.prepare(images[:0]), training=False)
        if isinstance(outputs[0], (list, tuple)):
            return tuple(np.concatenate(parts) for parts in zip(*outputs))
        return np.concatenate(outputs)

    def features(self, images):
        """Penultimate-layer features `(n, feature_dim)`, computed in batches."""
        return self._run(self._features, images)

    def probabilities(self, images):
        """Softmax class probabilities `(n, num_classes)`, computed in batches."""
        return self._run(self.model, images)

    def features_and_probabilities(self, images):
        """Both, from one pass over the images: `(features, probabilities)`."""
        if self._both is None:
            self._both = keras.Model(
                self.model.input, [self.model.get_layer(FEATURES_LAYER).output, self.model.output]
            )
        return self._run(self._both, images)


INCEPTION_WEIGHTS = "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5"
INCEPTION_WEIGHTS_MD5 = "bcbd6486424b2319ff4ef7d526e38f63"
INCEPTION_SIZE = 299


def _keras_cache():
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "models"


def _md5(path):
    import hashlib

    digest = hashlib.md5()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class InceptionEvaluator(Evaluator):
    """Inception-v3 pool features (2048-d) of images resized to 299x299, for standard FID/KID.

    Images in [-1, 1] (Inception-v3's own input range) are resized bilinearly to 299x299,
    grayscale images are repeated over three channels, and the global-average-pooled output
    of the last mixed block is the feature vector (Heusel et al., "GANs Trained by a Two
    Time-Scale Update Rule Converge to a Local Nash Equilibrium", arXiv 1706.08500). The
    weights are Keras' ImageNet weights (`keras.applications.InceptionV3`), not the 2015
    TensorFlow graph of the original FID code, so figures are close to but not identical with
    published FIDs. It has no class probabilities (`num_classes` is None): the class-based
    scores need a classifier evaluator.

    Nothing is downloaded: the weights come from `weights`, a path, or from Keras' cache
    (`$KERAS_HOME/models/inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5`, by default
    under `~/.keras`), where any earlier `keras.applications.InceptionV3(include_top=False)`
    call on a connected machine put them.

    Args:
        weights: path of the no-top weights file; None looks in Keras' cache.
        batch_size: images per forward pass. The default 25 peaks at about 4 GB of process
            memory on CPU; 100 at about 13 GB (benchmarks/metrics_speed.py).
    """

    def __init__(self, weights=None, batch_size=25):
        path = Path(weights).expanduser() if weights is not None else _keras_cache()
        if weights is None:
            path = path / INCEPTION_WEIGHTS
        if not path.is_file():
            raise FileNotFoundError(
                f"No Inception-v3 weights at {path}. Copy "
                f"{INCEPTION_WEIGHTS} (from https://storage.googleapis.com/tensorflow/"
                "keras-applications/inception_v3/, or from ~/.keras/models on a machine where "
                "keras.applications.InceptionV3(include_top=False) has run) into "
                f"{_keras_cache()}, or pass its path (`--evaluator PATH.h5`). Without them, "
                "use the dataset's classifier evaluator (e.g. mnist_classifier)."
            )
        if path.name == INCEPTION_WEIGHTS and _md5(path) != INCEPTION_WEIGHTS_MD5:
            raise ValueError(
                f"{path} is not Keras' Inception-v3 no-top weights file (its md5 is not "
                f"{INCEPTION_WEIGHTS_MD5}): the copy is truncated or corrupt. Copy it again."
            )
        model = keras.applications.InceptionV3(
            include_top=False,
            weights=None,
            input_shape=(INCEPTION_SIZE, INCEPTION_SIZE, 3),
            pooling="avg",
        )
        try:
            model.load_weights(path)
        except Exception as error:
            raise ValueError(
                f"Could not load Inception-v3 no-top weights from {path}: {error}. Pass the "
                f"file {INCEPTION_WEIGHTS}."
            ) from error
        self.model = model
        self.card = {"model": "inception_v3", "weights": str(path)}
        self.path = path
        self.batch_size = batch_size
        self.num_classes = None
        self._features = model
        self._both = None
        self.cache = {}

    def check_images(self, images):
        images = np.asarray(images, np.float32)
        if images.ndim != 4 or images.shape[-1] not in (1, 3):
            raise ValueError(
                f"Expected images of shape (n, height, width, 1 or 3) in [-1, 1], got "
                f"{images.shape}."
            )
        return images

    def prepare(self, images):
        images = tf.image.resize(images, (INCEPTION_SIZE, INCEPTION_SIZE), "bilinear")
        if images.shape[-1] == 1:
            images = tf.repeat(images, 3, axis=-1)
        return images

    def probabilities(self, images):
        raise ValueError(
            "Inception-v3 features have no class probabilities here; use a classifier "
            "evaluator (e.g. mnist_classifier) for the class-based scores."
        )


def load_evaluator(name_or_path):
    """Loads an evaluator.

    Accepted: an `Evaluator`; a Keras classifier with a `features` layer; "inception" (the
    Inception-v3 weights in Keras' cache); a `.h5` Inception-v3 no-top weights file; a
    directory with `classifier.keras`; a `.keras` file; or a name in the saved-models folder
    (e.g. "mnist_classifier"; see `ganzoo.export`).
    """
    if isinstance(name_or_path, Evaluator):
        return name_or_path
    if isinstance(name_or_path, keras.Model):
        return Evaluator(name_or_path)
    if os.fspath(name_or_path) == "inception":
        return InceptionEvaluator()
    if os.fspath(name_or_path).endswith(".h5"):
        return InceptionEvaluator(name_or_path)
    path = Path(os.fspath(name_or_path)).expanduser()
    if not path.exists() and not path.suffix and os.sep not in os.fspath(name_or_path):
        path = _saved_models_dir() / os.fspath(name_or_path)
    if path.is_dir():
        path = path / CLASSIFIER_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"No evaluator at {path}. Train one with `python recipes/train_evaluator.py "
            "--dataset mnist --out saved_models/mnist_classifier`, or pass the path of its "
            "directory or .keras file, or 'inception'."
        )
    card_path = path.parent / CARD_FILE
    card = json.loads(card_path.read_text()) if card_path.is_file() else {}
    try:
        model = keras.saving.load_model(path, compile=False)
    except Exception as error:
        raise ValueError(
            f"Could not load the evaluator {path}: {error}. The file is truncated or not a "
            "Keras classifier; train it again with recipes/train_evaluator.py."
        ) from error
    return Evaluator(model, card, path)


def _real_images(dataset, split, data_dir, limit):
    # tfds reads only the slice; folders and arrays ignore the split and are cut below.
    data = datasets.load(
        dataset,
        f"{split}[:{limit}]",
        1000,
        data_dir=data_dir,
        shuffle=False,
        drop_remainder=False,
    )
    return np.concatenate([np.asarray(batch) for batch in data])[:limit]


def _summary(values):
    values = np.asarray(values, np.float64)
    return {"mean": float(values.mean()), "std": float(values.std())}


DISTRIBUTION_METRICS = ("fid", "kid_mean", "kid_std", "precision", "recall", "density", "coverage")
CLASS_METRICS = ("classifier_score", "class_entropy", "classes_covered", "label_accuracy")


def score_images(
    evaluator, real_features, images, labels=None, names=None, k_precision=3, k_density=5
):
    """Scores generated images against real features in an evaluator's feature space.

    Args:
        evaluator: an `Evaluator`.
        real_features: `evaluator.features` of real images, `(n_real, d)`.
        images: generated images in [-1, 1].
        labels: the classes the images were generated for (conditional models), or None.
        names: the metrics to compute (default: all that apply): `fid`, `kid_mean`,
            `kid_std`, `precision`, `recall` (k = `k_precision`), `density`, `coverage`
            (k = `k_density`), and with a classifier `classifier_score`, `class_entropy`,
            `classes_covered` and, given labels, `label_accuracy`.

    Returns:
        A dict from metric name to float.
    """
    has_classes = evaluator.num_classes is not None
    applicable = [
        name
        for name in DISTRIBUTION_METRICS + CLASS_METRICS
        if (name not in CLASS_METRICS or has_classes)
        and (name != "label_accuracy" or labels is not None)
    ]
    names = applicable if names is None else list(names)
    unknown = sorted(set(names) - set(DISTRIBUTION_METRICS + CLASS_METRICS))
    if unknown:
        raise ValueError(
            f"Unknown metrics {unknown}; choose from {list(DISTRIBUTION_METRICS + CLASS_METRICS)}."
        )
    if set(names) - set(applicable):
        raise ValueError(
            f"Cannot compute {sorted(set(names) - set(applicable))} here: the class-based "
            "scores need a classifier evaluator, and label_accuracy needs labels."
        )
    values = {}
    fake = probabilities = None
    wants_features = bool(set(names) & set(DISTRIBUTION_METRICS))
    wants_classes = bool(set(names) & set(CLASS_METRICS))
    if wants_features and wants_classes:
        fake, probabilities = evaluator.features_and_probabilities(images)
    elif wants_features:
        fake = evaluator.features(images)
    elif wants_classes:
        probabilities = evaluator.probabilities(images)
    if wants_features:
        if "fid" in names:
            values["fid"] = metrics.fid_from_features(real_features, fake)
        if {"kid_mean", "kid_std"} & set(names):
            values["kid_mean"], values["kid_std"] = metrics.kernel_inception_distance(
                real_features, fake
            )
        if {"precision", "recall"} & set(names):
            values["precision"], values["recall"] = metrics.precision_recall(
                real_features, fake, k=k_precision
            )
        if {"density", "coverage"} & set(names):
            values["density"], values["coverage"] = metrics.density_coverage(
                real_features, fake, k=k_density
            )
    if wants_classes:
        if "classifier_score" in names:
            values["classifier_score"] = metrics.classifier_score(probabilities)
        if {"class_entropy", "classes_covered"} & set(names):
            values["class_entropy"], values["classes_covered"] = metrics.class_coverage(
                probabilities, evaluator.num_classes
            )
        if "label_accuracy" in names:
            values["label_accuracy"] = metrics.label_accuracy(probabilities, labels)
    return {name: float(values[name]) for name in names}


def _sample(generator, num_samples, seed, labels, chunk=1000):
    # In chunks, so that memory stays bounded; chunk i of seed s uses seed s * 1_000_003 + i.
    return np.concatenate(
        [
            generator.sample(
                min(chunk, num_samples - start),
                seed=seed * 1_000_003 + index,
                labels=None if labels is None else labels[start : start + chunk],
            )
            for index, start in enumerate(range(0, num_samples, chunk))
        ]
    )


def evaluate_generator(
    generator,
    dataset="mnist",
    evaluator=None,
    *,
    num_samples=10000,
    seeds=(0, 1, 2),
    data_dir=None,
    k_precision=3,
    k_density=5,
):
    """Scores a generator against a dataset's real test images in an evaluator's features.

    For each seed, `num_samples` images are generated (conditional generators get labels
    uniformly over the classes, `i % num_classes`) and compared with `num_samples` real test
    images by `score_images`: FID in the evaluator's feature space (`fid`, "FID-MNIST" for
    the MNIST classifier), KID (`kid_mean`, `kid_std`), improved precision and recall (k =
    `k_precision`), density and coverage (k = `k_density`) and, with a classifier, the
    classifier score, class coverage (`class_entropy`, `classes_covered`) and for
    conditional generators the share classified as the requested label (`label_accuracy`).
    Each is reported as its mean and standard deviation over the seeds.

    The floor (`floor`) scores `num_samples` real training images the same way: the figures
    a perfect generator would get at this sample size (its `fid` is the real-train versus
    real-test FID, `fid_floor`).

    Args:
        generator: a `LoadedGenerator`, or what `ganzoo.load_generator` accepts.
        dataset: a tfds name with "train" and "test" splits, e.g. "mnist".
        evaluator: an `Evaluator`, or what `load_evaluator` accepts; None loads
            "<dataset>_classifier".
        num_samples: generated and real images per seed.
        seeds: generator seeds.
        data_dir: the tfds data directory.

    Returns:
        A dict: `metrics` (name -> {"mean", "std"}), `floor` (name -> value), `fid_floor`,
        `num_samples`, `seeds`, `dataset`, `conditional`, `evaluator` (its path and test
        accuracy), `generator`, `wall_seconds`.
    """
    from ganzoo.export import LoadedGenerator, load_generator

    start_time = time.monotonic()
    if not isinstance(generator, LoadedGenerator):
        generator = load_generator(generator)
    evaluator = load_evaluator(evaluator if evaluator is not None else f"{dataset}_classifier")
    num_samples = int(num_samples)
    if num_samples <= max(k_precision, k_density):
        raise ValueError(
            f"num_samples must exceed the neighbour counts (k = {k_precision}, {k_density}), "
            f"got {num_samples}."
        )
    seeds = [int(seed) for seed in seeds]
    if not seeds:
        raise ValueError("Expected at least one seed, got none.")

    conditional = any(spec["name"] == "label" for spec in generator.latent_inputs)
    if conditional and evaluator.num_classes is None:
        raise ValueError(
            "A conditional generator needs a classifier evaluator for its label accuracy."
        )
    labels = np.arange(num_samples) % evaluator.num_classes if conditional else None
    # The real features and the floor depend only on these: computed once per evaluator.
    key = None
    if isinstance(dataset, (str, os.PathLike)):
        key = (os.fspath(dataset), str(data_dir), num_samples, k_precision, k_density)
    if key is not None and key in evaluator.cache:
        real_test, floor = evaluator.cache[key]
    else:
        real_test = evaluator.features(_real_images(dataset, "test", data_dir, num_samples))
        real_train = _real_images(dataset, "train", data_dir, num_samples)
        floor = score_images(
            evaluator, real_test, real_train, k_precision=k_precision, k_density=k_density
        )
        if key is not None:
            evaluator.cache[key] = (real_test, floor)
    scores = {
        "evaluator": evaluator,
        "real_features": real_test,
        "k_precision": k_precision,
        "k_density": k_density,
    }
    per_seed = {}
    for seed in seeds:
        images = _sample(generator, num_samples, seed, labels)
        for name, value in score_images(images=images, labels=labels, **scores).items():
            per_seed.setdefault(name, []).append(value)
    return {
        "dataset": dataset,
        "generator": str(generator.path),
        "evaluator": {
            "path": str(evaluator.path) if evaluator.path else None,
            "test_accuracy": evaluator.card.get("test_accuracy"),
        },
        "num_samples": num_samples,
        "seeds": seeds,
        "conditional": conditional,
        "fid_floor": floor["fid"],
        "floor": floor,
        "metrics": {name: _summary(values) for name, values in per_seed.items()},
        "wall_seconds": round(time.monotonic() - start_time, 1),
    }


TABLE_COLUMNS = (
    ("fid", "FID", 2, 1.0),
    ("kid_mean", "KID", 3, 1.0),
    ("precision", "precision", 3, 1.0),
    ("recall", "recall", 3, 1.0),
    ("density", "density", 3, 1.0),
    ("coverage", "coverage", 3, 1.0),
    ("classes_covered", "classes", 1, 1.0),
    ("classifier_score", "class. score", 2, 1.0),
    ("label_accuracy", "label acc.", 3, 1.0),
)


def results_table(results, names=None):
    """A markdown table of `evaluate_generator` results: a row for the real training images
    (the floor, from the first result) and one per generator, "mean ± std" over seeds.

    Args:
        results: a list of `evaluate_generator` results.
        names: the row names (default: each result's `generator` path).
    """
    names = names or [result["generator"] for result in results]
    present = {key for result in results for key in result["metrics"]}
    columns = [column for column in TABLE_COLUMNS if column[0] in present]

    def cell(values, key, digits, scale):
        value = values.get(key)
        if value is None:
            return ""
        if isinstance(value, dict):
            return f"{value['mean'] * scale:.{digits}f} ± {value['std'] * scale:.{digits}f}"
        return f"{value * scale:.{digits}f}"

    def row(name, values, seconds=""):
        cells = [cell(values, key, digits, scale) for key, _, digits, scale in columns]
        return "| " + " | ".join([name, *cells, str(seconds)]) + " |"

    lines = [
        "| generator | " + " | ".join(column[1] for column in columns) + " | seconds |",
        "|" + " --- |" * (len(columns) + 2),
        row("real train images (floor)", results[0]["floor"]),
    ]
    for name, result in zip(names, results):
        lines.append(row(name, result["metrics"], f"{result['wall_seconds']:.0f}"))
    return "\n".join(lines)


def write_results_section(page, tag, body):
    """Puts `body` into the markdown file `page` between `<!-- results:<tag> -->` and
    `<!-- end results:<tag> -->`, replacing what was there, or appends the section when the
    markers are missing. Returns the section."""
    page = Path(page)
    start, end = f"<!-- results:{tag} -->", f"<!-- end results:{tag} -->"
    section = f"{start}\n{body.rstrip()}\n{end}"
    text = page.read_text() if page.exists() else "# Results\n"
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    page.write_text(text)
    return section
