"""Adversarial losses: pure functions of discriminator logits.

Every function takes the discriminator's raw outputs (logits, never probabilities) by role:
`real_logits` = D(x) on data, `fake_logits` = D(G(z)) on generated images. Outputs of any shape
(a score per image, or a patch of scores) are averaged over all elements. Each returns a scalar
float32 tensor, averaged over the batch (per replica under a `tf.distribute` strategy).

Names follow `<kind>_discriminator_loss` / `<kind>_generator_loss`; `get(name)` returns the
pair for a name, as `GAN.compile(loss=name)` does.
"""

import keras
from keras import ops


def _mean(x):
    return ops.mean(ops.cast(x, "float32"))


@keras.saving.register_keras_serializable(package="ganzoo")
def minimax_discriminator_loss(real_logits, fake_logits, label_smoothing=0.0):
    """Discriminator loss of the GAN minimax game.

    Formula: L_D = -E[log D(x)] - E[log(1 - D(G(z)))], with D = sigmoid(logits),
    computed stably as mean(softplus(-real_logits)) + mean(softplus(fake_logits)).

    Paper: Goodfellow et al., "Generative Adversarial Networks", arXiv 1406.2661, Eq. 1.
    The same discriminator loss serves the non-saturating game.

    One-sided label smoothing alpha (Salimans et al., "Improved Techniques for Training
    GANs", arXiv 1606.03498, Section 3.4) makes the real target 1 - alpha, fakes stay 0:
    L_D = -E[(1 - alpha) log D(x) + alpha log(1 - D(x))] - E[log(1 - D(G(z)))]
        = mean((1 - alpha) softplus(-real_logits) + alpha softplus(real_logits))
          + mean(softplus(fake_logits)).
    """
    real_term = ops.softplus(-real_logits)
    if label_smoothing:
        real_term = (1.0 - label_smoothing) * real_term + label_smoothing * ops.softplus(
            real_logits
        )
    return _mean(real_term) + _mean(ops.softplus(fake_logits))


@keras.saving.register_keras_serializable(package="ganzoo")
def minimax_generator_loss(fake_logits):
    """Generator loss of the GAN minimax game (the saturating one).

    Formula: L_G = E[log(1 - D(G(z)))] = -mean(softplus(fake_logits)).

    Paper: Goodfellow et al., "Generative Adversarial Networks", arXiv 1406.2661, Eq. 1.
    Caveat from the paper: early in training D rejects samples with high confidence, the
    gradient of log(1 - D(G(z))) vanishes, and G learns slowly; see the non-saturating loss.
    """
    return -_mean(ops.softplus(fake_logits))


@keras.saving.register_keras_serializable(package="ganzoo")
def non_saturating_discriminator_loss(real_logits, fake_logits, label_smoothing=0.0):
    """Discriminator loss of the non-saturating game: identical to the minimax one
    (`label_smoothing` as there).

    Formula: L_D = -E[log D(x)] - E[log(1 - D(G(z)))].

    Paper: Goodfellow et al., "Generative Adversarial Networks", arXiv 1406.2661, Section 3.
    """
    return minimax_discriminator_loss(real_logits, fake_logits, label_smoothing)


@keras.saving.register_keras_serializable(package="ganzoo")
def non_saturating_generator_loss(fake_logits):
    """Non-saturating generator loss: G maximizes log D(G(z)) instead.

    Formula: L_G = -E[log D(G(z))] = mean(softplus(-fake_logits)).

    Paper: Goodfellow et al., "Generative Adversarial Networks", arXiv 1406.2661, Section 3
    ("rather than training G to minimize log(1 - D(G(z))) we can train G to maximize
    log D(G(z))... much stronger gradients early in learning").
    """
    return _mean(ops.softplus(-fake_logits))


@keras.saving.register_keras_serializable(package="ganzoo")
def least_squares_discriminator_loss(real_logits, fake_logits, a=0.0, b=1.0):
    """Least-squares discriminator loss with the a-b coding.

    Formula: L_D = 1/2 E[(D(x) - b)^2] + 1/2 E[(D(G(z)) - a)^2], D's raw output (no sigmoid).

    Paper: Mao et al., "Least Squares Generative Adversarial Networks", arXiv 1611.04076,
    Eq. 2. `a` labels fake data and `b` real data; the paper uses a=0, b=1 (Eq. 9) or
    a=-1, b=1 (Eq. 8, which minimizes the Pearson chi-square divergence when b - c = 1 and
    b - a = 2).
    """
    real_logits = ops.cast(real_logits, "float32")
    fake_logits = ops.cast(fake_logits, "float32")
    return 0.5 * _mean(ops.square(real_logits - b)) + 0.5 * _mean(ops.square(fake_logits - a))


@keras.saving.register_keras_serializable(package="ganzoo")
def least_squares_generator_loss(fake_logits, c=1.0):
    """Least-squares generator loss with the c coding.

    Formula: L_G = 1/2 E[(D(G(z)) - c)^2], where c is the value G wants D to believe for fake
    data.

    Paper: Mao et al., "Least Squares Generative Adversarial Networks", arXiv 1611.04076,
    Eq. 2; c=1 in both of the paper's codings.
    """
    return 0.5 * _mean(ops.square(ops.cast(fake_logits, "float32") - c))


@keras.saving.register_keras_serializable(package="ganzoo")
def wasserstein_discriminator_loss(real_logits, fake_logits):
    """Wasserstein critic loss.

    Formula: L_D = E[D(G(z))] - E[D(x)], the negative of the Kantorovich-Rubinstein estimate
    of the Wasserstein-1 distance; D must be kept (close to) 1-Lipschitz by weight clipping or
    a gradient penalty, which this function does not add.

    Paper: Arjovsky et al., "Wasserstein GAN", arXiv 1701.07875, Algorithm 1.
    """
    return _mean(fake_logits) - _mean(real_logits)


@keras.saving.register_keras_serializable(package="ganzoo")
def wasserstein_generator_loss(fake_logits):
    """Wasserstein generator loss.

    Formula: L_G = -E[D(G(z))].

    Paper: Arjovsky et al., "Wasserstein GAN", arXiv 1701.07875, Algorithm 1.
    """
    return -_mean(fake_logits)


@keras.saving.register_keras_serializable(package="ganzoo")
def hinge_discriminator_loss(real_logits, fake_logits):
    """Hinge discriminator loss.

    Formula: L_D = E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))].

    Papers: Lim and Ye, "Geometric GAN", arXiv 1705.02894; Miyato et al., "Spectral
    Normalization for Generative Adversarial Networks", arXiv 1802.05957, Eq. 16.
    """
    return _mean(ops.relu(1.0 - real_logits)) + _mean(ops.relu(1.0 + fake_logits))


@keras.saving.register_keras_serializable(package="ganzoo")
def hinge_generator_loss(fake_logits):
    """Hinge generator loss.

    Formula: L_G = -E[D(G(z))].

    Paper: Miyato et al., "Spectral Normalization for Generative Adversarial Networks",
    arXiv 1802.05957, Eq. 17.
    """
    return -_mean(fake_logits)


LOSSES = {
    "minimax": (minimax_discriminator_loss, minimax_generator_loss),
    "non_saturating": (non_saturating_discriminator_loss, non_saturating_generator_loss),
    "least_squares": (least_squares_discriminator_loss, least_squares_generator_loss),
    "wasserstein": (wasserstein_discriminator_loss, wasserstein_generator_loss),
    "hinge": (hinge_discriminator_loss, hinge_generator_loss),
}


def get(loss):
    """Returns `(discriminator_loss, generator_loss)` for a loss name or a pair of callables.

    Names: "minimax", "non_saturating", "least_squares", "wasserstein", "hinge". A pair is
    `(fn(real_logits, fake_logits), fn(fake_logits))`; register custom functions with
    `keras.saving.register_keras_serializable` so that a saved model can reload them.
    """
    if isinstance(loss, str):
        if loss not in LOSSES:
            raise ValueError(
                f"Unknown loss {loss!r}. Use one of {sorted(LOSSES)}, or a pair of callables "
                "(discriminator_loss(real_logits, fake_logits), generator_loss(fake_logits))."
            )
        return LOSSES[loss]
    if isinstance(loss, (tuple, list)) and len(loss) == 2 and all(map(callable, loss)):
        return tuple(loss)
    raise ValueError(
        f"Expected a loss name or a pair of callables, got {loss!r}. Use one of "
        f"{sorted(LOSSES)}, or (discriminator_loss(real_logits, fake_logits), "
        "generator_loss(fake_logits))."
    )
