"""WGAN-GP: the Wasserstein GAN with a gradient penalty on the critic."""

import keras
import tensorflow as tf

from ganzoo.models.dcgan import DCGAN, DEFAULT_OPTIONS
from ganzoo.models.preset import Preset, adam

# D without batch norm at the generator's width (the DCGAN default's D at 16 has batch norm).
WGANGP_DEFAULT_OPTIONS = {**DEFAULT_OPTIONS, "discriminator_width": 32}
WGANGP_DEFAULT_COMPILE = {
    "d_optimizer": adam(2e-4, beta_1=0.5, beta_2=0.9),
    "g_optimizer": adam(2e-4, beta_1=0.5, beta_2=0.9),
}
WGANGP_DEFAULT_BATCH = 320

NORM_EPSILON = 1e-12


def gradient_penalty(critic, real, fake, weights):
    """The WGAN-GP gradient penalty, E[(||grad_x D(x_hat)||_2 - 1)^2].

    Formula: x_hat = eps * x + (1 - eps) * x_fake with one eps ~ U[0, 1] per sample (the
    whole image shares it), and ||g||_2 = sqrt(sum g^2 + 1e-12) over all of a sample's
    pixels and channels (the epsilon keeps the square root differentiable at 0).

    Paper: Gulrajani, Ahmed, Arjovsky, Dumoulin and Courville, "Improved Training of
    Wasserstein GANs", arXiv 1704.00028, Eq. 3 and Algorithm 1.

    Args:
        critic: a callable from images to scores `(batch, 1)`; its gradient with respect to
            its input must not mix samples (no batch norm).
        real, fake: image batches of the same shape.
        weights: eps, shape `(batch,)`, in [0, 1].

    Returns:
        A scalar float32 tensor (not yet multiplied by lambda).
    """
    weights = tf.reshape(tf.cast(weights, real.dtype), [-1] + [1] * (len(real.shape) - 1))
    interpolates = weights * real + (1.0 - weights) * fake
    with tf.GradientTape() as tape:
        tape.watch(interpolates)
        total = tf.reduce_sum(tf.cast(critic(interpolates), tf.float32))
    gradients = tf.cast(tape.gradient(total, interpolates), tf.float32)
    axes = list(range(1, len(gradients.shape)))
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=axes) + NORM_EPSILON)
    return tf.reduce_mean(tf.square(norms - 1.0))


@keras.saving.register_keras_serializable(package="ganzoo")
class WGANGP(DCGAN):
    """Wasserstein GAN with gradient penalty (Gulrajani et al. 2017).

    The critic D (a DCGAN discriminator without batch norm, whose output is a score, not a
    logit) and G play the Wasserstein game with a penalty that keeps D close to
    1-Lipschitz:

        L_D = E[D(G(z))] - E[D(x)] + lambda * E[(||grad D(x_hat)||_2 - 1)^2],
        L_G = -E[D(G(z))],

    x_hat interpolating each real image and a generated one with eps ~ U[0, 1] drawn once
    per sample (`gradient_penalty`). Batch norm would make one sample's gradient depend on
    the others', so the critic has no normalization (`discriminator_normalization="layer"`
    is the paper's suggested replacement).

    Presets: "default" (the DCGAN default preset's generator and weight average, a critic at
    width 32 with a hidden layer of 256 units, Adam(2e-4, beta_1=0.5, beta_2=0.9)) and "paper" (Algorithm 1: lambda = 10, n_critic = 5
    critic updates per generator update, `d_steps=5`, each on its own fifth of the batch,
    so `batch_size` = 5 x the critic's batch; Adam(1e-4, beta_1=0, beta_2=0.9) for both
    nets; width 64).

    Paper: Gulrajani, Ahmed, Arjovsky, Dumoulin and Courville, "Improved Training of
    Wasserstein GANs", arXiv 1704.00028.

    Logs: `d_loss` (the Wasserstein part; its negative estimates the distance), `g_loss`,
    `gradient_penalty` (before lambda); `d_real` and `d_fake` are sigmoids of the critic's
    scores, kept for comparison with the other classes.

    Args:
        gradient_penalty_weight: lambda, a number >= 0.
        d_steps: n_critic, a positive integer.
        Other arguments as `ganzoo.DCGAN`.

    Example:
    ```python
    gan = ganzoo.WGANGP(image_shape=(28, 28, 1))
    gan.compile()  # the default preset's optimizers, Wasserstein losses
    gan.fit(ganzoo.datasets.load("mnist", batch_size=5 * 64), epochs=10)
    ```
    """

    default_loss = "wasserstein"
    default_latent_distribution = "normal"
    network_options = {**DCGAN.network_options, "discriminator_normalization": None}

    default_d_steps = 5
    model_options = {"gradient_penalty_weight": 10.0}
    presets = {
        "default": Preset(
            "The DCGAN default preset's generator and weight average (ema_decay 0.999), a "
            "critic without normalization at width 32 with a hidden layer of 256 units, "
            "lambda = 10 and n_critic = 5 (batch 320, 64 images a critic step), "
            "Adam(2e-4, beta_1=0.5, beta_2=0.9) for both nets: a G that keeps its samples "
            "apart against this critic (docs/runs/defaults_tries), not yet measured by FID "
            "(docs/zoo.md).",
            options=WGANGP_DEFAULT_OPTIONS,
            compile=WGANGP_DEFAULT_COMPILE,
            batch_size=WGANGP_DEFAULT_BATCH,
        ),
        "paper": Preset(
            "Gulrajani et al. 2017 (arXiv 1704.00028), Algorithm 1: lambda = 10, n_critic = "
            "5, Adam(1e-4, beta_1=0, beta_2=0.9), a critic batch of 64 (320 images a step "
            "here), a DCGAN-style critic without batch norm (width 64 here).",
            batch_size=320,
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.penalty_tracker = keras.metrics.Mean(name="gradient_penalty")

    def _check_options(self):
        weight = self.gradient_penalty_weight
        if not (isinstance(weight, (int, float)) and weight >= 0.0):
            raise ValueError(f"gradient_penalty_weight must be >= 0, got {weight!r}.")
        self.gradient_penalty_weight = float(weight)

    def default_optimizer(self, network="discriminator"):
        """Adam(learning_rate=1e-4, beta_1=0, beta_2=0.9), the paper's Algorithm 1."""
        return keras.optimizers.Adam(learning_rate=1e-4, beta_1=0.0, beta_2=0.9)

    def discriminator_penalty(self, real, fake, condition):
        weights = self._replica_draw(
            tf.shape(real)[0], lambda n, _: keras.random.uniform((n,), seed=self.seed_generator)
        )
        penalty = gradient_penalty(
            lambda images: self.discriminate(images, condition, training=True)[0],
            real,
            fake,
            weights,
        )
        self.penalty_tracker.update_state(penalty)
        return self.gradient_penalty_weight * penalty

    @property
    def metrics(self):
        return super().metrics + [self.penalty_tracker]
