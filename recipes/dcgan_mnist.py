"""DCGAN on MNIST with the class's default preset (`ganzoo.DCGAN.presets`): G at width 32
and D at width 16, a hidden fully connected layer of 256 units in each, the generator's
weight average, Adam(beta_2=0.99) at 2e-4 for D and 1e-3 for G, batch 128 (how each setting
was found: docs/zoo.md).

    ganzoo data prepare mnist --from ../shared/data/mnist
    python recipes/dcgan_mnist.py            # --resume after an interruption

Trains into runs/dcgan_mnist (10,000-sample FID-MNIST every 2 epochs in history.csv), then
publishes saved_models/dcgan_mnist (generator, SavedModel, float16/int8 TFLite,
samples.png, card.json with the evaluation); --smoke checks it all in seconds.
"""

from ganzoo.training import recipe

recipe(
    "DCGAN",
    "mnist",
    epochs=40,
    seed=0,
    evaluate_every=2,
    evaluate_samples=10000,
    description=__doc__,
    publish="dcgan_mnist",
)
