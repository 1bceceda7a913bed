"""The adversarial base class, which is also Goodfellow et al.'s GAN."""

import copy
import dataclasses
import functools

import keras
import tensorflow as tf

from ganzoo import losses as losses_lib
from ganzoo import optimizers
from ganzoo.augment import check_policy, diff_augment
from ganzoo.models.preset import Preset, adam
from ganzoo.networks import mlp_discriminator, mlp_generator


def _batch_norms(layer):
    """The BatchNormalization layers of a layer: itself, or those inside it."""
    if isinstance(layer, keras.layers.BatchNormalization):
        return [layer]
    return [norm for inner in getattr(layer, "layers", ()) for norm in _batch_norms(inner)]


def _serialize(obj):
    return keras.saving.serialize_keras_object(obj)


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def _positive_int(name, value):
    if isinstance(value, bool) or not float(value) == int(value) or int(value) < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    return int(value)


def _zoo_card(name):
    # The card of a published generator called `name`, or None.
    from ganzoo.export import _read_card, _saved_models_dir

    return _read_card(_saved_models_dir() / name) or None


def _deserialize(obj):
    # Keras pops keys from the config it deserializes: give it a copy.
    if isinstance(obj, dict):
        return keras.saving.deserialize_keras_object(copy.deepcopy(obj))
    return obj


@keras.saving.register_keras_serializable(package="ganzoo")
class GAN(keras.Model):
    """Generative adversarial network (Goodfellow et al. 2014), and ganzoo's base class.

    G maps noise z ~ p_z to images; D maps images to a logit, the log-odds that the image is
    real. They play min_G max_D V(D, G) = E_x[log D(x)] + E_z[log(1 - D(G(z)))].

    Paper: Goodfellow et al., "Generative Adversarial Networks", arXiv 1406.2661.

    Training follows the paper's Algorithm 1: each `fit` step takes one batch of k * m real
    images (k = `d_steps`, m = batch_size // k). It cuts the batch into k consecutive slices
    of m images; the i-th discriminator update uses the i-th slice and m fresh noise vectors
    (any remainder of the division is not used). Then one generator update uses m fresh
    noise vectors. With `d_steps=1` (the paper's choice, and the default) every image of the
    batch trains D once.

    Subclasses change only what their paper changes, through these hooks:
    `unpack_batch` (what a dataset element holds), `sample_latent` (the generator's inputs),
    `discriminate` (what D sees), `discriminator_loss` / `generator_loss`, the default
    networks (`build_networks`) and the paper's optimizers (`default_optimizer`).

    Presets: every class has "default", its best configuration measured on this project's
    data, which the constructor and `compile()` use unless told otherwise, and "paper", its
    paper's configuration (`presets`; `ganzoo list` shows them). `preset=` or
    `from_preset(name)` picks one, also a published generator's name (its card's
    configuration); arguments given to the constructor or `compile` override the preset.

    Args:
        generator: a `keras.Model` from noise of shape `(latent_dim,)` to images. Built from
            `image_shape` when omitted.
        discriminator: a `keras.Model` from images to logits. Built when omitted.
        preset: the configuration the other options start from (see above); None is the
            class's "default".
        latent_dim: size of z, a positive integer; read from `generator` when one is given,
            else the preset's (100; InfoGAN 62).
        image_shape: `(height, width, channels)`; read from `generator` when omitted.
        d_steps: discriminator updates per generator update (k of Algorithm 1), a positive
            integer.
        latent_distribution: "normal" (N(0, 1)) or "uniform" (U[-1, 1]) noise.
        generator_units, discriminator_units, maxout_pieces, dropout: sizes of the default
            MLP networks, used only when a network is built here.
        generator_batch_norm: batch norm in the default generator's hidden layers (not in
            the paper; it keeps the MLP generator from collapsing under Adam on MNIST).
        ema_decay: beta in (0, 1), or None for none: keep an exponential moving average of
            the generator's weights in `ema_generator`, which `generate`, the sample
            callbacks, export and the zoo then use (`sampler`); saved with the model. After
            the t-th generator update (t = `g_optimizer.iterations`),
            w_ema <- beta_t * w_ema + (1 - beta_t) * w,  1 - beta_t = (1 - beta) / (1 - beta^t):
            the bias-corrected average (as Adam corrects its moments, arXiv 1412.6980,
            Section 3), so the first update copies w and the initial weights never linger.
            The average's batch-norm moving statistics are its own: after each average
            update it runs once in training mode on the step's noise, with its batch norms'
            momentum raised to beta^10 where that is higher (0.990 at beta = 0.999); the
            generator's statistics belong to other weights (docs/zoo.md measures the
            difference). Other non-trainable weights, and the statistics of batch norms
            frozen in the generator, are copied. Yazici et al., "The Unusual Effectiveness of
            Averaging in GAN Training", arXiv 1806.04498. A new compile (new optimizers)
            restarts the average.
        augment: DiffAugment policy, e.g. "color,translation,cutout": the same random,
            differentiable transformations of real and generated images before D sees
            them, in D's and G's updates (Zhao et al., "Differentiable Augmentation for
            Data-Efficient GAN Training", arXiv 2006.10738; `ganzoo.augment`). None: off.

    Example:
    ```python
    gan = ganzoo.GAN(image_shape=(28, 28, 1))
    gan.compile(loss="minimax")
    gan.fit(ganzoo.datasets.load("mnist", batch_size=64), epochs=10)
    images = gan.generate(16, seed=0)  # float32 in [-1, 1], shape (16, 28, 28, 1)
    ```
    """

    default_loss = "non_saturating"
    conditional = False  # True where training batches must carry labels
    default_latent_distribution = "normal"
    default_d_steps = 1
    label_smoothing = 0.0  # set by compile
    # Options of the default networks: constructor arguments (and config keys) of the class.
    network_options = {
        "generator_units": (256, 512, 1024),
        "discriminator_units": (256, 256),
        "maxout_pieces": 5,
        "dropout": 0.5,
        "generator_batch_norm": False,
    }

    # Options of the model itself (as opposed to its networks), with the paper's values:
    # subclasses add theirs (ACGAN's class_loss_weight, ...). Constructor arguments and config
    # keys, like the network options.
    model_options = {}

    default_latent_dim = 100
    # name -> Preset: "default" (the best measured configuration) and "paper" in every class.
    presets = {
        "default": Preset(
            "The best configuration measured on MNIST on 2 CPU cores (docs/zoo.md): the "
            "paper's MLP networks with batch norm in G's hidden layers, Adam(2e-4, "
            "beta_1=0.5) for both nets, batch 100.",
            options={"generator_batch_norm": True},
            compile={"d_optimizer": adam(2e-4, beta_1=0.5), "g_optimizer": adam(2e-4, beta_1=0.5)},
            batch_size=100,
        ),
        "paper": Preset(
            "Goodfellow et al. 2014 (arXiv 1406.2661), Section 5 and its pylearn2 code: MLP "
            "networks (G: ReLU layers of 256, 512 and 1024 units; D: maxout layers of 256 "
            "units with 5 pieces and dropout 0.5), k = 1 D step per G step, SGD with "
            "momentum 0.5 (at 0.01: the code's 0.1 diverged with Keras' initialisation), "
            "mini-batches of 100.",
            batch_size=100,
        ),
    }
    default_preset = "default"

    def __init__(self, generator=None, discriminator=None, *, preset=None, **kwargs):
        preset_name, preset = self.get_preset(self.default_preset if preset is None else preset)
        options = self.options()
        explicit = {key: kwargs.pop(key) for key in list(kwargs) if key in options}
        self._check_applicable(explicit, {**options, **preset.options, **explicit})
        options.update(preset.options)
        options.update(explicit)
        latent_dim, image_shape = kwargs.pop("latent_dim", None), kwargs.pop("image_shape", None)
        unknown = sorted(set(kwargs) - {"name", "dtype", "trainable"})
        if unknown:
            raise ValueError(
                f"{type(self).__name__} takes no option {', '.join(unknown)}; its options: "
                f"{', '.join(sorted({*options, 'image_shape', 'preset', 'name'}))}."
            )
        if latent_dim is None and "latent_dim" in explicit:
            latent_dim = explicit["latent_dim"]
        super().__init__(**kwargs)
        self.preset = preset_name
        self._preset = preset
        for key, value in options.items():
            if key != "latent_dim":
                setattr(self, key, tuple(value) if isinstance(value, list) else value)
        generator, discriminator = _deserialize(generator), _deserialize(discriminator)
        if latent_dim is None and generator is not None:
            latent_dim = self._latent_dim_of(generator)
        if latent_dim is None:
            latent_dim = options.get("latent_dim") or self.default_latent_dim
        if image_shape is None and generator is not None:
            image_shape = tuple(generator.output_shape[1:])
        if image_shape is None:
            raise ValueError(
                f"{type(self).__name__} needs `image_shape` to build its networks, e.g. "
                f"ganzoo.{type(self).__name__}(image_shape=(28, 28, 1)), or a `generator` "
                "model to read it from."
            )
        self.latent_dim = _positive_int("latent_dim", latent_dim)
        self.image_shape = tuple(_positive_int("image_shape", d) for d in image_shape)
        self.d_steps = _positive_int("d_steps", self.d_steps)
        if self.latent_distribution not in ("normal", "uniform"):
            raise ValueError(
                "latent_distribution must be 'normal' or 'uniform', got "
                f"{self.latent_distribution!r}."
            )
        augment = self.augment
        self.augment = check_policy(augment)
        if self.augment and len(self.image_shape) != 3:
            raise ValueError(
                f"DiffAugment (augment={augment!r}) transforms images of shape (height, width, "
                f"channels), but image_shape is {self.image_shape}: leave augment out."
            )
        ema_decay = self.ema_decay
        if ema_decay is not None and not (
            isinstance(ema_decay, (int, float)) and 0.0 < float(ema_decay) < 1.0
        ):
            raise ValueError(
                f"ema_decay must lie in (0, 1), e.g. 0.999, or be None; got {ema_decay!r}."
            )
        self.ema_decay = None if ema_decay is None else float(ema_decay)
        self._check_options()
        if generator is None or discriminator is None:
            default_generator, default_discriminator = self.build_networks()
            generator = generator or default_generator
            discriminator = discriminator or default_discriminator
        self.generator = generator
        self.discriminator = discriminator
        self._check_networks()
        self.ema_generator = None if self.ema_decay is None else self._clone_generator()
        # The noise of training and of unseeded `generate` calls: its start comes from
        # Python's `random`, which `keras.utils.set_random_seed` seeds, so runs are
        # reproducible and two models never share one noise stream by accident. Its state
        # is saved with the model and checkpoints, so a resumed run continues the stream.
        self.seed_generator = keras.random.SeedGenerator(name="latent_seed")
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_tracker = keras.metrics.Mean(name="d_real")
        self.d_fake_tracker = keras.metrics.Mean(name="d_fake")
        self.built = True

    # ------------------------------------------------------------------ presets
    @classmethod
    def options(cls):
        """Every constructor option of the class with the paper's value: `d_steps`,
        `latent_distribution`, `ema_decay`, `augment`, the network options and the model
        options. A preset overrides some of them; constructor arguments override both."""
        return {
            "latent_dim": None,
            "d_steps": cls.default_d_steps,
            "latent_distribution": cls.default_latent_distribution,
            "ema_decay": None,
            "augment": None,
            **cls.network_options,
            **cls.model_options,
        }

    @classmethod
    def applicable_options(cls, options):
        """The names of the options that apply to the networks these `options` build (all
        of them here; a class whose networks differ by an option narrows them)."""
        return set(cls.options())

    @classmethod
    def _check_applicable(cls, explicit, options):
        applicable = cls.applicable_options(options)
        refused = sorted(set(explicit) - applicable)
        if refused:
            raise ValueError(
                f"{cls.__name__}: {', '.join(refused)} does not apply to the networks these "
                f"options build; the options that do: {', '.join(sorted(applicable))}."
            )

    @classmethod
    def get_preset(cls, name):
        """Returns `(name, Preset)` for a preset of the class (`presets`: "default", the
        best measured configuration, and "paper") or a published generator's name in the
        zoo (the exact configuration its card records)."""
        if not isinstance(name, str):
            raise ValueError(f"preset must be a name, got {name!r}.")
        if name in cls.presets:
            return name, cls.presets[name]
        from ganzoo.models.preset import from_card

        card = _zoo_card(name)
        if card is None:
            raise ValueError(
                f"Unknown {cls.__name__} preset {name!r}. Presets: {', '.join(cls.presets)}, "
                "or the name of a published generator of this class (ganzoo zoo)."
            )
        if card.get("model") != cls.__name__:
            raise ValueError(
                f"The zoo's {name} is a {card.get('model')}, not a {cls.__name__}: use "
                f"ganzoo.{card.get('model')}.from_preset({name!r})."
            )
        zoo_preset, base = from_card(card)
        _, base_preset = cls.get_preset(base if base in cls.presets else "paper")
        options = {**base_preset.options, **zoo_preset.options}
        compile_options = {**base_preset.compile, **zoo_preset.compile}
        return name, dataclasses.replace(zoo_preset, options=options, compile=compile_options)

    @classmethod
    def from_preset(cls, preset, **kwargs):
        """Builds the class with a named configuration: "default" (the best measured, what
        the constructor uses), "paper", another of `presets`, or a published generator's
        name (its card's configuration, e.g. "dcgan_mnist"); `kwargs` override it.

        Example:
        ```python
        gan = ganzoo.DCGAN.from_preset("paper", image_shape=(28, 28, 1))
        gan.compile()  # the preset's optimizers
        ```
        """
        return cls(preset=preset, **kwargs)

    def _check_options(self):
        """Checks (and normalizes) the class's own options before the networks are built."""

    # ------------------------------------------------------------------ networks
    def build_networks(self):
        """Returns the default `(generator, discriminator)` for this class."""
        return (
            mlp_generator(
                self.latent_dim,
                self.image_shape,
                self.generator_units,
                batch_norm=self.generator_batch_norm,
            ),
            mlp_discriminator(
                self.image_shape, self.discriminator_units, self.maxout_pieces, self.dropout
            ),
        )

    def _clone_generator(self):
        clone = keras.models.clone_model(self.generator)
        # The average pairs the two weight lists in order: they must match one to one.
        if [w.shape for w in clone.weights] != [w.shape for w in self.generator.weights]:
            raise ValueError(
                "ema_decay needs a generator that keras.models.clone_model can copy; this "
                f"one ({type(self.generator).__name__}) cloned into other weights."
            )
        clone.set_weights(self.generator.get_weights())
        clone.trainable = False
        # Its batch-norm statistics come from its own pass each step (`_update_ema`): at
        # momentum beta^10 they average about a tenth of the weights' horizon, 100 steps at
        # beta = 0.999, rather than the layers' last few batches.
        for norm in _batch_norms(clone):
            norm.momentum = max(norm.momentum, self.ema_decay**10)
        return clone

    @property
    def sampler(self):
        """The network that makes images for `generate`, callbacks, export and the zoo: the
        weight average `ema_generator` when `ema_decay` is set, else `generator`."""
        return self.generator if self.ema_generator is None else self.ema_generator

    def _update_ema(self, latent):
        # The weights in cross-replica context, so that under a distribution strategy every
        # replica's copy of the average takes the same update; then the batch-norm
        # statistics by the average's own training-mode pass on `latent`, in each replica as
        # the generator's own (the average is not trainable: its batch norms are made so
        # for the pass only, which is all their training mode checks).
        beta = tf.constant(self.ema_decay, tf.float64)
        t = tf.cast(self.g_optimizer.iterations, tf.float64)
        decay64 = 1.0 - (1.0 - beta) / (1.0 - tf.pow(beta, tf.maximum(t, 1.0)))
        norms = [  # those the generator trains (a frozen one's statistics stay copied)
            norm
            for norm, twin in zip(_batch_norms(self.ema_generator), _batch_norms(self.generator))
            if twin.trainable
        ]
        own = {id(v) for norm in norms for v in (norm.moving_mean, norm.moving_variance)}
        pairs = [
            (ema, variable)
            for ema, variable in zip(self.ema_generator.weights, self.generator.weights)
            if id(ema) not in own
        ]

        def average(ema, value):
            decay = tf.cast(decay64, ema.dtype)
            return ema.assign(decay * ema + (1.0 - decay) * tf.cast(value, ema.dtype))

        def assign(ema, value):
            return ema.assign(tf.cast(value, ema.dtype))

        def update(strategy):
            for ema, variable in pairs:
                strategy.extended.update(
                    ema.value,
                    average if variable.trainable else assign,
                    args=(variable.value,),
                    group=False,
                )

        tf.__internal__.distribute.interim.maybe_merge_call(update, tf.distribute.get_strategy())
        if norms:
            for norm in norms:
                norm.trainable = True
            try:
                self.ema_generator(latent, training=True)
            finally:
                for norm in norms:
                    norm.trainable = False

    def _latent_dim_of(self, generator):
        shape = generator.input_shape
        if isinstance(shape, list):
            shape = shape[0]
        return shape[-1]

    def _check_networks(self):
        got = tuple(self.generator.output_shape[1:])
        if got != self.image_shape:
            raise ValueError(
                f"The generator outputs images of shape {got}, but image_shape is "
                f"{self.image_shape}. Pass matching networks or leave image_shape out."
            )
        if self._latent_dim_of(self.generator) != self.latent_dim:
            raise ValueError(
                f"The generator takes noise of size {self._latent_dim_of(self.generator)}, "
                f"but latent_dim is {self.latent_dim}. Pass matching values or leave "
                "latent_dim out."
            )

    # ------------------------------------------------------------------ hooks
    def unpack_batch(self, data):
        """Returns `(images, condition)` from a dataset element; `condition` is None here.

        An unconditional GAN accepts bare image batches and `(images, labels)` pairs, whose
        labels it ignores.
        """
        if isinstance(data, (tuple, list)):
            data = data[0]
        return data, None

    def sample_noise(self, n, seed=None):
        """Draws n noise vectors from p_z; an integer `seed` makes them reproducible."""
        seed = self.seed_generator if seed is None else seed
        shape = (n, self.latent_dim)
        if self.latent_distribution == "uniform":
            return keras.random.uniform(shape, -1.0, 1.0, seed=seed)
        return keras.random.normal(shape, seed=seed)

    def sample_latent(self, n, condition=None, seed=None):
        """Returns the generator's inputs for n images (here: noise alone)."""
        return self.sample_noise(n, seed=seed)

    def discriminate(self, images, condition=None, training=False):
        """Returns `(logits, auxiliary)`: D's logits for `images` (and the condition, in
        conditional models) and D's further outputs (None here; InfoGAN's Q head)."""
        return self.discriminator(images, training=training), None

    def auxiliary_loss(self, latent, fake_auxiliary):
        """A term added to both D's and G's objectives, from the generator inputs and D's
        auxiliary outputs on the images they made (None here; InfoGAN's mutual information).
        """
        return None

    def real_auxiliary_loss(self, condition, real_auxiliary):
        """A term added to D's objective from D's auxiliary outputs on real images and their
        condition (None here; ACGAN's class loss on real images)."""
        return None

    def discriminator_penalty(self, real, fake, condition):
        """A regularizer added to D's objective in each D update (None here; WGAN-GP's
        gradient penalty)."""
        return None

    def discriminator_loss(self, real_logits, fake_logits):
        return self.d_loss_fn(real_logits, fake_logits)

    def generator_loss(self, fake_logits):
        return self.g_loss_fn(fake_logits)

    def default_optimizer(self, network="discriminator"):
        """The paper's optimizer for `network` ("discriminator" or "generator"), a new
        instance per call.

        Goodfellow et al. trained with SGD and momentum (their pylearn2 code: learning rate
        0.1, momentum 0.5, small uniform initialisation and max-norm constraints). With
        Keras' Glorot initialisation that rate diverged here (NaN within one MNIST epoch),
        so the default is SGD(0.01, momentum=0.5). Adam(2e-4, beta_1=0.5) is the usual
        practical choice (`recipes/gan_mnist.py`).
        """
        return keras.optimizers.SGD(learning_rate=0.01, momentum=0.5)

    # ------------------------------------------------------------------ compile
    def compile(
        self,
        d_optimizer="auto",
        g_optimizer="auto",
        loss="auto",
        learning_rates=None,
        label_smoothing=0.0,
        **kwargs,
    ):
        """Configures the adversarial training.

        Args:
            d_optimizer, g_optimizer: optimizers (instances, names or configs); "auto" is
                the model's preset's (`ganzoo.<Class>.presets`; "default" unless the model
                was built with another), or the paper's (`default_optimizer`) where the
                preset names none.
            loss: "minimax", "non_saturating", "least_squares", "wasserstein", "hinge", a
                pair `(discriminator_loss(real_logits, fake_logits), generator_loss(
                fake_logits))`, or "auto": the preset's, else this class's paper's
                (`default_loss`).
            learning_rates: `(d_learning_rate, g_learning_rate)` set on the two optimizers:
                the two time-scale update rule (TTUR), e.g. (4e-4, 1e-4), a faster D
                (Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge to a
                Local Nash Equilibrium", arXiv 1706.08500). None keeps the optimizers' own.
            label_smoothing: one-sided label smoothing alpha: D's target for real images is
                1 - alpha, for fakes still 0 (Salimans et al., "Improved Techniques for
                Training GANs", arXiv 1606.03498, Section 3.4; 0.1 is usual). Only for the
                cross-entropy losses ("minimax", "non_saturating").
            **kwargs: passed on to `keras.Model.compile` (`jit_compile`,
                `steps_per_execution`, `run_eagerly`).

        A plain `keras.optimizers.Adam` runs as `ganzoo.optimizers.Adam`: the same
        algorithm, configuration and state, each variable updated by one fused kernel.

        Mixed precision: under `keras.mixed_precision.set_global_policy("mixed_float16")`
        (GPUs) both optimizers are wrapped in `keras.optimizers.LossScaleOptimizer`;
        "mixed_bfloat16" (CPUs, TPUs) needs no scaling. Either way D's logits are cast to
        float32 before the losses.
        """
        for key in ("optimizer", "metrics", "loss_weights", "weighted_metrics"):
            if key in kwargs:
                raise ValueError(
                    f"{type(self).__name__}.compile() takes no `{key}`: pass `d_optimizer`, "
                    "`g_optimizer` and `loss`."
                )
        d_optimizer, g_optimizer = (
            self._get_optimizer(d_optimizer, "discriminator"),
            self._get_optimizer(g_optimizer, "generator"),
        )
        if d_optimizer is g_optimizer:
            raise ValueError("D and G need separate optimizer instances.")
        if learning_rates is not None:
            learning_rates = _plain(learning_rates)
            if (
                not isinstance(learning_rates, list)
                or len(learning_rates) != 2
                or not all(isinstance(r, (int, float)) and r > 0 for r in learning_rates)
            ):
                raise ValueError(
                    "learning_rates must be two positive numbers (d_learning_rate, "
                    f"g_learning_rate), e.g. (4e-4, 1e-4); got {learning_rates!r}."
                )
            d_optimizer.learning_rate, g_optimizer.learning_rate = learning_rates
        if isinstance(loss, str) and loss == "auto":
            loss = self._preset.compile.get("loss", self.default_loss)
        loss_name = loss
        label_smoothing = float(label_smoothing)
        if not 0.0 <= label_smoothing < 1.0:
            raise ValueError(f"label_smoothing must lie in [0, 1), got {label_smoothing}.")
        if label_smoothing and loss_name not in ("minimax", "non_saturating"):
            raise ValueError(
                "label_smoothing applies to the cross-entropy losses ('minimax', "
                f"'non_saturating'), but the loss is {loss_name!r}."
            )
        self.label_smoothing = label_smoothing
        config_optimizers = (d_optimizer, g_optimizer)
        if self.dtype_policy.name == "mixed_float16":
            # float16 gradients underflow without loss scaling: both optimizers get it.
            d_optimizer, g_optimizer = (
                opt
                if isinstance(opt, keras.optimizers.LossScaleOptimizer)
                else keras.optimizers.LossScaleOptimizer(opt)
                for opt in (d_optimizer, g_optimizer)
            )
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
        self.loss_name = loss_name
        self.d_loss_fn, self.g_loss_fn = losses_lib.get(self.loss_name)
        if label_smoothing:
            self.d_loss_fn = functools.partial(self.d_loss_fn, label_smoothing=label_smoothing)
        super().compile(optimizer=None, loss=None, **kwargs)
        # Building now lets load_model and BackupAndRestore restore the optimizers' state.
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)
        self._gan_compile_config = {
            "d_optimizer": _serialize(config_optimizers[0]),
            "g_optimizer": _serialize(config_optimizers[1]),
            "loss": self.loss_name
            if isinstance(self.loss_name, str)
            else [_serialize(fn) for fn in self.loss_name],
            "learning_rates": learning_rates,
            "label_smoothing": label_smoothing,
            **kwargs,
        }

    def _get_optimizer(self, optimizer, network):
        if isinstance(optimizer, str) and optimizer == "auto":
            preset = self._preset.compile.get(
                "d_optimizer" if network == "discriminator" else "g_optimizer"
            )
            optimizer = self.default_optimizer(network) if preset is None else preset
        if not isinstance(optimizer, keras.optimizers.Optimizer):
            optimizer = keras.optimizers.get(copy.deepcopy(optimizer))
        return optimizers.fused(optimizer)

    def get_compile_config(self):
        return dict(getattr(self, "_gan_compile_config", {}))

    def compile_from_config(self, config):
        config = dict(config)
        if isinstance(config.get("loss"), list):
            config["loss"] = tuple(_deserialize(fn) for fn in config["loss"])
        self.compile(**config)

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker, self.d_real_tracker, self.d_fake_tracker]

    # ------------------------------------------------------------------ training
    def _check_images(self, images):
        got = tuple(images.shape[1:])
        if got != self.image_shape:
            raise ValueError(
                f"{type(self).__name__} was built for images of shape {self.image_shape}, "
                f"but the dataset gives batches of shape {tuple(images.shape)}. Resize the "
                "data (ganzoo.datasets.load(..., image_size=...)) or build the model with "
                f"image_shape={got}."
            )
        if images.dtype not in (tf.float16, tf.bfloat16, tf.float32, tf.float64):
            raise ValueError(
                f"Expected float images in [-1, 1], got dtype {images.dtype.name}. Scale "
                "uint8 images with ganzoo.datasets.load, or as images / 127.5 - 1."
            )

    def train_step(self, data):
        images, condition = self.unpack_batch(data)
        self._check_images(images)
        # Pixels outside [-1, 1] (images in [0, 255] as floats) would train silently on
        # garbage: stop with a message instead (one reduction per step). Only for images
        # (height, width, channels): other data, such as the testbed's 2-D points, is free.
        checks = []
        if len(self.image_shape) == 3:
            checks.append(self._pixels_in_range(images))
        with tf.control_dependencies(checks):
            images = tf.cast(images, self.compute_dtype)

        m = tf.shape(images)[0] // self.d_steps
        if self.d_steps > 1:
            with tf.control_dependencies(
                [
                    tf.debugging.assert_positive(
                        m,
                        message=f"{type(self).__name__}: d_steps={self.d_steps} needs batches "
                        f"of at least {self.d_steps} images (each D update takes "
                        "batch_size // d_steps of them); raise batch_size",
                    )
                ]
            ):
                m = tf.identity(m)
        for step in range(self.d_steps):
            real = images[step * m : (step + 1) * m]
            real_condition = None if condition is None else condition[step * m : (step + 1) * m]
            latent = self._replica_latent(m, real_condition)
            with tf.GradientTape() as tape:
                fake = self.generator(latent, training=True)
                real_logits, fake_logits, real_auxiliary, fake_auxiliary = self._discriminate_both(
                    real, fake, real_condition
                )
                d_loss = self.discriminator_loss(real_logits, fake_logits)
                objective = self._with_auxiliary(
                    d_loss,
                    latent,
                    fake_auxiliary,
                    self.real_auxiliary_loss(real_condition, real_auxiliary),
                    self.discriminator_penalty(real, fake, real_condition),
                )
            self._apply(self.d_optimizer, tape, objective, self.discriminator)
            self._track(d_loss, real_logits, fake_logits)

        fake_condition = None if condition is None else condition[:m]
        latent = self._replica_latent(m, fake_condition)
        with tf.GradientTape() as tape:
            fake = self.generator(latent, training=True)
            fake_logits, fake_auxiliary = self._discriminate32(fake, fake_condition)
            g_loss = self.generator_loss(fake_logits)
            objective = self._with_auxiliary(g_loss, latent, fake_auxiliary)
        self._apply(self.g_optimizer, tape, objective, self.generator)
        if self.ema_generator is not None:
            self._update_ema(latent)
        self.g_loss_tracker.update_state(g_loss)
        return self._logs()

    def _replica_latent(self, m, condition):
        return self._replica_draw(
            m, lambda n, gathered: self.sample_latent(n, condition=gathered), condition
        )

    def _replica_draw(self, m, draw, condition=None):
        # Random draws for m samples, `draw(n, condition)`. Under a distribution strategy
        # every replica holds the same seed state, so a plain draw would give all replicas
        # the same values. Each replica draws for the whole global batch instead (with the
        # global batch's conditions) and keeps its own slice: the replicas' values differ,
        # and a step on R replicas sees exactly the values of the same step on one device.
        replica = self._replica()
        if replica is None:
            return draw(m, condition)
        index, replicas = replica
        if condition is not None:
            condition = tf.distribute.get_replica_context().all_gather(condition, axis=0)
        values = draw(m * replicas, condition)
        return tf.nest.map_structure(lambda x: x[index * m : (index + 1) * m], values)

    @staticmethod
    def _replica():
        # (this replica's index, number of replicas) inside a distribution strategy's step
        # with several replicas; None on one device or outside a step.
        context = tf.distribute.get_replica_context()
        if context is None or context.num_replicas_in_sync == 1:
            return None
        return context.replica_id_in_sync_group, context.num_replicas_in_sync

    def _logs(self):
        logs = {metric.name: metric.result() for metric in self.metrics}
        strategy = tf.distribute.get_strategy()
        if (
            isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
            and strategy.extended._in_multi_worker_mode()
        ):
            # Keras averages the replicas' step logs with strategy.reduce(MEAN, axis=0),
            # which fails on scalars across workers (tensorflow issue 72388): give it shape
            # (1,), which it reduces to the scalar mean. Epoch logs come from the metrics.
            logs = {name: tf.reshape(value, [1]) for name, value in logs.items()}
        return logs

    def _pixels_in_range(self, images):
        return tf.debugging.assert_less_equal(
            tf.reduce_max(tf.abs(tf.cast(images, tf.float32))),
            1.0 + 1e-3,
            message=f"{type(self).__name__}: training images must be finite and lie in "
            "[-1, 1]; scale 0-255 pixels as images / 127.5 - 1 (ganzoo.datasets.load does)",
        )

    def _discriminate_both(self, real, fake, condition):
        # D's outputs on the real and the fake batch. Without batch norm in D each image's
        # output is the same whether the batches are seen apart or joined, and one call on
        # the joined batch is faster; batch norm's statistics would mix them, so a D with
        # batch norm sees them apart (the DCGAN paper's separate real and fake batches).
        if _batch_norms(self.discriminator):
            real_logits, real_auxiliary = self._discriminate32(real, condition)
            fake_logits, fake_auxiliary = self._discriminate32(fake, condition)
            return real_logits, fake_logits, real_auxiliary, fake_auxiliary
        m = tf.shape(real)[0]
        joined = None if condition is None else tf.concat([condition, condition], axis=0)
        logits, auxiliary = self._discriminate32(tf.concat([real, fake], axis=0), joined)
        real_auxiliary = fake_auxiliary = None
        if auxiliary is not None:
            real_auxiliary = tf.nest.map_structure(lambda x: x[:m], auxiliary)
            fake_auxiliary = tf.nest.map_structure(lambda x: x[m:], auxiliary)
        return logits[:m], logits[m:], real_auxiliary, fake_auxiliary

    def _discriminate32(self, images, condition):
        # Logits (and auxiliary outputs) in float32 under a mixed-precision policy, so that
        # the losses and their gradients are not computed in float16 / bfloat16. With a
        # DiffAugment policy, D sees the augmented images.
        logits, auxiliary = self.discriminate(self._augment(images), condition, training=True)
        if auxiliary is not None:
            auxiliary = tf.nest.map_structure(lambda x: tf.cast(x, tf.float32), auxiliary)
        return tf.cast(logits, tf.float32), auxiliary

    def _augment(self, images):
        # DiffAugment when on; each replica of a distribution strategy draws its own
        # transformations (they share the seed state).
        if not self.augment:
            return images
        return diff_augment(images, self.augment, seed=self.seed_generator, replica=self._replica())

    def _with_auxiliary(self, loss, latent, fake_auxiliary, *terms):
        # Scaled for the gradient: Keras sums gradients over replicas, so each replica's mean
        # loss is divided by their number.
        total = loss
        for term in (self.auxiliary_loss(latent, fake_auxiliary), *terms):
            if term is not None:
                total = total + term
        return total / tf.distribute.get_strategy().num_replicas_in_sync

    def _apply(self, optimizer, tape, objective, network):
        variables = network.trainable_variables
        if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
            # d(scale * objective) = scale * d(objective): the scaled gradients of float16
            # (the optimizer unscales them, skips non-finite steps and adapts the scale).
            scale = tf.cast(optimizer.scale_loss(tf.ones_like(objective)), objective.dtype)
            gradients = tape.gradient(objective, variables, output_gradients=scale)
        else:
            gradients = tape.gradient(objective, variables)
        optimizer.apply(gradients, variables)

    def _track(self, d_loss, real_logits, fake_logits, g_loss=None):
        self.d_loss_tracker.update_state(d_loss)
        self.d_real_tracker.update_state(tf.reduce_mean(tf.sigmoid(real_logits)))
        self.d_fake_tracker.update_state(tf.reduce_mean(tf.sigmoid(fake_logits)))
        if g_loss is not None:
            self.g_loss_tracker.update_state(g_loss)

    def test_step(self, data):
        images, condition = self.unpack_batch(data)
        self._check_images(images)
        latent = self.sample_latent(tf.shape(images)[0], condition=condition)
        fake = self.generator(latent, training=False)
        real_logits, real_auxiliary = self.discriminate(images, condition)
        fake_logits, fake_auxiliary = self.discriminate(fake, condition)
        self.auxiliary_loss(latent, fake_auxiliary)
        self.real_auxiliary_loss(condition, real_auxiliary)
        self._track(
            self.discriminator_loss(real_logits, fake_logits),
            real_logits,
            fake_logits,
            self.generator_loss(fake_logits),
        )
        return self._logs()

    def call(self, inputs, training=False):
        """Runs the generator: `gan(latent)` equals `gan.sampler(latent)` (the generator, or
        its weight average with `ema_decay`); `training=True` runs `gan.generator`."""
        return (self.generator if training else self.sampler)(inputs, training=training)

    # ------------------------------------------------------------------ sampling
    def generate(self, n, seed=None):
        """Returns n generated images in [-1, 1] as a float tensor.

        Args:
            n: number of images.
            seed: an integer makes the images reproducible (the same seed gives the same
                images); None draws fresh noise.
        """
        return self.sampler(self.sample_latent(int(n), seed=seed), training=False)

    def grid_latent(self, rows, cols, seed=0):
        """The generator inputs of a sample grid, row-major (see `callbacks.SampleGrid`)."""
        return self.sample_latent(rows * cols, seed=seed)

    # ------------------------------------------------------------------ config
    def get_config(self):
        options = {key: getattr(self, key) for key in self.options() if key != "latent_dim"}
        applicable = self.applicable_options(options)
        return {
            "name": self.name,
            "preset": self.preset,
            "generator": _serialize(self.generator),
            "discriminator": _serialize(self.discriminator),
            "latent_dim": self.latent_dim,
            "image_shape": list(self.image_shape),
            **{key: _plain(value) for key, value in options.items() if key in applicable},
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "preset" not in config:
            # Saved before presets: the class's defaults were the paper's, and options that
            # did not apply to the networks were saved too.
            config["preset"] = "paper"
            options = {**cls.options(), **config}
            applicable = cls.applicable_options(options)
            config = {
                key: value
                for key, value in config.items()
                if key not in cls.options() or key in applicable
            }
        return cls(**config)
