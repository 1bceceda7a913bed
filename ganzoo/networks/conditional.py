"""Class-conditional networks of Mirza and Osindero 2014 (arXiv 1411.1784).

Generators take `[noise, label]`, discriminators `[images, label]`; labels are integers of
shape (batch,). The label reaches each net through a learned embedding (equivalent to a dense
layer on the one-hot label) joined to a hidden representation.
"""

import math

import keras

from ganzoo.networks.dcgan import dcgan_discriminator_body, dcgan_generator_body
from ganzoo.networks.layers import Maxout


def _label_input():
    return keras.Input((), dtype="int32", name="label")


def conditional_mlp_generator(
    latent_dim, image_shape, num_classes, units=(200, 1000, 1200), name="generator"
):
    """The paper's MNIST generator: z -> 200 ReLU units and y -> 1000 ReLU units, joined,
    -> 1200 ReLU units -> tanh images (the paper: sigmoid; tanh matches data in [-1, 1]).

    Paper: Mirza and Osindero, "Conditional Generative Adversarial Nets", arXiv 1411.1784,
    Section 4.1.

    Args:
        units: (noise branch, label branch, joint layer) widths.
    """
    noise_units, label_units, joint_units = units
    noise, label = keras.Input((latent_dim,), name="noise"), _label_input()
    h_noise = keras.layers.Dense(noise_units, activation="relu")(noise)
    h_label = keras.layers.ReLU()(keras.layers.Embedding(num_classes, label_units)(label))
    x = keras.layers.Concatenate()([h_noise, h_label])
    x = keras.layers.Dense(joint_units, activation="relu")(x)
    x = keras.layers.Dense(math.prod(image_shape), activation="tanh")(x)
    images = keras.layers.Reshape(tuple(image_shape), name="images")(x)
    return keras.Model([noise, label], images, name=name)


def conditional_mlp_discriminator(
    image_shape,
    num_classes,
    units=(240, 50, 240),
    pieces=(5, 5, 4),
    dropout=0.5,
    name="discriminator",
):
    """The paper's MNIST discriminator: x -> maxout(240 units, 5 pieces) and y -> maxout(50,
    5), joined, -> maxout(240, 4) -> one logit; dropout 0.5 before each maxout output is used.

    Paper: Mirza and Osindero, "Conditional Generative Adversarial Nets", arXiv 1411.1784,
    Section 4.1.
    """
    image_units, label_units, joint_units = units
    image_pieces, label_pieces, joint_pieces = pieces
    images, label = keras.Input(tuple(image_shape), name="images"), _label_input()
    h_image = Maxout(image_units, image_pieces)(keras.layers.Flatten()(images))
    h_label = Maxout(label_units, label_pieces)(
        keras.layers.CategoryEncoding(num_classes, output_mode="one_hot")(label)
    )
    x = keras.layers.Concatenate()(
        [keras.layers.Dropout(dropout)(h_image), keras.layers.Dropout(dropout)(h_label)]
    )
    x = keras.layers.Dropout(dropout)(Maxout(joint_units, joint_pieces)(x))
    logits = keras.layers.Dense(1, name="logits")(x)
    return keras.Model([images, label], logits, name=name)


def conditional_dcgan_generator(
    latent_dim,
    image_shape,
    num_classes,
    width=64,
    upsampling="transpose",
    kernel_size=5,
    embedding_dim=50,
    name="generator",
    hidden_units=None,
):
    """A DCGAN generator (`ganzoo.networks.dcgan_generator`) whose input is the noise joined
    with a learned label embedding of `embedding_dim` values; `hidden_units` as there."""
    noise, label = keras.Input((latent_dim,), name="noise"), _label_input()
    embedded = keras.layers.Embedding(num_classes, embedding_dim)(label)
    x = keras.layers.Concatenate()([noise, embedded])
    images = dcgan_generator_body(
        x, image_shape, width, upsampling, kernel_size, hidden_units=hidden_units
    )
    return keras.Model([noise, label], images, name=name)


def conditional_dcgan_discriminator(
    image_shape,
    num_classes,
    width=64,
    kernel_size=5,
    name="discriminator",
    depth=None,
    hidden_units=None,
):
    """A DCGAN discriminator (`ganzoo.networks.dcgan_discriminator`) that sees the label as
    an extra image channel: a learned (height, width) map per class, joined to the image;
    `depth` and `hidden_units` as there."""
    height, image_width, _ = image_shape
    images, label = keras.Input(tuple(image_shape), name="images"), _label_input()
    label_map = keras.layers.Embedding(num_classes, height * image_width)(label)
    label_map = keras.layers.Reshape((height, image_width, 1))(label_map)
    x = keras.layers.Concatenate()([images, label_map])
    features = dcgan_discriminator_body(
        x, image_shape, width, kernel_size, depth, hidden_units=hidden_units
    )
    logits = keras.layers.Dense(
        1, kernel_initializer=keras.initializers.RandomNormal(stddev=0.02), name="logits"
    )(features)
    return keras.Model([images, label], logits, name=name)


def auxiliary_classifier_discriminator(
    image_shape,
    num_classes,
    width=64,
    kernel_size=5,
    depth=None,
    normalization="batch",
    name="discriminator",
    hidden_units=None,
):
    """An ACGAN discriminator: the DCGAN discriminator's body (which does not see the
    label) with two heads, `[logits (batch, 1), class_logits (batch, num_classes)]`: the
    real/fake logit and the classifier's logits over the classes.

    Paper: Odena, Olah and Shlens, "Conditional Image Synthesis With Auxiliary Classifier
    GANs", arXiv 1610.09585, Section 3. `depth` and `normalization` as
    `ganzoo.networks.dcgan_discriminator`; with `hidden_units`, both heads read its hidden
    fully connected layer.
    """
    init = keras.initializers.RandomNormal(stddev=0.02)
    images = keras.Input(tuple(image_shape), name="images")
    features = dcgan_discriminator_body(
        images, image_shape, width, kernel_size, depth, normalization, hidden_units
    )
    logits = keras.layers.Dense(1, kernel_initializer=init, name="logits")(features)
    class_logits = keras.layers.Dense(num_classes, kernel_initializer=init, name="classes")(
        features
    )
    return keras.Model(images, [logits, class_logits], name=name)
