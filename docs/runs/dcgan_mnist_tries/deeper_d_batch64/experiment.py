"""Experiment: DCGAN MNIST w32 with a discriminator of three stride-2 convs (28->14->7->4)."""
import sys, keras
import ganzoo.models.dcgan as m
from ganzoo.networks import dcgan as n
from ganzoo.training import train

def deep_d(image_shape, width=64, kernel_size=5, name="discriminator"):
    x = images = keras.Input(tuple(image_shape), name="images")
    for step in range(3):
        x = keras.layers.Conv2D(width * 2**step, kernel_size, strides=2, padding="same",
                                kernel_initializer=n._init())(x)
        if step > 0:
            x = n._batch_norm()(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Flatten()(x)
    return keras.Model(images, keras.layers.Dense(1, kernel_initializer=n._init())(x), name=name)

m.dcgan_discriminator = deep_d
train("DCGAN", "mnist", sys.argv[1], epochs=int(sys.argv[2]), batch_size=64, latent_dim=100,
      model_options={"width": 32}, seed=0, evaluate_every=2, resume="--resume" in sys.argv,
      verbose=2)
