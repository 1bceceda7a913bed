"""Deep convolutional networks of Radford et al. 2015 (arXiv 1511.06434).

The paper's architecture guidelines: strided convolutions instead of pooling, batch norm in
both nets (not on G's output or D's input), no hidden fully connected layers, ReLU in G with
tanh on its output, LeakyReLU(0.2) in D, weights drawn from N(0, 0.02).
"""

import keras

from ganzoo.networks.layers import (
    BatchNormalization,
    Conv2D,
    Conv2DTranspose,
    spectrally_normalized,
)

SIZES = {16: 4, 28: 7, 32: 4, 64: 4}  # image size -> size of the first feature map


def _init(normalization=None):
    # N(0, 0.02) as the paper. A spectrally normalized layer computes with W / sigma(W) and
    # gets gradients scaled by 1 / sigma(W): from N(0, 0.02), where sigma(W) is small, each
    # Adam step moves W / sigma(W) several times further than it would move W, so those
    # layers start from Glorot's uniform initialization, as the SNGAN authors' code does.
    if normalization == "spectral":
        return keras.initializers.GlorotUniform()
    return keras.initializers.RandomNormal(stddev=0.02)


def _batch_norm():
    return BatchNormalization(
        momentum=0.9, epsilon=1e-5, gamma_initializer=keras.initializers.RandomNormal(1.0, 0.02)
    )


def check_square_image_shape(image_shape, sizes=SIZES, networks="DCGAN"):
    """Returns `image_shape` as a tuple if it is (size, size, 1 or 3) with size in `sizes`,
    else raises a ValueError that says how to fix it."""
    shape = tuple(image_shape)
    if len(shape) != 3 or shape[0] != shape[1] or shape[0] not in sizes or shape[2] not in (1, 3):
        raise ValueError(
            f"{networks} networks are built for square images of size {sorted(sizes)} with 1 "
            f"or 3 channels, got image_shape={shape}. Resize the data (e.g. "
            "ganzoo.datasets.load(..., image_size=32)) or pass your own generator and "
            "discriminator."
        )
    return shape


def _num_resolutions(size):
    steps, current = 0, SIZES[size]
    while current < size:
        current, steps = current * 2, steps + 1
    return steps


def dcgan_generator(
    latent_dim,
    image_shape,
    width=64,
    upsampling="transpose",
    kernel_size=5,
    name="generator",
    hidden_units=None,
):
    """A DCGAN generator: a projection of z, then stride-2 upsampling blocks to `image_shape`.

    z -> Dense to a (s, s, width * 2^(n-1)) map (the paper's "project and reshape", not a
    hidden layer) -> n upsampling blocks that halve the channels and double the size, each
    with batch norm and ReLU except the last, which outputs `channels` maps through tanh.
    s is 7 for 28x28 images and 4 for 16x16, 32x32 and 64x64.

    Args:
        latent_dim: size of z.
        image_shape: `(size, size, channels)`, size in {16, 28, 32, 64}, channels in {1, 3}.
        width: channels of the last hidden block; the paper's 64x64 model uses 128
            (1024 channels at 4x4). Smaller widths train faster on a CPU.
        upsampling: "transpose" (the paper's fractionally strided convolutions) or "resize"
            (nearest-neighbour upsampling then a convolution, which avoids the checkerboard
            artifacts of transposed convolutions: Odena et al., Distill 2016).
        kernel_size: convolution kernel size (5 in the paper).
        hidden_units: None (the paper: "remove fully connected hidden layers") or the
            units of one hidden fully connected layer (Dense, batch norm, ReLU) between z
            and the projection, as InfoGAN's MNIST generator has (arXiv 1606.03657,
            Appendix C.1: FC 1024).
    """
    noise = keras.Input((latent_dim,), name="noise")
    images = dcgan_generator_body(
        noise, image_shape, width, upsampling, kernel_size, hidden_units=hidden_units
    )
    return keras.Model(noise, images, name=name)


def dcgan_generator_body(
    x, image_shape, width=64, upsampling="transpose", kernel_size=5, hidden_units=None
):
    """The layers of `dcgan_generator` applied to a (batch, features) tensor x: returns the
    images tensor. Conditional generators feed it the noise joined with a label embedding."""
    size, _, channels = check_square_image_shape(image_shape)
    if upsampling not in ("transpose", "resize"):
        raise ValueError(f"upsampling must be 'transpose' or 'resize', got {upsampling!r}.")
    _check_hidden_units(hidden_units)
    steps = _num_resolutions(size)
    filters = width * 2 ** (steps - 1)
    start = SIZES[size]
    if hidden_units:
        x = keras.layers.Dense(hidden_units, use_bias=False, kernel_initializer=_init())(x)
        x = keras.layers.ReLU()(_batch_norm()(x))
    x = keras.layers.Dense(start * start * filters, use_bias=False, kernel_initializer=_init())(x)
    x = keras.layers.Reshape((start, start, filters))(x)
    x = keras.layers.ReLU()(_batch_norm()(x))
    for step in range(steps):
        last = step == steps - 1
        out_filters = channels if last else filters // 2 ** (step + 1)
        conv_args = dict(padding="same", use_bias=last, kernel_initializer=_init())
        if upsampling == "transpose":
            x = Conv2DTranspose(out_filters, kernel_size, strides=2, **conv_args)(x)
        else:
            x = keras.layers.UpSampling2D(2, interpolation="nearest")(x)
            x = Conv2D(out_filters, kernel_size, **conv_args)(x)
        if not last:
            x = keras.layers.ReLU()(_batch_norm()(x))
    return keras.layers.Activation("tanh", name="images")(x)


NORMALIZATIONS = ("batch", "layer", "spectral", None)


def _check_hidden_units(units):
    if units is not None and (isinstance(units, bool) or not isinstance(units, int) or units < 1):
        raise ValueError(f"hidden_units must be None or a positive integer, got {units!r}.")


def _normalize(x, normalization):
    # Batch or layer norm of x (a feature map or a vector); spectral norm acts on kernels.
    if normalization == "batch":
        return _batch_norm()(x)
    if normalization == "layer":
        return keras.layers.LayerNormalization(axis=list(range(1, len(x.shape))), epsilon=1e-5)(x)
    return x


def _check_normalization(normalization):
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"normalization must be one of {NORMALIZATIONS}, got {normalization!r}.")


def dcgan_discriminator(
    image_shape,
    width=64,
    kernel_size=5,
    depth=None,
    normalization="batch",
    name="discriminator",
    hidden_units=None,
):
    """A DCGAN discriminator: stride-2 convolutions with LeakyReLU(0.2), one logit per image.

    images -> `depth` stride-2 convolutions with width, 2*width, 4*width, ... channels
    (normalized on all but the first) -> flatten -> one linear unit (the logit; the paper's
    "single sigmoid output", with the sigmoid left to the loss). With `hidden_units`, a
    hidden fully connected layer (normalized, LeakyReLU) comes before the logit.

    Args:
        image_shape: `(size, size, channels)`, size in {16, 28, 32, 64}, channels in {1, 3}.
        width: channels of the first convolution.
        kernel_size: convolution kernel size (5 in the paper).
        depth: number of stride-2 convolutions; None mirrors the generator (down to 4x4, or
            to 7x7 for 28x28 images). The paper's discriminator ends at 4x4: for 28x28
            images that is depth=3 (28 -> 14 -> 7 -> 4).
        normalization: "batch" (the DCGAN paper's batch norm), "layer" (layer norm, which
            WGAN-GP suggests for a critic: its gradient penalty is per image, which batch
            statistics would break), "spectral" (spectral normalization of every
            convolution and dense layer, SNGAN, from Glorot's uniform initialization) or
            None.
        hidden_units: None (the paper) or the units of a hidden fully connected layer
            before the logit, as InfoGAN's MNIST discriminator has (FC 1024).
    """
    images = keras.Input(tuple(image_shape), name="images")
    features = dcgan_discriminator_body(
        images, image_shape, width, kernel_size, depth, normalization, hidden_units
    )
    logits = spectrally_normalized(
        keras.layers.Dense(1, kernel_initializer=_init(normalization), name="logits"),
        normalization == "spectral",
    )(features)
    return keras.Model(images, logits, name=name)


def dcgan_discriminator_body(
    x, image_shape, width=64, kernel_size=5, depth=None, normalization="batch", hidden_units=None
):
    """The convolutions of `dcgan_discriminator` applied to an image tensor x (which may
    carry extra channels, such as a label map): returns the flattened features (or, with
    `hidden_units`, those of the hidden fully connected layer)."""
    _check_normalization(normalization)
    _check_hidden_units(hidden_units)
    size = check_square_image_shape(image_shape)[0]
    if depth is None:
        depth = _num_resolutions(size)
    if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= size.bit_length():
        raise ValueError(
            f"depth must be an integer from 1 to {size.bit_length()} (stride-2 convolutions "
            f"of a {size}x{size} image), got {depth!r}."
        )
    for step in range(depth):
        conv = Conv2D(
            width * 2**step,
            kernel_size,
            strides=2,
            padding="same",
            kernel_initializer=_init(normalization),
        )
        x = spectrally_normalized(conv, normalization == "spectral")(x)
        if step > 0:
            x = _normalize(x, normalization)
        x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Flatten()(x)
    if hidden_units:
        dense = keras.layers.Dense(hidden_units, kernel_initializer=_init(normalization))
        x = spectrally_normalized(dense, normalization == "spectral")(x)
        x = _normalize(x, normalization)
        x = keras.layers.LeakyReLU(0.2)(x)
    return x
