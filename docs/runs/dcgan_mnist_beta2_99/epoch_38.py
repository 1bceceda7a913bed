"""The ninth DCGAN recipe's generator after 38 of its 40 epochs, where the run's history
reads FID-MNIST 2.71 (one noise seed), scored like the card (3 seeds of 10,000):
`evaluation_38_epochs.json`, 2.87 ± 0.19.

    # during `python recipes/dcgan_mnist.py`, once the epoch-38 checkpoint is written:
    cp runs/dcgan_mnist/checkpoint/weights-38-0.weights.h5 /tmp/epoch38.weights.h5
    # after the run:
    python docs/runs/dcgan_mnist_beta2_99/epoch_38.py runs/dcgan_mnist/model.keras \
        /tmp/epoch38.weights.h5 /tmp/epoch38.keras
    ganzoo evaluate /tmp/epoch38.keras --dataset mnist --num-samples 10000 --seeds 3 \
        --json docs/runs/dcgan_mnist_beta2_99/evaluation_38_epochs.json
"""

import sys

import keras

import ganzoo  # noqa: F401  (registers the model classes)

model_file, weights_file, out = sys.argv[1:4]
model = keras.saving.load_model(model_file)
model.load_weights(weights_file)
model.save(out)
