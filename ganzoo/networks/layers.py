"""Layers the default networks need that Keras does not ship."""

import keras
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
