import numpy as np
import pytest

from ganzoo import metrics


def test_matched_accuracy_finds_the_permutation():
    labels = np.array([0, 0, 1, 1, 2, 2])
    # Categories 2, 0, 1 stand for labels 0, 1, 2; one example is wrong.
    predicted = np.array([2, 2, 0, 0, 1, 0])
    accuracy, mapping = metrics.matched_accuracy(predicted, labels)
    assert accuracy == pytest.approx(5 / 6)
    assert mapping == {0: 1, 1: 2, 2: 0}


def test_matched_accuracy_is_one_to_one():
    # Everything in one category: only one label can be matched to it.
    accuracy, _ = metrics.matched_accuracy(np.zeros(4), np.array([0, 0, 1, 1]))
    assert accuracy == pytest.approx(0.5)


def test_matched_accuracy_rejects_bad_input():
    with pytest.raises(ValueError, match="as many predictions as labels"):
        metrics.matched_accuracy([0, 1], [0])
    with pytest.raises(ValueError, match="non-negative"):
        metrics.matched_accuracy([-1, 1], [0, 1])
