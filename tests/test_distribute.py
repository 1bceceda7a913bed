"""ganzoo under tf.distribute: each case runs tests/distributed_worker.py in a fresh process,
since logical devices and clusters must be configured before TensorFlow starts."""

import contextlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np

WORKER = Path(__file__).with_name("distributed_worker.py")


def _run(args, env=None, log=None):
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        env={**os.environ, **(env or {})},
        stdout=log or subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_one_mirrored_step_equals_one_single_device_step(tmp_path):
    out = tmp_path / "mirrored.json"
    process = _run(["mirrored", str(out)])
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output[-3000:]
    results = json.loads(out.read_text())
    assert results.pop("augment_replicas_differ")  # DiffAugment's draws, per replica
    assert set(results) == {"gan", "gan_d_steps_2", "gan_ema", "wgan_gp", "cgan", "acgan"}
    for case, result in results.items():
        # The step moved the weights, and two replicas moved them as one device does.
        assert result["moved"] > 1e-3, case
        assert result["weights"] < 1e-6, (case, result["weights"])
        assert result["replica_noise_differs"], case
        # Logged losses are the global batch's, not divided by the number of replicas.
        for name, (single, replicated) in result["logs"].items():
            np.testing.assert_allclose(replicated, single, rtol=1e-5, err_msg=f"{case} {name}")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_two_worker_mirrored_training_saves_from_the_chief(tmp_path):
    workers = [f"127.0.0.1:{_free_port()}" for _ in range(2)]
    processes = []
    with contextlib.ExitStack() as stack:
        for index in range(2):
            config = {"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}}
            log = stack.enter_context(open(tmp_path / f"worker_{index}.log", "w"))
            processes.append(
                _run(["multiworker", str(tmp_path)], {"TF_CONFIG": json.dumps(config)}, log)
            )
        try:
            codes = [process.wait(timeout=300) for process in processes]
        finally:
            for process in processes:
                process.kill()
    logs = [(tmp_path / f"worker_{index}.log").read_text()[-3000:] for index in range(2)]
    assert codes == [0, 0], logs
    history = json.loads((tmp_path / "history.json").read_text())
    assert all(len(values) == 2 and np.all(np.isfinite(values)) for values in history.values())
    chief = keras.saving.load_model(tmp_path / "model.keras")
    other = keras.saving.load_model(tmp_path / "worker_1" / "model.keras")
    for a, b in zip(chief.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)  # synchronous training: one model on both
    assert chief.generate(2, seed=0).shape == (2, 16, 16, 1)
