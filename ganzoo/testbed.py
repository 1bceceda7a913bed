"""The 2-D mode-collapse testbed of VEEGAN and PacGAN: Gaussian mixtures on a ring and a grid.

A GAN learns a mixture of well-separated 2-D Gaussians ("ring8": 8 modes on the unit circle,
std 0.01; "grid25": 25 modes on a 5 x 5 grid, std 0.05; `ganzoo.datasets.MIXTURES`). Its
2,500 samples are scored by `ganzoo.metrics.mode_statistics`: how many modes it covers, the
share of high-quality samples (within 3 std of a mode) and the reverse KL divergence of the
high-quality samples' spread over the modes from the uniform one.

Papers: Srivastava, Valkov, Russell, Gutmann, Sutton, "VEEGAN: Reducing Mode Collapse in
GANs using Implicit Variational Learning", arXiv 1705.07761, Section 5.1; Lin, Khetan,
Fanti, Oh, "PacGAN: The power of two samples in generative adversarial networks",
arXiv 1712.04086, Section 4.1 and Table 1. The networks and optimizer here follow the
PacGAN authors' code for this experiment: G is an MLP of 4 hidden layers of 400 units
(Dense without bias, batch norm, ReLU) with a linear 2-D output, z ~ N(0, I_2); D has
3 maxout layers of 200 units with 5 pieces each and a linear logit; weights are drawn from
N(0, 0.02^2); Adam(1e-4, beta_1=0.8) for both, batches of 100. The authors train 400
epochs of 100,000 samples (400,000 steps); the default here is 40 times shorter
(`DEFAULT_STEPS`, 10,000 steps: about five minutes a run on 2 CPU cores), which is early in
training: see docs/mode_testbed.md for what that means for the figures.

Any model class of ganzoo plugs in (`build_model(ganzoo.LSGAN)`): the testbed passes the
networks and the optimizer, and the class contributes its losses.

Example:
```python
from ganzoo import testbed

run = testbed.train_on_mixture(ganzoo.GAN, "ring8", seed=0, steps=5000)
run.statistics  # {"modes_covered": ..., "high_quality": ..., "reverse_kl": ..., ...}
testbed.plot_samples([run], "ring8.png")
```
"""

import dataclasses
import json
import math
import os
import platform
import time

import keras
import numpy as np
import tensorflow as tf

from ganzoo import datasets, metrics, models
from ganzoo.networks import mlp_discriminator, mlp_generator

# The PacGAN authors' settings for the 2-D experiments.
LATENT_DIM = 2
GENERATOR_UNITS = (400, 400, 400, 400)
DISCRIMINATOR_UNITS = (200, 200, 200)
MAXOUT_PIECES = 5
BATCH_SIZE = 100
TRAINING_SAMPLES = 100_000  # one fixed training set per run, reshuffled every pass
NUM_EVALUATION_SAMPLES = 2_500
KERNEL_INITIALIZER = {"class_name": "RandomNormal", "config": {"mean": 0.0, "stddev": 0.02}}
PACGAN_OPTIMIZER = {"class_name": "Adam", "config": {"learning_rate": 1e-4, "beta_1": 0.8}}
# Far fewer than the authors' 400,000 steps; see docs/mode_testbed.md for what that changes.
DEFAULT_STEPS = 10_000

# Published results, "as transcribed, not re-checked against the PDF" (mean +- spread over
# trials as the papers report them; None where a paper gives no figure).
PAPER_RESULTS = [
    {
        "source": "VEEGAN (arXiv 1705.07761) Table 1",
        "model": "GAN",
        "mixture": "ring8",
        "modes_covered": "1",
        "high_quality": "99.3",
        "reverse_kl": None,
    },
    {
        "source": "VEEGAN (arXiv 1705.07761) Table 1",
        "model": "GAN",
        "mixture": "grid25",
        "modes_covered": "3.3",
        "high_quality": "0.5",
        "reverse_kl": None,
    },
    {
        "source": "PacGAN (arXiv 1712.04086) Table 1",
        "model": "GAN",
        "mixture": "ring8",
        "modes_covered": "6.3 ± 0.5",
        "high_quality": "98.2 ± 0.2",
        "reverse_kl": "0.45 ± 0.09",
    },
    {
        "source": "PacGAN (arXiv 1712.04086) Table 1",
        "model": "GAN",
        "mixture": "grid25",
        "modes_covered": "17.3 ± 0.8",
        "high_quality": "94.8 ± 0.7",
        "reverse_kl": "0.70 ± 0.07",
    },
]


def pacgan_networks(latent_dim=LATENT_DIM, data_dim=2, spectral_normalization=False):
    """The PacGAN authors' 2-D networks: `(generator, discriminator)`.

    G: z (`latent_dim`) -> 4 x [Dense(400, no bias), BatchNormalization, ReLU] -> Dense
    (`data_dim`, linear). D: 3 x Maxout(200 units, 5 pieces) -> Dense(1), a logit; no dropout.
    Every kernel starts from N(0, 0.02^2), every bias from 0. `spectral_normalization`
    normalizes every D kernel (for SNGAN).
    """
    generator = mlp_generator(
        latent_dim,
        (data_dim,),
        GENERATOR_UNITS,
        output_activation=None,
        batch_norm=True,
        kernel_initializer=KERNEL_INITIALIZER,
    )
    discriminator = mlp_discriminator(
        (data_dim,),
        DISCRIMINATOR_UNITS,
        MAXOUT_PIECES,
        dropout=0.0,
        kernel_initializer=KERNEL_INITIALIZER,
        spectral_normalization=spectral_normalization,
    )
    return generator, discriminator


def build_model(
    model, *, loss="auto", optimizer=PACGAN_OPTIMIZER, compile_options=None, **model_options
):
    """A compiled model of class `model` on the PacGAN networks, for 2-D points.

    Args:
        model: a ganzoo model class (`ganzoo.GAN`, `ganzoo.LSGAN`, ...), its name, or a
            name with training aids ("GAN+ema", `parse_variant`).
        loss: passed to `compile`; "auto" is the class's own loss (non-saturating for GAN,
            least squares for LSGAN, Wasserstein for WGANGP, hinge for SNGAN).
        optimizer: the optimizer of both D and G (each gets its own instance), as a
            Keras config or name; the default is the PacGAN authors' Adam(1e-4,
            beta_1=0.8). "auto" takes the class's paper optimizer.
        compile_options: further arguments of `compile` (`learning_rates`,
            `label_smoothing`).
        **model_options: further constructor arguments of the class.

    A class whose default discriminator is spectrally normalized (SNGAN) gets the PacGAN
    discriminator with spectral normalization; WGANGP adds its gradient penalty and critic
    steps to the same networks.

    Returns:
        The compiled model, with z ~ N(0, I) of size 2.
    """
    cls, variant_options, variant_compile = models.parse_variant(model)
    spectral = cls.network_options.get("discriminator_normalization") == "spectral"
    generator, discriminator = pacgan_networks(spectral_normalization=spectral)
    gan = cls(
        generator=generator,
        discriminator=discriminator,
        preset="paper",  # the papers' classes: an aid ("+ema") is measured against its absence
        latent_distribution="normal",
        **{**variant_options, **model_options},
    )
    gan.compile(
        d_optimizer=optimizer,
        g_optimizer=optimizer,
        loss=loss,
        **{**variant_compile, **(compile_options or {})},
    )
    return gan


@dataclasses.dataclass
class TestbedRun:
    """One model trained on one mixture with one seed.

    Attributes:
        model, mixture, seed, steps: what was trained.
        seconds: wall time of `fit`, less the evaluations along the way.
        statistics: `ganzoo.metrics.mode_statistics` of the samples.
        logs: the last step's training logs (`d_loss`, `g_loss`, `d_real`, `d_fake`).
        samples: the generated points, float32 `(num_samples, 2)`.
        curve: the statistics along training, `{"step": ..., "modes_covered": ...,
            "high_quality": ..., "reverse_kl": ...}` every `eval_every` steps (empty without).
    """

    __test__ = False  # not a pytest test class, despite the name

    model: str
    mixture: str
    seed: int
    steps: int
    seconds: float
    statistics: dict
    logs: dict
    samples: np.ndarray = dataclasses.field(repr=False)
    curve: list = dataclasses.field(default_factory=list)
    jit_compile: bool = False

    def to_dict(self):
        """Everything but the samples, for JSON."""
        fields = dataclasses.asdict(self)
        fields.pop("samples")
        return fields

    def save(self, path):
        """Writes the run, samples included, to the JSON file `path`."""
        with open(path, "w") as file:
            json.dump({**self.to_dict(), "samples": self.samples.tolist()}, file)

    @classmethod
    def load(cls, path):
        """The run `save` wrote to `path`."""
        with open(path) as file:
            fields = json.load(file)
        return cls(**{**fields, "samples": np.asarray(fields["samples"], dtype=np.float32)})


def training_data(mixture, seed=0, batch_size=BATCH_SIZE, num_samples=TRAINING_SAMPLES):
    """An endless, shuffled `tf.data.Dataset` of batches of one fixed sample of a mixture."""
    points = datasets.sample_mixture(mixture, num_samples, seed=seed)
    return (
        tf.data.Dataset.from_tensor_slices(points)
        .shuffle(len(points), seed=seed, reshuffle_each_iteration=True)
        .repeat()
        .batch(batch_size, drop_remainder=True)
        .prefetch(tf.data.AUTOTUNE)
    )


class _ModeCurve(keras.callbacks.Callback):
    """Scores the generator's points at the end of every epoch (of `eval_every` steps)."""

    def __init__(self, eval_every, num_samples, seed, mixture):
        super().__init__()
        self.eval_every = eval_every
        self.num_samples = num_samples
        self.seed = seed
        self.mixture = mixture
        self.curve = []
        self.seconds = 0.0

    def on_epoch_end(self, epoch, logs=None):
        start = time.perf_counter()
        points = np.asarray(self.model.generate(self.num_samples, seed=self.seed))
        statistics = metrics.mode_statistics(points, self.mixture.means, self.mixture.std)
        statistics.pop("counts")
        self.curve.append({"step": (epoch + 1) * self.eval_every, **statistics})
        self.seconds += time.perf_counter() - start


def train_on_mixture(
    model,
    mixture,
    seed=0,
    *,
    steps=DEFAULT_STEPS,
    batch_size=BATCH_SIZE,
    num_samples=NUM_EVALUATION_SAMPLES,
    training_samples=TRAINING_SAMPLES,
    loss="auto",
    optimizer=PACGAN_OPTIMIZER,
    model_options=None,
    eval_every=None,
    jit_compile=False,
    verbose=0,
):
    """Trains one model on one mixture with `model.fit` and scores its samples.

    `keras.utils.set_random_seed(seed)` fixes the weights and the data; the training set is
    `training_samples` points of the mixture, reshuffled on every pass. After `steps`
    batches, `num_samples` points are generated (noise seeded by `seed`) and scored with
    `ganzoo.metrics.mode_statistics` at 3 std.

    Args:
        model: a ganzoo model class, its name, or a name with training aids ("GAN+ema").
        mixture: a key of `ganzoo.datasets.MIXTURES` ("ring8", "grid25").
        seed: an int.
        steps: training steps (batches); one G update and d_steps D updates each.
        batch_size: points per D update (100 in the papers); a batch holds d_steps times
            as many.
        num_samples: points generated for the statistics (2,500 in the papers).
        training_samples: size of the training set (100,000 in PacGAN's code).
        loss, optimizer: as in `build_model`.
        model_options: further constructor arguments of the model class.
        eval_every: also score the points every this many steps (the same noise each
            time), into `TestbedRun.curve`: whether a figure has settled or still swings.
            It must divide `steps`; None scores only at the end.
        jit_compile: compile the training step with XLA and run up to 50 steps per call
            (`steps_per_execution`, a divisor of `eval_every`): about twice as fast for
            these small networks on a CPU; the same algorithm, but XLA draws the noise with
            another random-number algorithm, so a seed gives another trajectory.
        verbose: `fit`'s verbosity.

    Returns:
        A `TestbedRun`.
    """
    mixture_spec = datasets.get_mixture(mixture)
    steps = int(steps)
    if steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}.")
    eval_every = steps if eval_every is None else int(eval_every)
    if eval_every < 1 or steps % eval_every:
        raise ValueError(
            f"eval_every must be a positive divisor of steps={steps}, got {eval_every!r}."
        )
    keras.utils.set_random_seed(int(seed))
    compile_options = (
        {"jit_compile": True, "steps_per_execution": math.gcd(eval_every, 50)}
        if jit_compile
        else None
    )
    gan = build_model(
        model,
        loss=loss,
        optimizer=optimizer,
        compile_options=compile_options,
        **(model_options or {}),
    )
    # Each D update takes `batch_size` points: a fit batch holds d_steps of them (WGANGP).
    data = training_data(
        mixture, seed=seed, batch_size=batch_size * gan.d_steps, num_samples=training_samples
    )
    curve = _ModeCurve(eval_every, num_samples, int(seed), mixture_spec)
    callbacks = [curve] if eval_every < steps else []
    start = time.perf_counter()
    # One epoch per evaluation; the endless dataset's iterator carries over between epochs.
    # The dataset shuffles itself: `shuffle=False` only stops fit warning that it cannot.
    history = gan.fit(
        data,
        epochs=steps // eval_every,
        steps_per_epoch=eval_every,
        callbacks=callbacks,
        shuffle=False,
        verbose=verbose,
    )
    seconds = time.perf_counter() - start - curve.seconds
    samples = np.asarray(gan.generate(num_samples, seed=int(seed)), dtype=np.float32)
    return TestbedRun(
        model=model if isinstance(model, str) and "+" in model else type(gan).__name__,
        mixture=mixture,
        seed=int(seed),
        steps=int(steps),
        seconds=seconds,
        statistics=metrics.mode_statistics(samples, mixture_spec.means, mixture_spec.std),
        logs={name: float(values[-1]) for name, values in history.history.items()},
        samples=samples,
        curve=curve.curve,
        jit_compile=bool(jit_compile),
    )


def run_seeds(model, mixture, seeds, **train_options):
    """`train_on_mixture` once per seed; returns the list of `TestbedRun`s."""
    return [train_on_mixture(model, mixture, seed, **train_options) for seed in seeds]


def summarize(runs):
    """Mean and standard deviation over seeds, one row per (model, mixture).

    The standard deviation is the sample one (ddof = 1; 0 for a single seed).

    Returns:
        A list of dicts, in the order the pairs first appear: `model`, `mixture`, `seeds`,
        `steps`, `<statistic>_mean` and `<statistic>_std` for `modes_covered`,
        `high_quality` and `reverse_kl`, and `seconds_mean` (training time per run).
    """
    groups = {}
    for run in runs:
        groups.setdefault((run.model, run.mixture), []).append(run)
    rows = []
    for (model, mixture), group in groups.items():
        row = {
            "model": model,
            "mixture": mixture,
            "seeds": [run.seed for run in group],
            "steps": sorted({run.steps for run in group}),
        }
        for key in ("modes_covered", "high_quality", "reverse_kl"):
            values = np.array([run.statistics[key] for run in group], dtype=np.float64)
            row[f"{key}_mean"] = float(values.mean())
            row[f"{key}_std"] = float(values.std(ddof=1)) if len(values) > 1 else 0.0
        row["seconds_mean"] = float(np.mean([run.seconds for run in group]))
        rows.append(row)
    return rows


def summarize_curves(runs):
    """Means over seeds of the statistics along training, one row per (model, mixture).

    Returns:
        A list of dicts: `model`, `mixture`, `steps` (the evaluated steps, those every run
        of the pair has), and `<statistic>_mean` and `<statistic>_std` (lists, one value
        per step) for `modes_covered`, `high_quality` and `reverse_kl`. Pairs without
        curves are left out.
    """
    groups = {}
    for run in runs:
        if run.curve:
            groups.setdefault((run.model, run.mixture), []).append(run)
    rows = []
    for (model, mixture), group in groups.items():
        steps = sorted(set.intersection(*({point["step"] for point in run.curve} for run in group)))
        row = {"model": model, "mixture": mixture, "steps": steps}
        for key in ("modes_covered", "high_quality", "reverse_kl"):
            values = np.array(
                [[point[key] for point in run.curve if point["step"] in steps] for run in group],
                dtype=np.float64,
            )
            row[f"{key}_mean"] = values.mean(axis=0).tolist()
            row[f"{key}_std"] = (
                values.std(axis=0, ddof=1) if len(group) > 1 else np.zeros(len(steps))
            ).tolist()
        rows.append(row)
    return rows


def run_testbed(models_to_run, mixtures, seeds, *, runs_dir=None, log=None, **train_options):
    """Every model on every mixture with every seed; returns the list of `TestbedRun`s.

    Args:
        models_to_run: model classes or names.
        mixtures: keys of `ganzoo.datasets.MIXTURES`.
        seeds: ints.
        runs_dir: a folder that keeps every finished run
            (`<model>_<mixture>_seed<seed>_<steps>steps[_xla].json`); a run found there is
            loaded instead of trained, so an interrupted testbed continues where it
            stopped. None keeps nothing.
        log: a function given one line of progress per run (e.g. `print`), or None.
        **train_options: passed to `train_on_mixture`.
    """
    if runs_dir is not None:
        os.makedirs(runs_dir, exist_ok=True)
    steps = int(train_options.get("steps", DEFAULT_STEPS))
    xla = "_xla" if train_options.get("jit_compile") else ""
    runs = []
    for model in models_to_run:
        name = model if isinstance(model, str) else model.__name__
        for mixture in mixtures:
            for seed in seeds:
                path = runs_dir and os.path.join(
                    runs_dir, f"{name}_{mixture}_seed{seed}_{steps}steps{xla}.json"
                )
                if path and os.path.exists(path):
                    runs.append(TestbedRun.load(path))
                    continue
                run = train_on_mixture(model, mixture, seed, **train_options)
                runs.append(run)
                if path:
                    run.save(path)
                if log is not None:
                    stats = run.statistics
                    log(
                        f"{run.model} {run.mixture} seed {run.seed}: "
                        f"{stats['modes_covered']} modes, "
                        f"{100 * stats['high_quality']:.1f}% high quality, "
                        f"reverse KL {stats['reverse_kl']:.3f}, {run.seconds:.0f} s"
                    )
    return runs


def plot_samples(runs, path, *, seed=None):
    """Draws generated points over the true modes, one panel per (model, mixture).

    Rows are models and columns mixtures, in the order they first appear in `runs`. Each
    panel shows one run: the one with `seed`, or the lowest seed when `seed` is None. The
    modes are red crosses with a circle of 3 std (the high-quality radius).

    Args:
        runs: `TestbedRun`s.
        path: where to write the PNG; parent directories are created.
        seed: which seed to show.

    Returns:
        `path`, as a string.
    """
    # Imported here so that `import ganzoo` does not pay for matplotlib.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    runs = list(runs)
    if not runs:
        raise ValueError("Expected at least one TestbedRun to plot, got none.")
    model_names = list(dict.fromkeys(run.model for run in runs))
    mixture_names = list(dict.fromkeys(run.mixture for run in runs))
    chosen = {}
    for run in sorted(runs, key=lambda run: run.seed):
        if seed is None or run.seed == seed:
            chosen.setdefault((run.model, run.mixture), run)

    panel_inches = 3.2
    figure = Figure(
        figsize=(panel_inches * len(mixture_names), panel_inches * len(model_names)), dpi=100
    )
    FigureCanvasAgg(figure)
    axes = figure.subplots(len(model_names), len(mixture_names), squeeze=False)
    for row, model in enumerate(model_names):
        for col, mixture in enumerate(mixture_names):
            panel = axes[row, col]
            spec = datasets.get_mixture(mixture)
            reach = np.abs(spec.means).max() * 1.5
            panel.set_xlim(-reach, reach)
            panel.set_ylim(-reach, reach)
            panel.set_aspect("equal")
            run = chosen.get((model, mixture))
            if run is not None:
                # Above the modes, so that points piled on a mode stay visible.
                panel.scatter(
                    run.samples[:, 0],
                    run.samples[:, 1],
                    s=2,
                    c="black",
                    alpha=0.3,
                    linewidths=0,
                    zorder=3,
                )
                stats = run.statistics
                panel.set_title(
                    f"{model}, {mixture}, seed {run.seed}\n"
                    f"{stats['modes_covered']}/{len(spec.means)} modes, "
                    f"{100 * stats['high_quality']:.0f}% HQ, KL {stats['reverse_kl']:.2f}",
                    fontsize=9,
                )
            else:
                panel.set_title(f"{model}, {mixture}: no run", fontsize=9)
            panel.scatter(spec.means[:, 0], spec.means[:, 1], marker="x", s=12, c="red")
            for mean in spec.means:
                panel.add_patch(Circle(mean, 3 * spec.std, fill=False, color="red", lw=0.5))
            panel.tick_params(labelsize=7)
    figure.tight_layout()
    path = os.fspath(path)
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    figure.savefig(path, format="png", dpi=100)
    return path


def _mean_std(row, key, scale=1.0, digits=2):
    return f"{scale * row[f'{key}_mean']:.{digits}f} ± {scale * row[f'{key}_std']:.{digits}f}"


def markdown_table(rows):
    """The `summarize` rows as a Markdown table (HQ in percent)."""
    lines = [
        (
            "| model | mixture | seeds | steps | modes covered | high quality (%) | reverse KL "
            "| training time per run (s) |"
        ),
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        modes = len(datasets.get_mixture(row["mixture"]).means)
        lines.append(
            f"| {row['model']} | {row['mixture']} | {len(row['seeds'])} | "
            f"{', '.join(map(str, row['steps']))} | "
            f"{_mean_std(row, 'modes_covered', digits=1)} / {modes} | "
            f"{_mean_std(row, 'high_quality', scale=100, digits=1)} | "
            f"{_mean_std(row, 'reverse_kl')} | {row['seconds_mean']:.0f} |"
        )
    return "\n".join(lines)


def curve_table(rows, key, scale=1.0, digits=1):
    """One statistic of the `summarize_curves` rows as a Markdown table: a column per step."""
    steps = sorted({step for row in rows for step in row["steps"]})
    lines = [
        "| model | mixture | " + " | ".join(str(step) for step in steps) + " |",
        "|---|---|" + "---|" * len(steps),
    ]
    for row in rows:
        by_step = dict(zip(row["steps"], row[f"{key}_mean"]))
        cells = [f"{scale * by_step[step]:.{digits}f}" if step in by_step else "" for step in steps]
        lines.append(f"| {row['model']} | {row['mixture']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def paper_table(results=PAPER_RESULTS):
    """`PAPER_RESULTS` as a Markdown table."""
    lines = [
        "| source | model | mixture | modes covered | high quality (%) | reverse KL |",
        "|---|---|---|---|---|---|",
    ]
    for row in results:
        lines.append(
            f"| {row['source']} | {row['model']} | {row['mixture']} | {row['modes_covered']} "
            f"| {row['high_quality']} | {row['reverse_kl'] or '—'} |"
        )
    return "\n".join(lines)


def machine_description():
    """CPU cores, GPUs and library versions of this machine, for reports."""
    gpus = tf.config.list_physical_devices("GPU")
    return {
        "cpu_cores": os.cpu_count(),
        "gpus": len(gpus),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
    }


_REPORT_TEMPLATE = """\
# The 2-D mode-collapse testbed (VEEGAN / PacGAN)

GANs trained on two Gaussian mixtures in the plane: ring8 (8 modes on the unit circle,
std 0.01) and grid25 (25 modes at (i, j) for i, j in {{-4, -2, 0, 2, 4}}, std 0.05), every
mode equally likely. Each run is scored on 2,500 generated points
(`ganzoo.metrics.mode_statistics`): a point is high quality (HQ) when it lies within 3 std of
its nearest mode; modes covered counts the modes with at least one HQ point; reverse KL is
KL(p || uniform) of the HQ points' spread over the modes (0 for an even spread over all
modes, log K for a single mode, and log K as well when no point is HQ).

Networks and optimizer follow the PacGAN authors' code (`ganzoo.testbed.pacgan_networks`): G
has 4 hidden layers of 400 units (Dense without bias, batch norm, ReLU) and a linear 2-D
output, z ~ N(0, I_2); D has 3 maxout layers (200 units, 5 pieces) and a linear logit, no
dropout; kernels start from N(0, 0.02^2); Adam(1e-4, beta_1 = 0.8) for both networks; batches
of 100 points from a fixed training set of 100,000. GAN uses the non-saturating generator
loss (as VEEGAN and PacGAN did), LSGAN the least-squares losses with the 0-1 coding, WGANGP
the Wasserstein losses with the gradient penalty (lambda 10) and 5 critic updates of 100
points per generator update, SNGAN spectral normalization on D's maxout and logit layers and
the hinge loss. Training aids are those of `ganzoo.models.AIDS` (ema: weight average 0.999;
ttur: D at 4e-4, G at 1e-4; smoothing: one-sided, 0.1). Every class gets the same optimizer,
not its paper's own. Points are generated with batch norm in inference mode (moving
statistics; with ema, the averaged generator).

## Measured

{table}

Mean ± standard deviation over seeds (sample standard deviation, ddof = 1). Training time is
the `fit` wall time of one run; the whole command took {minutes:.1f} minutes.

- Command: `{command}`
- Machine: {machine}.
{note}- Per-run figures, settings and the last training losses: `{name}.json`.
{curves}
![Generated points (black) over the modes (red; circles of 3 std), lowest seed]({name}.png)

## The papers' figures

As transcribed, not re-checked against the PDF. Whether a paper's ± is a standard deviation or
a standard error over its trials was not checked either.

{paper_table}

## How far this is from the papers' setting

These runs train for {steps} steps of 100 points. The PacGAN authors train 400 epochs of
100,000 points: {paper_steps:,} steps, {ratio:,} times as many. The table therefore describes
GANs early in training, not converged ones, and neither reproduces nor contradicts the
papers' rows:

- A point is HQ only within 3 std of a mode: 0.03 on the ring, 0.15 on the grid. Early in
  training the generated clusters are wider than the modes, so the HQ share measures how far
  training has come more than the quality a converged model reaches.
- HQ rewards a generator that piles its points onto a few modes: a freshly initialised G
  (kernels from N(0, 0.02^2)) puts them all near (0, 0), which is a grid25 mode, and scores
  1 mode, ~100% HQ and reverse KL log 25 there. Read HQ together with modes covered.
- The other way round, a diffuse cloud scores a little by chance: the 25 grid25 discs of
  radius 0.15 cover 1.8% of the 10 x 10 square around the grid, so an HQ share near 2%
  there means no clusters yet, and the modes such a cloud "covers" are chance hits.
- Modes covered and reverse KL count HQ points only and inherit that dependence. Mode
  collapse, as the papers report it, is where long training ends up; a short run can neither
  show it nor rule it out.
- What the figures are good for: a fast, seeded check of the testbed and a baseline for other
  models trained for the same number of steps. A change that moves a figure by more than
  its spread over seeds is worth a look.

Papers: Srivastava, Valkov, Russell, Gutmann, Sutton, "VEEGAN: Reducing Mode Collapse in GANs
using Implicit Variational Learning", arXiv 1705.07761 (Section 5.1, Table 1); Lin, Khetan,
Fanti, Oh, "PacGAN: The power of two samples in generative adversarial networks",
arXiv 1712.04086 (Section 4.1, Table 1).
"""


def _curves_section(curve_rows):
    if not curve_rows:
        return ""
    return (
        "\n## Along training\n\n"
        "The same statistics every few steps (means over the seeds; the same noise each\n"
        "time, so the changes are the generator's). Where they still swing from one\n"
        "evaluation to the next, the final figures above are a snapshot, not a settled value.\n\n"
        f"High quality (%):\n\n{curve_table(curve_rows, 'high_quality', scale=100)}\n\n"
        f"Modes covered:\n\n{curve_table(curve_rows, 'modes_covered')}\n\n"
        f"Reverse KL:\n\n{curve_table(curve_rows, 'reverse_kl', digits=2)}\n"
    )


def write_report(runs, out_dir, *, command, wall_seconds, note=None, name="mode_testbed"):
    """Writes `<name>.json`, `<name>.md` (tables and settings) and `<name>.png` to `out_dir`.

    Args:
        runs: the `TestbedRun`s.
        out_dir: the folder; created when missing.
        command: the command line that made the runs, written into the report.
        wall_seconds: wall time of the whole command.
        note: an optional sentence about the conditions (e.g. a shared machine).
        name: the files' stem.

    Returns:
        The paths written, `(json, markdown, png)`.
    """
    runs = list(runs)
    rows = summarize(runs)
    curve_rows = summarize_curves(runs)
    machine = machine_description()
    steps = sorted({run.steps for run in runs})
    os.makedirs(out_dir, exist_ok=True)
    json_path = os.path.join(out_dir, f"{name}.json")
    markdown_path = os.path.join(out_dir, f"{name}.md")
    png_path = os.path.join(out_dir, f"{name}.png")
    report = {
        "command": command,
        "wall_seconds": wall_seconds,
        "note": note,
        "machine": machine,
        "settings": {
            "latent_dim": LATENT_DIM,
            "generator_units": list(GENERATOR_UNITS),
            "discriminator_units": list(DISCRIMINATOR_UNITS),
            "maxout_pieces": MAXOUT_PIECES,
            "kernel_initializer": KERNEL_INITIALIZER,
            "optimizer": PACGAN_OPTIMIZER,
            "batch_size": BATCH_SIZE,
            "training_samples": TRAINING_SAMPLES,
            "evaluation_samples": len(runs[0].samples) if runs else None,
            "threshold_std": 3.0,
            "mixtures": {
                key: {"means": value.means.tolist(), "std": value.std}
                for key, value in datasets.MIXTURES.items()
            },
        },
        "summary": rows,
        "curves": curve_rows,
        "runs": [run.to_dict() for run in runs],
        "paper_results": PAPER_RESULTS,
    }
    with open(json_path, "w") as file:
        json.dump(report, file, indent=2)
        file.write("\n")
    plot_samples(runs, png_path)
    paper_steps = 400 * TRAINING_SAMPLES // BATCH_SIZE
    gpus = f"{machine['gpus']} GPU(s)" if machine["gpus"] else "no GPU"
    text = _REPORT_TEMPLATE.format(
        table=markdown_table(rows),
        minutes=wall_seconds / 60,
        command=command,
        machine=(
            f"{machine['cpu_cores']} CPU cores, {gpus}; {machine['platform']}; Python "
            f"{machine['python']}, TensorFlow {machine['tensorflow']}, Keras {machine['keras']}"
        ),
        note=f"- Note: {note}\n" if note else "",
        curves=_curves_section(curve_rows),
        name=name,
        paper_table=paper_table(),
        steps=", ".join(map(str, steps)),
        paper_steps=paper_steps,
        ratio=paper_steps // max(steps),
    )
    with open(markdown_path, "w") as file:
        file.write(text)
    return json_path, markdown_path, png_path
