import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# The property tests draw the same examples on every run, so CI is reproducible;
# HYPOTHESIS_PROFILE=explore draws new ones (to hunt for bugs).
settings.register_profile("ganzoo", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ganzoo"))

import ganzoo  # noqa: E402

# Tiny models of every class: 16x16 images, latent 8 (fast on 2 CPU cores).
TINY = {
    "GAN": dict(
        image_shape=(16, 16, 1),
        latent_dim=8,
        generator_units=(16,),
        discriminator_units=(16,),
        maxout_pieces=2,
    ),
    "DCGAN": dict(image_shape=(16, 16, 1), latent_dim=8, width=4),
    "CGAN": dict(image_shape=(16, 16, 1), latent_dim=8, num_classes=3, network="dcgan", width=4),
    "LSGAN": dict(image_shape=(16, 16, 1), latent_dim=8, width=4),
    "InfoGAN": dict(image_shape=(16, 16, 1), latent_dim=8, width=4, categorical_codes=(3,)),
    # One critic step per fit step at batch 4 (n_critic=5 is tested on its own).
    "WGANGP": dict(image_shape=(16, 16, 1), latent_dim=8, width=4, d_steps=1),
    "ACGAN": dict(image_shape=(16, 16, 1), latent_dim=8, num_classes=3, width=4),
    # The paper preset's n_dis = 5 needs batches of 5: one D step per fit step here.
    "SNGAN": dict(image_shape=(16, 16, 1), latent_dim=8, width=4, d_steps=1),
}
CONDITIONAL = {"CGAN", "ACGAN"}


def tiny_model(name, **overrides):
    """A tiny model of a class; its "paper" preset, so that the tests of the training
    mechanics do not depend on the "default" presets (tests/test_presets.py has those)."""
    options = {"preset": "paper", **TINY[name], **overrides}
    if options.get("network") == "mlp":  # the paper's CGAN networks take no sizes
        options.pop("width", None)
    return ganzoo.models.get(name)(**options)


def fit_data(name, images):
    """`fit` arguments for a model class: images, and labels for conditional models."""
    if name in CONDITIONAL:
        return {"x": images, "y": np.arange(len(images)) % TINY[name]["num_classes"]}
    return {"x": images}


@pytest.fixture
def images():
    """Eight 16x16 grayscale images in [-1, 1]."""
    return np.random.default_rng(0).uniform(-1, 1, (8, 16, 16, 1)).astype("float32")
