"""Training runs that survive interruptions: what `ganzoo train` and the recipes call."""

import json
import sys
from pathlib import Path

import keras

from ganzoo import callbacks, datasets, models

RUN_FILE = "run.json"
MODEL_FILE = "model.keras"
CHECKPOINT_DIR = "checkpoint"


def train(
    model,
    dataset,
    out_dir,
    *,
    epochs=1,
    batch_size=None,
    latent_dim=None,
    preset=None,
    model_options=None,
    compile_options=None,
    data_dir=None,
    resume=False,
    seed=None,
    steps_per_epoch=None,
    grid_rows=8,
    evaluate_every=None,
    evaluate_samples=1000,
    evaluator=None,
    deterministic=False,
    verbose="auto",
):
    """Trains a ganzoo model on a dataset, with a checkpoint each epoch, and saves it.

    `out_dir` receives `run.json` (the arguments), `checkpoint/` (weights, both optimizers'
    state and the epoch, replaced atomically at the end of every epoch by
    `callbacks.BackupAndRestore`), `grids/epoch_NNNN.png` (a sample grid of fixed noise per
    epoch), `logs/` (TensorBoard: losses and the grids), `history.csv` and, at the end,
    `model.keras`; InfoGAN runs also get `traversals/` (`callbacks.LatentTraversal`).

    A NaN or infinite loss stops training at once with `callbacks.TrainingDivergedError`
    (naming the step), leaving the checkpoint of the last finished epoch in place.

    An interrupted run continues with `resume=True` (`ganzoo train ... --resume`) from the
    last finished epoch; a finished run continues the same way when `epochs` is raised.
    Without `resume`, a directory that already holds a run is refused, so nothing trained is
    overwritten.

    Args:
        model: a model class name ("GAN", "DCGAN", ...; see `ganzoo list`).
        dataset: what `ganzoo.datasets.load` accepts (a tfds name or a folder).
        out_dir: the run's directory.
        epochs: the total number of epochs (a resumed run trains the missing ones).
        batch_size: images per training step; None takes the preset's.
        latent_dim: size of the noise vector; None takes the preset's.
        preset: the model's preset ("default" when None, "paper", or a published
            generator's name; see `ganzoo list`).
        model_options: further constructor arguments (e.g. `{"width": 32}` for DCGAN), over
            the preset's.
        compile_options: arguments of `compile` (e.g. `{"loss": "minimax"}`), over the
            preset's.
        data_dir: the tensorflow-datasets data directory.
        resume: continue the run found in `out_dir`.
        seed: makes the run reproducible (`keras.utils.set_random_seed`).
        steps_per_epoch: limits an epoch to this many batches.
        grid_rows: rows (and columns) of the per-epoch sample grid.
        evaluate_every: every this many epochs, score `evaluate_samples` samples against as
            many of the dataset's test images (`callbacks.EvaluateEvery`: FID, KID,
            precision, recall, and label accuracy for conditional models) into the history,
            `history.csv` and TensorBoard.
        evaluate_samples: images per evaluation. FID falls with the sample size: MNIST's
            real-train against real-test FID-MNIST is 11.9 at 1,000 and 1.45 at 10,000, so
            compare a figure with the floor at its own size.
        evaluator: the evaluator of `evaluate_every` (default "<dataset>_classifier").
        deterministic: turn on TensorFlow's op determinism (with `seed`, a run and its
            interrupted-and-resumed twin reach the same weights; some ops get slower).
        verbose: `fit`'s verbosity; "auto" shows the Keras progress bar on a terminal and
            one line per epoch otherwise (a log file).

    Returns:
        The trained model.
    """
    out_dir = Path(out_dir)
    model_class = models.get(model)
    preset, preset_config = model_class.get_preset(preset or model_class.default_preset)
    if batch_size is None:
        batch_size = preset_config.batch_size
    run = {
        "model": model_class.__name__,
        "dataset": str(dataset),
        "preset": preset,
        "batch_size": batch_size,
        "latent_dim": latent_dim,
        "model_options": model_options or {},
        "compile_options": compile_options or {},
        "seed": seed,
        "steps_per_epoch": steps_per_epoch,
    }
    run = json.loads(json.dumps(run))  # compare as saved: tuples become lists
    run_path = out_dir / RUN_FILE
    if run_path.exists():
        if not resume:
            raise FileExistsError(
                f"{out_dir} already holds a training run ({run_path}). Continue it with "
                "--resume (resume=True), or choose another output directory."
            )
        saved = json.loads(run_path.read_text())
        saved.setdefault("preset", "paper")  # runs from before presets: the paper's defaults
        changed = {k: (saved.get(k), v) for k, v in run.items() if saved.get(k) != v}
        run = saved
        if changed:
            raise ValueError(
                f"Cannot resume {out_dir} with different settings: "
                + ", ".join(f"{k} was {old!r}, now {new!r}" for k, (old, new) in changed.items())
                + ". Resume with the original settings or choose another output directory."
            )
    elif resume:
        raise FileNotFoundError(
            f"Nothing to resume in {out_dir}: it holds no {RUN_FILE}. Start the run without "
            "--resume."
        )

    if deterministic:
        if seed is None:
            raise ValueError("deterministic=True needs a seed (--seed).")
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
    if seed is not None:
        keras.utils.set_random_seed(seed)
    data = datasets.load(
        dataset,
        batch_size=batch_size,
        with_labels=model_class.conditional,
        data_dir=data_dir,
        seed=seed,
    )
    spec = data.element_spec
    spec = spec[0] if isinstance(spec, tuple) else spec
    model_options = dict(run["model_options"])
    row_labels = None
    if model_class.conditional:
        # One grid row per class, labelled with the dataset's class names.
        class_names = getattr(data, "class_names", None)
        if class_names is None and "num_classes" not in model_options:
            raise ValueError(
                f"{dataset} has no class names: give num_classes in model_options "
                "(--set num_classes=N)."
            )
        model_options.setdefault("num_classes", len(class_names or ()))
        grid_rows = model_options["num_classes"]
        if class_names is not None:
            row_labels = [str(name) for name in class_names][:grid_rows]
    if latent_dim is not None:
        model_options["latent_dim"] = latent_dim
    gan = model_class(image_shape=tuple(spec.shape[1:]), preset=preset, **model_options)
    gan.compile(**run["compile_options"])
    extra_callbacks = []
    if evaluate_every:
        extra_callbacks.append(
            callbacks.EvaluateEvery(
                evaluate_every,
                str(dataset),
                evaluator,
                num_samples=evaluate_samples,
                data_dir=data_dir,
                log_dir=str(out_dir / "logs"),
            )
        )
    if hasattr(gan, "traversal_latent"):  # InfoGAN: the paper's latent traversals too
        extra_callbacks.append(
            callbacks.LatentTraversal(out_dir / "traversals", log_dir=str(out_dir / "logs"))
        )

    out_dir.mkdir(parents=True, exist_ok=True)
    # What the preset and the options resolved to, so a card can give the exact
    # configuration (`from_preset` of a published generator).
    config = gan.get_config()
    run["config"] = {
        key: value
        for key, value in config.items()
        if key not in ("name", "generator", "discriminator", "image_shape", "preset")
    }
    run["compile_config"] = {
        key: value
        for key, value in gan.get_compile_config().items()
        if key in ("d_optimizer", "g_optimizer", "loss", "learning_rates", "label_smoothing")
    }
    run = json.loads(json.dumps(run))
    if not run_path.exists():
        run_path.write_text(json.dumps(run, indent=2) + "\n")
    if verbose == "auto" and not sys.stdout.isatty():
        verbose = 2
    # One endless stream of batches (each pass reshuffled), cut into epochs: a resumed run
    # skips the batches of its finished epochs and sees the data in the order the
    # uninterrupted run would have (with its noise streams, restored by BackupAndRestore,
    # and op determinism, it reaches the same weights).
    backup = callbacks.BackupAndRestore(str(out_dir / CHECKPOINT_DIR), delete_checkpoint=False)
    batches = int(data.cardinality())
    if batches > 0:
        steps_per_epoch = steps_per_epoch or batches
        data = data.repeat().skip(backup.finished_epochs() * steps_per_epoch)
    gan.fit(
        data,
        epochs=epochs,
        steps_per_epoch=steps_per_epoch,
        shuffle=False,  # the dataset shuffles itself
        verbose=verbose,
        callbacks=[
            callbacks.StopOnDivergence(),  # raises before a diverged epoch is saved
            callbacks.Throughput(batch_size),
            backup,
            callbacks.SampleGrid(
                out_dir / "grids",
                rows=grid_rows,
                cols=8,
                seed=0,
                log_dir=str(out_dir / "logs"),
                row_labels=row_labels,
            ),
            *extra_callbacks,
            keras.callbacks.TensorBoard(str(out_dir / "logs"), write_graph=False),
            keras.callbacks.CSVLogger(str(out_dir / "history.csv"), append=True),
        ],
    )
    gan.save(out_dir / MODEL_FILE)
    return gan


def recipe(model, dataset, *, epochs, description=None, publish=None, **train_options):
    """Runs a recipe: `train` with the recipe's settings and these command-line flags, then
    publishes the generator to the zoo (`ganzoo.zoo.publish`) when `publish` names it.

    `--out DIR` (default `runs/<model>_<dataset>`), `--epochs N` (default: the recipe's),
    `--data-dir DIR`, `--resume`, `--saved-models DIR` (where to publish; default the
    repository's `saved_models/`), `--no-publish`, and `--smoke` (two steps of one epoch into
    `<out>_smoke`, published into `<out>_smoke/saved_models` with a 20-image evaluation, to
    check that the recipe runs end to end in seconds).

    Returns:
        `(model, args)`: the trained model and the parsed flags (`args.out` is the run
        directory actually used, `args.published` the published directory or None).
    """
    import argparse
    import os
    import shlex

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", default=f"runs/{model.lower()}_{dataset}")
    parser.add_argument("--epochs", type=int, default=epochs)
    parser.add_argument("--data-dir")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--saved-models", help="publish into this folder")
    parser.add_argument("--no-publish", action="store_true", help="train only")
    parser.add_argument("--smoke", action="store_true", help="two steps, to check the recipe")
    args = parser.parse_args()
    command = shlex.join(["python", os.path.relpath(sys.argv[0]), *sys.argv[1:]])
    out, epochs = args.out, args.epochs
    publish_options = {}
    if args.smoke:
        out, epochs = f"{out}_smoke", 1
        train_options["steps_per_epoch"] = 2
        args.saved_models = args.saved_models or f"{out}/saved_models"
        publish_options = {"num_samples": 20, "seeds": 1, "representative_samples": 4}
    gan = train(
        model,
        dataset,
        out,
        epochs=epochs,
        data_dir=args.data_dir,
        resume=args.resume,
        **train_options,
    )
    args.out, args.published = out, None
    if publish and not args.no_publish:
        from ganzoo import zoo

        args.published = zoo.publish(
            out,
            publish,
            out_dir=args.saved_models,
            command=command,
            data_dir=args.data_dir,
            **publish_options,
        )
        print(f"Published {args.published}")
    return gan, args
