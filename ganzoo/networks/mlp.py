"""Fully connected networks of Goodfellow et al. 2014 (arXiv 1406.2661)."""

import math

import keras

from ganzoo.networks.layers import Maxout


def mlp_generator(latent_dim, image_shape, units=(256, 512, 1024), name="generator"):
    """An MLP generator: ReLU hidden layers and a tanh output reshaped to `image_shape`.

    The paper's generators "used a mixture of rectifier linear activations and sigmoid
    activations"; the output here is tanh so that images lie in [-1, 1] like the data.

    Args:
        latent_dim: size of the noise vector z.
        image_shape: `(height, width, channels)` of the images.
        units: widths of the hidden layers.
    """
    noise = keras.Input((latent_dim,), name="noise")
    x = noise
    for width in units:
        x = keras.layers.Dense(width, activation="relu")(x)
    x = keras.layers.Dense(math.prod(image_shape), activation="tanh")(x)
    images = keras.layers.Reshape(tuple(image_shape), name="images")(x)
    return keras.Model(noise, images, name=name)


def mlp_discriminator(image_shape, units=(256, 256), pieces=5, dropout=0.5, name="discriminator"):
    """An MLP discriminator of maxout layers with dropout, returning one logit per image.

    Paper: Goodfellow et al., "Generative Adversarial Networks", arXiv 1406.2661, Section 5:
    "the discriminator net used maxout activations. Dropout was applied in training the
    discriminator net."

    Args:
        image_shape: `(height, width, channels)` of the images.
        units: maxout units per hidden layer.
        pieces: affine pieces per maxout unit.
        dropout: dropout rate before each hidden layer's output is used.
    """
    images = keras.Input(tuple(image_shape), name="images")
    x = keras.layers.Flatten()(images)
    for width in units:
        x = Maxout(width, pieces)(x)
        x = keras.layers.Dropout(dropout)(x)
    logits = keras.layers.Dense(1, name="logits")(x)
    return keras.Model(images, logits, name=name)
