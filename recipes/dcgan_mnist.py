"""DCGAN on MNIST at width 64, trainable on 2 CPU cores, with an FID curve in history.csv.

Width 64: G projects z to 7x7x128 and has two 5x5 transposed convolutions (128 -> 64 -> 1);
D has 5x5 stride-2 convolutions of 64 and 128 channels. Every epoch, 1,000 samples are
scored against the test digits (`fid` in history.csv and TensorBoard).

    ganzoo data prepare mnist --from ../shared/data/mnist
    python recipes/dcgan_mnist.py            # --resume after an interruption

Trains into runs/dcgan_mnist, then publishes saved_models/dcgan_mnist; --smoke checks it all
in seconds.
"""

from ganzoo.training import recipe

recipe(
    "DCGAN",
    "mnist",
    epochs=8,
    batch_size=64,
    latent_dim=100,
    model_options={"width": 64},
    seed=0,
    evaluate_every=1,
    description=__doc__,
    publish="dcgan_mnist",
)
