"""Every loss against values computed by hand.

real = [0, ln 3, 0, ln 3] and fake = [0, -ln 3, -ln 3, 0] give sigmoids of 1/2, 3/4 and 1/4:
softplus(0) = ln 2, softplus(-ln 3) = ln(4/3), softplus(ln 3) = ln 4.
"""

import math

import numpy as np
import pytest

from ganzoo import losses

LN3 = math.log(3.0)
REAL = np.array([0.0, LN3, 0.0, LN3], "float32")
FAKE = np.array([0.0, -LN3, -LN3, 0.0], "float32")
# Raw scores for the least-squares, Wasserstein and hinge losses.
R = np.array([1.0, 2.0, 0.0, -1.0], "float32")
F = np.array([0.0, 1.0, -1.0, 4.0], "float32")


def value(x):
    assert x.shape == () and x.dtype == "float32"
    return float(x)


def test_minimax_discriminator_loss():
    # mean softplus(-real) = (2 ln 2 + 2 ln 4/3) / 4 = ln(8/3) / 2; same for softplus(fake).
    expected = math.log(8 / 3)
    assert value(losses.minimax_discriminator_loss(REAL, FAKE)) == pytest.approx(expected, 1e-6)
    assert value(losses.non_saturating_discriminator_loss(REAL, FAKE)) == pytest.approx(
        expected, 1e-6
    )


def test_minimax_generator_loss():
    # E[log(1 - D(G(z)))] = -mean softplus(fake) = -ln(8/3) / 2.
    assert value(losses.minimax_generator_loss(FAKE)) == pytest.approx(-math.log(8 / 3) / 2, 1e-6)


def test_non_saturating_generator_loss():
    # -E[log D(G(z))] = mean softplus(-fake) = (ln 2 + ln 4 + ln 4 + ln 2) / 4 = 1.5 ln 2.
    assert value(losses.non_saturating_generator_loss(FAKE)) == pytest.approx(
        1.5 * math.log(2), 1e-6
    )


def test_least_squares_losses_both_codings():
    # a=0, b=1: 0.5 mean((R-1)^2) = 0.5 * (0+1+1+4)/4 = 0.75; 0.5 mean(F^2) = 0.5 * 18/4 = 2.25
    assert value(losses.least_squares_discriminator_loss(R, F)) == pytest.approx(3.0)
    # a=-1, b=1: 0.5 mean((F+1)^2) = 0.5 * (1+4+0+25)/4 = 3.75
    assert value(losses.least_squares_discriminator_loss(R, F, a=-1.0, b=1.0)) == pytest.approx(
        0.75 + 3.75
    )
    # c=1: 0.5 mean((F-1)^2) = 0.5 * (1+0+4+9)/4 = 1.75; c=0: 0.5 * 18/4 = 2.25
    assert value(losses.least_squares_generator_loss(F)) == pytest.approx(1.75)
    assert value(losses.least_squares_generator_loss(F, c=0.0)) == pytest.approx(2.25)


def test_wasserstein_losses():
    # mean(F) - mean(R) = 1 - 0.5
    assert value(losses.wasserstein_discriminator_loss(R, F)) == pytest.approx(0.5)
    assert value(losses.wasserstein_generator_loss(F)) == pytest.approx(-1.0)


def test_hinge_losses():
    # mean relu(1 - R) = (0+0+1+2)/4 = 0.75; mean relu(1 + F) = (1+2+0+5)/4 = 2
    assert value(losses.hinge_discriminator_loss(R, F)) == pytest.approx(2.75)
    assert value(losses.hinge_generator_loss(F)) == pytest.approx(-1.0)


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_patch_shaped_outputs_average_over_all_elements(name):
    d_loss, g_loss = losses.get(name)
    assert float(d_loss(R.reshape(2, 2), F.reshape(2, 2))) == pytest.approx(float(d_loss(R, F)))
    assert float(g_loss(F.reshape(2, 1, 2))) == pytest.approx(float(g_loss(F)))


def test_float16_logits_give_float32_losses():
    for name in losses.LOSSES:
        d_loss, g_loss = losses.get(name)
        assert d_loss(R.astype("float16"), F.astype("float16")).dtype == "float32"
        assert g_loss(F.astype("float16")).dtype == "float32"


def test_get_by_name_and_pair():
    assert losses.get("minimax") == (
        losses.minimax_discriminator_loss,
        losses.minimax_generator_loss,
    )
    pair = (losses.hinge_discriminator_loss, losses.hinge_generator_loss)
    assert losses.get(list(pair)) == pair
    with pytest.raises(ValueError, match="Unknown loss 'l2'"):
        losses.get("l2")
    with pytest.raises(ValueError, match="pair of callables"):
        losses.get(42)
