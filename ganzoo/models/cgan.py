"""CGAN: the GAN game conditioned on class labels."""

import keras
import numpy as np
import tensorflow as tf

from ganzoo.models.dcgan import DEFAULT_COMPILE, DEFAULT_OPTIONS
from ganzoo.models.gan import GAN
from ganzoo.models.preset import Preset
from ganzoo.networks import (
    conditional_dcgan_discriminator,
    conditional_dcgan_generator,
    conditional_mlp_discriminator,
    conditional_mlp_generator,
)


def check_labels(n, labels, num_classes=None):
    """Returns n int32 class labels from one label for all or n labels, or raises a ValueError
    that names the problem (wrong count, not integers, outside [0, num_classes))."""
    labels = np.asarray(labels)
    if labels.ndim == 0:
        labels = np.full((n,), labels)
    if labels.shape != (n,) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"Expected {n} integer labels (or one for all), got an array of shape "
            f"{labels.shape} and dtype {labels.dtype}."
        )
    high = num_classes if num_classes else np.iinfo(np.int32).max
    if labels.min() < 0 or labels.max() >= high:
        raise ValueError(
            f"Labels must lie in [0, {high}), got values from {labels.min()} to {labels.max()}."
        )
    return labels.astype(np.int32)


@keras.saving.register_keras_serializable(package="ganzoo")
class CGAN(GAN):
    """Conditional GAN (Mirza and Osindero 2014).

    Both nets see the class label y: G(z, y) makes an image of class y and D(x, y) judges
    whether x is a real image of class y. The game is the GAN's, conditioned on y:
    min_G max_D E[log D(x, y)] + E[log(1 - D(G(z, y), y))].

    Paper: Mirza and Osindero, "Conditional Generative Adversarial Nets", arXiv 1411.1784.

    Training takes `(images, labels)` batches (`ganzoo.datasets.load(..., with_labels=True)`);
    fake images in each step use the labels of the real images beside them, so both terms of
    D's loss see the same label distribution.

    Presets: "default" (the "dcgan" networks with the DCGAN default preset's sizes, weight
    average and optimizers; batch 128) and "paper" (the "mlp" networks and SGD).

    Args:
        num_classes: number of classes, an integer >= 2; labels are integers in
            [0, num_classes).
        network: the default networks, "mlp" (the paper's MNIST nets: ReLU generator,
            maxout discriminator with dropout, label branches joined to a hidden layer; they
            take no size options) or "dcgan" (DCGAN nets, the label embedding joined to z in
            G and given to D as an extra image channel).
        width, upsampling, kernel_size, discriminator_width, generator_hidden_units,
            discriminator_hidden_units: sizes of the "dcgan" networks (see `ganzoo.DCGAN`);
            refused with network="mlp".
        embedding_dim: size of G's label embedding in the "dcgan" networks.
        generator, discriminator: your own networks taking `[noise, label]` and
            `[images, label]` (labels of shape (batch,)).
        Other arguments as `ganzoo.GAN`.

    Example:
    ```python
    data = ganzoo.datasets.load("mnist", batch_size=64, with_labels=True)
    cgan = ganzoo.CGAN(image_shape=(28, 28, 1), num_classes=10)
    cgan.compile()
    cgan.fit(data, epochs=10)
    sevens = cgan.generate(8, labels=7, seed=0)
    ```
    """

    conditional = True
    network_options = {
        "num_classes": None,
        "network": "mlp",
        "width": 64,
        "upsampling": "transpose",
        "kernel_size": 5,
        "embedding_dim": 50,
        "discriminator_width": None,
        "generator_hidden_units": None,
        "discriminator_hidden_units": None,
    }
    # The options of the "dcgan" networks, which the paper's "mlp" networks do not take.
    dcgan_network_options = (
        "width",
        "upsampling",
        "kernel_size",
        "embedding_dim",
        "discriminator_width",
        "generator_hidden_units",
        "discriminator_hidden_units",
    )
    presets = {
        "default": Preset(
            "The best configuration measured on MNIST on 2 CPU cores (docs/zoo.md): the DCGAN "
            "default preset's networks with the label (an embedding joined to z in G, a "
            "label map as an extra image channel in D), its weight average and optimizers, "
            "batch 128.",
            options={"network": "dcgan", **DEFAULT_OPTIONS},
            compile=DEFAULT_COMPILE,
            batch_size=128,
        ),
        "paper": Preset(
            "Mirza and Osindero 2014 (arXiv 1411.1784), Section 4.1: the MNIST MLP networks "
            "(z -> 200 and y -> 1000 ReLU units, joined, -> 1200; D of maxout units with "
            "dropout 0.5), z of size 100, SGD with momentum 0.5 at learning rate 0.1 (the "
            "paper decays it and raises the momentum to 0.7; here both stay fixed), "
            "mini-batches of 100.",
            batch_size=100,
        ),
    }

    @classmethod
    def applicable_options(cls, options):
        applicable = set(cls.options())
        if options.get("network") == "mlp":
            applicable -= set(cls.dcgan_network_options)
        return applicable

    def build_networks(self):
        self._check_num_classes()
        if self.network == "mlp":
            return (
                conditional_mlp_generator(self.latent_dim, self.image_shape, self.num_classes),
                conditional_mlp_discriminator(self.image_shape, self.num_classes),
            )
        if self.network == "dcgan":
            return (
                self._dcgan_generator(),
                conditional_dcgan_discriminator(
                    self.image_shape,
                    self.num_classes,
                    self._discriminator_width(),
                    self.kernel_size,
                    hidden_units=self.discriminator_hidden_units,
                ),
            )
        raise ValueError(f"network must be 'mlp' or 'dcgan', got {self.network!r}.")

    def _dcgan_generator(self):
        return conditional_dcgan_generator(
            self.latent_dim,
            self.image_shape,
            self.num_classes,
            self.width,
            self.upsampling,
            self.kernel_size,
            self.embedding_dim,
            hidden_units=self.generator_hidden_units,
        )

    def _discriminator_width(self):
        return self.width if self.discriminator_width is None else self.discriminator_width

    def _check_num_classes(self):
        if not isinstance(self.num_classes, int) or self.num_classes < 2:
            raise ValueError(
                f"{type(self).__name__} needs num_classes, an integer >= 2, got "
                f"{self.num_classes!r}: e.g. ganzoo.{type(self).__name__}(image_shape=(28, 28, "
                "1), num_classes=10, latent_dim=100)."
            )

    def _check_networks(self):
        self._check_num_classes()
        for net, inputs in (
            (self.generator, "[noise, label]"),
            (self.discriminator, "[images, label]"),
        ):
            if not isinstance(net.input_shape, list) or len(net.input_shape) != 2:
                raise ValueError(
                    f"CGAN's {net.name} must take two inputs, {inputs}; got inputs of shape "
                    f"{net.input_shape}."
                )
        super()._check_networks()

    def default_optimizer(self, network="discriminator"):
        """The "mlp" networks: SGD(0.1, momentum=0.5) as in the paper (which decays the rate
        and raises the momentum to 0.7); the "dcgan" networks: DCGAN's Adam(2e-4, 0.5)."""
        if self.network == "dcgan":
            return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)
        return keras.optimizers.SGD(learning_rate=0.1, momentum=0.5)

    # ------------------------------------------------------------------ hooks
    def unpack_batch(self, data):
        if not isinstance(data, (tuple, list)) or len(data) < 2 or data[1] is None:
            raise ValueError(
                "CGAN trains on (images, labels) batches: load them with "
                "ganzoo.datasets.load(..., with_labels=True), or pass fit(x=images, y=labels)."
            )
        labels = tf.cast(tf.reshape(data[1], [-1]), "int32")
        checks = [
            tf.debugging.assert_non_negative(
                labels, message=f"{type(self).__name__}: labels must be >= 0"
            ),
            tf.debugging.assert_less(
                labels,
                self.num_classes,
                message=f"{type(self).__name__}: labels must be < num_classes={self.num_classes}",
            ),
        ]
        with tf.control_dependencies(checks):
            return data[0], tf.identity(labels)

    def sample_latent(self, n, condition=None, seed=None):
        """Returns `[noise, labels]`; labels are drawn uniformly when `condition` is None."""
        if condition is None:
            label_seed = self.seed_generator if seed is None else seed + 1
            condition = keras.random.randint(
                (n,), 0, self.num_classes, seed=label_seed, dtype="int32"
            )
        return [self.sample_noise(n, seed=seed), condition]

    def discriminate(self, images, condition=None, training=False):
        return self.discriminator([images, condition], training=training), None

    # ------------------------------------------------------------------ sampling
    def generate(self, n, labels=None, seed=None):
        """Returns n images in [-1, 1] of the given classes.

        Args:
            n: number of images.
            labels: one integer for all images, n integers, or None for random classes.
            seed: an integer makes the noise (and random labels) reproducible.
        """
        n = int(n)
        condition = (
            None if labels is None else tf.constant(check_labels(n, labels, self.num_classes))
        )
        return self.sampler(self.sample_latent(n, condition, seed=seed), training=False)

    def grid_latent(self, rows, cols, seed=0):
        """One row per class (row r shows class r mod num_classes), one noise per column."""
        noise = self.sample_noise(cols, seed=seed)
        labels = np.repeat(np.arange(rows) % self.num_classes, cols)
        return [keras.ops.tile(noise, (rows, 1)), tf.constant(labels, "int32")]
