"""DCGAN on MNIST (slim, width 32) trainable on 2 CPU cores, with an FID curve in history.csv.

The paper's networks and Adam(2e-4, beta_1=0.5) for D; G learns at 1e-3, five times faster,
as in InfoGAN's MNIST setup (Chen et al. 2016, Appendix C.1). Every epoch, 1,000 samples are
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
    epochs=10,
    batch_size=64,
    latent_dim=100,
    model_options={"width": 32},
    compile_options={
        "d_optimizer": {"class_name": "Adam", "config": {"learning_rate": 2e-4, "beta_1": 0.5}},
        "g_optimizer": {"class_name": "Adam", "config": {"learning_rate": 1e-3, "beta_1": 0.5}},
    },
    seed=0,
    evaluate_every=1,
    description=__doc__,
    publish="dcgan_mnist",
)
