"""The `ganzoo` command: train, list, data prepare, export, sample, evaluate."""

import argparse
import ast
import os
import sys
from pathlib import Path


def _key_value(text):
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:
        return key, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return key, value  # a bare string such as upsampling=resize


def _parser():
    parser = argparse.ArgumentParser(
        prog="ganzoo", description="Train and use the GANs of the ganzoo model zoo."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("list", help="list the model classes and their presets")

    train = commands.add_parser("train", help="train a model with checkpoints and sample grids")
    train.add_argument("model", help="model class, e.g. dcgan (see `ganzoo list`)")
    train.add_argument("--dataset", required=True, help="tfds name (mnist, ...) or image folder")
    train.add_argument("--epochs", type=int, required=True)
    train.add_argument(
        "--preset",
        help="default (the best measured), paper, or a published generator's name "
        "(see `ganzoo list`; default: default)",
    )
    train.add_argument("--batch-size", type=int, help="default: the preset's")
    train.add_argument("--out", required=True, help="run directory")
    train.add_argument("--resume", action="store_true", help="continue the run in --out")
    train.add_argument("--latent-dim", type=int, help="default: the preset's")
    train.add_argument("--loss", help="minimax, non_saturating, least_squares, ...")
    train.add_argument("--d-steps", type=int, help="discriminator steps per generator step")
    train.add_argument(
        "--learning-rates",
        type=float,
        nargs=2,
        metavar=("D_RATE", "G_RATE"),
        help="D's and G's learning rates (TTUR), e.g. 4e-4 1e-4",
    )
    train.add_argument("--label-smoothing", type=float, help="one-sided label smoothing, e.g. 0.1")
    train.add_argument(
        "--set",
        type=_key_value,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="another constructor argument, e.g. --set width=32 --set ema_decay=0.999 "
        "--set augment=color,translation,cutout",
    )
    train.add_argument("--data-dir", help="tensorflow-datasets data directory")
    train.add_argument("--seed", type=int)
    train.add_argument(
        "--deterministic",
        action="store_true",
        help="op determinism (needs --seed): a resumed run reaches the uninterrupted weights",
    )
    train.add_argument("--steps-per-epoch", type=int)
    train.add_argument(
        "--evaluate-every",
        type=int,
        metavar="N",
        help="every N epochs, log FID, KID, precision and recall (see `ganzoo evaluate`)",
    )
    train.add_argument(
        "--evaluate-samples",
        type=int,
        default=1000,
        metavar="N",
        help="images per evaluation of --evaluate-every (default 1000; the cards use 10000)",
    )
    train.add_argument("--evaluator", help="evaluator of --evaluate-every")

    data = commands.add_parser("data", help="prepare datasets offline")
    data_commands = data.add_subparsers(dest="data_command", required=True)
    prepare = data_commands.add_parser(
        "prepare", help="build a tfds dataset from its original files, without a network"
    )
    prepare.add_argument("name", help="tfds name, e.g. mnist or fashion_mnist")
    prepare.add_argument(
        "--from", dest="source", required=True, help="folder holding the original files"
    )
    prepare.add_argument("--data-dir", help="tensorflow-datasets data directory")

    export = commands.add_parser(
        "export", help="export a trained generator as a SavedModel and TFLite files"
    )
    export.add_argument(
        "model", help="a .keras file of a ganzoo model, e.g. runs/dcgan/model.keras"
    )
    export.add_argument(
        "--out", required=True, help="directory receiving NAME/VERSION/, NAME/*.tflite, card.json"
    )
    export.add_argument("--name", help="model directory name (default: the class, lower case)")
    export.add_argument("--version", type=int, default=1, help="SavedModel version (default 1)")
    export.add_argument(
        "--tflite",
        nargs="+",
        action="extend",
        choices=("float32", "float16", "dynamic", "int8"),
        metavar="VARIANT",
        help="TFLite variants: float32 (default), float16, dynamic, int8",
    )
    export.add_argument(
        "--no-tflite", action="store_true", help="write the SavedModel and card only"
    )
    export.add_argument("--dataset", help="recorded in the card (default: from run.json)")
    export.add_argument("--training-command", help="recorded in the card")
    export.add_argument("--force", action="store_true", help="replace an existing export")

    sample = commands.add_parser("sample", help="write a grid of generated images")
    sample.add_argument(
        "generator", help="a saved-models name, .keras, .tflite or exported SavedModel"
    )
    sample.add_argument("-n", "--num-images", type=int, default=64)
    sample.add_argument("--out", required=True, help="PNG file to write")
    sample.add_argument("--rows", type=int, help="grid rows (default: about sqrt(n))")
    sample.add_argument("--label", type=int, help="class of all images (conditional models)")
    sample.add_argument("--seed", type=int, default=0, help="noise seed (default 0)")
    sample.add_argument("--force", action="store_true", help="overwrite an existing file")

    evaluate = commands.add_parser(
        "evaluate", help="score a generator with FID, KID, precision/recall, ... in a classifier"
    )
    evaluate.add_argument(
        "generator", help="a saved-models name, .keras, .tflite or exported SavedModel"
    )
    evaluate.add_argument(
        "--dataset",
        help="tfds name (default: the card's dataset for shipped generators, else mnist)",
    )
    evaluate.add_argument(
        "--evaluator",
        help="classifier directory or name (default: <dataset>_classifier), 'inception' "
        "(Keras' cached Inception-v3 weights) or an Inception-v3 no-top .h5 weights file",
    )
    evaluate.add_argument("--num-samples", type=int, default=10000)
    evaluate.add_argument("--seeds", type=int, default=3, help="seeds 0..N-1 (default 3)")
    evaluate.add_argument("--data-dir", help="tensorflow-datasets data directory")
    evaluate.add_argument(
        "--json", help="results file (default: <generator name>_<dataset>_evaluation.json)"
    )

    publish = commands.add_parser(
        "publish",
        help="ship a finished run: generator .keras, SavedModel, float16/int8 TFLite, "
        "samples.png and a card with its training and evaluation",
    )
    publish.add_argument("run", help="run directory of `ganzoo train` or a recipe")
    publish.add_argument("--name", required=True, help="directory name, e.g. dcgan_mnist")
    publish.add_argument("--out", help="saved-models folder (default: the repository's)")
    publish.add_argument(
        "--training-command", help="the command that trained the run, for the card"
    )
    publish.add_argument("--num-samples", type=int, default=10000)
    publish.add_argument("--seeds", type=int, default=3)
    publish.add_argument("--evaluator", help="as for `ganzoo evaluate`")
    publish.add_argument("--data-dir", help="tensorflow-datasets data directory")

    zoo = commands.add_parser("zoo", help="the table of published generators (markdown)")
    zoo.add_argument("--out", help="saved-models folder (default: the repository's)")
    zoo.add_argument("--readme", help="rewrite the table between <!-- zoo --> markers of this file")
    return parser


def _publish(ganzoo, args):
    from ganzoo import zoo

    if args.seeds < 1 or args.num_samples < 1:
        raise ValueError("--seeds and --num-samples must be positive integers.")
    path = zoo.publish(
        args.run,
        args.name,
        out_dir=args.out,
        command=args.training_command,
        num_samples=args.num_samples,
        seeds=args.seeds,
        evaluator=args.evaluator,
        data_dir=args.data_dir,
    )
    print(f"Published {path}")
    print(zoo.model_table(path.parent))


def _export(ganzoo, args):
    import json
    from pathlib import Path

    import keras

    from ganzoo.training import RUN_FILE

    model_path = Path(args.model)
    if not model_path.is_file():
        raise FileNotFoundError(f"No such model file: {model_path} (expected a .keras file).")
    dataset = args.dataset
    run_file = model_path.parent / RUN_FILE
    if dataset is None and run_file.is_file():
        dataset = json.loads(run_file.read_text()).get("dataset")
    try:
        gan = keras.saving.load_model(str(model_path), compile=False)
    except Exception as error:  # a foreign or truncated file: say which and why
        raise ganzoo.export.ExportError(
            f"Could not load {model_path} as a ganzoo model ({type(error).__name__}: "
            f"{str(error)[:300]})."
        ) from error
    export_dir = ganzoo.export_generator(
        gan,
        args.out,
        version=args.version,
        formats=("saved_model",) if args.no_tflite else ("saved_model", "tflite"),
        quantize=None if args.no_tflite else args.tflite,
        name=args.name,
        force=args.force,
        training_command=args.training_command,
        dataset=dataset,
    )
    card = json.loads((export_dir / ganzoo.export.CARD_FILE).read_text())
    for filename, info in card["files"].items():
        print(
            f"{export_dir / filename}: {info['bytes']} bytes, max abs difference from Keras "
            f"{info['max_abs_diff']:.2g}"
        )


def _sample(ganzoo, args):
    import math

    from ganzoo.visualization import save_grid

    if os.path.exists(args.out) and not args.force:
        raise FileExistsError(f"{args.out} exists; pass --force to overwrite it.")
    if args.num_images < 1:
        raise ValueError(f"-n must be a positive integer, got {args.num_images}.")
    generator = ganzoo.load_generator(args.generator)
    images = generator.sample(args.num_images, seed=args.seed, labels=args.label)
    rows = args.rows or math.ceil(math.sqrt(args.num_images))
    cols = math.ceil(args.num_images / rows)
    save_grid(images, args.out, rows=rows, cols=cols)
    print(f"Wrote {args.out} ({args.num_images} images from {generator.path})")


def _evaluate(ganzoo, args):
    import json

    from ganzoo.evaluators import evaluate_generator

    if args.seeds < 1:
        raise ValueError(f"--seeds must be a positive integer, got {args.seeds}.")
    generator = ganzoo.load_generator(args.generator)
    dataset = args.dataset or generator.card.get("dataset") or "mnist"
    results = evaluate_generator(
        generator,
        dataset,
        args.evaluator,
        num_samples=args.num_samples,
        seeds=range(args.seeds),
        data_dir=args.data_dir,
    )
    accuracy = results["evaluator"]["test_accuracy"]
    print(
        f"{results['generator']} on {results['dataset']}: {results['num_samples']} samples, "
        f"seeds {results['seeds']}, evaluator {results['evaluator']['path']} (test accuracy "
        f"{'unknown' if accuracy is None else f'{accuracy:.2%}'})"
    )
    print(f"{'metric':18s} {'mean':>10s} {'std':>10s} {'real train':>11s}")
    for name, summary in results["metrics"].items():
        floor = results["floor"].get(name)
        floor = "" if floor is None else f"{floor:11.4f}"
        print(f"{name:18s} {summary['mean']:10.4f} {summary['std']:10.4f} {floor}")
    print("(real train: the real training images scored like a generator, the floor)")
    path = args.json or f"{Path(args.generator).stem}_{Path(dataset).name}_evaluation.json"
    with open(path, "w") as file:
        json.dump(results, file, indent=2)
        file.write("\n")
    print(f"Wrote {path}")


def _run(args):
    # Imported here so that `ganzoo --help` answers without loading TensorFlow.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import ganzoo

    if args.command == "list":
        from ganzoo.models.preset import describe

        for name, cls in ganzoo.models.MODELS.items():
            print(f"{name:8s} {cls.__doc__.strip().splitlines()[0]}")
            for line in describe(cls.presets):
                print(f"         preset {line}")
    elif args.command == "train":
        model_options = dict(args.set)
        if args.d_steps is not None:
            model_options["d_steps"] = args.d_steps
        ganzoo.train(
            args.model,
            args.dataset,
            args.out,
            epochs=args.epochs,
            batch_size=args.batch_size,
            latent_dim=args.latent_dim,
            preset=args.preset,
            model_options=model_options,
            compile_options={
                key: value
                for key, value in (
                    ("loss", args.loss),
                    ("learning_rates", args.learning_rates),
                    ("label_smoothing", args.label_smoothing),
                )
                if value is not None
            },
            data_dir=args.data_dir,
            resume=args.resume,
            seed=args.seed,
            steps_per_epoch=args.steps_per_epoch,
            evaluate_every=args.evaluate_every,
            evaluate_samples=args.evaluate_samples,
            evaluator=args.evaluator,
            deterministic=args.deterministic,
        )
        print(f"Saved {args.out}/model.keras; sample grids in {args.out}/grids")
    elif args.command == "data":
        data_dir = ganzoo.datasets.prepare(args.name, args.source, data_dir=args.data_dir)
        print(f"Prepared {args.name} in {data_dir}")
    elif args.command == "export":
        _export(ganzoo, args)
    elif args.command == "sample":
        _sample(ganzoo, args)
    elif args.command == "evaluate":
        _evaluate(ganzoo, args)
    elif args.command == "publish":
        _publish(ganzoo, args)
    elif args.command == "zoo":
        from ganzoo import zoo

        if args.readme:
            print(f"Updated {zoo.update_readme(args.readme, args.out)}")
        else:
            print(zoo.model_table(args.out), end="")


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        _run(args)
    except (ValueError, OSError, ArithmeticError) as error:  # ArithmeticError: divergence
        print(f"ganzoo: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
