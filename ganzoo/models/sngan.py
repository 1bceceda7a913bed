"""SNGAN: a spectrally normalized discriminator trained with the hinge loss."""

import keras

from ganzoo.models.dcgan import DCGAN, DEFAULT_COMPILE, DEFAULT_OPTIONS
from ganzoo.models.preset import Preset, adam

# D without batch norm at the generator's width (the DCGAN default's D at 16 has batch norm),
# and G without its hidden layer: with it G collapsed against the spectrally normalized D
# (docs/runs/defaults_tries).
SNGAN_DEFAULT_OPTIONS = {
    **DEFAULT_OPTIONS,
    "discriminator_width": 32,
    "generator_hidden_units": None,
}


@keras.saving.register_keras_serializable(package="ganzoo")
class SNGAN(DCGAN):
    """GAN with spectral normalization of the discriminator (Miyato et al. 2018).

    Every weight layer of D (its convolutions, its hidden fully connected layer and the
    logit layer) computes with its kernel divided by the kernel's largest singular value
    sigma(W), estimated by one power iteration per training call and differentiated through
    (`ganzoo.networks.SpectralNormalization`), which bounds D's Lipschitz constant by 1
    without batch norm. The game uses the hinge loss:

        L_D = E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))],   L_G = -E[D(G(z))].

    Paper: Miyato, Kataoka, Koyama and Yoshida, "Spectral Normalization for Generative
    Adversarial Networks", arXiv 1802.05957 (Eq. 8, 12 and 16-17), z ~ N(0, 1).

    Presets: "default" (the DCGAN default preset's generator without its hidden layer, its
    weight average and optimizers, D at width 32 with a hidden layer of 256 units, one D
    update per G update; batch 128) and "paper" (the DCGAN generator at width 64,
    n_dis = 5 D updates per G update, Adam(2e-4, beta_1=0, beta_2=0.9): the paper's
    hyper-parameter setting for its SN-GANs with n_dis = 5 in Table 1 and Section 4).

    Args: as `ganzoo.DCGAN` (`discriminator_normalization` is "spectral").

    Example:
    ```python
    gan = ganzoo.SNGAN(image_shape=(28, 28, 1))
    gan.compile()  # hinge loss, the default preset's optimizers
    gan.fit(ganzoo.datasets.load("mnist", batch_size=64), epochs=10)
    ```
    """

    default_loss = "hinge"
    default_latent_distribution = "normal"
    network_options = {**DCGAN.network_options, "discriminator_normalization": "spectral"}
    presets = {
        "default": Preset(
            "The best configuration measured on MNIST on 2 CPU cores (docs/zoo.md): the "
            "DCGAN default preset's generator without its hidden layer (with it, G collapsed "
            "against this D), its weight average and optimizers (Adam(beta_1=0.5, "
            "beta_2=0.99) at 2e-4 for D and 1e-3 for G), D spectrally normalized at width 32 "
            "with a hidden layer of 256 units, one D update per G update, batch 128.",
            options=SNGAN_DEFAULT_OPTIONS,
            compile=DEFAULT_COMPILE,
            batch_size=128,
        ),
        "paper": Preset(
            "Miyato et al. 2018 (arXiv 1802.05957), Table 1 and Section 4: n_dis = 5 D "
            "updates per G update (each on its own fifth of the batch here, so batch 320 is "
            "64 per update), Adam(2e-4, beta_1=0, beta_2=0.9) for both nets, hinge loss, "
            "z ~ N(0, 1) of size 100 (its CNN networks are DCGAN-style; width 64 here).",
            options={"d_steps": 5},
            compile={"d_optimizer": adam(2e-4, 0.0, 0.9), "g_optimizer": adam(2e-4, 0.0, 0.9)},
            batch_size=320,
        ),
    }

    def default_optimizer(self, network="discriminator"):
        """Adam(learning_rate=2e-4, beta_1=0, beta_2=0.9), the paper's setting for n_dis = 5."""
        return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.0, beta_2=0.9)
