"""DCGAN: the GAN game with deep convolutional networks."""

import keras

from ganzoo.models.gan import GAN
from ganzoo.networks import dcgan_discriminator, dcgan_generator


@keras.saving.register_keras_serializable(package="ganzoo")
class DCGAN(GAN):
    """Deep convolutional GAN (Radford et al. 2015).

    The GAN game (non-saturating generator loss) with the paper's all-convolutional networks
    (`ganzoo.networks.dcgan_generator` / `dcgan_discriminator`: strided convolutions, batch
    norm, ReLU in G, LeakyReLU(0.2) in D, tanh output), z ~ U[-1, 1], and Adam with learning
    rate 2e-4 and beta_1 = 0.5 for both nets.

    Paper: Radford, Metz and Chintala, "Unsupervised Representation Learning with Deep
    Convolutional Generative Adversarial Networks", arXiv 1511.06434, Section 4.

    Args:
        width: channels of G's last hidden block and D's first convolution (the paper's
            64x64 model corresponds to width=128). width=32 trains MNIST on 2 CPU cores.
        upsampling: "transpose" (the paper) or "resize" (upsample + convolution, against
            checkerboard artifacts).
        kernel_size: convolution kernel size (5 in the paper).
        discriminator_depth: D's stride-2 convolutions; None mirrors G. For 28x28 images
            3 makes D end at 4x4 like the paper's (28 -> 14 -> 7 -> 4), where the default
            ends at 7x7; on MNIST it lowered FID by a third at equal steps
            (docs/runs/dcgan_mnist_tries).
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
    gan = ganzoo.DCGAN(image_shape=(28, 28, 1), latent_dim=100, width=32)
    gan.compile()  # Adam(2e-4, beta_1=0.5), non-saturating loss
    gan.fit(ganzoo.datasets.load("mnist", batch_size=128), epochs=5)
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

    def default_optimizer(self):
        """Adam(learning_rate=2e-4, beta_1=0.5), as in the paper's Section 4."""
        return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)
