import os

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import tiny_model

import ganzoo
from ganzoo.callbacks import SampleGrid


def _gan():
    gan = ganzoo.GAN(
        image_shape=(16, 16, 1), latent_dim=8, generator_units=(16,), discriminator_units=(16,)
    )
    gan.compile()
    return gan


def _images():
    return np.random.default_rng(0).uniform(-1, 1, (8, 16, 16, 1)).astype(np.float32)


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    path = tmp_path / "cwd"
    path.mkdir()
    monkeypatch.chdir(path)
    return path


def test_writes_one_png_per_epoch_into_out_dir_only(tmp_path, cwd):
    out_dir = tmp_path / "samples" / "run"
    callback = SampleGrid(out_dir, rows=2)
    _gan().fit(_images(), batch_size=4, epochs=2, callbacks=[callback], verbose=0)
    assert sorted(os.listdir(out_dir)) == ["epoch_0001.png", "epoch_0002.png"]
    assert callback.paths == [str(out_dir / "epoch_0001.png"), str(out_dir / "epoch_0002.png")]
    for path in callback.paths:
        with open(path, "rb") as file:
            assert file.read(8) == b"\x89PNG\r\n\x1a\n"
    assert list(cwd.iterdir()) == []


def test_every_n_epochs_and_filename(tmp_path, cwd):
    callback = SampleGrid(
        tmp_path / "out", every_n_epochs=2, rows=1, cols=3, filename="s{epoch}.png"
    )
    _gan().fit(_images(), batch_size=4, epochs=3, callbacks=[callback], verbose=0)
    assert os.listdir(tmp_path / "out") == ["s2.png"]
    assert len(callback.paths) == 1
    assert list(cwd.iterdir()) == []


def test_grid_uses_the_model_hook_and_fixed_inputs(tmp_path):
    gan = _gan()
    calls = []
    original = gan.grid_latent

    def grid_latent(rows, cols, seed=0):
        calls.append((rows, cols, seed))
        return original(rows, cols, seed=seed)

    gan.grid_latent = grid_latent
    callback = SampleGrid(tmp_path, rows=3, seed=7)
    callback.set_model(gan)
    callback.on_train_begin()
    assert calls == [(3, 3, 7)]
    first, second = callback.grid(), callback.grid()
    assert first.dtype == np.uint8
    assert first.shape == (3 * 16 + 2 * 2, 3 * 16 + 2 * 2, 1)
    np.testing.assert_array_equal(first, second)

    again = SampleGrid(tmp_path, rows=3, seed=7)
    again.set_model(gan)
    np.testing.assert_array_equal(again.grid(), first)
    other_seed = SampleGrid(tmp_path, rows=3, seed=8)
    other_seed.set_model(gan)
    assert not np.array_equal(other_seed.grid(), first)


def test_inputs_stay_fixed_during_training(tmp_path):
    gan = _gan()
    callback = SampleGrid(tmp_path, rows=2)
    gan.fit(_images(), batch_size=4, epochs=1, callbacks=[callback], verbose=0)
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(callback._latent),
        keras.ops.convert_to_numpy(gan.grid_latent(2, 2, seed=0)),
    )


def test_writes_tensorboard_images(tmp_path, cwd):
    log_dir = tmp_path / "logs"
    callback = SampleGrid(tmp_path / "out", rows=2, log_dir=log_dir)
    _gan().fit(_images(), batch_size=4, epochs=2, callbacks=[callback], verbose=0)
    events = [name for name in os.listdir(log_dir) if name.startswith("events.out.tfevents")]
    assert events
    steps = []
    for event in tf.compat.v1.train.summary_iterator(str(log_dir / events[0])):
        for value in event.summary.value:
            if value.tag == "samples":
                steps.append(event.step)
                assert value.metadata.plugin_data.plugin_name == "images"
                width, height, png = tf.make_ndarray(value.tensor)
                assert (int(width), int(height)) == (2 * 16 + 2, 2 * 16 + 2)
                image = tf.io.decode_png(png)
                assert tuple(image.shape) == (2 * 16 + 2, 2 * 16 + 2, 1)
    assert steps == [1, 2]
    assert list(cwd.iterdir()) == []


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"every_n_epochs": 0}, "every_n_epochs"),
        ({"rows": 0}, "rows"),
        ({"cols": 0}, "cols"),
        ({"filename": "epoch_{step}.png"}, "filename"),
        ({"rows": 2, "row_labels": ["a"]}, "one row label per row"),
    ],
)
def test_rejects_bad_arguments(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        SampleGrid(tmp_path, **kwargs)


def test_rejects_missing_out_dir():
    with pytest.raises(ValueError, match="out_dir"):
        SampleGrid(None)


def test_rejects_models_without_grid_latent(tmp_path):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    callback = SampleGrid(tmp_path)
    callback.set_model(model)
    with pytest.raises(ValueError, match="ganzoo GAN"):
        callback.on_train_begin()


def test_throughput_adds_time_and_images_per_second():
    gan = ganzoo.GAN(
        image_shape=(16, 16, 1), latent_dim=8, generator_units=(16,), discriminator_units=(16,)
    )
    gan.compile()
    x = np.zeros((8, 16, 16, 1), "float32")
    history = gan.fit(
        x, batch_size=4, epochs=2, verbose=0, callbacks=[ganzoo.callbacks.Throughput(4)]
    )
    seconds = history.history["epoch_seconds"]
    assert len(seconds) == 2 and all(s > 0 for s in seconds)
    for s, rate in zip(seconds, history.history["images_per_second"]):
        assert rate == pytest.approx(8 / s)


def test_stop_on_divergence_names_the_step_and_keeps_the_last_checkpoint(images, tmp_path):
    gan = tiny_model("DCGAN")
    gan.compile()
    backup = tmp_path / "checkpoint"

    def callbacks_():
        return [
            ganzoo.callbacks.StopOnDivergence(),
            keras.callbacks.BackupAndRestore(str(backup), delete_checkpoint=False),
        ]

    gan.fit(images, batch_size=4, epochs=1, shuffle=False, callbacks=callbacks_(), verbose=0)
    saved = {p.name: p.read_bytes() for p in backup.iterdir() if p.is_file()}
    good = [w.numpy() for w in gan.weights]

    class Sabotage(keras.callbacks.Callback):  # D's weights turn NaN after epoch 2, step 1
        def on_train_batch_end(self, batch, logs=None):
            if self.model.d_optimizer.iterations.numpy() == 3:
                weight = self.model.discriminator.trainable_weights[0]
                weight.assign(np.full(weight.shape, np.nan, "float32"))

    with pytest.raises(ganzoo.callbacks.TrainingDivergedError, match="epoch 2, step 2 of"):
        gan.fit(
            images,
            batch_size=4,
            epochs=2,
            shuffle=False,
            callbacks=[*callbacks_(), Sabotage()],
            verbose=0,
        )
    assert {p.name: p.read_bytes() for p in backup.iterdir() if p.is_file()} == saved
    restored = tiny_model("DCGAN")
    restored.compile()
    restored.fit(images, batch_size=4, epochs=1, callbacks=callbacks_(), verbose=0)  # restore
    # Epoch 1 was already done: nothing trains, the restored weights are the good ones.
    for value, weight in zip(good, restored.weights):
        np.testing.assert_array_equal(value, weight.numpy())


KILLED_DURING_SAVE = """
import os, signal, sys
import numpy as np
sys.path.insert(0, {tests!r})
from conftest import tiny_model
import ganzoo

gan = tiny_model("DCGAN")
gan.compile()
images = np.random.default_rng(0).uniform(-1, 1, (8, 16, 16, 1)).astype("float32")
backup = ganzoo.callbacks.BackupAndRestore(sys.argv[1], delete_checkpoint=False)
if sys.argv[2] == "die":  # kill -9 half-way through writing the second checkpoint
    save, calls = gan.save_weights, []

    def dying(filepath, overwrite=True):
        calls.append(filepath)
        if len(calls) == 2:
            with open(filepath, "wb") as file:
                file.write(b"half a file")
            os.kill(os.getpid(), signal.SIGKILL)
        save(filepath, overwrite=overwrite)

    gan.save_weights = dying
gan.fit(images, batch_size=4, epochs=3, shuffle=False, callbacks=[backup], verbose=0)
"""


def test_checkpoints_survive_a_kill_during_saving(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "train.py"
    script.write_text(KILLED_DURING_SAVE.format(tests=str(Path(__file__).parent)))
    backup = tmp_path / "checkpoint"
    killed = subprocess.run([sys.executable, str(script), str(backup), "die"], check=False)
    assert killed.returncode == -9
    metadata = json.loads((backup / "training_metadata.json").read_text())
    assert metadata["epoch"] == 1  # the last good checkpoint, naming a complete file
    assert (backup / metadata["weights"]).stat().st_size > 1000
    resumed = subprocess.run([sys.executable, str(script), str(backup), "live"], check=False)
    assert resumed.returncode == 0
    metadata = json.loads((backup / "training_metadata.json").read_text())
    assert metadata["epoch"] == 3
    assert sorted(p.name for p in backup.glob("*.weights.h5")) == [metadata["weights"]]
