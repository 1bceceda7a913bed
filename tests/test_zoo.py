"""The pretrained zoo: publishing a run (on tiny data), and every shipped generator."""

import json
import runpy
import sys
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds
from conftest import TINY

import ganzoo
from ganzoo import cli, datasets, evaluators, export, zoo

ROOT = Path(__file__).resolve().parent.parent
SAVED_MODELS = ROOT / "saved_models"
# The generators issue 6 asks for: every model class on MNIST, DCGAN and CGAN on Fashion.
EXPECTED = {
    "gan_mnist": "GAN",
    "dcgan_mnist": "DCGAN",
    "cgan_mnist": "CGAN",
    "lsgan_mnist": "LSGAN",
    "infogan_mnist": "InfoGAN",
    "dcgan_fashion_mnist": "DCGAN",
    "cgan_fashion_mnist": "CGAN",
    # Issue 9's classes.
    "sngan_mnist": "SNGAN",
    "acgan_mnist": "ACGAN",
    "wgangp_mnist": "WGANGP",
}


@pytest.fixture
def labelled_folder(tmp_path):
    folder = tmp_path / "digits"
    pixels = np.random.default_rng(0).integers(0, 256, (24, 16, 16, 1), dtype=np.uint8)
    for index, image in enumerate(pixels):
        (folder / str(index % 3)).mkdir(parents=True, exist_ok=True)
        tf.io.write_file(str(folder / str(index % 3) / f"{index}.png"), tf.io.encode_png(image))
    return folder


@pytest.fixture
def classifier(tmp_path):
    path = tmp_path / "classifier.keras"
    evaluators.mnist_classifier(3, (16, 16, 1), width=4, feature_dim=8).save(path)
    return path


def tiny_run(name, folder, out):
    options = {k: v for k, v in TINY[name].items() if k not in ("image_shape", "latent_dim")}
    options.pop("num_classes", None)  # the folder's classes give it
    ganzoo.train(
        name,
        folder,
        out,
        epochs=1,
        batch_size=4,
        latent_dim=8,
        model_options=options,
        seed=0,
        steps_per_epoch=2,
        verbose=0,
    )
    return out


@pytest.mark.parametrize("name", ["CGAN", "InfoGAN"])
def test_publish_writes_every_file_and_a_complete_card(name, labelled_folder, classifier, tmp_path):
    run = tiny_run(name, labelled_folder, tmp_path / "run")
    target = zoo.publish(
        run,
        "tiny",
        out_dir=tmp_path / "zoo",
        command="python recipes/tiny.py",
        num_samples=10,
        seeds=1,
        evaluator=classifier,
        representative_samples=4,
    )
    assert target == tmp_path / "zoo" / "tiny"
    check_shipped(target, name, num_images=3)
    card = json.loads((target / "card.json").read_text())
    assert card["training"]["command"] == "python recipes/tiny.py"
    assert card["training"]["epochs"] == 1 and card["training"]["steps"] == 2
    assert card["training"]["batch_size"] == 4 and card["training"]["seed"] == 0
    assert card["evaluation"]["saved_model"]["num_samples"] == 10
    assert zoo.shipped(tmp_path / "zoo") == [target]
    table = zoo.model_table(tmp_path / "zoo").splitlines()
    assert table[0].startswith("| generator | model | dataset")
    assert table[2].startswith(f"| [tiny](saved_models/tiny) | {name} |")
    assert not [p for p in (tmp_path / "zoo").iterdir() if p.name.startswith(".")]


def test_a_failed_publish_keeps_the_previous_generator(labelled_folder, classifier, tmp_path):
    run = tiny_run("DCGAN", labelled_folder, tmp_path / "run")
    options = {"out_dir": tmp_path / "zoo", "num_samples": 10, "seeds": 1}
    options["representative_samples"] = 4
    target = zoo.publish(run, "tiny", evaluator=classifier, **options)
    before = {p.name: p.stat().st_mtime_ns for p in target.iterdir()}
    with pytest.raises(FileNotFoundError):
        zoo.publish(run, "tiny", evaluator=tmp_path / "missing.keras", **options)
    assert {p.name: p.stat().st_mtime_ns for p in target.iterdir()} == before
    assert not [p for p in (tmp_path / "zoo").iterdir() if p.name.startswith(".")]
    with pytest.raises(FileNotFoundError, match="has not finished"):
        zoo.publish(tmp_path / "nowhere", "other", evaluator=classifier, **options)


def test_cli_publish_and_zoo_table(labelled_folder, classifier, tmp_path, capsys, monkeypatch):
    run = tiny_run("DCGAN", labelled_folder, tmp_path / "run")
    monkeypatch.setenv(export.SAVED_MODELS_ENV, str(tmp_path / "zoo"))
    argv = ["publish", str(run), "--name", "tiny", "--num-samples", "10", "--seeds", "1"]
    argv += ["--evaluator", str(classifier)]
    assert cli.main(argv) == 0
    assert "| [tiny](saved_models/tiny) | DCGAN |" in capsys.readouterr().out
    readme = tmp_path / "README.md"
    readme.write_text("# Zoo\n<!-- zoo -->\nold\n<!-- end zoo -->\nafter\n")
    assert cli.main(["zoo", "--readme", str(readme)]) == 0
    text = readme.read_text()
    assert "old" not in text and "| [tiny](saved_models/tiny) | DCGAN |" in text
    assert text.endswith("<!-- end zoo -->\nafter\n")
    # The published generator is found by name, as users call it, and `ganzoo evaluate`
    # takes the dataset from its card.
    assert ganzoo.load_generator("tiny").sample(2, seed=0).shape == (2, 16, 16, 1)
    out = tmp_path / "evaluation.json"
    argv = ["evaluate", "tiny", "--evaluator", str(classifier), "--num-samples", "10"]
    assert cli.main([*argv, "--seeds", "1", "--json", str(out)]) == 0
    assert json.loads(out.read_text())["dataset"] == str(labelled_folder)


# Two recipes in the default suite (a conditional and a code model: every publish path);
# the others, alike but for their settings, under -m slow to keep the suite fast.
SMOKE = [
    name if name in ("cgan_mnist", "infogan_mnist") else pytest.param(name, marks=pytest.mark.slow)
    for name in sorted(EXPECTED)
]


@pytest.mark.parametrize("name", SMOKE)
def test_recipe_smoke_trains_and_publishes(name, tmp_path, monkeypatch):
    # tfds mock data stands in for the dataset; the real classifiers of saved_models score it.
    monkeypatch.setattr(datasets, "_network_available", lambda url: True)
    out = tmp_path / "run"
    monkeypatch.setattr(sys, "argv", [f"{name}.py", "--smoke", "--out", str(out)])
    with tfds.testing.mock_data(num_examples=640):  # two batches of the largest (WGANGP 320)
        runpy.run_path(str(ROOT / "recipes" / f"{name}.py"), run_name="__main__")
    target = tmp_path / "run_smoke" / "saved_models" / name
    check_shipped(target, EXPECTED[name], num_images=2)
    card = json.loads((target / "card.json").read_text())
    assert card["training"]["command"].startswith("python ")
    assert "--smoke" in card["training"]["command"]


def check_shipped(folder, model, num_images=2):
    """A published directory holds every file, a complete card, and each format samples."""
    name = folder.name
    card = json.loads((folder / "card.json").read_text())
    assert card["model"] == model and card["name"] == name
    for filename in (f"{name}.keras", "1", f"{name}_float16.tflite", f"{name}_int8.tflite"):
        assert (folder / filename).exists(), filename
    assert card["generator_file"] == f"{name}.keras"
    assert set(card["files"]) == {
        f"{name}.keras",
        "1",
        f"{name}_float16.tflite",
        f"{name}_int8.tflite",
    }
    for file, entry in card["files"].items():
        assert entry["bytes"] > 0 and entry["sha256"] == export.file_digest(folder / file), file
        if entry["format"] != "keras":  # the export's parity with the Keras generator
            # int8's worst pixel over the parity batch (8 images) reached 1.02 of the range
            # of 2 (the third DCGAN recipe: a sharp generator's saturated pixel moves far);
            # a file of another or broken model differs by up to 2. int8's cost in quality
            # is checked on FID below.
            bound = 1.5 if file.endswith("_int8.tflite") else 0.05
            assert entry["max_abs_diff"] < bound, file
    assert (folder / card["samples"]).stat().st_size > 1000
    training = card["training"]
    for key in zoo.REQUIRED_TRAINING:
        assert training.get(key) not in (None, ""), key
    assert training["wall_seconds"] > 0 and training["images_per_second"] > 0
    evaluation = card["evaluation"]
    for variant in ("saved_model", "int8"):
        scores = evaluation[variant]
        assert np.isfinite(scores["fid_floor"]) and scores["floor"]["fid"] == scores["fid_floor"]
        for key in zoo.REQUIRED_METRICS:
            assert np.isfinite(scores["metrics"][key]["mean"]), (variant, key)
        if model in ("CGAN", "ACGAN"):
            assert 0 <= scores["metrics"]["label_accuracy"]["mean"] <= 1
    fid, int8_fid = (evaluation[v]["metrics"]["fid"]["mean"] for v in ("saved_model", "int8"))
    if name in INT8_KNOWN_LOSSY:
        # Known and published in the README: this int8 file loses quality; when it no longer
        # does, the entry leaves INT8_KNOWN_LOSSY.
        assert int8_fid >= 1.1 * fid + 2.0, f"{name}'s int8 file is fine now: drop it from the list"
    else:
        assert int8_fid < 1.1 * fid + 2.0  # quantization costs little quality
    if model == "InfoGAN":
        assert 0 <= evaluation["code_accuracy"] <= 1
        assert np.isfinite(evaluation["mutual_information"]["estimate_nats"])
    assert all(ms > 0 for ms in evaluation["tflite_latency_ms"].values())
    shape = tuple(card["images"]["shape"])
    conditional = any(spec["name"] == "label" for spec in card["latent_inputs"])
    images = {}
    for source in (f"{name}.keras", "1", f"{name}_float16.tflite", f"{name}_int8.tflite"):
        generator = ganzoo.load_generator(folder / source)
        labels = 0 if conditional else None
        images[source] = generator.sample(num_images, seed=3, labels=labels)
        assert images[source].shape == (num_images, *shape), source
        assert np.isfinite(images[source]).all() and np.abs(images[source]).max() <= 1
    # Every format draws the same latent inputs: the files agree with the Keras generator.
    np.testing.assert_allclose(images["1"], images[f"{name}.keras"], atol=1e-4)
    np.testing.assert_allclose(images[f"{name}_float16.tflite"], images["1"], atol=0.05)


def test_every_expected_generator_is_shipped():
    shipped = {folder.name: folder for folder in zoo.shipped(SAVED_MODELS)}
    missing = sorted(set(EXPECTED) - set(shipped))
    assert not missing, f"not yet published: {missing}"


# int8 files that cost more than 10% + 2 FID points (dcgan_fashion_mnist: 4.52 -> 14.6 with
# the default preset's hidden fully connected layers; not yet investigated).
INT8_KNOWN_LOSSY = {"dcgan_fashion_mnist"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shipped_generator_is_complete_and_samples(name):
    folder = SAVED_MODELS / name
    if not (folder / "card.json").is_file():
        pytest.skip(f"{name} is not published yet (test_every_expected_generator_is_shipped)")
    check_shipped(folder, EXPECTED[name], num_images=4)
    assert ganzoo.load_generator(name).sample(2, seed=0).shape[0] == 2  # by name, as users do
    card = json.loads((folder / "card.json").read_text())
    assert card["evaluation"]["saved_model"]["num_samples"] == 10000
    assert len(card["evaluation"]["saved_model"]["seeds"]) >= 3
    assert card["training"]["command"].startswith("python recipes/")


def test_saved_models_stay_small():
    # The aim was 60 MB for issue 6's seven generators (46 MB); with the later classes'
    # generators the folder grew to 64 MiB, and with the sixth DCGAN recipe's generator at
    # twice the fifth's parameters (9.9 MB in four formats) to 68 MiB; with the default
    # presets' generators (hidden layers: 6-10 MB each) for LSGAN, CGAN, ACGAN, SNGAN and the
    # Fashion-MNIST DCGAN, 86.5 MiB: 96 MiB at most.
    assert zoo.total_bytes(SAVED_MODELS) < 96 * 2**20
