"""The generators of one EMA run on 5,000 samples: live, averaged, averaged with batch-norm
statistics re-estimated for the averaged weights (README.md beside this file).

    python docs/runs/dcgan_mnist_d3_ema/ema_check.py   # needs runs/dcgan_mnist_d3_ema
"""

import keras
import numpy as np
import tensorflow_datasets as tfds

from ganzoo import evaluators

gan = keras.saving.load_model("runs/dcgan_mnist_d3_ema/model.keras")
evaluator = evaluators.load_evaluator("mnist_classifier")
test = tfds.as_numpy(tfds.load("mnist", split="test[:5000]", batch_size=1000))
real = np.concatenate([batch["image"] for batch in test]).astype("float32") / 127.5 - 1
real_features = evaluator.features(real)


def score(network, name):
    images = np.concatenate(
        [np.asarray(network(gan.sample_latent(500, seed=i), training=False)) for i in range(10)]
    )
    scores = evaluators.score_images(
        evaluator, real_features, images, names=["fid", "precision", "recall"]
    )
    print(name, {key: round(value, 2) for key, value in scores.items()}, flush=True)


score(gan.generator, "live")
score(gan.ema_generator, "ema, live stats")
batch_norms = [
    layer
    for layer in gan.ema_generator.layers
    if isinstance(layer, keras.layers.BatchNormalization)
]
for layer in batch_norms:
    layer.trainable = True
for i in range(200):
    gan.ema_generator(gan.sample_latent(64, seed=1000 + i), training=True)
for layer in batch_norms:
    layer.trainable = False
score(gan.ema_generator, "ema, own stats")
