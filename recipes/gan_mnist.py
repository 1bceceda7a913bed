"""Goodfellow et al.'s MLP GAN on MNIST with the class's default preset
(`ganzoo.GAN.presets`): the paper's MLP networks (maxout D with dropout) with batch norm in
G's hidden layers and Adam(2e-4, beta_1=0.5) for both nets, batch 100. With plain SGD (the
paper's preset) the MLP GAN collapsed to a single mode within one epoch in our runs, and
with Adam but no batch norm it drew mostly 1s and noisy blobs after 7 epochs.

    ganzoo data prepare mnist --from ../shared/data/mnist
    python recipes/gan_mnist.py              # --resume after an interruption

Trains into runs/gan_mnist, then publishes saved_models/gan_mnist (generator, SavedModel,
float16/int8 TFLite, samples.png, card.json with the evaluation); --smoke checks it all in
seconds.
"""

from ganzoo.training import recipe

recipe("GAN", "mnist", epochs=20, seed=0, description=__doc__, publish="gan_mnist")
