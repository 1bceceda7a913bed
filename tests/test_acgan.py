"""ACGAN: the class loss by hand, D's two heads, the class terms in both updates."""

import math

import keras
import numpy as np
import pytest

import ganzoo
from conftest import tiny_model
from ganzoo.models.acgan import auxiliary_classifier_loss


def test_auxiliary_classifier_loss_by_hand():
    # Logits (0, 0): -log(1/2) = ln 2. Logits (ln 3, 0), class 0: -log(3/4) = ln(4/3).
    logits = np.array([[0.0, 0.0], [math.log(3.0), 0.0]], "float32")
    value = auxiliary_classifier_loss(np.array([1, 0]), logits)
    assert float(value) == pytest.approx((math.log(2) + math.log(4 / 3)) / 2, rel=1e-6)


def test_discriminator_sees_images_only_and_classifies():
    acgan = tiny_model("ACGAN")
    assert len(acgan.discriminator.inputs) == 1
    images = acgan.generate(5, labels=[0, 1, 2, 0, 1], seed=0)
    logits, class_logits = acgan.discriminate(images)
    assert logits.shape == (5, 1) and class_logits.shape == (5, 3)


def test_one_step_logs_the_class_terms(images):
    acgan = tiny_model("ACGAN")
    acgan.compile()
    assert float(acgan.d_optimizer.learning_rate) == pytest.approx(2e-4)
    history = acgan.fit(images[:4], np.array([0, 1, 2, 0]), batch_size=4, verbose=0).history
    assert history["class_loss"][0] == pytest.approx(math.log(3), abs=0.2)  # untrained: ~ln 3
    assert 0.0 <= history["class_accuracy"][0] <= 1.0


def test_class_terms_change_both_updates(images):
    # Same seeds and data: lambda = 0 and lambda = 1 must give different D and G updates.
    results = []
    for weight in (0.0, 1.0):
        keras.utils.set_random_seed(0)
        acgan = tiny_model("ACGAN", class_loss_weight=weight)
        acgan.compile()
        acgan.fit(images[:4], np.array([0, 1, 2, 0]), batch_size=4, verbose=0)
        results.append(
            [
                v.numpy()
                for v in acgan.generator.trainable_weights + acgan.discriminator.trainable_weights
            ]
        )
    assert any(not np.allclose(a, b) for a, b in zip(*results))


def test_networks_of_the_wrong_shape_are_refused():
    with pytest.raises(ValueError, match=r"return \[logits \(batch, 1\), class_logits"):
        ganzoo.ACGAN(
            discriminator=ganzoo.networks.dcgan_discriminator((16, 16, 1), 4),
            image_shape=(16, 16, 1),
            latent_dim=8,
            num_classes=3,
        )
    with pytest.raises(ValueError, match="num_classes"):
        ganzoo.ACGAN(image_shape=(16, 16, 1), latent_dim=8)
