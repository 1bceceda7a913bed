"""LSGAN: the a-b-c coding reaches the losses and survives saving."""

import keras
import numpy as np
import pytest

from conftest import tiny_model

REAL = np.array([1.0, 2.0, 0.0, -1.0], "float32")
FAKE = np.array([0.0, 1.0, -1.0, 4.0], "float32")


def test_default_coding_is_zero_one():
    lsgan = tiny_model("LSGAN")
    lsgan.compile()
    assert lsgan.coding == (0.0, 1.0, 1.0)
    # 0.5 mean((R-1)^2) + 0.5 mean(F^2) = 0.75 + 2.25; 0.5 mean((F-1)^2) = 1.75
    assert float(lsgan.discriminator_loss(REAL, FAKE)) == pytest.approx(3.0)
    assert float(lsgan.generator_loss(FAKE)) == pytest.approx(1.75)


def test_chi_square_coding():
    lsgan = tiny_model("LSGAN", coding=(-1, 1, 0))
    lsgan.compile()
    # 0.75 + 0.5 mean((F+1)^2) = 0.75 + 3.75; 0.5 mean(F^2) = 2.25
    assert float(lsgan.discriminator_loss(REAL, FAKE)) == pytest.approx(4.5)
    assert float(lsgan.generator_loss(FAKE)) == pytest.approx(2.25)


def test_other_loss_names_ignore_the_coding():
    lsgan = tiny_model("LSGAN", coding=(-1, 1, 0))
    lsgan.compile(loss="hinge")
    assert float(lsgan.generator_loss(FAKE)) == pytest.approx(-1.0)


def test_coding_survives_saving(images, tmp_path):
    lsgan = tiny_model("LSGAN", coding=(-1, 1, 0))
    lsgan.compile()
    lsgan.fit(images[:4], batch_size=4, verbose=0)
    lsgan.save(tmp_path / "lsgan.keras")
    loaded = keras.models.load_model(tmp_path / "lsgan.keras")
    assert loaded.coding == (-1.0, 1.0, 0.0)
    assert float(loaded.generator_loss(FAKE)) == pytest.approx(2.25)


def test_bad_coding():
    with pytest.raises(ValueError, match=r"coding must be \(a, b, c\)"):
        tiny_model("LSGAN", coding=(0, 1))
