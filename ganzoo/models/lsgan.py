"""LSGAN: DCGAN networks with least-squares losses."""

import keras

from ganzoo import losses
from ganzoo.models.dcgan import DEFAULT_COMPILE, DEFAULT_OPTIONS, DCGAN
from ganzoo.models.preset import Preset


@keras.saving.register_keras_serializable(package="ganzoo")
class LSGAN(DCGAN):
    """Least Squares GAN (Mao et al. 2017).

    D's sigmoid cross-entropy is replaced by least squares on its raw output, with labels a
    (fake) and b (real) for D and the target c for G:
    L_D = 1/2 E[(D(x) - b)^2] + 1/2 E[(D(G(z)) - a)^2],  L_G = 1/2 E[(D(G(z)) - c)^2].

    Paper: Mao et al., "Least Squares Generative Adversarial Networks", arXiv 1611.04076,
    Eq. 2. Its two codings: (a, b, c) = (-1, 1, 0), which satisfies b - c = 1 and b - a = 2
    so that training minimizes the Pearson chi-square divergence (Eq. 8), and the 0-1
    coding (0, 1, 1), where G wants D to take fakes for real (Eq. 9).

    The default coding is (0, 1, 1): the paper finds both codings perform alike in practice
    and trains its models with Eq. 9; it also keeps D's output on the familiar 0 = fake,
    1 = real scale.

    Networks and noise are DCGAN's (the paper's models are DCGAN-style); presets "default"
    (the DCGAN default preset's networks, weight average and optimizers) and "paper"
    (width 64, Adam(2e-4, beta_1=0.5)). `compile(loss=...)` with another loss name ignores
    the coding.

    Args:
        coding: `(a, b, c)`, three numbers.
        Other arguments as `ganzoo.DCGAN`.

    Example:
    ```python
    lsgan = ganzoo.LSGAN(image_shape=(28, 28, 1), coding=(-1, 1, 0))
    lsgan.compile()
    ```
    """

    default_loss = "least_squares"
    network_options = {**DCGAN.network_options, "coding": (0.0, 1.0, 1.0)}
    presets = {
        "default": Preset(
            "The best configuration measured on MNIST on 2 CPU cores (docs/zoo.md): the DCGAN "
            "default preset's networks, weight average and optimizers with the "
            "least-squares loss and the 0-1 coding, batch 128.",
            options=DEFAULT_OPTIONS,
            compile=DEFAULT_COMPILE,
            batch_size=128,
        ),
        "paper": Preset(
            "Mao et al. 2017 (arXiv 1611.04076), Eq. 9 and Section 4: the least-squares "
            "loss with the 0-1 coding (a, b, c) = (0, 1, 1), DCGAN-style networks (width 64 "
            "here) and Adam(2e-4, beta_1=0.5), batch 64.",
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if len(self.coding) != 3:
            raise ValueError(f"coding must be (a, b, c), got {self.coding!r}.")
        self.coding = tuple(float(value) for value in self.coding)

    def discriminator_loss(self, real_logits, fake_logits):
        if self.loss_name != "least_squares":
            return super().discriminator_loss(real_logits, fake_logits)
        a, b, _ = self.coding
        return losses.least_squares_discriminator_loss(real_logits, fake_logits, a=a, b=b)

    def generator_loss(self, fake_logits):
        if self.loss_name != "least_squares":
            return super().generator_loss(fake_logits)
        return losses.least_squares_generator_loss(fake_logits, c=self.coding[2])
