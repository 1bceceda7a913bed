"""DCGAN: the GAN game with deep convolutional networks."""

import keras

from ganzoo.models.gan import GAN
from ganzoo.models.preset import Preset, adam
from ganzoo.networks import dcgan_discriminator, dcgan_generator


# What the DCGAN-family classes' "default" presets share (docs/zoo.md has the measurements).
DEFAULT_OPTIONS = {
    "width": 32,
    "discriminator_width": 16,
    "generator_hidden_units": 256,
    "discriminator_hidden_units": 256,
    "ema_decay": 0.999,
}
DEFAULT_COMPILE = {
    "d_optimizer": adam(2e-4, beta_1=0.5, beta_2=0.99),
    "g_optimizer": adam(1e-3, beta_1=0.5, beta_2=0.99),
}


@keras.saving.register_keras_serializable(package="ganzoo")
class DCGAN(GAN):
    """Deep convolutional GAN (Radford et al. 2015).

    The GAN game (non-saturating generator loss) with the paper's convolutional networks
    (`ganzoo.networks.dcgan_generator` / `dcgan_discriminator`: strided convolutions, batch
    norm, ReLU in G, LeakyReLU(0.2) in D, tanh output) and z ~ U[-1, 1].

    Paper: Radford, Metz and Chintala, "Unsupervised Representation Learning with Deep
    Convolutional Generative Adversarial Networks", arXiv 1511.06434, Section 4.

    Presets (`preset=` or `DCGAN.from_preset`): "default", what the constructor and
    `compile()` use when not told otherwise (G at width 32, D at 16, a hidden fully connected
    layer of 256 units in each, the generator's weight average, Adam(beta_2=0.99) at 2e-4
    for D and 1e-3 for G; batch 128), and "paper" (width 64, no hidden layers,
    Adam(2e-4, beta_1=0.5) for both nets). Arguments given here override the preset's.

    Args:
        width: channels of G's last hidden block and D's first convolution (the paper's
            64x64 model corresponds to width=128). A positive integer.
        upsampling: "transpose" (the paper) or "resize" (upsample + convolution, against
            checkerboard artifacts).
        kernel_size: convolution kernel size (5 in the paper).
        discriminator_depth: D's stride-2 convolutions, from 1 to log2(size) + 1; None
            mirrors G (for 28x28 images D then ends at 7x7; 3 ends at 4x4 like the paper's).
        discriminator_normalization: "batch" (the paper), "layer", "spectral" or None
            (`ganzoo.networks.dcgan_discriminator`).
        discriminator_width: channels of D's first convolution when D should differ from G
            (None: `width`).
        generator_hidden_units, discriminator_hidden_units: None (the paper: no hidden fully
            connected layers) or the units of one hidden fully connected layer after z in G
            and before the logit in D, as in InfoGAN's MNIST networks (arXiv 1606.03657,
            Appendix C.1).
        Other arguments as `ganzoo.GAN`.

    Example:
    ```python
    gan = ganzoo.DCGAN(image_shape=(28, 28, 1))
    gan.compile()  # the "default" preset's optimizers, non-saturating loss
    gan.fit(ganzoo.datasets.load("mnist", batch_size=128), epochs=5)
    paper = ganzoo.DCGAN.from_preset("paper", image_shape=(28, 28, 1))
    ```
    """

    default_latent_distribution = "uniform"
    network_options = {
        "width": 64,
        "upsampling": "transpose",
        "kernel_size": 5,
        "discriminator_depth": None,
        "discriminator_normalization": "batch",
        "discriminator_width": None,
        "generator_hidden_units": None,
        "discriminator_hidden_units": None,
    }

    presets = {
        "default": Preset(
            "The best configuration measured on MNIST on 2 CPU cores (docs/zoo.md): the "
            "paper's layers with G at width 32 and D at width 16, one hidden fully connected "
            "layer of 256 units in each net (as InfoGAN's MNIST networks, arXiv 1606.03657, "
            "Appendix C.1), the generator's weight average (ema_decay 0.999), and "
            "Adam(beta_1=0.5, beta_2=0.99) at 2e-4 for D and 1e-3 for G, batch 128.",
            options=DEFAULT_OPTIONS,
            compile=DEFAULT_COMPILE,
            batch_size=128,
        ),
        "paper": Preset(
            "Radford et al. 2015 (arXiv 1511.06434), Section 4 and Figure 1: all-convolutional "
            "nets without hidden fully connected layers (width 64 here; the paper's 64x64 "
            "model is width 128), batch norm, z ~ U[-1, 1] of size 100, Adam(2e-4, "
            "beta_1=0.5), mini-batches of 128.",
            batch_size=128,
        ),
    }

    def build_networks(self):
        return (
            dcgan_generator(
                self.latent_dim,
                self.image_shape,
                self.width,
                self.upsampling,
                self.kernel_size,
                hidden_units=self.generator_hidden_units,
            ),
            dcgan_discriminator(
                self.image_shape,
                self.width if self.discriminator_width is None else self.discriminator_width,
                self.kernel_size,
                self.discriminator_depth,
                self.discriminator_normalization,
                hidden_units=self.discriminator_hidden_units,
            ),
        )

    def default_optimizer(self, network="discriminator"):
        """Adam(learning_rate=2e-4, beta_1=0.5), as in the paper's Section 4."""
        return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)
