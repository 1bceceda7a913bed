"""FID-MNIST of a trained DCGAN's generator with batch-norm moving statistics, batch
statistics and re-estimated statistics: python bn_check.py runs/dcgan_mnist/model.keras
(a GAN: its `sampler`) or a published generator file such as
saved_models/dcgan_mnist/dcgan_mnist.keras"""
import sys, numpy as np, keras, tensorflow as tf, ganzoo
from ganzoo import evaluators, metrics
path = sys.argv[1]
model = keras.saving.load_model(path)
g = getattr(model, "sampler", model)
g.trainable = True  # a weight average is not: its batch norms would ignore training=True
latent_dim = g.input_shape[-1]
ev = evaluators.load_evaluator("mnist_classifier")
real = evaluators._real_images("mnist", "test", None, 10000)
rf = ev.features(real)
def fid(images): return metrics.fid_from_features(rf, ev.features(images))
def z(n, seed): return tf.random.stateless_uniform((n, latent_dim), (seed, 0), -1, 1)
zs = z(10000, 7)
print("moving stats (inference)", fid(np.concatenate([g(zs[i:i+1000], training=False) for i in range(0,10000,1000)])), flush=True)
print("batch stats, batch 64", fid(np.concatenate([g(zs[i:i+64], training=True) for i in range(0,10000,64)])[:10000]), flush=True)
# re-estimate: cumulative average of batch stats over 200 batches of 64
bns = [l for l in g.layers if isinstance(l, keras.layers.BatchNormalization)]
saved = [[w.numpy() for w in l.weights] for l in bns]
for l in bns: l.momentum = 0.0
means = {id(l): [] for l in bns}; vars_ = {id(l): [] for l in bns}
for i in range(200):
    g(z(64, 1000 + i), training=True)
    for l in bns:
        means[id(l)].append(l.moving_mean.numpy()); vars_[id(l)].append(l.moving_variance.numpy())
for l in bns:
    l.moving_mean.assign(np.mean(means[id(l)], 0)); l.moving_variance.assign(np.mean(vars_[id(l)], 0))
print("re-estimated stats", fid(np.concatenate([g(zs[i:i+1000], training=False) for i in range(0,10000,1000)])), flush=True)
