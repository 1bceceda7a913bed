"""Slow (`pytest -m slow`): every class with its defaults trains on real MNIST.

Each class, built and compiled with no options but the data's (`image_shape`, and
`num_classes` for conditional classes), trains 300 steps at its preset's batch size with
finite losses, at 2 seeds. Needs the original MNIST files (`GANZOO_SHARED_DATA`, default
`../shared/data`), from which it prepares tfds's `mnist` in a temporary folder.
"""

import numpy as np
import pytest

import ganzoo
from test_datasets import MNIST_FILES, shared_data_dir

STEPS = 300


@pytest.fixture(scope="module")
def mnist_dir(tmp_path_factory):
    shared = shared_data_dir()
    missing = [f for f in MNIST_FILES if not (shared / "mnist" / f).is_file()]
    if missing:
        pytest.skip(f"original MNIST files not in {shared}: {missing}")
    data_dir = tmp_path_factory.mktemp("tfds")
    ganzoo.datasets.prepare("mnist", shared, data_dir=data_dir)
    return data_dir


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("name", sorted(ganzoo.models.MODELS))
def test_defaults_train_300_steps_on_mnist(name, seed, mnist_dir):
    import keras

    cls = ganzoo.models.get(name)
    keras.utils.set_random_seed(seed)
    data = ganzoo.datasets.load(
        "mnist",
        batch_size=cls.presets["default"].batch_size,
        with_labels=cls.conditional,
        data_dir=mnist_dir,
        seed=seed,
    )
    options = {"num_classes": 10} if cls.conditional else {}
    gan = cls(image_shape=(28, 28, 1), **options)
    gan.compile()
    history = gan.fit(
        data.repeat(),
        epochs=1,
        steps_per_epoch=STEPS,
        verbose=0,
        callbacks=[ganzoo.callbacks.StopOnDivergence()],
    )
    assert int(gan.g_optimizer.iterations) == STEPS
    for key, values in history.history.items():
        assert np.all(np.isfinite(values)), (key, values)
    images = gan.generate(16, seed=0).numpy()
    assert np.all(np.isfinite(images)) and images.std() > 0.05  # not one flat image
