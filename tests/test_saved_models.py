"""Every generator shipped under saved_models/: a complete card, and every file loads by
name and samples images of the card's shape in [-1, 1]."""

from pathlib import Path

import numpy as np
import pytest

import ganzoo

SAVED_MODELS = Path(__file__).resolve().parent.parent / "saved_models"
# Evaluator classifiers (classifier.keras, tested in test_evaluators.py) are not generators.
SHIPPED = sorted(
    p.name
    for p in SAVED_MODELS.iterdir()
    if (p / "card.json").exists() and not (p / "classifier.keras").exists()
)
CARD_KEYS = {"model", "latent_inputs", "images", "generator_parameters", "dataset",
             "training_command", "versions", "signatures", "files"}


def test_something_is_shipped():
    assert SHIPPED, "saved_models/ holds no generator with a card.json"


@pytest.mark.parametrize("name", SHIPPED)
def test_card_is_complete(name):
    card = ganzoo.load_generator(name).card
    assert CARD_KEYS <= set(card), CARD_KEYS - set(card)
    assert card["dataset"] and card["training_command"]
    for file, entry in card["files"].items():
        assert (SAVED_MODELS / name / file).exists(), file
        assert entry["bytes"] > 0 and entry["max_abs_diff"] < 0.5


@pytest.mark.parametrize("name", SHIPPED)
def test_every_file_loads_and_samples(name):
    card = ganzoo.load_generator(name).card
    shape = tuple(card["images"]["shape"])
    for file in card["files"]:
        generator = ganzoo.load_generator(SAVED_MODELS / name / file)
        images = np.asarray(generator.sample(3, seed=0))
        assert images.shape == (3, *shape), file
        assert images.min() >= -1.0 and images.max() <= 1.0, file
