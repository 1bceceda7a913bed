"""The 2-D mode testbed: mixtures, PacGAN networks, a few training steps, reports, recipe."""

import json
import runpy
from pathlib import Path

import keras
import numpy as np
import pytest

import ganzoo
from ganzoo import datasets, testbed
from ganzoo.networks import SpectralNormalization

RECIPE = Path(__file__).resolve().parents[1] / "recipes" / "mode_testbed.py"


def test_mixture_definitions():
    ring = datasets.MIXTURES["ring8"]
    assert ring.std == 0.01 and ring.means.shape == (8, 2)
    np.testing.assert_allclose(np.linalg.norm(ring.means, axis=1), 1.0)
    np.testing.assert_allclose(ring.means[2], [0.0, 1.0], atol=1e-12)  # angle 2 pi 2 / 8
    np.testing.assert_allclose(ring.means[5], [-np.sqrt(0.5), -np.sqrt(0.5)])
    grid = datasets.MIXTURES["grid25"]
    assert grid.std == 0.05 and grid.means.shape == (25, 2)
    expected = {(i, j) for i in (-4, -2, 0, 2, 4) for j in (-4, -2, 0, 2, 4)}
    assert {tuple(mean) for mean in grid.means} == expected


@pytest.mark.parametrize("name", ["ring8", "grid25"])
def test_sample_mixture_matches_its_definition(name):
    means, std = datasets.MIXTURES[name]
    points = datasets.sample_mixture(name, 20_000, seed=0)
    assert points.shape == (20_000, 2) and points.dtype == np.float32
    np.testing.assert_array_equal(points, datasets.sample_mixture(name, 20_000, seed=0))
    nearest = np.argmin(((points[:, None] - means[None]) ** 2).sum(axis=-1), axis=1)
    offsets = points - means[nearest]
    # Each mode gets 1/K of the points, centred on its mean with the mixture's std.
    shares = np.bincount(nearest, minlength=len(means)) / len(points)
    np.testing.assert_allclose(shares, 1 / len(means), atol=0.25 / len(means))
    np.testing.assert_allclose(offsets.mean(axis=0), 0.0, atol=0.05 * std)
    np.testing.assert_allclose(offsets.std(axis=0), std, rtol=0.03)
    # Real data scores as it should: P(|e| < 3 std) = 1 - exp(-9/2) for 2-D Gaussian e.
    stats = ganzoo.metrics.mode_statistics(points[:2500], means, std)
    assert stats["modes_covered"] == len(means)
    assert stats["high_quality"] == pytest.approx(1 - np.exp(-4.5), abs=0.01)
    assert stats["reverse_kl"] < 0.02


def test_sample_mixture_rejects_bad_input():
    with pytest.raises(ValueError, match="Unknown mixture 'ring9'. Available mixtures: ring8"):
        datasets.sample_mixture("ring9", 10)
    with pytest.raises(ValueError, match="positive integer"):
        datasets.sample_mixture("ring8", 0)


def test_pacgan_networks():
    generator, discriminator = testbed.pacgan_networks()
    assert generator.input_shape == (None, 2) and generator.output_shape == (None, 2)
    assert discriminator.input_shape == (None, 2) and discriminator.output_shape == (None, 1)
    dense = [layer for layer in generator.layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.units for layer in dense] == [400, 400, 400, 400, 2]
    assert [layer.use_bias for layer in dense] == [False] * 4 + [True]
    assert dense[-1].activation is keras.activations.linear
    norms = [
        layer for layer in generator.layers if isinstance(layer, keras.layers.BatchNormalization)
    ]
    assert len(norms) == 4
    maxouts = [layer for layer in discriminator.layers if isinstance(layer, ganzoo.networks.Maxout)]
    assert [(layer.units, layer.pieces) for layer in maxouts] == [(200, 5)] * 3
    assert not any(isinstance(layer, keras.layers.Dropout) for layer in discriminator.layers)
    # Kernels 2*400 + 3*400*400 + 400*2, output biases 2; per batch norm, 400 each of
    # gamma, beta, moving mean and moving variance.
    assert generator.count_params() == 2 * 400 + 3 * 400**2 + 400 * 2 + 2 + 4 * 4 * 400
    # Maxout: (2 + 1) * 1000, then 2 * (200 + 1) * 1000; the logit 200 + 1.
    assert discriminator.count_params() == 3 * 1000 + 2 * 201 * 1000 + 201


@pytest.mark.parametrize("name, loss", [("GAN", "non_saturating"), ("LSGAN", "least_squares")])
def test_build_model(name, loss):
    gan = testbed.build_model(name)
    assert type(gan) is ganzoo.models.get(name)
    assert gan.latent_dim == 2 and gan.image_shape == (2,)
    assert gan.latent_distribution == "normal" and gan.loss_name == loss
    assert gan.d_optimizer is not gan.g_optimizer
    for optimizer in (gan.d_optimizer, gan.g_optimizer):
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert float(optimizer.learning_rate) == pytest.approx(1e-4)
        assert optimizer.beta_1 == pytest.approx(0.8)


def test_variants_with_training_aids_and_the_new_classes():
    gan = testbed.build_model("GAN+ema+ttur+smoothing")
    assert gan.ema_decay == 0.999 and gan.label_smoothing == 0.1
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(4e-4)
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(1e-4)
    with pytest.raises(ValueError, match="Unknown training aid 'emma'"):
        testbed.build_model("GAN+emma")
    with pytest.raises(ValueError, match="DiffAugment .* leave augment out"):
        testbed.build_model("GAN+augment")
    sngan = testbed.build_model("SNGAN")
    normalized = [
        layer
        for layer in sngan.discriminator._flatten_layers()
        if isinstance(layer, SpectralNormalization)
    ]
    assert len(normalized) == 4 and sngan.loss_name == "hinge"  # 3 maxout layers, the logit
    assert not any(
        isinstance(layer, SpectralNormalization)
        for layer in testbed.build_model("GAN").discriminator._flatten_layers()
    )
    # WGANGP: 5 critic updates of `batch_size` points per step.
    run = testbed.train_on_mixture(
        "WGANGP", "ring8", steps=2, batch_size=10, num_samples=20, training_samples=200
    )
    assert run.model == "WGANGP" and np.isfinite(run.samples).all()
    run = testbed.train_on_mixture(
        "SNGAN+ema", "ring8", steps=2, batch_size=10, num_samples=20, training_samples=200
    )
    assert run.model == "SNGAN+ema" and np.isfinite(run.samples).all()


def test_train_on_mixture_returns_valid_statistics():
    run = testbed.train_on_mixture(
        ganzoo.GAN, "ring8", seed=3, steps=4, num_samples=40, training_samples=500, eval_every=2
    )
    assert (run.model, run.mixture, run.seed, run.steps) == ("GAN", "ring8", 3, 4)
    assert run.samples.shape == (40, 2) and np.isfinite(run.samples).all()
    stats = run.statistics
    assert 0 <= stats["modes_covered"] <= 8 and len(stats["counts"]) == 8
    assert 0.0 <= stats["high_quality"] <= 1.0
    assert 0.0 <= stats["reverse_kl"] <= np.log(8) + 1e-12
    assert set(run.logs) == {"d_loss", "g_loss", "d_real", "d_fake"} and run.seconds > 0
    assert "samples" not in run.to_dict()
    # Scored after steps 2 and 4; the last point is the final statistics.
    assert [point["step"] for point in run.curve] == [2, 4]
    assert run.curve[-1] == {"step": 4, **{k: v for k, v in stats.items() if k != "counts"}}
    with pytest.raises(ValueError, match="Unknown mixture"):
        testbed.train_on_mixture(ganzoo.GAN, "ring", steps=1)
    with pytest.raises(ValueError, match="positive divisor of steps=5"):
        testbed.train_on_mixture(ganzoo.GAN, "ring8", steps=5, eval_every=2)


def _run(model, mixture, seed, modes, high_quality, reverse_kl):
    means = datasets.MIXTURES[mixture].means
    return testbed.TestbedRun(
        model=model,
        mixture=mixture,
        seed=seed,
        steps=10,
        seconds=2.0 + seed,
        statistics={
            "modes_covered": modes,
            "high_quality": high_quality,
            "reverse_kl": reverse_kl,
            "counts": [],
        },
        logs={},
        samples=means[np.arange(20) % len(means)] + 0.1 * seed,
    )


RUNS = [
    _run("GAN", "ring8", 0, 6, 0.5, 0.2),
    _run("GAN", "ring8", 1, 8, 0.7, 0.4),
    _run("GAN", "ring8", 2, 7, 0.9, 0.3),
    _run("GAN", "grid25", 0, 20, 0.25, 1.0),
]


def test_summarize():
    ring, grid = testbed.summarize(RUNS)
    assert (ring["model"], ring["mixture"], ring["seeds"], ring["steps"]) == (
        "GAN",
        "ring8",
        [0, 1, 2],
        [10],
    )
    # Sample standard deviations: of (6, 8, 7) it is 1, of (0.5, 0.7, 0.9) 0.2.
    assert ring["modes_covered_mean"] == pytest.approx(7) and ring["modes_covered_std"] == 1
    assert ring["high_quality_mean"] == pytest.approx(0.7)
    assert ring["high_quality_std"] == pytest.approx(0.2)
    assert ring["reverse_kl_std"] == pytest.approx(0.1)
    assert ring["seconds_mean"] == pytest.approx(3.0)
    assert grid["modes_covered_std"] == 0.0 and grid["seeds"] == [0]
    table = testbed.markdown_table([ring, grid])
    assert "| GAN | ring8 | 3 | 10 | 7.0 ± 1.0 / 8 | 70.0 ± 20.0 | 0.30 ± 0.10 | 3 |" in table
    assert "| GAN | grid25 | 1 | 10 | 20.0 ± 0.0 / 25 |" in table


def test_summarize_curves():
    runs = [_run("GAN", "ring8", seed, 8, 1.0, 0.0) for seed in (0, 1)]
    runs[0].curve = [
        {"step": 5, "modes_covered": 2, "high_quality": 0.1, "reverse_kl": 1.0},
        {"step": 10, "modes_covered": 6, "high_quality": 0.5, "reverse_kl": 0.2},
    ]
    runs[1].curve = [
        {"step": 5, "modes_covered": 4, "high_quality": 0.3, "reverse_kl": 0.6},
        {"step": 10, "modes_covered": 8, "high_quality": 0.7, "reverse_kl": 0.0},
    ]
    (row,) = testbed.summarize_curves(runs + RUNS)  # RUNS have no curves
    assert row["steps"] == [5, 10]
    assert row["modes_covered_mean"] == [3.0, 7.0]
    assert row["high_quality_mean"] == pytest.approx([0.2, 0.6])
    assert row["reverse_kl_std"] == pytest.approx([np.sqrt(0.08), np.sqrt(0.02)])
    table = testbed.curve_table([row], "high_quality", scale=100)
    assert table.splitlines()[0] == "| model | mixture | 5 | 10 |"
    assert table.splitlines()[2] == "| GAN | ring8 | 20.0 | 60.0 |"


def test_plot_samples_writes_a_png(tmp_path):
    path = testbed.plot_samples(
        RUNS + [_run("LSGAN", "ring8", 0, 8, 1.0, 0.0)], tmp_path / "a" / "s.png"
    )
    assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="at least one"):
        testbed.plot_samples([], tmp_path / "empty.png")


def test_recipe_smoke(tmp_path, capsys):
    # One pair keeps the test fast (each model traces its own train step); `--smoke` alone
    # runs all four.
    recipe = runpy.run_path(str(RECIPE))
    argv = ["--smoke", "--models", "LSGAN", "--mixtures", "grid25", "--out", str(tmp_path)]
    runs = recipe["main"](argv)
    assert [(run.model, run.mixture, run.seed, run.steps) for run in runs] == [
        ("LSGAN", "grid25", 0, 6)
    ]
    assert 0.0 <= runs[0].statistics["high_quality"] <= 1.0
    report = json.loads((tmp_path / "mode_testbed.json").read_text())
    assert report["command"] == "python recipes/mode_testbed.py " + " ".join(argv)
    assert [(row["model"], row["mixture"]) for row in report["summary"]] == [("LSGAN", "grid25")]
    assert len(report["runs"]) == 1 and report["settings"]["batch_size"] == 100
    markdown = (tmp_path / "mode_testbed.md").read_text()
    assert "| LSGAN | grid25 | 1 | 6 |" in markdown and "As transcribed" in markdown
    assert "## Along training" in markdown and "| LSGAN | grid25 |" in markdown
    assert [point["step"] for point in report["runs"][0]["curve"]] == [3, 6]
    assert (tmp_path / "mode_testbed.png").read_bytes()[:4] == b"\x89PNG"
    assert "LSGAN grid25 seed 0" in capsys.readouterr().out
    # The run was kept: a second call loads it instead of training, into a named report.
    kept = tmp_path / "runs" / "LSGAN_grid25_seed0_6steps.json"
    assert kept.exists()
    again = recipe["main"]([*argv, "--name", "again"])
    np.testing.assert_array_equal(again[0].samples, runs[0].samples)
    assert again[0].statistics == json.loads(json.dumps(runs[0].statistics))
    assert "seed 0" not in capsys.readouterr().out  # nothing trained
    assert (tmp_path / "again.md").exists() and (tmp_path / "again.png").exists()


def test_xla_runs_train_the_same_game():
    # XLA draws the noise with another random-number algorithm, so the runs are not the
    # same trajectory; both start from the same networks and data at D's chance level.
    options = dict(steps=4, eval_every=2, batch_size=10, num_samples=20, training_samples=200)
    plain = testbed.train_on_mixture("GAN+ema", "ring8", seed=1, **options)
    fast = testbed.train_on_mixture("GAN+ema", "ring8", seed=1, jit_compile=True, **options)
    assert fast.jit_compile and not plain.jit_compile
    assert [point["step"] for point in fast.curve] == [2, 4]  # 2 steps per call
    for run in (plain, fast):
        assert run.logs["d_loss"] == pytest.approx(2 * np.log(2), abs=1e-2)
        assert run.logs["g_loss"] == pytest.approx(np.log(2), abs=1e-2)
        assert np.isfinite(run.samples).all()
