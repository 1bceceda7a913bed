import numpy as np, keras, tensorflow as tf, tensorflow_datasets as tfds
import ganzoo
from ganzoo import evaluators
gan = keras.saving.load_model("/work/runs/dcgan_mnist_d3_ema/model.keras")
ev = evaluators.load_evaluator("mnist_classifier")
x = np.concatenate([b["image"] for b in tfds.as_numpy(tfds.load("mnist", split="test[:5000]", batch_size=1000))]).astype("float32")/127.5-1
rf = ev.features(x)
def score(net, name):
    imgs = np.concatenate([np.asarray(net(gan.sample_latent(500, seed=i), training=False)) for i in range(10)])
    s = evaluators.score_images(ev, rf, imgs, names=["fid", "precision", "recall"])
    print(name, {k: round(v, 2) for k, v in s.items()}, flush=True)
score(gan.generator, "live")
score(gan.ema_generator, "ema, live stats")
bns = [l for l in gan.ema_generator.layers if isinstance(l, keras.layers.BatchNormalization)]
for l in bns: l.trainable = True
for i in range(200):
    gan.ema_generator(gan.sample_latent(64, seed=1000+i), training=True)
for l in bns: l.trainable = False
score(gan.ema_generator, "ema, own stats")
