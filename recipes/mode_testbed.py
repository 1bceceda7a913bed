"""GAN classes and training aids on the 2-D mode-collapse testbed of VEEGAN and PacGAN.

The PacGAN authors' networks and Adam(1e-4, beta_1=0.8), far fewer steps than their 400
epochs (see docs/mode_testbed.md). Writes mode_testbed.json, .md and .png to --out.

    python recipes/mode_testbed.py                        # docs/mode_testbed.* (about 1 hour)
    python recipes/mode_testbed.py --seeds 3 --steps 1000 --out /tmp/testbed
    python recipes/mode_testbed.py --smoke                # seconds, into a temporary folder
    python recipes/mode_testbed.py --models GAN --mixtures ring8 --seeds 1 --steps 200
    python recipes/mode_testbed.py --models WGANGP SNGAN GAN+ema GAN+ttur GAN+smoothing \
        --xla --name mode_testbed_aids                   # the classes and training aids

Every finished run is kept in --runs (default runs/mode_testbed): run the command again to
continue an interrupted testbed.

A model is a class name, optionally with training aids joined by "+" (ema, ttur, smoothing:
`ganzoo.models.AIDS`; augment is for images only).
"""

import argparse
import os
import shlex
import sys
import tempfile
import time

from ganzoo import testbed

MODELS = ("GAN", "LSGAN")
MIXTURES = ("ring8", "grid25")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=MODELS, help="model classes")
    parser.add_argument("--mixtures", nargs="+", default=MIXTURES, choices=MIXTURES)
    parser.add_argument("--seeds", type=int, default=3, help="seeds 0 .. N-1 per pair")
    parser.add_argument("--steps", type=int, default=testbed.DEFAULT_STEPS)
    parser.add_argument("--eval-every", type=int, default=1000, help="statistics along training")
    parser.add_argument("--out", help="folder of the report (default: docs)")
    parser.add_argument("--name", default="mode_testbed", help="file name of the report")
    parser.add_argument("--runs", default="runs/mode_testbed", help="finished runs, to resume")
    parser.add_argument("--xla", action="store_true", help="XLA: about twice as fast on a CPU")
    parser.add_argument("--note", help="a sentence about the conditions, for the report")
    parser.add_argument("--smoke", action="store_true", help="6 steps, 1 seed, to check it runs")
    args = parser.parse_args(argv)
    seeds, steps, eval_every, out = args.seeds, args.steps, args.eval_every, args.out or "docs"
    runs_dir = args.runs
    if args.smoke:
        seeds, steps, eval_every = 1, 6, 3
        out = args.out or tempfile.mkdtemp(prefix="mode_testbed_smoke_")
        runs_dir = os.path.join(out, "runs")
    command = shlex.join(
        ["python", "recipes/mode_testbed.py", *(sys.argv[1:] if argv is None else argv)]
    )
    start = time.perf_counter()
    runs = testbed.run_testbed(
        args.models,
        args.mixtures,
        range(seeds),
        steps=steps,
        eval_every=eval_every,
        jit_compile=args.xla,
        runs_dir=runs_dir,
        training_samples=1_000 if args.smoke else testbed.TRAINING_SAMPLES,
        log=print,
    )
    paths = testbed.write_report(
        runs,
        out,
        command=command,
        wall_seconds=time.perf_counter() - start,
        note=args.note,
        name=args.name,
    )
    print("Wrote", ", ".join(paths))
    return runs


if __name__ == "__main__":
    main()
