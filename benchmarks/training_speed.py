"""Training and sampling throughput of every model class, against a plain tf.function training
loop on the same networks and against this machine's matmul peak.

    python benchmarks/training_speed.py --out docs          # about 90 minutes on 2 cores
    python benchmarks/training_speed.py --quick --out /tmp  # a few minutes, fewer cases

Writes `<out>/benchmarks.json` and `<out>/benchmarks.md`. Every measurement runs in its own
process (so that its peak resident memory is its own, and one case cannot warm another).

- Training: images/s of `model.fit` for GAN (MLP), DCGAN, CGAN, LSGAN, InfoGAN, WGANGP,
  ACGAN and SNGAN at the recipes' (slim) networks (DCGAN: width 16 with hidden layers),
  and for a GAN with the TensorFlow-tutorial DCGAN networks (generator 2.33M parameters;
  layer for layer, with ganzoo's drop-in convolution and batch-norm layers), at
  batch 64, 128 and 256, on MNIST-shaped random data held in memory (so the input pipeline
  is not what is measured). Each case: 16 steps after the warm-up (tracing) time one step,
  then the median of `--repeats` epochs of about `--seconds` seconds each (a whole number of
  16-step blocks) after one more warm-up epoch.
  WGANGP's images/s count the critic's images: a fit batch feeds its five critic updates
  (one fifth each, with the gradient penalty) and one generator update.
- Reference: the same networks, losses, optimizers and noise trained by the loop users write
  from the TensorFlow/keras.io DCGAN examples: a `tf.function` step with two GradientTapes
  (D on real and fake, then G on fresh noise, as ganzoo's train_step) over the same
  `tf.data` pipeline, with Keras's own layers and optimizer: `keras.optimizers.Adam` and
  Keras's BatchNormalization and convolution computations, and Maxout units-major, the
  maximum over a last axis of `pieces` (ganzoo's kernels and layout are ganzoo's work,
  which the ratio measures). Ratio = ganzoo / reference.
- PyTorch (when installed: `pip install -e ".[bench]"`, the CPU build 2.13.0): the same
  networks translated layer for layer (`torch_network`, checked by parameter count and
  output shape) for GAN, DCGAN, LSGAN and the tutorial networks, trained by the same step
  in eager PyTorch (`torch_step`) on random tensors in memory.
- Targets (`TARGETS`), after the rest, in `--repeats` alternating rounds of the plain loop,
  ganzoo and PyTorch: GAN and DCGAN (1.3x) in their fastest setting at batch 128, at batch
  64 (the recipes') and 128; the tutorial networks (never below 1.0x) at the defaults, at
  batch 64, 128 and 256.
- FLOPs: counted by hand from the layers (`training_flops`: the multiply-accumulates of
  dense and convolution kernels, with G's 4 and D's 8 forward-equivalents per step; none
  for WGANGP, whose penalty differentiates D's input gradient);
  achieved GFLOP/s = FLOPs per image x images/s, against the median GFLOP/s of a 2048x2048
  float32 matmul. TensorFlow's profiler count of the step's graph is reported beside it: it
  charges transposed convolutions (and convolutions' input gradients) at every output
  position, up to 4x the work for stride 2, so it can exceed the peak.
- Options: each model at batch 128 with `steps_per_execution`, `jit_compile` (XLA), both,
  the `mixed_bfloat16` policy (alone and with `steps_per_execution`; on a CPU without
  bfloat16 units only for GAN, DCGAN and CGAN), one intra-op thread, and what ganzoo's
  kernels give: each switched back to Keras's computation (Keras's Adam update;
  Keras's BatchNormalization and Keras's convolutions, for the models with image layers;
  Maxout's maximum over a last axis of `pieces`, as users write it, for the models with
  Maxout layers).
- Sampling: images/s at batch 64 of the shipped dcgan_mnist generator from its .keras file,
  its SavedModel and each TFLite file (`ganzoo.load_generator`).
"""

import argparse
import json
import math
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

SHAPE = (28, 28, 1)
MODELS = ("GAN", "DCGAN", "CGAN", "LSGAN", "InfoGAN", "WGANGP", "ACGAN", "SNGAN", "tutorial")
# Models with a plain loop beside them (the others' steps are the papers' own).
REFERENCE_MODELS = ("GAN", "DCGAN", "CGAN", "LSGAN", "tutorial")
# Models whose networks `torch_network` translates (chains of layers, one input).
TORCH_MODELS = ("GAN", "DCGAN", "LSGAN", "tutorial")
# The targets, re-measured in alternating rounds (plain loop, ganzoo, PyTorch) so
# that drifts of the machine cancel: model -> (the ratio to reach, the setting, batches).
# The slim models: 1.3x in their fastest setting at the recipes' batch 64 and at 128; the
# tutorial size: never below 1.0x, at the defaults and every batch.
TARGETS = {
    "GAN": (1.3, "fastest", (64, 128)),
    "DCGAN": (1.3, "fastest", (64, 128)),
    "tutorial": (1.0, "default", (64, 128, 256)),
}
CONDITIONAL = ("CGAN", "ACGAN")
CALIBRATION_STEPS = 16
BATCHES = (64, 128, 256)
OPTION_KEYS = (
    "steps_per_execution",
    "jit_compile",
    "policy",
    "intra_op_threads",
    "keras_adam",
    "keras_batch_norm",
    "keras_convolutions",
    "units_major_maxout",
)
OPTIONS = {
    "steps_per_execution=16": {"steps_per_execution": 16},
    "jit_compile": {"jit_compile": True},
    "steps_per_execution=16 + jit_compile": {"steps_per_execution": 16, "jit_compile": True},
    "mixed_bfloat16": {"policy": "mixed_bfloat16"},
    "mixed_bfloat16 + steps_per_execution=16": {
        "policy": "mixed_bfloat16",
        "steps_per_execution": 16,
    },
    "1 intra-op thread": {"intra_op_threads": 1},
    # What ganzoo's kernels give, by switching each back to Keras's own computation.
    "Keras's Adam update": {"keras_adam": True},
    "Keras's BatchNormalization": {"keras_batch_norm": True},
    "Keras's convolutions": {"keras_convolutions": True},
    "units-major Maxout": {"units_major_maxout": True},
}
# Models whose networks hold ganzoo's image layers (4-D batch normalization, convolutions to
# and from an image's channels), and those whose discriminators hold Maxout layers.
IMAGE_LAYER_MODELS = ("DCGAN", "CGAN", "LSGAN", "InfoGAN", "WGANGP", "ACGAN", "SNGAN", "tutorial")
MAXOUT_MODELS = ("GAN", "CGAN", "ACGAN")
# The ablations, each with the models it applies to.
ABLATIONS = {
    "Keras's Adam update": MODELS,
    "Keras's BatchNormalization": IMAGE_LAYER_MODELS,
    "Keras's convolutions": IMAGE_LAYER_MODELS,
    "units-major Maxout": MAXOUT_MODELS,
}


def has_torch():
    """Whether PyTorch is installed (the optional `bench` extra)."""
    import importlib.util

    return importlib.util.find_spec("torch") is not None


def cpu_has_bfloat16():
    """Whether this CPU multiplies bfloat16 in hardware (AVX512-BF16 or AMX), from the Linux
    CPU flags; without it TensorFlow emulates bfloat16 convolutions, about 10x slower."""
    try:
        flags = Path("/proc/cpuinfo").read_text().split()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


# ---------------------------------------------------------------------- the networks
def tutorial_networks(keras, ganzoo, latent_dim=100):
    """The generator and discriminator of the TensorFlow DCGAN tutorial (MNIST), layer for
    layer, with ganzoo's drop-in Conv2D, Conv2DTranspose and BatchNormalization (Keras's
    layers with ganzoo's training kernels; the same weights and outputs)."""
    layers, nets = keras.layers, ganzoo.networks
    generator = keras.Sequential(
        [
            keras.Input((latent_dim,)),
            layers.Dense(7 * 7 * 256, use_bias=False),
            nets.BatchNormalization(),
            layers.LeakyReLU(),
            layers.Reshape((7, 7, 256)),
            nets.Conv2DTranspose(128, 5, strides=1, padding="same", use_bias=False),
            nets.BatchNormalization(),
            layers.LeakyReLU(),
            nets.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False),
            nets.BatchNormalization(),
            layers.LeakyReLU(),
            nets.Conv2DTranspose(1, 5, strides=2, padding="same", use_bias=False),
            layers.Activation("tanh"),
        ],
        name="generator",
    )
    discriminator = keras.Sequential(
        [
            keras.Input(SHAPE),
            nets.Conv2D(64, 5, strides=2, padding="same"),
            layers.LeakyReLU(),
            layers.Dropout(0.3),
            nets.Conv2D(128, 5, strides=2, padding="same"),
            layers.LeakyReLU(),
            layers.Dropout(0.3),
            layers.Flatten(),
            layers.Dense(1),
        ],
        name="discriminator",
    )
    return generator, discriminator


def build(model, keras, ganzoo):
    """The model as its recipe builds it (tutorial: a GAN with the tutorial's networks)."""
    if model == "GAN":
        gan = ganzoo.GAN(image_shape=SHAPE, latent_dim=100, generator_batch_norm=True)
    elif model == "DCGAN":
        gan = ganzoo.DCGAN(
            image_shape=SHAPE,
            latent_dim=100,
            width=16,
            generator_hidden_units=256,
            discriminator_hidden_units=256,
        )
    elif model == "CGAN":
        gan = ganzoo.CGAN(
            image_shape=SHAPE, latent_dim=100, num_classes=10, network="dcgan", width=32
        )
    elif model == "LSGAN":
        gan = ganzoo.LSGAN(image_shape=SHAPE, latent_dim=100, width=32, coding=(0, 1, 1))
    elif model == "InfoGAN":
        gan = ganzoo.InfoGAN(
            image_shape=SHAPE, latent_dim=62, width=16, categorical_codes=(10,), continuous_codes=2
        )
    elif model == "WGANGP":
        gan = ganzoo.WGANGP(image_shape=SHAPE, latent_dim=100, width=32)
    elif model == "ACGAN":
        gan = ganzoo.ACGAN(image_shape=SHAPE, latent_dim=100, num_classes=10, width=32)
    elif model == "SNGAN":
        gan = ganzoo.SNGAN(image_shape=SHAPE, latent_dim=100, width=32)
    elif model == "tutorial":
        gan = ganzoo.GAN(*tutorial_networks(keras, ganzoo))
    else:
        raise ValueError(f"Unknown model {model!r}; choose from {MODELS}.")
    return gan


def adam(keras, model):
    rate = 1e-4 if model == "tutorial" else 2e-4
    return keras.optimizers.Adam(rate, beta_1=0.5)


# ---------------------------------------------------------------------- one measurement
def dataset(tf, batch_size, conditional, seed=0):
    """Random MNIST-shaped images in [-1, 1] (and labels), in memory, repeated."""
    images = tf.random.stateless_uniform((2048, *SHAPE), (seed, 0), -1.0, 1.0)
    labels = tf.random.stateless_uniform((2048,), (seed, 1), 0, 10, dtype=tf.int32)
    data = tf.data.Dataset.from_tensor_slices((images, labels) if conditional else images)
    return data.repeat().batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)


def reference_step(tf, keras, gan, model):
    """The plain loop's step: two GradientTapes in one tf.function, as users write it."""
    generator, discriminator = gan.generator, gan.discriminator
    d_optimizer, g_optimizer = adam(keras, model), adam(keras, model)
    d_optimizer.build(discriminator.trainable_variables)
    g_optimizer.build(generator.trainable_variables)
    cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)
    uniform = getattr(gan, "latent_distribution", "normal") == "uniform"
    conditional = model == "CGAN"

    def d_loss_fn(real, fake):
        if model == "LSGAN":  # coding (a, b, c) = (0, 1, 1)
            return 0.5 * tf.reduce_mean(tf.square(real - 1)) + 0.5 * tf.reduce_mean(tf.square(fake))
        return cross_entropy(tf.ones_like(real), real) + cross_entropy(tf.zeros_like(fake), fake)

    def g_loss_fn(fake):
        if model == "LSGAN":
            return 0.5 * tf.reduce_mean(tf.square(fake - 1))
        return cross_entropy(tf.ones_like(fake), fake)

    def noise(n):
        shape = (n, gan.latent_dim)
        return tf.random.uniform(shape, -1.0, 1.0) if uniform else tf.random.normal(shape)

    @tf.function
    def step(batch):
        images, labels = batch if conditional else (batch, None)
        n = tf.shape(images)[0]

        def generate(z):
            return generator([z, labels] if conditional else z, training=True)

        def discriminate(x):
            return discriminator([x, labels] if conditional else x, training=True)

        with tf.GradientTape() as tape:
            d_loss = d_loss_fn(discriminate(images), discriminate(generate(noise(n))))
        variables = discriminator.trainable_variables
        d_optimizer.apply_gradients(zip(tape.gradient(d_loss, variables), variables))
        with tf.GradientTape() as tape:
            g_loss = g_loss_fn(discriminate(generate(noise(n))))
        variables = generator.trainable_variables
        g_optimizer.apply_gradients(zip(tape.gradient(g_loss, variables), variables))
        return d_loss, g_loss

    return step


def torch_network(keras, network):
    """The same network in PyTorch (NCHW): a Keras functional chain of Dense, Maxout,
    Conv2D / Conv2DTranspose with "same" padding, BatchNormalization, activations, Dropout,
    Reshape and Flatten, layer for layer with the same shapes (PyTorch's own initializers:
    speed does not depend on them)."""
    import torch
    from torch import nn

    from ganzoo.networks.layers import Maxout

    class MaxoutModule(nn.Module):
        def __init__(self, features, units, pieces):
            super().__init__()
            self.linear, self.units, self.pieces = (
                nn.Linear(features, units * pieces),
                units,
                pieces,
            )

        def forward(self, x):
            return self.linear(x).view(-1, self.units, self.pieces).amax(-1)

    class Reshape(nn.Module):
        def __init__(self, shape):
            super().__init__()
            self.shape = shape

        def forward(self, x):
            return x.reshape(x.shape[0], *self.shape)

    activations = {
        "relu": nn.ReLU,
        "tanh": nn.Tanh,
        "sigmoid": nn.Sigmoid,
        "linear": None,
        None: None,
    }

    def channels_first(shape):  # (height, width, channels) -> (channels, height, width)
        shape = tuple(shape)
        return (shape[-1], *shape[:-1]) if len(shape) == 3 else shape

    modules, previous, first = [], None, None
    for layer in network.layers:
        if isinstance(layer, keras.layers.InputLayer):
            previous = layer.output
            continue
        if previous is not None and layer.input is not previous:
            raise ValueError(f"{network.name} is not a chain of layers at {layer.name}.")
        first, previous = first or layer, layer.output
        config, shape_in = layer.get_config(), layer.input.shape
        activation = config.get("activation")
        if isinstance(layer, Maxout):
            modules.append(MaxoutModule(shape_in[-1], layer.units, layer.pieces))
        elif isinstance(layer, keras.layers.Dense):
            modules.append(nn.Linear(shape_in[-1], layer.units, bias=layer.use_bias))
        elif isinstance(layer, (keras.layers.Conv2D, keras.layers.Conv2DTranspose)):
            if layer.padding != "same":
                raise ValueError(f"{layer.name}: only 'same' padding is translated.")
            (k, _), (s, _) = layer.kernel_size, layer.strides
            if isinstance(layer, keras.layers.Conv2DTranspose):
                pad = (k - s + 1) // 2
                extra = layer.output.shape[1] - ((shape_in[1] - 1) * s - 2 * pad + k)
                conv = nn.ConvTranspose2d(
                    shape_in[-1], layer.filters, k, s, pad, extra, bias=layer.use_bias
                )
            else:
                conv = nn.Conv2d(shape_in[-1], layer.filters, k, s, k // 2, bias=layer.use_bias)
            modules.append(conv)
        elif isinstance(layer, keras.layers.BatchNormalization):
            norm = nn.BatchNorm2d if len(shape_in) == 4 else nn.BatchNorm1d
            modules.append(norm(shape_in[-1], eps=layer.epsilon, momentum=1 - layer.momentum))
            activation = None
        elif isinstance(layer, keras.layers.ReLU):
            modules.append(nn.ReLU())
        elif isinstance(layer, keras.layers.LeakyReLU):
            modules.append(nn.LeakyReLU(layer.negative_slope))
        elif isinstance(layer, keras.layers.Activation):
            activation = config["activation"]
        elif isinstance(layer, keras.layers.Dropout):
            modules.append(nn.Dropout(layer.rate))
        elif isinstance(layer, keras.layers.Reshape):
            modules.append(Reshape(channels_first(layer.target_shape)))
        elif isinstance(layer, keras.layers.Flatten):
            modules.append(nn.Flatten())
        else:
            raise TypeError(f"{layer.name}: no PyTorch translation of {type(layer).__name__}.")
        if activations[activation] is not None:
            modules.append(activations[activation]())
    translated = nn.Sequential(*modules)
    trainable = sum(math.prod(v.shape) for v in network.trainable_variables)
    with torch.no_grad():
        out = translated.eval()(torch.zeros(2, *channels_first(first.input.shape[1:])))
    if sum(p.numel() for p in translated.parameters()) != trainable or tuple(
        out.shape[1:]
    ) != channels_first(previous.shape[1:]):
        raise ValueError(f"{network.name}: the PyTorch network's parameters or shapes differ.")
    return translated


def torch_step(keras, gan, model):
    """The reference step in PyTorch (eager, CPU build): the same networks, losses, Adam
    settings and fresh noise for each net's update; D's parameters stop collecting gradients
    during G's update, as careful PyTorch code does."""
    import torch

    generator = torch_network(keras, gan.generator).train()
    discriminator = torch_network(keras, gan.discriminator).train()
    rate = 1e-4 if model == "tutorial" else 2e-4
    d_optimizer, g_optimizer = (
        torch.optim.Adam(net.parameters(), rate, betas=(0.5, 0.999), eps=1e-7)
        for net in (discriminator, generator)
    )
    uniform = getattr(gan, "latent_distribution", "normal") == "uniform"
    bce = torch.nn.functional.binary_cross_entropy_with_logits

    def d_loss_fn(real, fake):
        if model == "LSGAN":  # coding (a, b, c) = (0, 1, 1)
            return 0.5 * (real - 1).square().mean() + 0.5 * fake.square().mean()
        return bce(real, torch.ones_like(real)) + bce(fake, torch.zeros_like(fake))

    def g_loss_fn(fake):
        if model == "LSGAN":
            return 0.5 * (fake - 1).square().mean()
        return bce(fake, torch.ones_like(fake))

    def noise(n):
        z = torch.empty(n, gan.latent_dim)
        return z.uniform_(-1.0, 1.0) if uniform else z.normal_()

    def step(images):
        n = images.shape[0]
        with torch.no_grad():
            fake = generator(noise(n))
        d_optimizer.zero_grad(set_to_none=True)
        d_loss = d_loss_fn(discriminator(images), discriminator(fake))
        d_loss.backward()
        d_optimizer.step()
        discriminator.requires_grad_(False)
        g_optimizer.zero_grad(set_to_none=True)
        g_loss = g_loss_fn(discriminator(generator(noise(n))))
        g_loss.backward()
        g_optimizer.step()
        discriminator.requires_grad_(True)
        return d_loss, g_loss

    return step


def network_macs(keras, network):
    """Multiply-accumulates of one forward pass per image: dense kernels (also inside custom
    layers such as Maxout), convolutions at their output positions and transposed
    convolutions at their input positions (the taps that touch data)."""
    layers = list(network._flatten_layers(include_self=False, recursive=True))
    # A wrapper (SpectralNormalization) runs its layer's kernel inside its own call: the
    # wrapper has the shapes, the wrapped layer only the kernel.
    wrapped = {id(layer.layer) for layer in layers if isinstance(layer, keras.layers.Wrapper)}
    macs = 0
    for layer in layers:
        inner = layer.layer if isinstance(layer, keras.layers.Wrapper) else layer
        kernel = getattr(inner, "kernel", None)
        if kernel is None or id(layer) in wrapped:
            continue
        taps = 1
        for dim in kernel.shape:
            taps *= int(dim)
        if isinstance(inner, keras.layers.Conv2DTranspose):
            taps *= int(layer.input.shape[1]) * int(layer.input.shape[2])
        elif isinstance(inner, keras.layers.Conv2D):
            taps *= int(layer.output.shape[1]) * int(layer.output.shape[2])
        macs += taps
    return macs


def training_flops(keras, gan):
    """FLOPs per image of one training step by hand: 2 FLOPs per MAC, and per step G runs
    4 forward-equivalents (forward in D's step; forward and a backward of twice its cost in
    G's step) and D 8 (real and fake forward and backward in D's step; forward and the
    input gradients in G's step). None for a model with several D steps or a gradient
    penalty (WGANGP), which this count does not describe."""
    if gan.d_steps != 1 or hasattr(gan, "gradient_penalty_weight"):
        return None
    return 2 * (4 * network_macs(keras, gan.generator) + 8 * network_macs(keras, gan.discriminator))


def count_flops(tf, function, spec):
    graph = function.get_concrete_function(spec).graph
    options = tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()
    options["output"] = "none"
    return tf.compat.v1.profiler.profile(graph=graph, options=options).total_float_ops


def measure_training(case):
    import tensorflow as tf

    if case.get("intra_op_threads"):
        tf.config.threading.set_intra_op_parallelism_threads(case["intra_op_threads"])
    import keras

    import ganzoo

    # The plain loop trains the networks as users build them with Keras's layers, whose
    # BatchNormalization is not fused; the ablations switch ganzoo's kernels off.
    if case.get("keras_batch_norm") or case["loop"] == "reference":
        ganzoo.networks.BatchNormalization.call = keras.layers.BatchNormalization.call
    if case.get("keras_convolutions") or case["loop"] == "reference":
        ganzoo.networks.Conv2D.call = keras.layers.Conv2D.call
        ganzoo.networks.Conv2DTranspose.call = keras.layers.Conv2DTranspose.call
    if case.get("keras_adam"):
        ganzoo.optimizers.Adam.update_step = keras.optimizers.Adam.update_step
    if case.get("policy"):
        keras.mixed_precision.set_global_policy(case["policy"])
    keras.utils.set_random_seed(0)
    model, batch_size = case["model"], case["batch_size"]
    gan = build(model, keras, ganzoo)
    # Maxout as users write it (the maximum over a last axis of `pieces`) for the plain loop.
    if case.get("units_major_maxout") or case["loop"] == "reference":
        for layer in gan.discriminator._flatten_layers():
            if isinstance(layer, ganzoo.networks.Maxout):
                layer.layout = "units_major"
    conditional = model in CONDITIONAL
    data = dataset(tf, batch_size, conditional)
    calibration, times = CALIBRATION_STEPS, []
    if case["loop"] == "ganzoo":
        options = {k: case[k] for k in ("steps_per_execution", "jit_compile") if k in case}
        gan.compile(d_optimizer=adam(keras, model), g_optimizer=adam(keras, model), **options)

        class Timer(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                self.start = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                times.append(time.perf_counter() - self.start)

        def epochs(count, steps):
            # A fit call's first epoch also sets up its data iterator: timed epochs follow it.
            times.clear()
            gan.fit(data, epochs=count + 1, steps_per_epoch=steps, verbose=0, callbacks=[Timer()])
            return times[1:]

        step = tf.function(gan.train_step)
    elif case["loop"] == "pytorch":
        import torch

        step = torch_step(keras, gan, model)
        pool = torch.rand(2048 // batch_size * batch_size, SHAPE[2], *SHAPE[:2]) * 2 - 1
        batches = pool.split(batch_size)

        def epochs(count, steps):
            times.clear()
            for _ in range(count + 1):
                start = time.perf_counter()
                for i in range(steps):
                    losses = step(batches[i % len(batches)])
                float(losses[0])
                times.append(time.perf_counter() - start)
            return times[1:]

    else:
        step = reference_step(tf, keras, gan, model)
        iterator = iter(data)

        def epochs(count, steps):
            times.clear()
            for _ in range(count + 1):
                start = time.perf_counter()
                for _ in range(steps):
                    losses = step(next(iterator))
                float(losses[0])  # wait for the last step
                times.append(time.perf_counter() - start)
            return times[1:]

    # Timed epochs of about `seconds` each: a short epoch would weigh the per-epoch costs
    # (the fit call's callbacks and its asynchronous log handling) in, which the fast models
    # feel most. Steps are a multiple of the calibration's 16 (steps_per_execution=16).
    per_step = epochs(1, calibration)[0] / calibration
    steps = calibration * max(1, math.ceil(case["seconds"] / per_step / calibration))
    seconds = epochs(case["repeats"], steps)
    rates = [steps * batch_size / s for s in seconds]
    result = {
        "images_per_second": statistics.median(rates),
        "images_per_second_runs": [round(r, 1) for r in rates],
        "steps_per_repeat": steps,
        "generator_parameters": gan.generator.count_params(),
        "discriminator_parameters": gan.discriminator.count_params(),
    }
    if case["option"] == "default" and case["loop"] != "pytorch":  # the profiler's count
        images_spec = tf.TensorSpec((batch_size, *SHAPE), tf.float32)
        spec = (images_spec, tf.TensorSpec((batch_size,), tf.int32)) if conditional else images_spec
        result["flops_per_image"] = count_flops(tf, step, spec) / batch_size
    return result


def measure_matmul(case):
    import tensorflow as tf

    n = 2048
    a = tf.random.normal((n, n))
    b = tf.random.normal((n, n))
    matmul = tf.function(lambda x, y: tf.matmul(x, y))
    float(tf.reduce_sum(matmul(a, b)))
    rates = []
    for _ in range(case["repeats"] * 5):
        start = time.perf_counter()
        float(matmul(a, b)[0, 0])
        rates.append(2 * n**3 / (time.perf_counter() - start) / 1e9)
    return {"gflops": statistics.median(rates), "gflops_runs": [round(r, 1) for r in rates]}


def measure_sampling(case):
    import numpy as np

    import ganzoo

    generator = ganzoo.load_generator(case["path"])
    latent = generator.sample_latent(case["batch_size"], seed=0)
    generator(latent)  # warm up
    rates = []
    for _ in range(case["repeats"] * 5):
        start = time.perf_counter()
        np.asarray(generator(latent))
        rates.append(case["batch_size"] / (time.perf_counter() - start))
    return {"images_per_second": statistics.median(rates)}


def worker(case):
    result = {
        "training": measure_training,
        "matmul": measure_matmul,
        "sampling": measure_sampling,
    }[case["kind"]](case)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print("RESULT " + json.dumps(result))


def run_case(case, timeout):
    """Runs one case in a fresh process; returns the case with its results (or its error)."""
    started = time.perf_counter()
    try:
        process = subprocess.run(
            [sys.executable, __file__, "--worker", json.dumps(case)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        lines = [line for line in process.stdout.splitlines() if line.startswith("RESULT ")]
        if process.returncode or not lines:
            result = {"error": (process.stderr or process.stdout)[-1500:]}
        else:
            result = json.loads(lines[-1][len("RESULT ") :])
    except subprocess.TimeoutExpired:
        result = {"error": f"timed out after {timeout} s"}
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    return {**case, **result}


# ---------------------------------------------------------------------- the report
def cases(args):
    base = {"kind": "training", "repeats": args.repeats}
    models = args.models or (("DCGAN", "GAN", "tutorial") if args.quick else MODELS)
    batches = (128,) if args.quick else BATCHES
    bfloat16, torch = cpu_has_bfloat16(), has_torch()
    for model in models:
        for batch_size in batches:
            case = {**base, "model": model, "batch_size": batch_size, "seconds": args.seconds}
            yield {**case, "loop": "ganzoo", "option": "default"}
            if model in REFERENCE_MODELS:
                yield {**case, "loop": "reference", "option": "default"}
            if model in TORCH_MODELS and torch:
                yield {**case, "loop": "pytorch", "option": "default"}
    for model in models:
        for option, settings in OPTIONS.items():
            if args.quick and option not in ("steps_per_execution=16", "jit_compile"):
                continue
            if "bfloat16" in option and not bfloat16 and model not in ("GAN", "DCGAN", "CGAN"):
                continue  # ~10x slower for convolutions on CPUs without bfloat16 units
            if model not in ABLATIONS.get(option, MODELS):
                continue
            yield {
                **base,
                "model": model,
                "batch_size": 128,
                "seconds": args.seconds,
                "loop": "ganzoo",
                "option": option,
                **settings,
            }
    if args.models:
        return  # only these models' training figures are re-measured
    yield {"kind": "matmul", "repeats": args.repeats}
    shipped = Path(args.saved_models) / "dcgan_mnist"
    files = ("dcgan_mnist.keras", "1", "dcgan_mnist_float16.tflite", "dcgan_mnist_int8.tflite")
    for file in files:
        if (shipped / file).exists():
            yield {
                "kind": "sampling",
                "path": str(shipped / file),
                "file": "SavedModel (1/)" if file == "1" else file,
                "batch_size": 64,
                "repeats": args.repeats,
            }


def paired_cases(results, args):
    """For each model of TARGETS measured in `results`: `--repeats` rounds at each of its
    batches of the plain loop, ganzoo in the target's setting (the defaults, or the model's
    fastest setting at batch 128: an option or the default) and PyTorch, alternating."""
    training = [
        r
        for r in results
        if r["kind"] == "training" and r["batch_size"] == 128 and "error" not in r
    ]
    for model, (_, setting, batches) in TARGETS.items():
        ours = [
            r
            for r in training
            if r["model"] == model and r["loop"] == "ganzoo" and r["option"] not in ABLATIONS
        ]
        if not ours or args.quick:
            continue
        if setting == "fastest":
            best = max(ours, key=lambda r: r["images_per_second"])
            settings = {k: best[k] for k in ("option", *OPTION_KEYS) if k in best}
        else:
            settings = {"option": "default"}
        torch = has_torch()
        for batch_size in batches:
            for round_ in range(args.repeats):
                base = {
                    "kind": "training",
                    "repeats": args.repeats,
                    "model": model,
                    "batch_size": batch_size,
                    "seconds": args.seconds,
                    "round": round_,
                }
                yield {**base, "loop": "reference", "option": "default"}
                yield {**base, "loop": "ganzoo", **settings}
                if torch:
                    yield {**base, "loop": "pytorch", "option": "default"}


def _key(case):
    keys = ("kind", "model", "batch_size", "loop", "option", "file", "round")
    return tuple(case.get(k) for k in keys)


def _row(cells):
    return "| " + " | ".join(str(c) for c in cells) + " |"


def hand_counts():
    import keras

    import ganzoo

    return {model: training_flops(keras, build(model, keras, ganzoo)) for model in MODELS}


def time_to_quality(run_dir, card_path, samples):
    """Markdown lines: a DCGAN recipe's run, training minutes against FID-MNIST.

    Reads `<run_dir>/history.csv` (the run's `epoch_seconds` and FID, logged by the recipe
    every few epochs with `samples` images) and the shipped card at `card_path` (FID over
    seeds, and the real-train vs real-test floor, at the card's sample size, which must be
    `samples`: FID falls with the sample size). Empty when either is missing.
    """
    import csv

    history, card_path = Path(run_dir) / "history.csv", Path(card_path)
    if not history.is_file() or not card_path.is_file():
        return []
    with history.open(newline="") as file:
        rows = list(csv.DictReader(file))
    card = json.loads(card_path.read_text())
    training, evaluation = card["training"], card["evaluation"]["saved_model"]
    if evaluation["num_samples"] != samples:
        raise ValueError(
            f"{card_path} scores {evaluation['num_samples']} samples, the run's history "
            f"{samples} (--quality-samples): their FIDs and floors are not comparable."
        )
    floor, fid = evaluation["floor"]["fid"], evaluation["metrics"]["fid"]
    lines = [
        "",
        f"## Time to quality (DCGAN on MNIST, `{training['command']}`)",
        "",
        (
            "Training minutes (the sum of the epochs' `epoch_seconds`, which stop before the "
            f"evaluations) until each {samples:,}-sample FID-MNIST of the run's history "
            f"(`{history}`; one noise seed). The floor, {samples:,} real training images "
            f"against {samples:,} real test images, is {floor:.2f}; the target, 2x the floor, "
            f"is {2 * floor:.2f}."
        ),
        "",
        _row(["epoch", "training minutes", f"FID ({samples:,} samples)", "x floor"]),
        _row(["---"] * 4),
    ]
    minutes, reached = 0.0, None
    for row in rows:
        minutes += float(row["epoch_seconds"]) / 60
        if row.get("fid") not in (None, "", "nan", "NA"):
            score, epoch = float(row["fid"]), int(float(row["epoch"])) + 1
            if reached is None and score <= 2 * floor:
                reached = (epoch, minutes, score)
            lines.append(_row([epoch, f"{minutes:.1f}", f"{score:.2f}", f"{score / floor:.2f}"]))
    lines.append("")
    if reached:
        lines.append(
            f"2x the floor is first reached after {reached[1]:.1f} training minutes "
            f"(epoch {reached[0]}, FID-MNIST {reached[2]:.2f})."
        )
    else:
        lines.append("2x the floor is not reached in this run.")
    lines[-1] += (
        f" The shipped generator, {training['epochs']} epochs in "
        f"{training['wall_seconds'] / 60:.0f} training minutes on {training['device']}: "
        f"FID-MNIST {fid['mean']:.2f} ± {fid['std']:.2f} over {len(evaluation['seeds'])} "
        f"seeds, {fid['mean'] / floor:.2f}x the floor."
    )
    return lines


def paired_report(training):
    """Markdown lines for `paired_cases`' rounds: per round the ratios, and their medians."""
    rounds = [r for r in training if "round" in r]
    if not rounds:
        return []
    lines = [
        "",
        "## Targets: alternating rounds",
        "",
        (
            "Rounds of the plain loop, ganzoo and PyTorch, run one after another (each in its "
            "own process), so that a drift of the machine's speed touches all three alike. "
            "The slim GAN and DCGAN (target 1.3x): ganzoo in the model's fastest setting at "
            "batch 128 in the options table, at the recipes' batch 64 and at 128. The "
            "tutorial size (target: never below 1.0x): the defaults, at every batch. Ratio: "
            "ganzoo / plain loop within a round."
        ),
        "",
        _row(
            ["model", "batch", "setting", "round", "ganzoo img/s", "reference img/s", "ratio"]
            + ["PyTorch img/s", "vs PyTorch", "target"]
        ),
        _row(["---"] * 10),
    ]
    pairs = [(m, b, t) for m, (t, _, batches) in TARGETS.items() for b in batches]
    for model, batch, target in pairs:
        ratios, torch_ratios = [], []
        here = [r for r in rounds if r["model"] == model and r["batch_size"] == batch]
        for index in sorted({r["round"] for r in here}):
            found = {r["loop"]: r for r in here if r["round"] == index}
            ours, reference, torch = (found.get(k) for k in ("ganzoo", "reference", "pytorch"))
            if not ours or not reference:
                continue
            ratios.append(ours["images_per_second"] / reference["images_per_second"])
            if torch:
                torch_ratios.append(ours["images_per_second"] / torch["images_per_second"])
            lines.append(
                _row(
                    [
                        model,
                        batch,
                        ours["option"],
                        index + 1,
                        f"{ours['images_per_second']:.0f}",
                        f"{reference['images_per_second']:.0f}",
                        f"{ratios[-1]:.2f}",
                        f"{torch['images_per_second']:.0f}" if torch else "-",
                        f"{torch_ratios[-1]:.2f}" if torch else "-",
                        "",
                    ]
                )
            )
        if ratios:
            median = statistics.median(ratios)
            lines.append(
                _row(
                    [f"**{model}**", batch, "", "median", "", ""]
                    + [f"**{median:.2f}**"]
                    + ["", f"**{statistics.median(torch_ratios):.2f}**" if torch_ratios else "-"]
                    + [f"{target:.1f}x: {'met' if median >= target else 'not met'}"]
                )
            )
    return lines


def report(results, args, peak, commands):
    counts = hand_counts()
    training = [r for r in results if r["kind"] == "training" and "error" not in r]

    def find(model, batch, loop, option="default"):
        return next(
            (
                r
                for r in training
                if (r["model"], r["batch_size"], r["loop"], r["option"])
                == (model, batch, loop, option)
                and "round" not in r
            ),
            None,
        )

    lines = [
        "# Training and sampling speed",
        "",
        "Made by: " + ", then ".join(f"`{command}`" for command in commands) + "  ",
        (
            f"Machine: {args.machine}; "
            f"TensorFlow {args.versions['tensorflow']}, Keras {args.versions['keras']}.  "
        ),
        f"Matmul peak (2048x2048 float32, median): **{peak:.1f} GFLOP/s**.  ",
    ]
    if args.note:
        lines.append(f"Conditions: {args.note}  ")
    lines += [
        "",
        (
            f"Images/s are medians over {args.repeats} epochs of about {args.seconds:g} s "
            "(steps calibrated after a warm-up) on "
            "MNIST-shaped random data in memory. Reference: the same networks, losses, "
            "optimizers and noise in a plain `tf.function` step with two GradientTapes "
            "(`benchmarks/training_speed.py`). GFLOP/s: FLOPs of one training step per image "
            "(both nets, forward and backward, counted from the layers; `training_flops`) "
            "times images/s; % peak: of the matmul figure. Profiler: TensorFlow's count of "
            "the step's graph, which charges stride-2 transposed convolutions and input "
            "gradients up to 4x."
        ),
        "",
        "## Training, default settings",
        "",
        _row(
            [
                "model",
                "G params",
                "MFLOP/image",
                "profiler MFLOP",
                "batch",
                "ganzoo img/s",
                "reference img/s",
                "ratio",
                "PyTorch img/s",
                "vs PyTorch",
                "GFLOP/s",
                "% peak",
                "peak RSS MB",
            ]
        ),
        _row(["---"] * 13),
    ]
    for model in MODELS:
        for batch in BATCHES:
            ours, reference = find(model, batch, "ganzoo"), find(model, batch, "reference")
            torch = find(model, batch, "pytorch")
            if ours is None:
                continue
            gflops = counts[model] and counts[model] * ours["images_per_second"] / 1e9
            lines.append(
                _row(
                    [
                        model,
                        f"{ours['generator_parameters']:,}",
                        f"{counts[model] / 1e6:.1f}" if counts[model] else "-",
                        f"{ours['flops_per_image'] / 1e6:.0f}",
                        batch,
                        f"{ours['images_per_second']:.0f}",
                        f"{reference['images_per_second']:.0f}" if reference else "-",
                        f"{ours['images_per_second'] / reference['images_per_second']:.2f}"
                        if reference
                        else "-",
                        f"{torch['images_per_second']:.0f}" if torch else "-",
                        f"{ours['images_per_second'] / torch['images_per_second']:.2f}"
                        if torch
                        else "-",
                        f"{gflops:.1f}" if gflops else "-",
                        f"{100 * gflops / peak:.0f}%" if peak and gflops else "-",
                        ours["peak_rss_mb"],
                    ]
                )
            )
    lines += [
        "",
        "## Options (batch 128): images/s and change against the default",
        "",
        _row(["model", "default", *OPTIONS]),
        _row(["---"] * (2 + len(OPTIONS))),
    ]
    for model in MODELS:
        default = find(model, 128, "ganzoo")
        if default is None:
            continue
        cells = [model, f"{default['images_per_second']:.0f}"]
        for option in OPTIONS:
            result = find(model, 128, "ganzoo", option)
            cells.append(
                f"{result['images_per_second']:.0f} "
                f"({result['images_per_second'] / default['images_per_second'] - 1:+.0%})"
                if result
                else "-"
            )
        lines.append(_row(cells))
    lines += paired_report(training)
    sampling = [r for r in results if r["kind"] == "sampling" and "error" not in r]
    if sampling:
        lines += [
            "",
            "## Sampling (shipped dcgan_mnist, batch 64, `ganzoo.load_generator`)",
            "",
            _row(["file", "images/s", "peak RSS MB"]),
            _row(["---"] * 3),
        ]
        lines += [
            _row([r["file"], f"{r['images_per_second']:.0f}", r["peak_rss_mb"]]) for r in sampling
        ]
    errors = [r for r in results if "error" in r]
    if errors:
        lines += ["", "## Failed cases", ""]
        lines += [
            f"- `{json.dumps({k: v for k, v in r.items() if k != 'error'})}`: "
            f"{r['error'].strip().splitlines()[-1] if r['error'].strip() else '?'}"
            for r in errors
        ]
    lines += time_to_quality(
        args.quality_run,
        Path(args.saved_models) / "dcgan_mnist" / "card.json",
        args.quality_samples,
    )
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="docs")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--seconds", type=float, default=4.0, help="length of a timed training epoch"
    )
    parser.add_argument("--quick", action="store_true", help="DCGAN, GAN, tutorial at 128")
    parser.add_argument(
        "--models",
        nargs="+",
        choices=MODELS,
        help="re-measure only these models' training, keeping the other figures of "
        "<out>/benchmarks.json",
    )
    parser.add_argument(
        "--resume", action="store_true", help="keep <out>/benchmarks.json's cases, run the rest"
    )
    parser.add_argument("--saved-models", default="saved_models")
    parser.add_argument(
        "--quality-run",
        default="docs/runs/dcgan_mnist_beta2_99",
        help="run directory of the shipped DCGAN recipe, for the time-to-quality table",
    )
    parser.add_argument(
        "--quality-samples",
        type=int,
        default=10000,
        help="images per FID in --quality-run's history (recipes/dcgan_mnist.py: 10000)",
    )
    parser.add_argument("--timeout", type=int, default=600, help="seconds per case")
    parser.add_argument("--note", help="a sentence about the conditions, for the report")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite <out>/benchmarks.md from its JSON"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(json.loads(args.worker))
        return
    args.command = "python " + " ".join(shlex.quote(a) for a in sys.argv)
    import keras
    import tensorflow as tf

    args.versions = {"tensorflow": tf.__version__, "keras": keras.__version__}
    args.machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.report_only:
        previous = json.loads((out / "benchmarks.json").read_text())
        args.machine = previous.get("machine", args.machine)  # the measuring machine's
        commands = previous.get("commands", [previous.get("command")])
        results = previous["results"]
        peak = next((r["gflops"] for r in results if r["kind"] == "matmul" and "gflops" in r), 0)
        (out / "benchmarks.md").write_text(report(results, args, peak, commands))
        return
    results, commands = [], [args.command]
    if (args.models or args.resume) and (out / "benchmarks.json").is_file():
        previous = json.loads((out / "benchmarks.json").read_text())
        commands = [*previous.get("commands", [previous.get("command")]), args.command]
        results = [
            r
            for r in previous["results"]
            if r.get("model") not in (args.models or ()) and "error" not in r
        ]
    done = {_key(r) for r in results} if args.resume else set()

    def run(new_cases):
        for case in new_cases:
            if _key(case) in done:
                continue
            result = run_case(case, args.timeout)
            results.append(result)
            keys = ("model", "batch_size", "loop", "option", "file", "round")
            shown = {k: result.get(k) for k in keys}
            figure = result.get("images_per_second", result.get("gflops", result.get("error")))
            print(
                f"{json.dumps({k: v for k, v in shown.items() if v is not None})}: "
                f"{str(figure)[:200]} ({result['wall_seconds']} s)",
                flush=True,
            )
            (out / "benchmarks.json").write_text(
                json.dumps(
                    {"commands": commands, "machine": args.machine, "results": results},
                    indent=1,
                )
                + "\n"
            )

    run(list(cases(args)))
    run(list(paired_cases(results, args)))  # each target model's fastest setting, from above
    peak = next((r["gflops"] for r in results if r["kind"] == "matmul" and "gflops" in r), 0)
    (out / "benchmarks.md").write_text(report(results, args, peak, commands))
    print(f"wrote {out / 'benchmarks.md'} and {out / 'benchmarks.json'}")


if __name__ == "__main__":
    main()
