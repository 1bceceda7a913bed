"""Runs ganzoo under tf.distribute strategies in a fresh process (for tests/test_distribute.py).

Logical devices and multi-worker clusters must be set up before TensorFlow starts, which the
test process has already done, so the tests run this script:

    python tests/distributed_worker.py mirrored OUT_JSON
        One step of each case on one device and on a MirroredStrategy over two logical CPUs,
        from the same weights, batch and noise; writes the largest weight and log
        differences (and whether the two replicas drew different noise) to OUT_JSON.
    python tests/distributed_worker.py multiworker OUT_DIR   (with TF_CONFIG set)
        Two epochs of MultiWorkerMirroredStrategy steps; the chief saves OUT_DIR/model.keras
        and OUT_DIR/history.json, worker i OUT_DIR/worker_i/model.keras.
"""

import json
import os
import sys

import numpy as np
import tensorflow as tf


def _cpus(n):
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * n)


def _data(conditional, batch_size=8, batches=1, order=None):
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (batch_size * batches, 16, 16, 1)).astype("float32")
    labels = rng.integers(0, 3, batch_size * batches).astype("int32")
    if order is not None:
        images, labels = images[order], labels[order]
    elements = (images, labels) if conditional else images
    return tf.data.Dataset.from_tensor_slices(elements).batch(batch_size, drop_remainder=True)


def _model(case):
    import keras

    import ganzoo
    from ganzoo.networks.conditional import conditional_mlp_discriminator

    # Networks without batch norm or dropout: those differ per replica by design (batch
    # statistics of the local batch, independent dropout masks), so only these can match
    # one device exactly.
    keras.utils.set_random_seed(0)
    # The paper presets: the "default" ones put batch norm into the generators.
    mlp = {"image_shape": (16, 16, 1), "latent_dim": 8, "generator_units": (16,), "preset": "paper"}
    if case.startswith("gan"):
        gan = ganzoo.GAN(
            **mlp,
            discriminator_units=(16,),
            dropout=0.0,
            d_steps=2 if case == "gan_d_steps_2" else 1,
            ema_decay=0.9 if case == "gan_ema" else None,
        )
    elif case == "wgan_gp":
        gan = ganzoo.WGANGP(
            generator=ganzoo.networks.mlp_generator(8, (16, 16, 1), (16,)),
            width=4,
            d_steps=2,
            preset="paper",
        )
    elif case == "acgan":
        gan = ganzoo.ACGAN(
            generator=ganzoo.networks.conditional_mlp_generator(8, (16, 16, 1), 3, (8, 8, 16)),
            discriminator=ganzoo.networks.auxiliary_classifier_discriminator(
                (16, 16, 1), 3, width=4, normalization=None
            ),
            num_classes=3,
            preset="paper",
        )
    else:
        gan = ganzoo.CGAN(
            image_shape=(16, 16, 1),
            latent_dim=8,
            num_classes=3,
            discriminator=conditional_mlp_discriminator((16, 16, 1), 3, dropout=0.0),
            preset="paper",
        )
    # Adam's 1e-4 and 2e-4 would move the weights too little to compare.
    gan.compile(learning_rates=(1e-2, 1e-2) if case in ("wgan_gp", "acgan") else None)
    return gan


# GAN, D updates on slices, the generator's weight average, the gradient penalty's
# interpolation weights, labels and the class loss.
CASES = ("gan", "gan_d_steps_2", "gan_ema", "wgan_gp", "cgan", "acgan")


def mirrored(out_json):
    _cpus(2)
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    results = {}
    for case in CASES:
        conditional = case in ("cgan", "acgan")
        data = _data(conditional)
        # With d_steps=k each replica splits its own part of the batch into k pieces, so D's
        # step i sees piece i of every replica: on one device that is this order.
        order = [0, 1, 4, 5, 2, 3, 6, 7] if case in ("gan_d_steps_2", "wgan_gp") else None
        single = _model(case)
        start_weights = single.get_weights()
        start_seed = single.seed_generator.state.numpy()
        single_logs = single.fit(_data(conditional, order=order), epochs=1, verbose=0).history
        with strategy.scope():
            replicated = _model(case)
        replicated.set_weights(start_weights)
        replicated.seed_generator.state.assign(start_seed)
        replicated_logs = replicated.fit(data, epochs=1, verbose=0).history
        results[case] = {
            "weights": max(
                float(np.max(np.abs(a - b)))
                for a, b in zip(single.get_weights(), replicated.get_weights())
            ),
            "moved": max(
                float(np.max(np.abs(a - b))) for a, b in zip(single.get_weights(), start_weights)
            ),
            "logs": {key: [single_logs[key][0], replicated_logs[key][0]] for key in single_logs},
        }
        noise = strategy.run(
            lambda gan=replicated: tf.nest.flatten(gan._replica_latent(2, None))[0]
        )
        parts = [t.numpy() for t in strategy.experimental_local_results(noise)]
        results[case]["replica_noise_differs"] = not np.allclose(parts[0], parts[1])
    # DiffAugment: the replicas share the seed state, yet transform the same images apart.
    with strategy.scope():
        augmented = _model("gan")
    augmented.augment = "color,translation,cutout"
    ones = tf.ones((2, 16, 16, 1))
    parts = strategy.experimental_local_results(strategy.run(lambda: augmented._augment(ones)))
    results["augment_replicas_differ"] = not np.allclose(parts[0].numpy(), parts[1].numpy())
    with open(out_json, "w") as file:
        json.dump(results, file, indent=2, default=str)


def multiworker(out_dir):
    import keras

    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    with strategy.scope():
        gan = _model("gan")
    history = gan.fit(_data(False, batches=6), epochs=2, verbose=0).history
    index = json.loads(os.environ["TF_CONFIG"])["task"]["index"]
    # Every worker saves (saving may use collectives); the chief's file is the model, the
    # others' (usually a temporary directory) let the test check that the weights agree.
    worker_dir = out_dir if index == 0 else os.path.join(out_dir, f"worker_{index}")
    os.makedirs(worker_dir, exist_ok=True)
    gan.save(os.path.join(worker_dir, "model.keras"))
    if index == 0:
        with open(os.path.join(out_dir, "history.json"), "w") as file:
            json.dump({key: [float(v) for v in values] for key, values in history.items()}, file)
    keras.backend.clear_session()


if __name__ == "__main__":
    {"mirrored": mirrored, "multiworker": multiworker}[sys.argv[1]](sys.argv[2])
