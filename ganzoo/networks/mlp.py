"""Fully connected networks of Goodfellow et al. 2014 (arXiv 1406.2661).

With their options, also the 2-D networks of VEEGAN (arXiv 1705.07761) and PacGAN
(arXiv 1712.04086): a batch-normalized generator with a linear output and a maxout
discriminator without dropout (see `ganzoo.testbed`).
"""

import math

import keras

from ganzoo.networks.layers import BatchNormalization, Maxout, spectrally_normalized


def mlp_generator(
    latent_dim,
    image_shape,
    units=(256, 512, 1024),
    name="generator",
    *,
    output_activation="tanh",
    batch_norm=False,
    kernel_initializer="glorot_uniform",
):
    """An MLP generator: ReLU hidden layers and (by default) a tanh output, shaped `image_shape`.

    The paper's generators "used a mixture of rectifier linear activations and sigmoid
    activations"; the output here is tanh so that images lie in [-1, 1] like the data.

    Args:
        latent_dim: size of the noise vector z.
        image_shape: `(height, width, channels)` of the images, or any output shape, such
            as `(2,)` for points in the plane.
        units: widths of the hidden layers.
        output_activation: activation of the output layer; None (or "linear") for data
            that is not bounded to [-1, 1], such as the 2-D mixtures of `ganzoo.testbed`.
        batch_norm: whether each hidden layer is Dense -> BatchNormalization -> ReLU. Its
            Dense layers then have no bias, which the normalization's offset replaces.
        kernel_initializer: initializer of every Dense kernel.
    """
    noise = keras.Input((latent_dim,), name="noise")
    x = noise
    for width in units:
        x = keras.layers.Dense(
            width,
            activation=None if batch_norm else "relu",
            use_bias=not batch_norm,
            kernel_initializer=kernel_initializer,
        )(x)
        if batch_norm:
            x = BatchNormalization()(x)
            x = keras.layers.ReLU()(x)
    x = keras.layers.Dense(
        math.prod(image_shape),
        activation=output_activation,
        kernel_initializer=kernel_initializer,
    )(x)
    images = keras.layers.Reshape(tuple(image_shape), name="images")(x)
    return keras.Model(noise, images, name=name)


def mlp_discriminator(
    image_shape,
    units=(256, 256),
    pieces=5,
    dropout=0.5,
    name="discriminator",
    *,
    kernel_initializer="glorot_uniform",
    spectral_normalization=False,
):
    """An MLP discriminator of maxout layers with dropout, returning one logit per image.

    Paper: Goodfellow et al., "Generative Adversarial Networks", arXiv 1406.2661, Section 5:
    "the discriminator net used maxout activations. Dropout was applied in training the
    discriminator net."

    Args:
        image_shape: `(height, width, channels)` of the images, or any input shape, such
            as `(2,)` for points in the plane.
        units: maxout units per hidden layer.
        pieces: affine pieces per maxout unit.
        dropout: dropout rate before each hidden layer's output is used; 0 leaves the
            Dropout layers out.
        kernel_initializer: initializer of every kernel (maxout pieces and the logit).
        spectral_normalization: spectrally normalize every kernel (SNGAN, arXiv 1802.05957).
    """
    images = keras.Input(tuple(image_shape), name="images")
    x = keras.layers.Flatten()(images)
    for width in units:
        x = Maxout(
            width,
            pieces,
            kernel_initializer=kernel_initializer,
            spectral_normalization=spectral_normalization,
        )(x)
        if dropout:
            x = keras.layers.Dropout(dropout)(x)
    logit_layer = spectrally_normalized(
        keras.layers.Dense(1, kernel_initializer=kernel_initializer, name="logits"),
        spectral_normalization,
    )
    return keras.Model(images, logit_layer(x), name=name)
