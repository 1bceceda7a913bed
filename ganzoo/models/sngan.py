"""SNGAN: a spectrally normalized discriminator trained with the hinge loss."""

import keras

from ganzoo.models.dcgan import DCGAN


@keras.saving.register_keras_serializable(package="ganzoo")
class SNGAN(DCGAN):
    """GAN with spectral normalization of the discriminator (Miyato et al. 2018).

    Every weight layer of D (its convolutions and the logit layer) divides its kernel by
    the kernel's largest singular value sigma(W), estimated by one power iteration per
    training call (`keras.layers.SpectralNormalization`), which bounds D's Lipschitz
    constant by 1 without batch norm. The game uses the hinge loss:

        L_D = E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))],   L_G = -E[D(G(z))].

    Paper: Miyato, Kataoka, Koyama and Yoshida, "Spectral Normalization for Generative
    Adversarial Networks", arXiv 1802.05957 (Eq. 8 and Eq. 16-17). Defaults: z ~ N(0, 1),
    DCGAN generator with batch norm, one D update per G update and Adam(2e-4, beta_1=0.5,
    beta_2=0.999) (setting C of the paper's Table 1, as transcribed, not re-checked).

    Note: Keras' `SpectralNormalization` writes W / sigma(W) into the kernel before each
    training call, so gradients are taken with respect to the normalized kernel; the paper
    differentiates through sigma(W) as well (its Eq. 12).

    Args: as `ganzoo.DCGAN` (`discriminator_normalization` defaults to "spectral").

    Example:
    ```python
    gan = ganzoo.SNGAN(image_shape=(28, 28, 1), latent_dim=100, width=32)
    gan.compile()  # hinge loss, Adam(2e-4, 0.5, 0.999)
    gan.fit(ganzoo.datasets.load("mnist", batch_size=64), epochs=10)
    ```
    """

    default_loss = "hinge"
    default_latent_distribution = "normal"
    network_options = {**DCGAN.network_options, "discriminator_normalization": "spectral"}

    def default_optimizer(self):
        """Adam(learning_rate=2e-4, beta_1=0.5, beta_2=0.999): the paper's setting C."""
        return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5, beta_2=0.999)
