"""Layers the default networks need that Keras does not ship."""

import functools

import keras
import numpy as np
import tensorflow as tf
from keras import ops


def spectrally_normalized(layer, enabled=True, **kwargs):
    """`layer` wrapped in `SpectralNormalization` (its kernel divided by the largest singular
    value in the forward pass, one power iteration per training call: Miyato et al. 2018,
    arXiv 1802.05957) when `enabled`, else `layer` itself."""
    if enabled:
        return SpectralNormalization(layer, **kwargs)
    return layer


@keras.saving.register_keras_serializable(package="ganzoo")
class SpectralNormalization(keras.layers.Wrapper):
    """Spectral normalization of a layer's kernel, reparameterized: the layer computes with
    W / sigma(W) and its gradient flows through sigma(W).

    Formula: with W reshaped to a matrix of shape (-1, outputs) (its last axis, the output
    units of `Dense` and the filters of `Conv2D`), one power iteration per training call
    from the stored vector u (1, outputs):

        v <- l2_normalize(u W^T),   u <- l2_normalize(v W),   sigma(W) = v W u^T,

    and the layer runs with W_SN = W / sigma(W). u and v are held fixed in the gradient
    (the reference implementation's choice), so dW_SN/dW includes the term through
    sigma(W) = v W u^T: the gradient of a loss L is (dL/dW_SN - (dL/dW_SN . W_SN) v^T u) /
    sigma(W) (the paper's Eq. 12), never the gradient with respect to W_SN alone. W itself
    is never overwritten. Outside training u stays as it is and sigma(W) comes from it.

    Keras' `keras.layers.SpectralNormalization` differs on both counts: it writes W_SN into
    the kernel on every training call and differentiates with respect to W_SN
    (keras-team/keras#20309).

    Paper: Miyato, Kataoka, Koyama and Yoshida, "Spectral Normalization for Generative
    Adversarial Networks", arXiv 1802.05957, Section 2.1 (Algorithm 1, Eq. 8 and 12).

    Args:
        layer: a layer with a `kernel` whose last axis is its output (`Dense`, `Conv2D`,
            `Conv1D`, ganzoo's `Conv2D`); it is called with the normalized kernel.
        power_iterations: power iterations per training call, an integer >= 1 (1 in the
            paper, whose u carries over from call to call).
        epsilon: added under the normalizations' square roots.

    Example:
    ```python
    layer = ganzoo.networks.SpectralNormalization(keras.layers.Dense(10))
    ```
    """

    def __init__(self, layer, power_iterations=1, epsilon=1e-12, **kwargs):
        super().__init__(layer, **kwargs)
        if isinstance(power_iterations, bool) or not (
            isinstance(power_iterations, int) and power_iterations >= 1
        ):
            raise ValueError(f"power_iterations must be an integer >= 1, got {power_iterations!r}.")
        self.power_iterations = power_iterations
        self.epsilon = epsilon

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer.build(input_shape)
        kernel = getattr(self.layer, "kernel", None)
        if kernel is None:
            raise ValueError(
                "SpectralNormalization needs a layer with a `kernel` (Dense, Conv2D, ...), got "
                f"{type(self.layer).__name__}."
            )
        self.u = self.add_weight(
            shape=(1, kernel.shape[-1]),
            initializer=keras.initializers.TruncatedNormal(stddev=0.02),
            trainable=False,
            name="u",
            dtype=self.variable_dtype,
        )
        self.built = True

    def _l2_normalize(self, x):
        return x * ops.rsqrt(ops.sum(ops.square(x)) + self.epsilon)

    def normalized_kernel(self, training=False):
        """W / sigma(W) as a tensor (differentiable through sigma), updating u when
        `training`."""
        kernel = self.layer.kernel
        matrix = ops.reshape(ops.convert_to_tensor(kernel), (-1, kernel.shape[-1]))
        u = ops.convert_to_tensor(self.u)
        iterations = self.power_iterations if training else 0
        for _ in range(iterations):
            v = self._l2_normalize(ops.matmul(u, ops.transpose(matrix)))
            u = self._l2_normalize(ops.matmul(v, matrix))
        u = ops.stop_gradient(u)
        v = ops.stop_gradient(self._l2_normalize(ops.matmul(u, ops.transpose(matrix))))
        if training:
            self.u.assign(ops.cast(u, self.u.dtype))
        sigma = ops.sum(ops.matmul(v, matrix) * u)
        return ops.cast(kernel, sigma.dtype) / sigma

    def call(self, inputs, training=False):
        kernel = self.normalized_kernel(training=bool(training))
        # The layer's own computation with its kernel read as W / sigma(W).
        with keras.StatelessScope(state_mapping=[(self.layer.kernel, kernel)]):
            return self.layer(inputs)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "power_iterations": self.power_iterations,
            "epsilon": self.epsilon,
        }


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
            value (`SpectralNormalization`, SNGAN's D).
        layout: how the joint affine map's `units * pieces` outputs are grouped:
            "pieces_major" (piece j of unit i is output j * units + i; the maximum runs over
            a middle axis) or "units_major" (output i * pieces + j; the maximum over the
            last axis, of length `pieces`). The same family of functions; on 2 CPU cores
            the forward and backward pass of the maximum over a (64, 256 * 5) batch takes
            0.12 ms pieces-major against 0.43 units-major, whose innermost reduction over 5
            values is slow (the whole layer from 784 inputs: 1.57 against 1.71 ms;
            `python benchmarks/maxout_layout.py`). New layers are pieces-major; layers saved
            before this option load as units-major, so their trained weights keep their
            meaning.
    """

    LAYOUTS = ("pieces_major", "units_major")

    def __init__(
        self,
        units,
        pieces=5,
        kernel_initializer="glorot_uniform",
        spectral_normalization=False,
        layout="pieces_major",
        **kwargs,
    ):
        super().__init__(**kwargs)
        if layout not in self.LAYOUTS:
            raise ValueError(f"Maxout layout must be one of {self.LAYOUTS}, got {layout!r}.")
        self.units = units
        self.pieces = pieces
        self.layout = layout
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
        return self.maximum(self.dense(inputs, training=training))

    def maximum(self, outputs):
        """Each unit's maximum over its pieces of the joint map's `(batch, units * pieces)`
        outputs, grouped by `layout`."""
        if self.layout == "pieces_major":
            return ops.max(ops.reshape(outputs, (-1, self.pieces, self.units)), axis=1)
        return ops.max(ops.reshape(outputs, (-1, self.units, self.pieces)), axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "pieces": self.pieces,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "spectral_normalization": self.spectral_normalization,
            "layout": self.layout,
        }

    @classmethod
    def from_config(cls, config):
        # Saved before the layout option: units-major, so that the weights mean what they did.
        return cls(**{"layout": "units_major", **config})


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


def _phase_taps(kernel_size, stride):
    # A "same" transposed convolution of stride s gives output row s*i + r (phase r) the sum
    # over kernel rows k = r + p - s*d of input row i + d, where p = max(kernel_size - s, 0)
    # // 2 is the padding before the image. Returns taps[j, r], the kernel row of offset
    # d = low + j in phase r (-1 where there is none), and the offsets' range (-low, high):
    # the padding of the stride-1 convolution over them.
    pad = max(kernel_size - stride, 0) // 2
    low, high = -((kernel_size - 1 - pad) // stride), (stride - 1 + pad) // stride
    taps = np.arange(stride) + pad - stride * np.arange(low, high + 1)[:, None]
    taps[(taps < 0) | (taps >= kernel_size)] = -1
    return taps, (-low, high)


@functools.lru_cache(maxsize=64)
def _phase_kernel_indices(kernel_size, stride, filters, channels):
    # Where each entry of the stride-1 "phase" kernel (taps_h, taps_w, channels, s*s*filters)
    # comes from in the flattened transposed-convolution kernel (kh, kw, filters, channels);
    # index kh*kw*filters*channels (one past the end) stands for a zero.
    (kh, kw), s = kernel_size, stride
    (rows, padding_h), (columns, padding_w) = _phase_taps(kh, s), _phase_taps(kw, s)
    ky = rows[:, None, None, :, None, None]
    kx = columns[None, :, None, None, :, None]
    channel = np.arange(channels)[:, None, None, None]
    filter_ = np.arange(filters)
    entries = ((ky * kw + kx) * filters + filter_) * channels + channel
    indices = np.where((ky >= 0) & (kx >= 0), entries, kh * kw * filters * channels)
    return indices.reshape(indices.shape[:3] + (s * s * filters,)), padding_h + padding_w


def _subpixel_conv_transpose(x, kernel, stride):
    # conv_transpose(x, kernel, stride, "same") as one stride-1 convolution to the s*s
    # output phases and a depth_to_space (Shi et al. 2016, arXiv 1609.07009).
    kh, kw, filters, channels = kernel.shape
    indices, (top, bottom, left, right) = _phase_kernel_indices((kh, kw), stride, filters, channels)
    flat = tf.concat([tf.reshape(kernel, [-1]), tf.zeros([1], kernel.dtype)], axis=0)
    phases = tf.nn.conv2d(
        x, tf.gather(flat, indices), 1, [[0, 0], [top, bottom], [left, right], [0, 0]]
    )
    return tf.nn.depth_to_space(phases, stride)


def _kernel_gradient(inputs, upstream, kernel, strides):
    # The gradient of conv2d(inputs, kernel, strides, "SAME") with respect to the kernel,
    # given the outputs' gradient `upstream`.
    return tf.raw_ops.Conv2DBackpropFilter(
        input=inputs,
        filter_sizes=tf.shape(kernel),
        out_backprop=upstream,
        strides=strides,
        padding="SAME",
    )


def _conv_transpose(x, kernel, stride):
    # The stride-s "same" transposed convolution of x (b, h, w, channels) by kernel (kh, kw,
    # filters, channels): forward by the sub-pixel form, gradients by TensorFlow's kernels.
    strides = [1, stride, stride, 1]

    @tf.custom_gradient
    def transpose(x, kernel):
        def gradient(upstream):
            d_x = tf.nn.conv2d(upstream, kernel, strides, "SAME")
            return d_x, _kernel_gradient(upstream, x, kernel, strides)

        return _subpixel_conv_transpose(x, kernel, stride), gradient

    return transpose(x, kernel)


def _conv(x, kernel, stride):
    # The stride-s "same" convolution of x by kernel (kh, kw, channels, filters), x's height
    # and width multiples of s: forward and kernel gradient by TensorFlow's kernels, the
    # input's gradient (a transposed convolution to x's few channels) by the sub-pixel form.
    strides = [1, stride, stride, 1]

    @tf.custom_gradient
    def convolution(x, kernel):
        def gradient(upstream):
            d_x = _subpixel_conv_transpose(upstream, kernel, stride)
            return d_x, _kernel_gradient(x, upstream, kernel, strides)

        return tf.nn.conv2d(x, kernel, strides, "SAME"), gradient

    return convolution(x, kernel)


THIN = 4  # at most this many image channels on the thin side


def _strided_same(layer, inputs):
    # Whether `layer` (a Keras convolution) is a plain 2-D "same" convolution of one stride
    # s > 1 on channels-last inputs of known height and width: returns s, else None.
    stride = layer.strides[0]
    plain = (
        layer.rank == 2
        and layer.padding == "same"
        and layer.data_format == "channels_last"
        and tuple(layer.dilation_rate) == (1, 1)
        and len(set(layer.strides)) == 1
        and stride > 1
        and len(inputs.shape) == 4
        and None not in inputs.shape[1:]
    )
    return stride if plain else None


def _finish(layer, outputs):
    # Bias and activation, as Keras's convolutions end.
    if layer.use_bias:
        outputs = tf.nn.bias_add(outputs, ops.convert_to_tensor(layer.bias))
    return outputs if layer.activation is None else layer.activation(outputs)


@keras.saving.register_keras_serializable(package="ganzoo")
class Conv2DTranspose(keras.layers.Conv2DTranspose):
    """`keras.layers.Conv2DTranspose` whose training calls to few channels (an image's 1 or
    3) compute the transposed convolution in its sub-pixel form.

    Formula: a stride-s transposed convolution is s*s stride-1 convolutions of the input,
    one per output phase (row mod s, column mod s), with the kernel's taps of that phase;
    computed as one convolution to s*s*filters channels and `depth_to_space` (Shi et al.,
    "Is the deconvolution layer the same as a convolutional layer?", arXiv 1609.07009).

    On 2 CPU cores oneDNN computes a transposed convolution to one channel at about 5
    GFLOP/s: a DCGAN generator's last layer, (128, 14, 14, 16) -> (128, 28, 28, 1), takes
    4.3 ms forward; the sub-pixel form 1.7 ms. The gradients are TensorFlow's own kernels.
    Same arguments, configuration, weights and outputs as Keras's layer; calls that are not
    for training, or with more than 4 filters, "valid" padding, `output_padding`, dilation
    or unequal strides take Keras's path.
    """

    def call(self, inputs, training=None):
        stride = _strided_same(self, inputs)
        if not (training and stride and self.filters <= THIN and self.output_padding is None):
            return super().call(inputs)
        kernel = tf.convert_to_tensor(self.kernel)
        return _finish(self, _conv_transpose(tf.convert_to_tensor(inputs), kernel, stride))


@keras.saving.register_keras_serializable(package="ganzoo")
class Conv2D(keras.layers.Conv2D):
    """`keras.layers.Conv2D` whose training calls on few channels (an image's 1 or 3)
    compute the gradient with respect to the input in the sub-pixel form.

    That gradient is a transposed convolution back to the input's channels (see
    `Conv2DTranspose`): a DCGAN discriminator's first layer, (128, 28, 28, 1) ->
    (128, 14, 14, 16), is where the generator's gradient enters it. The forward pass and the
    kernel's gradient are TensorFlow's own kernels. Same arguments, configuration, weights
    and outputs as Keras's layer; calls that are not for training, on more than 4 channels
    or on images whose size is not a multiple of the stride, "valid" or "causal" padding,
    dilation, groups or unequal strides take Keras's path.
    """

    def call(self, inputs, training=None):
        stride = _strided_same(self, inputs)
        if not (
            training
            and stride
            and self.groups == 1
            and inputs.shape[-1] <= THIN
            and inputs.shape[1] % stride == 0
            and inputs.shape[2] % stride == 0
        ):
            return super().call(inputs)
        kernel = tf.convert_to_tensor(self.kernel)
        return _finish(self, _conv(tf.convert_to_tensor(inputs), kernel, stride))
