"""Builders of generator and discriminator networks (functions returning `keras.Model`)."""

from ganzoo.networks.conditional import (
    auxiliary_classifier_discriminator,
    conditional_dcgan_discriminator,
    conditional_dcgan_generator,
    conditional_mlp_discriminator,
    conditional_mlp_generator,
)
from ganzoo.networks.dcgan import dcgan_discriminator, dcgan_generator
from ganzoo.networks.infogan import infogan_discriminator, infogan_generator
from ganzoo.networks.layers import (
    BatchNormalization,
    Conv2D,
    Conv2DTranspose,
    Maxout,
    SpectralNormalization,
)
from ganzoo.networks.mlp import mlp_discriminator, mlp_generator
