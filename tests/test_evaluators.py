"""Evaluator classifiers and generator evaluation on tiny synthetic data."""

import json
import runpy
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import fit_data, tiny_model

import ganzoo
from ganzoo import cli, evaluators

METRICS = {
    "fid",
    "kid_mean",
    "kid_std",
    "precision",
    "recall",
    "density",
    "coverage",
    "classifier_score",
    "class_entropy",
    "classes_covered",
}


def labelled_arrays(num_images=64, size=28, num_classes=10):
    images = np.random.default_rng(0).integers(0, 256, (num_images, size, size, 1), np.uint8)
    return images, np.arange(num_images) % num_classes


def test_classifier_shapes():
    model = evaluators.mnist_classifier()
    assert model.input_shape == (None, 28, 28, 1)
    assert model.output_shape == (None, 10)
    assert model.get_layer("features").output.shape == (None, 128)
    probabilities = model(np.zeros((2, 28, 28, 1), np.float32))
    np.testing.assert_allclose(np.sum(probabilities, axis=1), 1.0, rtol=1e-5)


def test_train_evaluator_writes_classifier_and_card(tmp_path):
    card = evaluators.train_evaluator(
        labelled_arrays(), tmp_path / "classifier", epochs=1, batch_size=32, command="test"
    )
    assert (tmp_path / "classifier" / "classifier.keras").is_file()
    written = json.loads((tmp_path / "classifier" / "card.json").read_text())
    assert written == card
    assert 0.0 <= card["test_accuracy"] <= 1.0
    assert card["training_command"] == "test"
    assert card["epochs"] == 1
    assert card["parameters"] == evaluators.mnist_classifier().count_params()
    assert set(card["versions"]) >= {"ganzoo", "keras", "tensorflow"}

    evaluator = evaluators.load_evaluator(tmp_path / "classifier")
    # No optimizer state is saved: the file loads uncompiled.
    assert getattr(evaluator.model, "optimizer", None) is None
    assert evaluator.card == card
    images = np.zeros((7, 28, 28, 1), np.float32)
    assert evaluator.features(images).shape == (7, 128)
    assert evaluator.probabilities(images).shape == (7, 10)


def test_evaluator_batches_and_checks_shapes():
    evaluator = evaluators.load_evaluator(evaluators.mnist_classifier())
    evaluator.batch_size = 3
    images = np.random.default_rng(0).uniform(-1, 1, (8, 28, 28, 1)).astype("float32")
    np.testing.assert_allclose(
        evaluator.features(images),
        evaluators.Evaluator(evaluator.model, batch_size=100).features(images),
        atol=1e-5,
    )
    with pytest.raises(ValueError, match="Expected images of shape"):
        evaluator.features(np.zeros((2, 16, 16, 1)))


def test_features_and_probabilities_in_one_pass():
    evaluator = evaluators.load_evaluator(evaluators.mnist_classifier(3, (16, 16, 1), width=4))
    evaluator.batch_size = 3
    images = np.random.default_rng(0).uniform(-1, 1, (7, 16, 16, 1)).astype("float32")
    features, probabilities = evaluator.features_and_probabilities(images)
    np.testing.assert_allclose(features, evaluator.features(images), atol=1e-6)
    np.testing.assert_allclose(probabilities, evaluator.probabilities(images), atol=1e-6)


def test_load_evaluator_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="train_evaluator"):
        evaluators.load_evaluator(tmp_path / "nothing")


def tiny_generator(tmp_path, name):
    gan = tiny_model(name)
    gan.compile()
    path = tmp_path / f"{name}.keras"
    gan.save(path)
    return ganzoo.load_generator(path)


@pytest.mark.parametrize("name", ["DCGAN", "CGAN"])
def test_evaluate_generator_returns_every_metric(tmp_path, name):
    classifier = evaluators.mnist_classifier(3, (16, 16, 1), width=4, feature_dim=8)
    results = evaluators.evaluate_generator(
        tiny_generator(tmp_path, name),
        labelled_arrays(40, 16, 3),
        classifier,
        num_samples=20,
        seeds=(0, 1),
    )
    # A second call reuses the real features and floor, cached on the evaluator.
    cached = evaluators.load_evaluator(classifier)
    folder = tmp_path / "images"
    for index, (image, label) in enumerate(zip(*labelled_arrays(40, 16, 3))):
        (folder / str(label)).mkdir(parents=True, exist_ok=True)
        tf.io.write_file(str(folder / str(label) / f"{index}.png"), tf.io.encode_png(image))
    generator = tiny_generator(tmp_path, name)
    first = evaluators.evaluate_generator(generator, folder, cached, num_samples=20, seeds=[0])
    assert len(cached.cache) == 1
    again = evaluators.evaluate_generator(generator, folder, cached, num_samples=20, seeds=[0])
    assert again["floor"] == first["floor"] and again["metrics"] == first["metrics"]
    expected = METRICS | ({"label_accuracy"} if name == "CGAN" else set())
    assert set(results["metrics"]) == expected
    assert results["conditional"] == (name == "CGAN")
    assert results["seeds"] == [0, 1]
    for summary in results["metrics"].values():
        assert set(summary) == {"mean", "std"}
        assert np.isfinite([summary["mean"], summary["std"]]).all()
    assert 0.0 <= results["metrics"]["precision"]["mean"] <= 1.0
    assert np.isfinite(results["fid_floor"])
    assert results["floor"]["fid"] == results["fid_floor"]
    # The floor scores real images: no label accuracy there.
    assert set(results["floor"]) == METRICS


def test_score_images_known_answers():
    """Real images scored against themselves: FID 0, precision = recall = 1."""
    classifier = evaluators.mnist_classifier(3, (16, 16, 1), width=4, feature_dim=8)
    evaluator = evaluators.load_evaluator(classifier)
    images = np.random.default_rng(1).uniform(-1, 1, (30, 16, 16, 1)).astype("float32")
    real = evaluator.features(images)
    values = evaluators.score_images(
        evaluator, real, images, names=["fid", "precision", "recall", "coverage"]
    )
    assert list(values) == ["fid", "precision", "recall", "coverage"]
    assert values["fid"] == pytest.approx(0.0, abs=1e-6)
    assert values["precision"] == values["recall"] == values["coverage"] == 1.0
    labels = np.argmax(evaluator.probabilities(images), axis=1)
    scored = evaluators.score_images(evaluator, real, images, labels=labels)
    assert scored["label_accuracy"] == 1.0
    with pytest.raises(ValueError, match="Unknown metrics"):
        evaluators.score_images(evaluator, real, images, names=["fjd"])
    with pytest.raises(ValueError, match="needs labels"):
        evaluators.score_images(evaluator, real, images, names=["label_accuracy"])


def test_inception_weights_missing_or_corrupt(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="No Inception-v3 weights.*Copy"):
        evaluators.load_evaluator("inception")
    with pytest.raises(FileNotFoundError, match="No Inception-v3 weights"):
        evaluators.load_evaluator(tmp_path / "missing.h5")
    corrupt = tmp_path / "models" / evaluators.INCEPTION_WEIGHTS
    corrupt.parent.mkdir()
    corrupt.write_bytes(b"not weights")
    with pytest.raises(ValueError, match="truncated or corrupt"):
        evaluators.load_evaluator("inception")


def test_inception_features_from_local_weights(tmp_path):
    # Random weights in a local file stand in for the ImageNet ones, which tests never fetch.
    weights = tmp_path / "inception.weights.h5"
    keras.applications.InceptionV3(
        include_top=False, weights=None, input_shape=(299, 299, 3), pooling="avg"
    ).save_weights(weights)
    evaluator = evaluators.load_evaluator(weights)
    assert evaluator.num_classes is None
    evaluator.batch_size = 2
    gray = np.random.default_rng(0).uniform(-1, 1, (3, 16, 16, 1)).astype("float32")
    features = evaluator.features(gray)
    assert features.shape == (3, 2048)
    # Grayscale is repeated over RGB: the same image in color gives the same features.
    np.testing.assert_allclose(
        evaluator.features(np.repeat(gray, 3, axis=-1)), features, rtol=1e-4, atol=1e-5
    )
    with pytest.raises(ValueError, match="no class probabilities"):
        evaluator.probabilities(gray)
    with pytest.raises(ValueError, match="classifier evaluator"):
        evaluators.score_images(evaluator, features, gray, names=["classifier_score"])


def test_evaluate_every_logs_history_and_tensorboard(tmp_path, images):
    gan = tiny_model("CGAN")
    gan.compile()
    classifier = evaluators.mnist_classifier(gan.num_classes, (16, 16, 1), width=4, feature_dim=8)
    real = np.random.default_rng(0).uniform(-1, 1, (12, 16, 16, 1)).astype("float32")
    callback = ganzoo.callbacks.EvaluateEvery(
        2, real, classifier, num_samples=8, log_dir=tmp_path / "logs"
    )
    history = gan.fit(
        **fit_data("CGAN", images), batch_size=4, epochs=2, verbose=0, callbacks=[callback]
    )
    names = ["fid", "kid_mean", "precision", "recall", "label_accuracy"]
    assert callback.metric_names == names
    for name in names:
        first, second = history.history[name]
        assert np.isnan(first) and np.isfinite(second)
    assert list((tmp_path / "logs").iterdir())
    with pytest.raises(ValueError, match="needs an `evaluator`"):
        ganzoo.callbacks.EvaluateEvery(1, real)


def test_cli_evaluate(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "images"
    images, labels = labelled_arrays(24, 16, 2)
    for index, (image, label) in enumerate(zip(images, labels)):
        (folder / str(label)).mkdir(parents=True, exist_ok=True)
        tf.io.write_file(str(folder / str(label) / f"{index}.png"), tf.io.encode_png(image))
    classifier = evaluators.mnist_classifier(2, (16, 16, 1), width=4, feature_dim=8)
    classifier.save(tmp_path / "classifier.keras")
    generator = tiny_model("DCGAN")
    generator.compile()
    generator.save(tmp_path / "gan.keras")
    out = tmp_path / "results.json"
    argv = ["evaluate", str(tmp_path / "gan.keras"), "--dataset", str(folder)]
    argv += ["--evaluator", str(tmp_path / "classifier.keras"), "--num-samples", "10"]
    assert cli.main([*argv, "--seeds", "1", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "real train" in printed and "precision" in printed
    assert set(json.loads(out.read_text())["metrics"]) == METRICS
    # Without --json the results go to <generator>_<dataset>_evaluation.json.
    monkeypatch.chdir(tmp_path)
    assert cli.main([*argv, "--seeds", "1"]) == 0
    assert (tmp_path / "gan_images_evaluation.json").is_file()


def test_evaluate_zoo_recipe_writes_table(tmp_path, monkeypatch):
    folder = tmp_path / "images"
    images, labels = labelled_arrays(24, 16, 2)
    for index, (image, label) in enumerate(zip(images, labels)):
        (folder / str(label)).mkdir(parents=True, exist_ok=True)
        tf.io.write_file(str(folder / str(label) / f"{index}.png"), tf.io.encode_png(image))
    evaluators.mnist_classifier(2, (16, 16, 1), width=4, feature_dim=8).save(
        tmp_path / "classifier.keras"
    )
    gan = tiny_model("DCGAN")
    gan.compile()
    gan.save(tmp_path / "gan.keras")
    out = tmp_path / "docs"
    out.mkdir()
    (out / "results.md").write_text(
        "# Results\n\nBefore.\n\n<!-- results:images -->old\n"
        "<!-- end results:images -->\n\nAfter.\n"
    )
    argv = ["evaluate_zoo.py", str(tmp_path / "gan.keras"), "--dataset", str(folder)]
    argv += ["--evaluator", str(tmp_path / "classifier.keras"), "--num-samples", "10"]
    monkeypatch.setattr("sys.argv", [*argv, "--seeds", "2", "--out", str(out)])
    runpy.run_path(str(RECIPES / "evaluate_zoo.py"), run_name="__main__")
    page = (out / "results.md").read_text()
    assert page.startswith("# Results\n\nBefore.") and page.endswith("After.\n")
    assert "old" not in page and page.count("<!-- results:images -->") == 1
    table = [line for line in page.splitlines() if line.startswith("| ")]
    assert table[0].startswith("| generator | FID | KID | precision | recall")
    assert table[1] == "|" + " --- |" * 10  # name, 8 metrics, seconds
    assert table[2].startswith("| real train images (floor) |")
    assert table[3].startswith(f"| {tmp_path / 'gan.keras'} |") and " ± " in table[3]
    results = json.loads((out / "results_images.json").read_text())
    assert len(results) == 1 and results[0]["seeds"] == [0, 1]


RECIPES = Path(__file__).resolve().parent.parent / "recipes"
SAVED_MODELS = Path(__file__).resolve().parent.parent / "saved_models"
SHIPPED = sorted(p.parent for p in SAVED_MODELS.glob("*/classifier.keras"))


@pytest.mark.parametrize("directory", SHIPPED, ids=lambda path: path.name)
def test_shipped_evaluator_card_and_outputs(directory):
    evaluator = evaluators.load_evaluator(directory.name)
    assert {"dataset", "test_accuracy", "parameters", "training_command"} <= set(evaluator.card)
    assert evaluator.card["parameters"] == evaluator.model.count_params()
    probabilities = evaluator.probabilities(np.zeros((2, 28, 28, 1), np.float32))
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
