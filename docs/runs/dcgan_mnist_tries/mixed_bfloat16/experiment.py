"""The DCGAN recipe's settings under the mixed_bfloat16 policy (docs/runs/dcgan_mnist_tries).

    python docs/runs/dcgan_mnist_tries/mixed_bfloat16/experiment.py runs/bf16 4
"""

import sys

import keras

import ganzoo

keras.mixed_precision.set_global_policy("mixed_bfloat16")
ganzoo.train(
    "DCGAN",
    "mnist",
    sys.argv[1],
    epochs=int(sys.argv[2]),
    batch_size=64,
    latent_dim=100,
    model_options={"width": 32, "discriminator_depth": 3},
    compile_options={"learning_rates": [2e-4, 1e-3]},
    seed=0,
    evaluate_every=2,
    resume="--resume" in sys.argv,
)
