"""InfoGAN: a GAN whose latent codes are made recoverable from the images it generates."""

import math

import keras
import numpy as np
from keras import ops

from ganzoo.models.gan import GAN
from ganzoo.models.preset import Preset, adam
from ganzoo.networks import infogan_discriminator, infogan_generator

_HALF_LOG_TWO_PI = 0.5 * math.log(2.0 * math.pi)

INFOGAN_DEFAULT_OPTIONS = {"width": 32, "ema_decay": 0.999}
INFOGAN_DEFAULT_COMPILE = {
    "d_optimizer": adam(2e-4, beta_1=0.5, beta_2=0.99),
    "g_optimizer": adam(1e-3, beta_1=0.5, beta_2=0.99),
}
INFOGAN_DEFAULT_BATCH = 128


def categorical_mutual_information_loss(code_onehot, code_logits):
    """Cross-entropy of a categorical code under Q: the categorical part of -L_I + H(c).

    Formula: CE = -E_{c ~ P(c), x ~ G(z, c)}[log Q(c | x)]
                = mean over the batch of -sum_k c_k * log_softmax(code_logits)_k,
    and the mutual-information lower bound is L_I = H(c) - CE <= I(c; G(z, c)), with
    H(c) = ln K for a code drawn uniformly from K categories. Minimizing CE over G and Q
    maximizes the bound.

    Paper: Chen et al., "InfoGAN: Interpretable Representation Learning by Information
    Maximizing Generative Adversarial Nets", arXiv 1606.03657, Eq. 4-5 (Lemma 5.1); Section 6
    parametrizes Q(c | x) of a categorical code with a softmax.

    Args:
        code_onehot: the codes that made the images, one-hot, shape `(batch, K)`.
        code_logits: Q's logits for the same images, shape `(batch, K)`.

    Returns:
        A scalar float32 tensor (nats), averaged over the batch.
    """
    code_onehot = ops.cast(code_onehot, "float32")
    log_q = ops.log_softmax(ops.cast(code_logits, "float32"), axis=-1)
    return ops.mean(-ops.sum(code_onehot * log_q, axis=-1))


def gaussian_mutual_information_loss(code_values, mean, log_std):
    """Negative log-likelihood of continuous codes under a factored Gaussian Q(c | x).

    Formula: NLL = -E[log Q(c | x)] = mean over the batch of
        sum_j [ 0.5 * ln(2 pi) + log_std_j + 0.5 * ((c_j - mean_j) / exp(log_std_j))^2 ],
    the continuous part of -L_I + H(c). Being a differential entropy, it can be negative
    when Q is confident (small standard deviations). A unit standard deviation is
    `log_std = 0`, where NLL = 0.5 * ln(2 pi) + 0.5 * (c - mean)^2 per code.

    Paper: Chen et al., "InfoGAN: Interpretable Representation Learning by Information
    Maximizing Generative Adversarial Nets", arXiv 1606.03657, Eq. 5 and Section 6 ("simply
    treating Q(c_j | x) as a factored Gaussian is sufficient"); Section 6 also recommends a
    smaller lambda for continuous codes, to keep this term on the scale of the GAN loss.

    Args:
        code_values: the continuous codes that made the images, shape `(batch, C)`.
        mean: Q's predicted means, shape `(batch, C)`.
        log_std: Q's predicted log standard deviations (natural log), shape `(batch, C)`.

    Returns:
        A scalar float32 tensor (nats), averaged over the batch, summed over the C codes.
    """
    code_values = ops.cast(code_values, "float32")
    mean = ops.cast(mean, "float32")
    log_std = ops.cast(log_std, "float32")
    z_score = (code_values - mean) * ops.exp(-log_std)
    per_code = _HALF_LOG_TWO_PI + log_std + 0.5 * ops.square(z_score)
    return ops.mean(ops.sum(per_code, axis=-1))


def _as_categorical_codes(value):
    if isinstance(value, (int, np.integer)):
        value = (value,)
    try:
        codes = tuple(value)
    except TypeError:
        codes = None
    if codes is None or not all(
        isinstance(k, (int, np.integer)) and not isinstance(k, bool) and k >= 2 for k in codes
    ):
        raise ValueError(
            "categorical_codes must be a tuple of category counts, each an integer >= 2, e.g. "
            f"(10,) for one 10-way code or (10, 5) for two codes; got {value!r}."
        )
    return tuple(int(k) for k in codes)


@keras.saving.register_keras_serializable(package="ganzoo")
class InfoGAN(GAN):
    """InfoGAN (Chen et al. 2016): a GAN that maximizes the mutual information between latent
    codes and the images it generates.

    G takes incompressible noise z and latent codes c; an auxiliary network Q, sharing D's
    body, predicts c from G(z, c). The game (Eq. 6) is

        min_{G, Q} max_D  V(D, G) - lambda * L_I(G, Q),
        L_I(G, Q) = E_{c ~ P(c), x ~ G(z, c)}[log Q(c | x)] + H(c)  <=  I(c; G(z, c)),

    so the information term, `info_loss` = lambda * (-L_I + H(c)) = lambda_categorical * CE +
    lambda_continuous * NLL, is added to both G's loss and D/Q's loss. Q's heads belong to the
    discriminator model, so D's optimizer updates them, and the shared body gets gradients
    from both the adversarial and the information term. The term is measured on generated
    images against the codes that made them (`categorical_mutual_information_loss`,
    `gaussian_mutual_information_loss`).

    Paper: Chen, Duan, Houthooft, Schulman, Sutskever and Abbeel, "InfoGAN: Interpretable
    Representation Learning by Information Maximizing Generative Adversarial Nets", arXiv
    1606.03657. The codes, z, networks and loss follow its MNIST experiment (Section 7,
    Appendix C.1): z of size 62, one 10-way categorical code, two continuous codes
    ~ U[-1, 1], the Table 1 networks (`ganzoo.networks.infogan`), the non-saturating GAN
    loss. Presets: "paper" (width 64, Adam with beta_1 = 0.5 at 2e-4 for D and Q and 1e-3
    for G, Appendix C) and "default" (width 32, the generator's weight average and the DCGAN
    default preset's optimizers; batch 128).

    Latent inputs: `sample_latent(n)` returns `[noise, codes]`. noise ~ U[-1, 1] by default
    (the authors' released MNIST code draws z uniformly; `latent_distribution="normal"` for
    N(0, 1)). codes = the one-hot blocks of the categorical codes (each uniform over its
    categories), then the continuous codes ~ U[-1, 1], of width
    `code_dim = sum(categorical_codes) + continuous_codes`.

    Q's output `q` (the discriminator's second output): the logits of each categorical code,
    then the means of the continuous codes, then, with `continuous_std="learned"`, their log
    standard deviations (a factored Gaussian, Section 6); with `continuous_std="fixed"` the
    standard deviations are 1 and Q outputs means only (as the authors' MNIST code does).

    Logs: `d_loss` and `g_loss` (the adversarial parts alone, comparable across ganzoo's
    models), `d_real`, `d_fake`, `info_loss` (the weighted information term above, added to
    both losses) and `mi_categorical` = H(c) - CE, the lower bound on the mutual information
    of the categorical codes in nats (H(c) = sum of ln K; ln 10 = 2.30 for MNIST's code,
    which the paper's Figure 1 shows the bound reaching quickly). The information terms are
    those of the generator step.

    Args:
        generator: a `keras.Model` with inputs `[noise (latent_dim,), codes (code_dim,)]`,
            in that order, to images; built from `image_shape` when omitted.
        discriminator: a `keras.Model` from images to `[logits (batch, 1), q (batch,
            q_dim)]`; built when omitted.
        latent_dim: size of the noise z; 62 (the paper's) when no generator is given.
        categorical_codes: the number of categories of each categorical code, e.g. (10,) or
            (10, 5); () for none.
        continuous_codes: the number of continuous codes (uniform in [-1, 1]).
        continuous_std: "learned" (Q predicts a mean and a log standard deviation per
            continuous code) or "fixed" (unit standard deviation; Q predicts the mean).
        info_weight_categorical: lambda for the categorical codes (1, Section 6).
        info_weight_continuous: lambda for the continuous codes. 0.1: Section 6 asks for a
            smaller lambda for continuous codes, whose log-likelihood is a differential
            entropy that a learned standard deviation can make large.
        width: channels of the default networks' first convolution and last transposed
            convolution (64 in the paper's Table 1; all other sizes scale with it).
        image_shape, d_steps, latent_distribution, ema_decay, augment: as `ganzoo.GAN`.

    Example:
    ```python
    gan = ganzoo.InfoGAN(image_shape=(28, 28, 1))
    gan.compile()  # the default preset's Adams for D and Q and for G
    gan.fit(ganzoo.datasets.load("mnist", batch_size=128), epochs=10)
    digits = gan.generate(10, codes={"categorical": range(10)}, seed=0)
    predicted = gan.predict_codes(real_images)["categorical"][:, 0]  # an unsupervised label
    ```
    """

    default_latent_distribution = "uniform"
    network_options = {
        "width": 64,
        "categorical_codes": (10,),
        "continuous_codes": 2,
        "continuous_std": "learned",
    }
    default_latent_dim = 62
    model_options = {"info_weight_categorical": 1.0, "info_weight_continuous": 0.1}
    presets = {
        "default": Preset(
            "The paper's networks at width 32 with the generator's weight average "
            "(ema_decay 0.999) and the DCGAN default preset's optimizers, Adam(beta_1=0.5, "
            "beta_2=0.99) at 2e-4 for D and Q and 1e-3 for G, batch 128: what the DCGAN "
            "recipe learned, not yet measured on InfoGAN itself (docs/zoo.md).",
            options=INFOGAN_DEFAULT_OPTIONS,
            compile=INFOGAN_DEFAULT_COMPILE,
            batch_size=INFOGAN_DEFAULT_BATCH,
        ),
        "paper": Preset(
            "Chen et al. 2016 (arXiv 1606.03657), Section 7 and Appendix C.1 (Table 1): the "
            "MNIST networks at width 64, z of size 62, one 10-way categorical and two "
            "continuous codes, lambda 1 (0.1 for the continuous codes, Section 6), Adam with "
            "beta_1 = 0.5 at 2e-4 for D and 1e-3 for G, batch 64.",
        ),
    }

    def _check_options(self):
        # Before the base class builds the networks from them.
        self.categorical_codes = _as_categorical_codes(self.categorical_codes)
        continuous = self.continuous_codes
        if (
            isinstance(continuous, bool)
            or not isinstance(continuous, (int, np.integer))
            or (continuous < 0)
        ):
            raise ValueError(
                f"continuous_codes must be a non-negative integer, got {continuous!r}."
            )
        self.continuous_codes = int(continuous)
        if not self.categorical_codes and not self.continuous_codes:
            raise ValueError(
                "InfoGAN needs at least one latent code: give categorical_codes (e.g. (10,)) "
                "or continuous_codes (e.g. 2). Without codes, use ganzoo.DCGAN."
            )
        if self.continuous_std not in ("learned", "fixed"):
            raise ValueError(
                f"continuous_std must be 'learned' or 'fixed', got {self.continuous_std!r}."
            )
        for name in ("info_weight_categorical", "info_weight_continuous"):
            weight = getattr(self, name)
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
                raise ValueError(f"{name} must be a number >= 0, got {weight!r}.")
            setattr(self, name, float(weight))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.info_loss_tracker = keras.metrics.Mean(name="info_loss")
        self.mi_categorical_tracker = keras.metrics.Mean(name="mi_categorical")

    # ------------------------------------------------------------------ codes
    @property
    def code_dim(self):
        """Width of the generator's `codes` input: sum(categorical_codes) + continuous_codes."""
        return sum(self.categorical_codes) + self.continuous_codes

    @property
    def q_dim(self):
        """Width of Q's output: categorical logits, continuous means (and log stds)."""
        per_code = 2 if self.continuous_std == "learned" else 1
        return sum(self.categorical_codes) + per_code * self.continuous_codes

    @property
    def categorical_entropy(self):
        """H(c) of the categorical codes in nats: the sum of ln K over the codes."""
        return float(sum(math.log(k) for k in self.categorical_codes))

    def split_codes(self, codes):
        """Splits a code vector `(batch, code_dim)` into `([one-hot blocks], continuous)`."""
        onehots, start = [], 0
        for categories in self.categorical_codes:
            onehots.append(codes[:, start : start + categories])
            start += categories
        return onehots, codes[:, start:]

    def split_q(self, q):
        """Splits Q's output into `([categorical logits], mean, log_std)`.

        With `continuous_std="fixed"`, `log_std` is zeros (unit standard deviations).
        """
        logits, start = [], 0
        for categories in self.categorical_codes:
            logits.append(q[:, start : start + categories])
            start += categories
        mean = q[:, start : start + self.continuous_codes]
        if self.continuous_std == "learned":
            log_std = q[:, start + self.continuous_codes :]
        else:
            log_std = ops.zeros_like(mean)
        return logits, mean, log_std

    def information_loss(self, codes, q):
        """The information terms of generated images, from their codes and Q's output.

        Returns a dict of scalar float32 tensors: `categorical` (CE summed over the
        categorical codes), `continuous` (the Gaussian NLL summed over the continuous codes)
        and `info_loss` = info_weight_categorical * categorical + info_weight_continuous *
        continuous, which InfoGAN adds to both D's and G's loss.
        """
        onehots, values = self.split_codes(codes)
        logits, mean, log_std = self.split_q(q)
        categorical = ops.convert_to_tensor(0.0, "float32")
        for onehot, code_logits in zip(onehots, logits):
            categorical = categorical + categorical_mutual_information_loss(onehot, code_logits)
        continuous = ops.convert_to_tensor(0.0, "float32")
        if self.continuous_codes:
            continuous = gaussian_mutual_information_loss(values, mean, log_std)
        info_loss = (
            self.info_weight_categorical * categorical + self.info_weight_continuous * continuous
        )
        return {"info_loss": info_loss, "categorical": categorical, "continuous": continuous}

    # ------------------------------------------------------------------ networks
    def build_networks(self):
        """The paper's MNIST networks (Table 1), scaled by `width`."""
        return (
            infogan_generator(self.latent_dim, self.code_dim, self.image_shape, self.width),
            infogan_discriminator(self.image_shape, self.q_dim, self.width),
        )

    def _latent_dim_of(self, generator):
        shape = generator.input_shape
        return (shape[0] if isinstance(shape, list) else shape)[-1]

    def _check_networks(self):
        inputs = self.generator.input_shape
        expected = [(None, self.latent_dim), (None, self.code_dim)]
        if not isinstance(inputs, list) or [tuple(s) for s in inputs] != expected:
            raise ValueError(
                "InfoGAN's generator takes two inputs, [noise (latent_dim,), codes "
                f"(code_dim,)] = {expected}, with code_dim = sum(categorical_codes) + "
                f"continuous_codes = {self.code_dim}; got input shapes {inputs}. Build it "
                "with ganzoo.networks.infogan.infogan_generator or pass matching "
                "latent_dim, categorical_codes and continuous_codes."
            )
        super()._check_networks()
        got_input = tuple(self.discriminator.input_shape[1:])
        outputs = self.discriminator.output_shape
        expected = [(None, 1), (None, self.q_dim)]
        if (
            got_input != self.image_shape
            or not isinstance(outputs, list)
            or [tuple(s) for s in outputs] != expected
        ):
            raise ValueError(
                "InfoGAN's discriminator maps images of shape "
                f"{self.image_shape} to two outputs, [logits, q] = {expected}, where q holds "
                f"{self.q_dim} values (categorical logits {list(self.categorical_codes)}, "
                f"{self.continuous_codes} continuous means"
                + (
                    f", {self.continuous_codes} log stds"
                    if self.continuous_std == "learned"
                    else ""
                )
                + f"); got input shape {got_input} and output shapes {outputs}. Build it "
                "with ganzoo.networks.infogan.infogan_discriminator."
            )

    # ------------------------------------------------------------------ hooks
    def sample_codes(self, n, seed=None):
        """Draws n code vectors from P(c): uniform one-hot blocks, then U[-1, 1] values."""
        seed = self._seed_stream(seed)
        blocks = [
            ops.one_hot(keras.random.randint((n,), 0, categories, seed=seed), categories)
            for categories in self.categorical_codes
        ]
        if self.continuous_codes:
            blocks.append(keras.random.uniform((n, self.continuous_codes), -1.0, 1.0, seed=seed))
        return ops.concatenate([ops.cast(b, "float32") for b in blocks], axis=-1)

    def sample_latent(self, n, condition=None, seed=None):
        """Returns the generator's inputs for n images: `[noise, codes]`.

        An integer `seed` makes both reproducible (they come from one seed stream, noise
        first); None draws fresh ones from the model's seed generator.
        """
        seed = self._seed_stream(seed)
        noise = self.sample_noise(n, seed=seed)
        return [noise, self.sample_codes(n, seed=seed)]

    def _seed_stream(self, seed):
        # An integer seed alone would give every draw the same random bits (keras turns it
        # into the stateless key [seed, 0]); a local SeedGenerator gives successive keys.
        if seed is None:
            return self.seed_generator
        if isinstance(seed, (int, np.integer)):
            return keras.random.SeedGenerator(int(seed))
        return seed

    def discriminate(self, images, condition=None, training=False):
        """Returns `(logits, q)`: D's logits and Q's outputs."""
        logits, q = self.discriminator(images, training=training)
        return logits, q

    def auxiliary_loss(self, latent, fake_q):
        """The weighted mutual-information loss of the codes in `latent = [noise, codes]`,
        added to both D/Q's and G's objectives; also logged (`info_loss`, `mi_categorical`).
        """
        info = self.information_loss(latent[1], fake_q)
        self.info_loss_tracker.update_state(info["info_loss"])
        self.mi_categorical_tracker.update_state(self.categorical_entropy - info["categorical"])
        return info["info_loss"]

    def default_optimizer(self, network="discriminator"):
        """The paper's Adam (Appendix C): learning rate 2e-4 for D (and Q), 1e-3 for G,
        beta_1 = 0.5 for both. `network` is "discriminator" or "generator"."""
        learning_rate = 1e-3 if network == "generator" else 2e-4
        return keras.optimizers.Adam(learning_rate=learning_rate, beta_1=0.5)

    @property
    def metrics(self):
        return super().metrics + [self.info_loss_tracker, self.mi_categorical_tracker]

    # ------------------------------------------------------------------ sampling
    def _columns(self, values, n, width, name):
        array = np.asarray(values)
        if array.ndim == 0:
            return np.broadcast_to(array, (n, width))
        if array.ndim == 1 and width == 1 and array.shape[0] == n:
            return array.reshape(n, 1)
        if array.shape != (n, width):
            one_column = f", ({n},)" if width == 1 else ""
            raise ValueError(
                f"Expected {name} of shape ({n}, {width}){one_column} or a single value for "
                f"all {n} images, got shape {array.shape}."
            )
        return array

    def make_codes(self, n, categorical=None, continuous=None, seed=None):
        """Returns code vectors `(n, code_dim)` (float32) from category indices and values.

        Args:
            n: number of code vectors.
            categorical: category indices: an integer (the same for all n), an array `(n,)`
                when there is one categorical code, or `(n, len(categorical_codes))`. None
                draws them from P(c).
            continuous: continuous code values (any real number; the prior is U[-1, 1]): a
                number, an array `(n,)` when there is one continuous code, or `(n,
                continuous_codes)`. None draws them from U[-1, 1].
            seed: an integer makes the drawn parts reproducible (the codes of
                `sample_latent(n, seed=seed)`).
        """
        n = int(n)
        codes = np.array(ops.convert_to_numpy(self.sample_latent(n, seed=seed)[1]), "float32")
        num_categorical = len(self.categorical_codes)
        if categorical is not None:
            if not num_categorical:
                raise ValueError("This InfoGAN has no categorical codes (categorical_codes=()).")
            indices = self._columns(categorical, n, num_categorical, "categorical indices")
            if indices.dtype.kind not in "iu":
                raise ValueError(
                    f"Categorical codes are integer category indices, got dtype {indices.dtype}."
                )
            start = 0
            for code, categories in enumerate(self.categorical_codes):
                column = indices[:, code]
                if column.min() < 0 or column.max() >= categories:
                    raise ValueError(
                        f"Categorical code {code} has {categories} categories (indices 0 to "
                        f"{categories - 1}), got indices from {column.min()} to "
                        f"{column.max()}."
                    )
                codes[:, start : start + categories] = np.eye(categories, dtype="float32")[column]
                start += categories
        if continuous is not None:
            if not self.continuous_codes:
                raise ValueError("This InfoGAN has no continuous codes (continuous_codes=0).")
            values = self._columns(continuous, n, self.continuous_codes, "continuous codes")
            try:
                values = values.astype("float32")
            except (TypeError, ValueError):
                raise ValueError(
                    f"Continuous codes must be numbers, got dtype {values.dtype}."
                ) from None
            if not np.all(np.isfinite(values)):
                raise ValueError("Continuous codes must be finite numbers.")
            codes[:, sum(self.categorical_codes) :] = values
        return codes

    def generate(self, n, codes=None, seed=None):
        """Returns n generated images in [-1, 1] as a float tensor.

        Args:
            n: number of images.
            codes: None (all codes drawn from their priors), or a dict with the keys
                "categorical" and/or "continuous", as in `make_codes`, e.g.
                `{"categorical": range(10)}` for one image per category with random
                continuous codes, or `{"categorical": 3, "continuous": [[0.5, -1.0]] * n}`.
                Codes left out are drawn from their priors.
            seed: an integer makes the images reproducible: the same seed and the same codes
                give the same images, and the noise does not depend on `codes`.
        """
        n = int(n)
        if codes is None:
            codes = {}
        if not isinstance(codes, dict) or set(codes) - {"categorical", "continuous"}:
            raise ValueError(
                "codes must be a dict with the keys 'categorical' (category indices) and/or "
                "'continuous' (values), e.g. {'categorical': range(10)}; got "
                f"{codes!r:.200}. To pass raw code vectors (batch, code_dim), call "
                "gan.generator([noise, codes])."
            )
        noise = self.sample_latent(n, seed=seed)[0]
        code_vectors = self.make_codes(n, seed=seed, **codes)
        return self.sampler([noise, ops.convert_to_tensor(code_vectors)], training=False)

    def predict_codes(self, images, batch_size=256):
        """Q's estimate of the codes of images (generated or real).

        Args:
            images: float images in [-1, 1], shape `(n,) + image_shape`.
            batch_size: images per forward pass.

        Returns:
            A dict of numpy arrays: "categorical", the most likely category of each
            categorical code (argmax of Q's logits), int64 `(n, len(categorical_codes))`;
            "continuous", Q's means of the continuous codes, float32 `(n,
            continuous_codes)`.
        """
        images = np.asarray(ops.convert_to_numpy(images))
        if images.ndim != 4 or tuple(images.shape[1:]) != self.image_shape:
            raise ValueError(
                f"Expected images of shape (n,) + {self.image_shape}, got shape {images.shape}."
            )
        categorical, continuous = [], []
        for start in range(0, len(images), int(batch_size)):
            q = self.discriminator(images[start : start + int(batch_size)], training=False)[1]
            logits, mean, _ = self.split_q(ops.cast(q, "float32"))
            categorical.append(
                np.stack([np.argmax(ops.convert_to_numpy(x), axis=-1) for x in logits], axis=-1)
                if logits
                else np.zeros((len(mean), 0), "int64")
            )
            continuous.append(ops.convert_to_numpy(mean))
        return {
            "categorical": np.concatenate(categorical).astype("int64"),
            "continuous": np.concatenate(continuous).astype("float32"),
        }

    def grid_latent(self, rows, cols, seed=0):
        """Generator inputs of a sample grid: row r shows category r (modulo its size) of
        the first categorical code; each column keeps its own noise and other codes, so a
        column shows one style through all categories. Without categorical codes, every
        cell is drawn independently."""
        if not self.categorical_codes:
            return super().grid_latent(rows, cols, seed=seed)
        noise, codes = (ops.convert_to_numpy(x) for x in self.sample_latent(cols, seed=seed))
        categories = self.categorical_codes[0]
        row_of = np.repeat(np.arange(rows), cols)
        noise, codes = np.tile(noise, (rows, 1)), np.tile(codes, (rows, 1))
        codes[:, :categories] = np.eye(categories, dtype=codes.dtype)[row_of % categories]
        return [ops.convert_to_tensor(noise), ops.convert_to_tensor(codes)]

    def traversal_latent(self, steps=10, code_index=0, seed=0):
        """Generator inputs of a latent traversal, as in the paper's Figure 2.

        Rows: the categories of the first categorical code (one row without categorical
        codes). Columns: continuous code `code_index` from -2 to 2 in `steps` steps; the
        other continuous codes are 0, the other categorical codes are fixed, and every cell
        has the same noise. Returns `[noise, codes]` of `rows * steps` images, row-major.
        """
        if not self.continuous_codes:
            raise ValueError("A latent traversal needs continuous codes (continuous_codes=0).")
        if int(code_index) != code_index or not 0 <= code_index < self.continuous_codes:
            raise ValueError(
                f"code_index must be an integer in [0, {self.continuous_codes - 1}] (the "
                f"continuous codes), got {code_index!r}."
            )
        if int(steps) != steps or steps < 1:
            raise ValueError(f"steps must be a positive integer, got {steps!r}.")
        steps = int(steps)
        rows = self.categorical_codes[0] if self.categorical_codes else 1
        noise, codes = (ops.convert_to_numpy(x) for x in self.sample_latent(1, seed=seed))
        noise, codes = np.repeat(noise, rows * steps, 0), np.repeat(codes, rows * steps, 0)
        offset = sum(self.categorical_codes)
        codes[:, offset:] = 0.0
        codes[:, offset + int(code_index)] = np.tile(np.linspace(-2.0, 2.0, steps), rows)
        if self.categorical_codes:
            categories = self.categorical_codes[0]
            codes[:, :categories] = np.eye(categories, dtype=codes.dtype)[
                np.repeat(np.arange(rows), steps)
            ]
        return [ops.convert_to_tensor(noise), ops.convert_to_tensor(codes)]
