"""InfoGAN networks of Chen et al. 2016 (arXiv 1606.03657), Appendix C.1, Table 1.

The paper's MNIST networks, with a `width` that scales every channel and unit count
(width=64 is the paper's):

    D / Q body: 4x4 conv 64 stride 2, lReLU -> 4x4 conv 128 stride 2, BN, lReLU
                -> FC 1024, BN, lReLU
    D head:     FC 1 (the logit)
    Q head:     FC 128, BN, lReLU -> FC (the parameters of Q(c | x))
    G:          FC 1024, BN, ReLU -> FC 7x7x128, BN, ReLU -> 4x4 upconv 64 stride 2, BN, ReLU
                -> 4x4 upconv 1 stride 2

lReLU has slope 0.1 (Appendix C). The paper's MNIST generator ends in a Bernoulli mean (a
sigmoid); here it ends in tanh, for images in [-1, 1] like the rest of ganzoo. Weights are
drawn from N(0, 0.02), as in DCGAN, on which the paper builds (Section 6).
"""

import keras

from ganzoo.networks.dcgan import check_square_image_shape
from ganzoo.networks.layers import BatchNormalization, Conv2D, Conv2DTranspose

# Image size -> size of G's first feature map. 16, 28 and 32 use the paper's two stride-2
# stages; 64 adds a third (a 8x8 map), which keeps D's fully connected layer small.
SIZES = {16: 4, 28: 7, 32: 8, 64: 8}
LEAKY_SLOPE = 0.1


def _init():
    return keras.initializers.RandomNormal(stddev=0.02)


def _batch_norm(name=None):
    return BatchNormalization(momentum=0.9, epsilon=1e-5, name=name)


def _check_arguments(image_shape, width):
    shape = check_square_image_shape(image_shape, SIZES, "InfoGAN")
    if int(width) != width or width < 1:
        raise ValueError(f"width must be a positive integer, got {width!r}.")
    return shape, int(width)


def _num_stages(size):
    stages, current = 0, SIZES[size]
    while current < size:
        current, stages = current * 2, stages + 1
    return stages


def infogan_generator(latent_dim, code_dim, image_shape, width=64, name="generator"):
    """InfoGAN's generator: G(z, c), from noise and latent codes to images in [-1, 1].

    [noise, codes] -> concatenate -> FC 16*width, BN, ReLU -> FC s x s x (2*width), BN, ReLU
    -> 4x4 stride-2 transposed convolutions (width channels, BN, ReLU) -> 4x4 stride-2
    transposed convolution to `channels` maps -> tanh. s is 7 for 28x28 images, 4 for 16x16
    and 8 for 32x32; 64x64 images get one more stage (from 8x8 with 4*width channels).

    Args:
        latent_dim: size of the incompressible noise z (62 in the paper's MNIST model).
        code_dim: size of the code vector c: the one-hot blocks of the categorical codes,
            then the continuous codes (12 in the paper's MNIST model).
        image_shape: `(size, size, channels)`, size in {16, 28, 32, 64}, channels in {1, 3}.
        width: channels of the last hidden block; the paper's MNIST model has width=64
            (FC 1024, FC 7x7x128, upconv 64). Smaller widths train faster on a CPU.
        name: the model's name.

    Returns:
        A `keras.Model` with two inputs named `noise` `(latent_dim,)` and `codes`
        `(code_dim,)`, in that order, and images of shape `image_shape` as output.
    """
    (size, _, channels), width = _check_arguments(image_shape, width)
    stages = _num_stages(size)
    start, filters = SIZES[size], width * 2 ** (stages - 1)

    noise = keras.Input((latent_dim,), name="noise")
    codes = keras.Input((code_dim,), name="codes")
    x = keras.layers.Concatenate(name="latent")([noise, codes])
    x = keras.layers.Dense(16 * width, use_bias=False, kernel_initializer=_init())(x)
    x = keras.layers.ReLU()(_batch_norm()(x))
    x = keras.layers.Dense(start * start * filters, use_bias=False, kernel_initializer=_init())(x)
    x = keras.layers.ReLU()(_batch_norm()(x))
    x = keras.layers.Reshape((start, start, filters))(x)
    for stage in range(stages):
        last = stage == stages - 1
        x = Conv2DTranspose(
            channels if last else filters // 2 ** (stage + 1),
            4,
            strides=2,
            padding="same",
            use_bias=last,
            kernel_initializer=_init(),
        )(x)
        if not last:
            x = keras.layers.ReLU()(_batch_norm()(x))
    images = keras.layers.Activation("tanh", name="images")(x)
    return keras.Model([noise, codes], images, name=name)


def infogan_discriminator(image_shape, q_dim, width=64, name="discriminator"):
    """InfoGAN's discriminator D and recognition network Q, sharing one body.

    images -> 4x4 stride-2 conv width, lReLU -> 4x4 stride-2 conv 2*width, BN, lReLU (64x64
    images: one more, 4*width) -> flatten -> FC 16*width, BN, lReLU = the shared body. Two
    heads read the body: D's FC 1 (the logit that the image is real) and Q's FC 2*width, BN,
    lReLU -> FC q_dim (the parameters of Q(c | x)). Q's layers are named `q_hidden`,
    `q_batch_norm` and `q`; D's head is `logits`.

    Args:
        image_shape: `(size, size, channels)`, size in {16, 28, 32, 64}, channels in {1, 3}.
        q_dim: number of Q outputs: the logits of every categorical code, then the means
            of the continuous codes, then (when their standard deviations are learned) their
            log standard deviations; see `ganzoo.InfoGAN`.
        width: channels of the first convolution; the paper's MNIST model has width=64.
        name: the model's name.

    Returns:
        A `keras.Model` from images to two outputs, `[logits (batch, 1), q (batch, q_dim)]`.
    """
    (size, _, _), width = _check_arguments(image_shape, width)
    images = keras.Input(tuple(image_shape), name="images")
    x = images
    for stage in range(_num_stages(size)):
        x = Conv2D(
            width * 2**stage,
            4,
            strides=2,
            padding="same",
            use_bias=stage == 0,
            kernel_initializer=_init(),
        )(x)
        if stage > 0:
            x = _batch_norm()(x)
        x = keras.layers.LeakyReLU(LEAKY_SLOPE)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(16 * width, use_bias=False, kernel_initializer=_init())(x)
    body = keras.layers.LeakyReLU(LEAKY_SLOPE)(_batch_norm()(x))

    logits = keras.layers.Dense(1, kernel_initializer=_init(), name="logits")(body)
    x = keras.layers.Dense(2 * width, use_bias=False, kernel_initializer=_init(), name="q_hidden")(
        body
    )
    x = keras.layers.LeakyReLU(LEAKY_SLOPE)(_batch_norm(name="q_batch_norm")(x))
    q = keras.layers.Dense(q_dim, kernel_initializer=_init(), name="q")(x)
    return keras.Model(images, [logits, q], name=name)
