"""The MNIST comparison of classes and training aids: summary by hand, and the recipe end to
end on tfds mock data (resumable, report section)."""

import json
import runpy
import sys
from pathlib import Path

import pytest
import tensorflow_datasets as tfds

from ganzoo import comparison, datasets

ROOT = Path(__file__).resolve().parent.parent


def _result(variant, seed, fid):
    metrics = {key: {"mean": fid / 10, "std": 0.0} for key in comparison.METRICS}
    metrics["fid"] = {"mean": fid, "std": 0.0}
    floor = {key: 1.0 for key in comparison.METRICS}
    return {"variant": variant, "seed": seed, "epochs": 2, "metrics": metrics, "floor": floor}


def test_summarize_by_hand():
    results = [_result("DCGAN", 0, 10.0), _result("DCGAN", 1, 14.0), _result("SNGAN", 0, 8.0)]
    floor, dcgan, sngan = comparison.summarize(results)
    assert floor["variant"] == "real train images (floor)" and floor["fid"] == 1.0
    assert dcgan["seeds"] == [0, 1] and dcgan["fid"] == 12.0
    assert dcgan["fid_std"] == pytest.approx(2.8284271, rel=1e-6)  # sample std of 10, 14
    assert sngan["fid"] == 8.0 and sngan["fid_std"] == 0.0
    table = comparison.markdown_table([floor, dcgan, sngan])
    assert "| DCGAN | 2 | 12.00 ± 2.83 |" in table and "| SNGAN | 1 | 8.00 |" in table


def test_recipe_smoke_trains_evaluates_and_reports(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "_network_available", lambda url: True)
    out = tmp_path / "compare"
    argv = ["compare_mnist.py", "--smoke", "--out", str(out), "--seeds", "2"]
    argv += ["--variants", "DCGAN", "WGANGP", "DCGAN+ema"]
    monkeypatch.setattr(sys, "argv", argv)
    # WGANGP's fit batches hold 5 x 64 images: two of them.
    with tfds.testing.mock_data(num_examples=640):
        runpy.run_path(str(ROOT / "recipes" / "compare_mnist.py"), run_name="__main__")
        report = (tmp_path / "compare_smoke" / "results.md").read_text()
        for variant in ("DCGAN", "WGANGP", "DCGAN+ema"):
            assert f"| {variant} | 2 |" in report
            for seed in (0, 1):
                assert (
                    tmp_path / "compare_smoke" / f"{variant}_seed{seed}" / "evaluation.json"
                ).exists()
        assert "python recipes/compare_mnist.py --smoke" in report
        # A second run finds every evaluation and trains nothing.
        model = tmp_path / "compare_smoke" / "WGANGP_seed1" / "model.keras"
        stamp = model.stat().st_mtime_ns
        runpy.run_path(str(ROOT / "recipes" / "compare_mnist.py"), run_name="__main__")
        assert model.stat().st_mtime_ns == stamp
        # More epochs train the runs on from their checkpoints and evaluate them again.
        monkeypatch.setattr(sys, "argv", [*argv, "--epochs", "2"])
        runpy.run_path(str(ROOT / "recipes" / "compare_mnist.py"), run_name="__main__")
        assert model.stat().st_mtime_ns != stamp
        run = tmp_path / "compare_smoke" / "DCGAN_seed0"
        assert json.loads((run / "evaluation.json").read_text())["epochs"] == 2
        assert len((run / "history.csv").read_text().strip().splitlines()) == 1 + 2
        # Fewer epochs than a run has cannot be evaluated: a clear error, nothing retrained.
        monkeypatch.setattr(sys, "argv", [*argv, "--epochs", "1"])
        with pytest.raises(ValueError, match="trained for 2 epochs"):
            runpy.run_path(str(ROOT / "recipes" / "compare_mnist.py"), run_name="__main__")
