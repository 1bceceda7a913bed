"""ACGAN: a class-conditional generator and a discriminator that also classifies."""

import keras
import tensorflow as tf
from keras import ops

from ganzoo.models.cgan import CGAN
from ganzoo.models.dcgan import DEFAULT_COMPILE, DEFAULT_OPTIONS
from ganzoo.models.preset import Preset
from ganzoo.networks import auxiliary_classifier_discriminator


def auxiliary_classifier_loss(labels, class_logits):
    """The class term of ACGAN: the cross-entropy of the true classes under D's classifier.

    Formula: -L_C = -E[log P(C = c | X)] = mean over the batch of
    -log_softmax(class_logits)[c].

    Paper: Odena, Olah and Shlens, "Conditional Image Synthesis With Auxiliary Classifier
    GANs", arXiv 1610.09585, Eq. 2-3 (L_C = E[log P(C = c | X_real)] + E[log P(C = c |
    X_fake)]; D maximizes L_S + L_C and G maximizes L_C - L_S).

    Args:
        labels: integer classes, shape `(batch,)`.
        class_logits: D's class logits, shape `(batch, num_classes)`.

    Returns:
        A scalar float32 tensor (nats), averaged over the batch.
    """
    return ops.mean(
        ops.sparse_categorical_crossentropy(
            ops.cast(labels, "int32"), ops.cast(class_logits, "float32"), from_logits=True
        )
    )


@keras.saving.register_keras_serializable(package="ganzoo")
class ACGAN(CGAN):
    """Auxiliary classifier GAN (Odena et al. 2017).

    G(z, c) makes an image of class c (`conditional_dcgan_generator`: the label embedding
    joined to z); D sees the image alone and has two heads, the real/fake logit and a
    classifier over the classes (`auxiliary_classifier_discriminator`). With the source
    term L_S (the GAN game) and the class term L_C = E[log P(C = c | X_real)] +
    E[log P(C = c | X_fake)], D maximizes L_S + L_C and G maximizes L_C - L_S. Here: D
    minimizes its GAN loss + lambda * (CE on real + CE on fake images), G its
    non-saturating loss + lambda * CE on fake images (`auxiliary_classifier_loss`).

    Paper: Odena, Olah and Shlens, "Conditional Image Synthesis With Auxiliary Classifier
    GANs", arXiv 1610.09585.

    Presets: "default" (the DCGAN default preset's networks, weight average and optimizers;
    batch 128) and "paper" (width 64, Adam(2e-4, beta_1=0.5) for both nets, as in the
    paper's appendix).

    Training takes `(images, labels)` batches, like `ganzoo.CGAN`; fakes in each step use
    the labels of the real images beside them. Logs add `class_loss` (D's cross-entropy on
    real images) and `class_accuracy` (its accuracy on them).

    Args:
        num_classes: number of classes.
        class_loss_weight: lambda, a number >= 0 (1 in the paper).
        width, upsampling, kernel_size, embedding_dim, discriminator_depth,
            discriminator_width, generator_hidden_units, discriminator_hidden_units: sizes
            of the default networks (see `ganzoo.DCGAN` and `ganzoo.CGAN`).
        generator, discriminator: your own networks taking `[noise, label]` and images
            (returning `[logits, class_logits]`).
        Other arguments as `ganzoo.GAN`.

    Example:
    ```python
    data = ganzoo.datasets.load("mnist", batch_size=64, with_labels=True)
    acgan = ganzoo.ACGAN(image_shape=(28, 28, 1), num_classes=10)
    acgan.compile()
    acgan.fit(data, epochs=10)
    sevens = acgan.generate(8, labels=7, seed=0)
    ```
    """

    network_options = {
        "num_classes": None,
        "width": 64,
        "upsampling": "transpose",
        "kernel_size": 5,
        "embedding_dim": 50,
        "discriminator_depth": None,
        "discriminator_width": None,
        "generator_hidden_units": None,
        "discriminator_hidden_units": None,
    }
    model_options = {"class_loss_weight": 1.0}
    network = "dcgan"
    presets = {
        "default": Preset(
            "The best configuration measured on MNIST on 2 CPU cores (docs/zoo.md): the DCGAN "
            "default preset's networks, weight average and optimizers, with the class head "
            "on D's hidden layer; batch 128.",
            options=DEFAULT_OPTIONS,
            compile=DEFAULT_COMPILE,
            batch_size=128,
        ),
        "paper": Preset(
            "Odena et al. 2017 (arXiv 1610.09585), Section 3 and Appendix: DCGAN-style "
            "networks (width 64 here), class loss weight 1, Adam(2e-4, beta_1=0.5) for both "
            "nets, batch 100.",
            batch_size=100,
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.class_loss_tracker = keras.metrics.Mean(name="class_loss")
        self.class_accuracy_tracker = keras.metrics.Mean(name="class_accuracy")

    def build_networks(self):
        self._check_num_classes()
        return (
            self._dcgan_generator(),
            auxiliary_classifier_discriminator(
                self.image_shape,
                self.num_classes,
                self._discriminator_width(),
                self.kernel_size,
                self.discriminator_depth,
                hidden_units=self.discriminator_hidden_units,
            ),
        )

    def _check_networks(self):
        self._check_num_classes()
        if not isinstance(self.generator.input_shape, list) or len(self.generator.inputs) != 2:
            raise ValueError(
                "ACGAN's generator must take two inputs, [noise, label]; got inputs of shape "
                f"{self.generator.input_shape}."
            )
        outputs = self.discriminator.output_shape
        if (
            not isinstance(outputs, list)
            or len(outputs) != 2
            or tuple(outputs[1][1:]) != (self.num_classes,)
        ):
            raise ValueError(
                "ACGAN's discriminator must take images and return [logits (batch, 1), "
                f"class_logits (batch, {self.num_classes})]; got outputs of shape {outputs}."
            )
        super(CGAN, self)._check_networks()

    def _check_options(self):
        if not (isinstance(self.class_loss_weight, (int, float)) and self.class_loss_weight >= 0.0):
            raise ValueError(f"class_loss_weight must be >= 0, got {self.class_loss_weight!r}.")
        self.class_loss_weight = float(self.class_loss_weight)

    def default_optimizer(self, network="discriminator"):
        """Adam(learning_rate=2e-4, beta_1=0.5), as in the paper's appendix."""
        return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)

    def discriminate(self, images, condition=None, training=False):
        logits, class_logits = self.discriminator(images, training=training)
        return logits, class_logits

    def auxiliary_loss(self, latent, fake_class_logits):
        return self.class_loss_weight * auxiliary_classifier_loss(latent[1], fake_class_logits)

    def real_auxiliary_loss(self, condition, real_class_logits):
        loss = auxiliary_classifier_loss(condition, real_class_logits)
        correct = tf.equal(tf.argmax(real_class_logits, axis=-1, output_type="int32"), condition)
        self.class_loss_tracker.update_state(loss)
        self.class_accuracy_tracker.update_state(tf.reduce_mean(tf.cast(correct, "float32")))
        return self.class_loss_weight * loss

    @property
    def metrics(self):
        return super().metrics + [self.class_loss_tracker, self.class_accuracy_tracker]
