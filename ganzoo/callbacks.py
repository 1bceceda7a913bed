"""Training callbacks: sample grids from fixed generator inputs, throughput, evaluation."""

import json
import os
import time

import keras
import numpy as np
import tensorflow as tf

from ganzoo import visualization


class SampleGrid(keras.callbacks.Callback):
    """Draws a grid of generated images every few epochs, as a PNG and in TensorBoard.

    The generator inputs are drawn once, at the start of training, with the model's
    `grid_latent(rows, cols, seed=seed)` hook, and reused for every grid, so that successive
    pictures show how the same inputs evolve. Conditional models override that hook to give
    one row per class. Images come from `model.sampler(latent, training=False)` (the
    generator, or its weight average).

    Files go to `out_dir` (created when missing), never to the current directory. Epoch
    numbers in file names and TensorBoard steps count from 1, as Keras's progress bar does.

    Args:
        out_dir: directory for the PNG files.
        every_n_epochs: draw a grid after every n-th epoch (epochs n, 2n, ...).
        rows: rows of the grid.
        cols: columns of the grid; `rows` when omitted.
        seed: integer seed of the generator inputs.
        log_dir: when given, each grid is also written as the TensorBoard image "samples"
            (step: the 1-based epoch) by a summary writer of its own in this directory,
            e.g. the `log_dir` of `keras.callbacks.TensorBoard`.
        filename: file name pattern, formatted with the 1-based `epoch`.
        row_labels: optional list of strings, one per row (e.g. class names), drawn to the
            left of each row of the PNG.

    Example:
    ```python
    gan = ganzoo.DCGAN(image_shape=(28, 28, 1), latent_dim=100)
    gan.compile()
    gan.fit(
        ganzoo.datasets.load("mnist", batch_size=128),
        epochs=20,
        callbacks=[ganzoo.callbacks.SampleGrid("runs/dcgan/samples", log_dir="runs/dcgan")],
    )
    # runs/dcgan/samples/epoch_0001.png, ..., epoch_0020.png
    ```
    """

    def __init__(
        self,
        out_dir,
        every_n_epochs=1,
        rows=8,
        cols=None,
        seed=0,
        log_dir=None,
        filename="epoch_{epoch:04d}.png",
        row_labels=None,
    ):
        super().__init__()
        if out_dir is None or os.fspath(out_dir) == "":
            raise ValueError(
                "SampleGrid needs an `out_dir` for its PNG files, e.g. "
                "SampleGrid('runs/my_gan/samples')."
            )
        if int(every_n_epochs) != every_n_epochs or every_n_epochs < 1:
            raise ValueError(f"every_n_epochs must be an integer >= 1, got {every_n_epochs}.")
        if int(rows) != rows or rows < 1:
            raise ValueError(f"rows must be an integer >= 1, got {rows}.")
        if cols is not None and (int(cols) != cols or cols < 1):
            raise ValueError(f"cols must be an integer >= 1 or None, got {cols}.")
        try:
            filename.format(epoch=1)
        except (KeyError, IndexError, ValueError) as error:
            raise ValueError(
                f"filename must be a pattern with only an `{{epoch}}` field, such as "
                f"'epoch_{{epoch:04d}}.png', got {filename!r} ({error!r})."
            ) from None
        if row_labels is not None and len(row_labels) != rows:
            raise ValueError(f"Expected one row label per row ({rows}), got {len(row_labels)}.")
        self.out_dir = os.fspath(out_dir)
        self.every_n_epochs = int(every_n_epochs)
        self.rows = int(rows)
        self.cols = self.rows if cols is None else int(cols)
        self.seed = seed
        self.log_dir = None if log_dir is None else os.fspath(log_dir)
        self.filename = filename
        self.row_labels = None if row_labels is None else list(row_labels)
        self.paths = []
        self.tag = "samples"
        self._latent = None
        self._writer = None

    def latent(self):
        """The grid's generator inputs, drawn once per `fit` (a hook for subclasses)."""
        if not hasattr(self.model, "grid_latent"):
            raise ValueError(
                f"SampleGrid needs a ganzoo GAN (a model with `grid_latent` and "
                f"`generator`), got {type(self.model).__name__}."
            )
        return self.model.grid_latent(self.rows, self.cols, seed=self.seed)

    def title(self, epoch):
        return f"Epoch {epoch}"

    def _fixed_latent(self):
        if self._latent is None:
            self._latent = self.latent()
        return self._latent

    def generate_images(self):
        """Returns the grid's images, float32 in [-1, 1], from the fixed inputs."""
        images = self.model.sampler(self._fixed_latent(), training=False)
        images = keras.ops.convert_to_numpy(keras.ops.cast(images, "float32"))
        # An untrained generator without a tanh output may leave [-1, 1]; a picture of it
        # should not stop training.
        return np.clip(images, -1.0, 1.0)

    def grid(self):
        """Returns the current sample grid as a uint8 array `(height, width, channels)`."""
        return visualization.image_grid(self.generate_images(), self.rows, self.cols, padding=2)

    def on_train_begin(self, logs=None):
        # Drawn afresh per `fit`; the fixed seed gives the same inputs every time.
        self._latent = None
        self._fixed_latent()
        os.makedirs(self.out_dir, exist_ok=True)
        if self.log_dir is not None and self._writer is None:
            self._writer = tf.summary.create_file_writer(self.log_dir)

    def on_epoch_end(self, epoch, logs=None):
        epoch = epoch + 1
        if epoch % self.every_n_epochs:
            return
        images = self.generate_images()
        path = visualization.save_grid(
            images,
            os.path.join(self.out_dir, self.filename.format(epoch=epoch)),
            self.rows,
            self.cols,
            title=self.title(epoch),
            row_labels=self.row_labels,
            padding=2,
        )
        self.paths.append(path)
        if self._writer is not None:
            grid = visualization.image_grid(images, self.rows, self.cols, padding=2)
            with self._writer.as_default():
                tf.summary.image(self.tag, grid[None], step=epoch)
            self._writer.flush()

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.close()
            self._writer = None


class Throughput(keras.callbacks.Callback):
    """Adds the epoch's wall time and training images per second to the epoch logs.

    The keys `epoch_seconds` and `images_per_second` then reach the callbacks listed after
    this one (`CSVLogger`, `TensorBoard`) and the `History` that `fit` returns. The first
    epoch includes the tracing of the training step.

    Args:
        batch_size: images per training step.

    Example:
    ```python
    history = gan.fit(data, epochs=2, callbacks=[ganzoo.callbacks.Throughput(128)])
    history.history["images_per_second"]
    ```
    """

    def __init__(self, batch_size):
        super().__init__()
        self.batch_size = int(batch_size)

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()
        self._steps = 0

    def on_train_batch_end(self, batch, logs=None):
        self._steps = batch + 1

    def on_epoch_end(self, epoch, logs=None):
        seconds = time.perf_counter() - self._start
        if logs is not None:
            logs["epoch_seconds"] = seconds
            logs["images_per_second"] = self._steps * self.batch_size / seconds


class BackupAndRestore(keras.callbacks.BackupAndRestore):
    """`keras.callbacks.BackupAndRestore` whose checkpoints are replaced atomically.

    Keras writes `latest.weights.h5` and then `training_metadata.json` in place, so a run
    killed while saving can leave a half-written weights file, or new weights beside the old
    epoch number. Here each save writes a new weights file (`weights-<epoch>-<batch>.
    weights.h5`) completely, then replaces the metadata, which names that file, with one
    atomic `os.replace`, and only then deletes the older weights. Whenever the process dies,
    the metadata names a complete weights file: the last good checkpoint, never a partial one.
    The metadata also keeps the states of the model's random streams (its noise and dropout
    seed generators, which `save_weights` leaves out), so a resumed run continues them.
    Restoring and the arguments are as in Keras (`save_freq`, `delete_checkpoint`).
    """

    def _seed_states(self):
        # Random streams (the model's noise, dropout) are not in `save_weights`: they are
        # kept in the metadata, so that a resumed run draws what the interrupted one would.
        return [v for v in self.model.variables if v.path.endswith("seed_generator_state")]

    def _metadata(self):
        if not os.path.exists(self._training_metadata_path):
            return {}
        with open(self._training_metadata_path) as file:
            return json.load(file)

    def finished_epochs(self):
        """How many epochs the checkpoint in `backup_dir` holds (0 without one)."""
        return int(self._metadata().get("epoch", 0))

    def _load_model(self):
        metadata = self._metadata()
        if metadata.get("weights"):
            self._weights_path = os.path.join(self.backup_dir, metadata["weights"])
        super()._load_model()
        saved = dict(metadata.get("seed_states", []))
        for variable in self._seed_states():
            if variable.path in saved:
                variable.assign(np.asarray(saved[variable.path], variable.dtype))

    def _save_model(self):
        os.makedirs(self.backup_dir, exist_ok=True)
        name = f"weights-{self._current_epoch}-{self._last_batch_seen}.weights.h5"
        path = os.path.join(self.backup_dir, name)
        self.model.save_weights(filepath=path, overwrite=True)
        metadata = {
            "epoch": self._current_epoch,
            "batch": self._last_batch_seen,
            "weights": name,
            "seed_states": [[v.path, np.asarray(v.numpy()).tolist()] for v in self._seed_states()],
        }
        partial = f"{self._training_metadata_path}.partial"
        with open(partial, "w") as file:
            json.dump(metadata, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, self._training_metadata_path)
        self._weights_path = path
        for other in os.listdir(self.backup_dir):
            if other.endswith(".weights.h5") and other != name:
                os.remove(os.path.join(self.backup_dir, other))


class TrainingDivergedError(FloatingPointError):
    """A training loss became NaN or infinite (raised by `StopOnDivergence`)."""


class StopOnDivergence(keras.callbacks.Callback):
    """Stops training at the first step whose loss is NaN or infinite, naming the step.

    Unlike `keras.callbacks.TerminateOnNaN`, which lets the epoch end (so that
    `BackupAndRestore` or `ModelCheckpoint` then save the diverged weights), this raises
    `TrainingDivergedError` from the step itself: `fit` stops before any epoch-end save, and
    the checkpoint of the last finished epoch stays as it was. The logged losses are running
    means over the epoch, so a single non-finite step is enough to show.

    Args:
        keys: the logged losses to watch (those absent from the logs are skipped).

    Example:
    ```python
    gan.fit(data, epochs=20, callbacks=[ganzoo.callbacks.StopOnDivergence(),
                                        keras.callbacks.BackupAndRestore("runs/ckpt")])
    ```
    """

    def __init__(self, keys=("d_loss", "g_loss")):
        super().__init__()
        self.keys = tuple(keys)
        self._epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        for key in self.keys:
            value = (logs or {}).get(key)
            if value is not None and not np.isfinite(float(value)):
                steps = self.params.get("steps") if self.params else None
                global_step = f", step {self._epoch * steps + batch + 1} overall" if steps else ""
                raise TrainingDivergedError(
                    f"{key} became {float(value)} at epoch {self._epoch + 1}, step {batch + 1} "
                    f"of the epoch{global_step}. Training stopped; the checkpoint of the last "
                    "finished epoch is kept. Check the data for NaN or infinite values, lower "
                    "the learning rates, or resume from the checkpoint (--resume)."
                )


class LatentTraversal(SampleGrid):
    """Draws an InfoGAN latent traversal every few epochs: one continuous code swept from -2
    to 2 along the columns, one row per category of the first categorical code.

    The grid of the paper's Figure 2 (Chen et al., "InfoGAN", arXiv 1606.03657): every cell
    has the same noise z; column j sets continuous code `code_index` to the j-th of `steps`
    values evenly spaced in [-2, 2] (beyond the prior U[-1, 1], to show how the factor
    extrapolates); the other continuous codes are 0. The inputs come from the model's
    `traversal_latent(steps, code_index, seed)` and are fixed at the start of training, so
    successive pictures show the same inputs. Images come from `model.sampler(latent,
    training=False)`.

    Files `traversal_epoch_NNNN.png` (1-based epoch) go to `out_dir` (created when missing),
    never to the current directory.

    Args:
        out_dir: directory for the PNG files.
        every_n_epochs: draw after every n-th epoch (epochs n, 2n, ...).
        code_index: which continuous code to sweep (0 for the first).
        steps: number of columns (values of the swept code).
        seed: integer seed of the fixed noise (and of any further categorical codes).
        log_dir: when given, each grid is also written as the TensorBoard image
            "traversal_code_<code_index>" (step: the 1-based epoch) in this directory.

    Example:
    ```python
    gan = ganzoo.InfoGAN(image_shape=(28, 28, 1), latent_dim=62, width=32)
    gan.compile()
    gan.fit(
        ganzoo.datasets.load("mnist", batch_size=128),
        epochs=10,
        callbacks=[
            ganzoo.callbacks.LatentTraversal("runs/infogan/c2", code_index=0),
            ganzoo.callbacks.LatentTraversal("runs/infogan/c3", code_index=1),
        ],
    )
    # runs/infogan/c2/traversal_epoch_0001.png, ...
    ```
    """

    def __init__(self, out_dir, every_n_epochs=1, code_index=0, steps=10, seed=0, log_dir=None):
        if int(steps) != steps or steps < 1:
            raise ValueError(f"steps must be an integer >= 1, got {steps}.")
        super().__init__(
            out_dir,
            every_n_epochs,
            rows=1,  # set to the number of categories once the model is known
            cols=steps,
            seed=seed,
            log_dir=log_dir,
            filename="traversal_epoch_{epoch:04d}.png",
        )
        if int(code_index) != code_index or code_index < 0:
            raise ValueError(f"code_index must be an integer >= 0, got {code_index}.")
        self.code_index = int(code_index)
        self.tag = f"traversal_code_{self.code_index}"

    def latent(self):
        if not hasattr(self.model, "traversal_latent"):
            raise ValueError(
                "LatentTraversal needs a model with latent codes and a `traversal_latent` "
                f"method (ganzoo.InfoGAN), got {type(self.model).__name__}."
            )
        latent = self.model.traversal_latent(self.cols, code_index=self.code_index, seed=self.seed)
        self.rows = int(latent[0].shape[0]) // self.cols
        self.row_labels = [f"c1={row}" for row in range(self.rows)] if self.rows > 1 else None
        return latent

    def title(self, epoch):
        return f"Epoch {epoch}: continuous code {self.code_index} from -2 to 2"


class EvaluateEvery(keras.callbacks.Callback):
    """Scores the generator every few epochs and adds the figures to the epoch logs.

    After every n-th epoch, `num_samples` images from fixed generator inputs (seed `seed`;
    conditional models get the classes `i % num_classes`) are scored against real images by
    `ganzoo.evaluators.score_images` in an evaluator's feature space. Each metric's value is
    added to the logs under its name (`fid`, `kid_mean`, `precision`, ...), so the callbacks
    listed after this one (`CSVLogger`, `TensorBoard`) and the `History` that `fit` returns
    record it. On the epochs in between the value is NaN, which keeps every history column
    one value per epoch. With `log_dir`, the measured values (only) are also written as
    TensorBoard scalars "evaluation/<metric>" (step: the 1-based epoch).

    Args:
        every_n_epochs: evaluate after epochs n, 2n, ...
        real: real images `(n, H, W, C)` in [-1, 1], or a tfds name ("mnist"), whose first
            `num_samples` test images are used.
        evaluator: what `ganzoo.evaluators.load_evaluator` accepts; None loads
            "<real>_classifier" when `real` is a dataset name.
        metrics: metric names (see `score_images`); None: FID, KID, precision and recall,
            plus `label_accuracy` for conditional models with a classifier evaluator.
        num_samples: generated images per evaluation (and real images, from a name).
        seed: integer seed of the generator inputs, the same for every evaluation.
        log_dir: directory of a TensorBoard summary writer of its own.
        data_dir: the tfds data directory, when `real` is a name.

    Example:
    ```python
    gan.fit(
        ganzoo.datasets.load("mnist", batch_size=128),
        epochs=20,
        callbacks=[ganzoo.callbacks.EvaluateEvery(5, "mnist"), keras.callbacks.CSVLogger("h.csv")],
    )
    ```
    """

    def __init__(
        self,
        every_n_epochs,
        real,
        evaluator=None,
        metrics=None,
        num_samples=1000,
        seed=0,
        log_dir=None,
        data_dir=None,
    ):
        super().__init__()
        if int(every_n_epochs) != every_n_epochs or every_n_epochs < 1:
            raise ValueError(f"every_n_epochs must be an integer >= 1, got {every_n_epochs}.")
        if int(num_samples) != num_samples or num_samples < 6:
            raise ValueError(f"num_samples must be an integer >= 6, got {num_samples}.")
        if evaluator is None and not isinstance(real, str):
            raise ValueError(
                "EvaluateEvery needs an `evaluator` when `real` is an array of images, e.g. "
                "evaluator='mnist_classifier'."
            )
        self.every_n_epochs = int(every_n_epochs)
        self.real = real
        self.evaluator = evaluator
        self.metric_names = None if metrics is None else list(metrics)
        self.num_samples = int(num_samples)
        self.seed = int(seed)
        self.log_dir = None if log_dir is None else os.fspath(log_dir)
        self.data_dir = data_dir
        self._real_features = None
        self._writer = None

    def on_train_begin(self, logs=None):
        from ganzoo import evaluators

        if not hasattr(self.model, "sample_latent"):
            raise ValueError(f"EvaluateEvery needs a ganzoo GAN, got {type(self.model).__name__}.")
        if self._real_features is None:
            name = self.evaluator if self.evaluator is not None else f"{self.real}_classifier"
            self.evaluator = evaluators.load_evaluator(name)
            real = self.real
            if isinstance(real, str):
                real = evaluators._real_images(real, "test", self.data_dir, self.num_samples)
            self._real_features = self.evaluator.features(real)
        conditional = getattr(self.model, "conditional", False)
        self._labels = None
        if conditional:
            self._labels = np.arange(self.num_samples) % self.model.num_classes
        if self.metric_names is None:
            self.metric_names = ["fid", "kid_mean", "precision", "recall"]
            if conditional and self.evaluator.num_classes is not None:
                self.metric_names.append("label_accuracy")
        if self.log_dir is not None and self._writer is None:
            self._writer = tf.summary.create_file_writer(self.log_dir)

    def generate_images(self, chunk=500):
        """The evaluation images, float32 in [-1, 1], generated from the fixed inputs."""
        images = []
        for index, start in enumerate(range(0, self.num_samples, chunk)):
            n = min(chunk, self.num_samples - start)
            condition = None
            if self._labels is not None:
                condition = tf.constant(self._labels[start : start + n], "int32")
            latent = self.model.sample_latent(n, condition=condition, seed=self.seed + index)
            batch = self.model.sampler(latent, training=False)
            images.append(keras.ops.convert_to_numpy(keras.ops.cast(batch, "float32")))
        return np.concatenate(images)

    def evaluate(self):
        """Returns the metrics of the generator now, as a dict of floats."""
        from ganzoo import evaluators

        return evaluators.score_images(
            self.evaluator,
            self._real_features,
            self.generate_images(),
            labels=self._labels,
            names=self.metric_names,
        )

    def on_epoch_end(self, epoch, logs=None):
        epoch = epoch + 1
        if epoch % self.every_n_epochs:
            values = dict.fromkeys(self.metric_names, float("nan"))
        else:
            values = self.evaluate()
            if self._writer is not None:
                with self._writer.as_default():
                    for name, value in values.items():
                        tf.summary.scalar(f"evaluation/{name}", value, step=epoch)
                self._writer.flush()
        if logs is not None:
            logs.update(values)

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.close()
            self._writer = None
