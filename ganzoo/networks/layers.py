"""Layers the default networks need that Keras does not ship."""

import keras
import tensorflow as tf
from keras import ops


def spectrally_normalized(layer, enabled=True, **kwargs):
    """`layer` wrapped in `keras.layers.SpectralNormalization` (its kernel divided by the
    largest singular value, one power iteration per training call: Miyato et al. 2018,
    arXiv 1802.05957) when `enabled`, else `layer` itself."""
    if enabled:
        return keras.layers.SpectralNormalization(layer, power_iterations=1, **kwargs)
    return layer


@keras.saving.register_keras_serializable(package="ganzoo")
class Maxout(keras.layers.Layer):
    """Maxout units: the maximum over `pieces` affine maps of the input.

    Formula: h_i(x) = max_j (x W_ij + b_ij), j = 1..pieces.

    Paper: Goodfellow et al., "Maxout Networks", arXiv 1302.4389; the discriminator of
    "Generative Adversarial Networks" (arXiv 1406.2661) uses maxout units with dropout.

    Args:
        units: number of maxout units (the output width).
        pieces: number of affine pieces each unit takes the maximum over.
        spectral_normalization: divide the pieces' joint kernel by its largest singular
            value (`keras.layers.SpectralNormalization`, SNGAN's D).
    """

    def __init__(
        self,
        units,
        pieces=5,
        kernel_initializer="glorot_uniform",
        spectral_normalization=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units = units
        self.pieces = pieces
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.spectral_normalization = bool(spectral_normalization)
        self.dense = spectrally_normalized(
            keras.layers.Dense(
                units * pieces,
                kernel_initializer=self.kernel_initializer,
                dtype=self.dtype_policy,
            ),
            self.spectral_normalization,
            dtype=self.dtype_policy,
        )

    def build(self, input_shape):
        self.dense.build(input_shape)

    def call(self, inputs, training=None):
        pieces = ops.reshape(self.dense(inputs, training=training), (-1, self.units, self.pieces))
        return ops.max(pieces, axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "pieces": self.pieces,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "spectral_normalization": self.spectral_normalization,
        }


@keras.saving.register_keras_serializable(package="ganzoo")
class BatchNormalization(keras.layers.BatchNormalization):
    """`keras.layers.BatchNormalization` whose training calls on images run TensorFlow's
    fused kernel.

    Formula: y = gamma (x - mean_B) / sqrt(var_B + epsilon) + beta, with the mean and the
    (biased) variance of each channel over the batch and the image; the moving statistics
    follow m <- momentum m + (1 - momentum) stat_B. Paper: Ioffe and Szegedy, "Batch
    Normalization: Accelerating Deep Network Training by Reducing Internal Covariate
    Shift", arXiv 1502.03167.

    Keras 3 computes a training call as a dozen element-wise operations (the moments, then
    the normalization) and its gradient as as many again; `FusedBatchNormV3` and its gradient
    are one kernel each, as Keras 2 used for 4-D inputs. On 2 CPU cores a (128, 14, 14, 16)
    batch's forward and backward pass takes 1.0 ms instead of 2.7. Same arguments,
    configuration, weights, outputs and moving statistics as Keras's layer; calls on other
    ranks, inference, masks, renormalization and synchronized statistics take Keras's path.
    """

    def call(self, inputs, training=None, mask=None):
        if not (
            training
            and self.trainable
            and mask is None
            and not self.renorm
            and not self.synchronized
            and len(inputs.shape) == 4
            and self.axis in (-1, 3)
        ):
            return super().call(inputs, training=training, mask=mask)
        x = tf.cast(inputs, "float32")  # as Keras's layer: no statistics in float16 / bfloat16
        channels = x.shape[-1]
        scale = tf.cast(self.gamma, "float32") if self.scale else tf.ones([channels])
        offset = tf.cast(self.beta, "float32") if self.center else tf.zeros([channels])
        outputs, mean, variance, *_ = tf.raw_ops.FusedBatchNormV3(
            x=x,
            scale=scale,
            offset=offset,
            mean=tf.zeros([0]),
            variance=tf.zeros([0]),
            epsilon=self.epsilon,
            is_training=True,
        )
        # The kernel returns the variance divided by n - 1; Keras's moving variance (and the
        # normalization above) use the biased one, divided by n.
        n = tf.cast(tf.size(x) // channels, "float32")
        variance = variance * (n - 1.0) / tf.maximum(n, 1.0)
        momentum = self.momentum
        self.moving_mean.assign(self.moving_mean * momentum + mean * (1.0 - momentum))
        self.moving_variance.assign(self.moving_variance * momentum + variance * (1.0 - momentum))
        return tf.cast(outputs, self.compute_dtype)
