"""The `ganzoo` command on tiny data: list, train with checkpoints and resume, data prepare."""

import json
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

import ganzoo
from ganzoo import cli

TINY_GAN = [
    "--latent-dim",
    "8",
    "--set",
    "generator_units=(16,)",
    "--set",
    "discriminator_units=(16,)",
    "--set",
    "maxout_pieces=2",
]


@pytest.fixture
def image_folder(tmp_path):
    folder = tmp_path / "images"
    folder.mkdir()
    pixels = np.random.default_rng(0).integers(0, 256, (8, 16, 16, 1), dtype=np.uint8)
    for i, image in enumerate(pixels):
        tf.io.write_file(str(folder / f"{i}.png"), tf.io.encode_png(image))
    return folder


def train(folder, out, *extra):
    return cli.main(
        [
            "train",
            "gan",
            "--dataset",
            str(folder),
            "--epochs",
            "1",
            "--batch-size",
            "4",
            "--out",
            str(out),
            *TINY_GAN,
            *extra,
        ]
    )


def test_list(capsys):
    assert cli.main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line.split()[0] for line in lines if not line.startswith(" ")]
    assert names == list(ganzoo.models.MODELS)
    assert names[:2] == ["GAN", "DCGAN"]
    presets = [line.split()[1] for line in lines if line.startswith(" ")]
    assert presets == ["default", "paper"] * len(names)
    assert "preset paper (batch 100): Goodfellow et al. 2014 (arXiv 1406.2661)" in lines[2]


def test_train_then_resume(image_folder, tmp_path, monkeypatch, capsys):
    out = tmp_path / "run"
    monkeypatch.chdir(tmp_path)
    assert train(image_folder, out, "--seed", "1") == 0
    assert (out / "model.keras").exists() and (out / "grids" / "epoch_0001.png").exists()
    assert json.loads((out / "run.json").read_text())["model"] == "GAN"
    first = keras.models.load_model(out / "model.keras")
    assert int(first.g_optimizer.iterations) == 2  # 8 images in batches of 4

    # A second run into the same directory is refused and leaves the model alone.
    stamp = (out / "model.keras").stat().st_mtime_ns
    assert train(image_folder, out, "--seed", "1") == 1
    assert "--resume" in capsys.readouterr().err
    assert (out / "model.keras").stat().st_mtime_ns == stamp

    # Resuming with more epochs trains only the missing epoch, from the checkpoint.
    assert train(image_folder, out, "--seed", "1", "--resume", "--epochs", "2") == 0
    resumed = keras.models.load_model(out / "model.keras")
    assert int(resumed.g_optimizer.iterations) == 4
    assert sorted(p.name for p in (out / "grids").iterdir()) == ["epoch_0001.png", "epoch_0002.png"]
    assert len((out / "history.csv").read_text().strip().splitlines()) == 3  # header + 2

    # Resuming with other settings is refused with the difference named.
    assert train(image_folder, out, "--seed", "2", "--resume") == 1
    assert "seed was 1, now 2" in capsys.readouterr().err


def test_train_takes_a_preset_and_records_what_it_resolved_to(image_folder, tmp_path, capsys):
    out = tmp_path / "run"
    assert train(image_folder, out, "--preset", "paper", "--set", "ema_decay=0.5") == 0
    run = json.loads((out / "run.json").read_text())
    assert run["preset"] == "paper" and run["config"]["ema_decay"] == 0.5
    assert run["config"]["generator_batch_norm"] is False  # the paper's, not the default's
    assert run["compile_config"]["d_optimizer"]["class_name"] == "SGD"
    gan = keras.models.load_model(out / "model.keras")
    assert gan.preset == "paper" and gan.ema_decay == 0.5
    # Resuming without the preset would build other networks: refused, the difference named.
    assert train(image_folder, out, "--resume", "--epochs", "2", "--set", "ema_decay=0.5") == 1
    assert "preset was 'paper', now 'default'" in capsys.readouterr().err
    assert train(image_folder, tmp_path / "other", "--preset", "nonesuch") == 1
    assert "Unknown GAN preset 'nonesuch'" in capsys.readouterr().err


def test_train_evaluates_every_epoch(image_folder, tmp_path, monkeypatch, capsys):
    classifier = ganzoo.evaluators.mnist_classifier(2, (16, 16, 1), width=4, feature_dim=8)
    classifier.save(tmp_path / "classifier.keras")
    out = tmp_path / "run"
    evaluate = ["--evaluate-every", "1", "--evaluator", str(tmp_path / "classifier.keras")]
    sizes = []

    class Spy(ganzoo.callbacks.EvaluateEvery):
        def on_epoch_end(self, epoch, logs=None):
            sizes.append(self.num_samples)
            super().on_epoch_end(epoch, logs)

    monkeypatch.setattr(ganzoo.callbacks, "EvaluateEvery", Spy)
    assert train(image_folder, out, *evaluate, "--evaluate-samples", "7") == 0
    assert sizes == [7]
    header, row = (out / "history.csv").read_text().strip().splitlines()
    values = dict(zip(header.split(","), row.split(",")))
    for name in ("fid", "kid_mean", "precision", "recall"):
        assert np.isfinite(float(values[name]))

    # Too few images for the metrics' neighbours: refused, naming the minimum.
    assert train(image_folder, tmp_path / "few", *evaluate, "--evaluate-samples", "5") == 1
    assert "num_samples must be an integer >= 6, got 5" in capsys.readouterr().err


def test_train_with_the_training_aids(image_folder, tmp_path):
    aids = ["--set", "ema_decay=0.99", "--set", "augment=color,translation,cutout"]
    aids += ["--learning-rates", "4e-4", "1e-4", "--label-smoothing", "0.1"]
    assert train(image_folder, tmp_path / "run", *aids) == 0
    gan = keras.models.load_model(tmp_path / "run" / "model.keras")
    assert (gan.ema_decay, gan.augment, gan.label_smoothing) == (
        0.99,
        "color,translation,cutout",
        0.1,
    )
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(4e-4)
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(1e-4)


def test_resume_without_a_run_is_refused(image_folder, tmp_path, capsys):
    assert train(image_folder, tmp_path / "empty", "--resume") == 1
    assert "Nothing to resume" in capsys.readouterr().err


def test_bad_arguments(tmp_path, capsys):
    assert (
        cli.main(
            ["train", "wgan", "--dataset", "mnist", "--epochs", "1", "--out", str(tmp_path / "x")]
        )
        == 1
    )
    assert "Unknown model 'wgan'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(
            ["train", "gan", "--dataset", "mnist", "--epochs", "1", "--out", "x", "--set", "width"]
        )


def test_data_prepare_names_missing_files(tmp_path, capsys):
    assert (
        cli.main(
            [
                "data",
                "prepare",
                "mnist",
                "--from",
                str(tmp_path),
                "--data-dir",
                str(tmp_path / "tfds"),
            ]
        )
        == 1
    )
    assert "train-images-idx3-ubyte.gz" in capsys.readouterr().err


def test_console_entry_point():
    result = subprocess.run(
        [sys.executable, "-m", "ganzoo", "--help"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and "train" in result.stdout


KILLED_RUN = """
import os, signal, sys
import numpy as np
import ganzoo
from ganzoo import callbacks

folder, out, mode = sys.argv[1:]
if mode == "die":  # kill -9 in the middle of epoch 3 (2 steps per epoch)
    step = callbacks.Throughput.on_train_batch_end

    def dying(self, batch, logs=None):
        if self.model.g_optimizer.iterations.numpy() == 5:
            os.kill(os.getpid(), signal.SIGKILL)
        step(self, batch, logs)

    callbacks.Throughput.on_train_batch_end = dying
gan = ganzoo.train(
    "DCGAN", folder, out, epochs=4, batch_size=4, latent_dim=8, model_options={"width": 4},
    seed=0, deterministic=True, resume=mode == "resume", verbose=0,
)
state = [*gan.variables, *gan.d_optimizer.variables, *gan.g_optimizer.variables]
np.savez(os.path.join(out, "weights.npz"), *[v.numpy() for v in state])
"""


def test_killed_and_resumed_run_reaches_the_uninterrupted_weights(image_folder, tmp_path):
    script = tmp_path / "train.py"
    script.write_text(KILLED_RUN)

    def run(out, mode):
        argv = [sys.executable, str(script), str(image_folder), str(out), mode]
        return subprocess.run(argv, check=False, capture_output=True).returncode

    assert run(tmp_path / "whole", "whole") == 0
    assert run(tmp_path / "cut", "die") == -9
    assert not (tmp_path / "cut" / "weights.npz").exists()
    assert run(tmp_path / "cut", "resume") == 0
    whole = np.load(tmp_path / "whole" / "weights.npz")
    cut = np.load(tmp_path / "cut" / "weights.npz")
    for key in whole.files:  # weights, optimizer moments, noise streams, BN statistics
        np.testing.assert_array_equal(whole[key], cut[key], err_msg=key)
