"""The `ganzoo` command: train, list, data prepare."""

import argparse
import ast
import os
import sys


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

    commands.add_parser("list", help="list the model classes")

    train = commands.add_parser("train", help="train a model with checkpoints and sample grids")
    train.add_argument("model", help="model class, e.g. dcgan (see `ganzoo list`)")
    train.add_argument("--dataset", required=True, help="tfds name (mnist, ...) or image folder")
    train.add_argument("--epochs", type=int, required=True)
    train.add_argument("--batch-size", type=int, default=64)
    train.add_argument("--out", required=True, help="run directory")
    train.add_argument("--resume", action="store_true", help="continue the run in --out")
    train.add_argument("--latent-dim", type=int, default=100)
    train.add_argument("--loss", help="minimax, non_saturating, least_squares, ...")
    train.add_argument("--d-steps", type=int, help="discriminator steps per generator step")
    train.add_argument(
        "--set",
        type=_key_value,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="another constructor argument, e.g. --set width=32 --set upsampling=resize",
    )
    train.add_argument("--data-dir", help="tensorflow-datasets data directory")
    train.add_argument("--seed", type=int)
    train.add_argument("--steps-per-epoch", type=int)

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
    return parser


def _run(args):
    # Imported here so that `ganzoo --help` answers without loading TensorFlow.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import ganzoo

    if args.command == "list":
        for name, cls in ganzoo.models.MODELS.items():
            print(f"{name:8s} {cls.__doc__.strip().splitlines()[0]}")
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
            model_options=model_options,
            compile_options={"loss": args.loss} if args.loss else {},
            data_dir=args.data_dir,
            resume=args.resume,
            seed=args.seed,
            steps_per_epoch=args.steps_per_epoch,
        )
        print(f"Saved {args.out}/model.keras; sample grids in {args.out}/grids")
    elif args.command == "data":
        data_dir = ganzoo.datasets.prepare(args.name, args.source, data_dir=args.data_dir)
        print(f"Prepared {args.name} in {data_dir}")


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        _run(args)
    except (ValueError, OSError) as error:
        print(f"ganzoo: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
