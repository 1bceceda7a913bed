"""Tries for issue 26's defaults: `python docs/runs/defaults_tries/try.py NAME [EPOCHS]`.

Each try trains one configuration on MNIST (seed 0) into runs/tries/NAME with a
10,000-sample FID-MNIST every 2 epochs in history.csv; the histories are kept here.
"""

import sys

from ganzoo.training import train


def adam(rate, beta_1=0.5, beta_2=0.99):
    return {
        "class_name": "Adam",
        "config": {"learning_rate": rate, "beta_1": beta_1, "beta_2": beta_2},
    }


# Every try runs on the class's "paper" preset and these options. SNGAN's paper preset has
# n_dis = 5, so these tries made 5 D updates per G update, each on a fifth of the batch.
SN_OPTIONS = {"width": 32, "discriminator_width": 32, "generator_hidden_units": 256,
              "discriminator_hidden_units": 256, "ema_decay": 0.999, "d_steps": 5}

TRIES = {
    # The MLP GAN with what the DCGAN recipe learned: weight average, beta_2 0.99, G faster.
    "gan_ema": dict(
        model="GAN",
        batch_size=128,
        model_options={"generator_batch_norm": True, "ema_decay": 0.999},
        compile_options={"d_optimizer": adam(2e-4), "g_optimizer": adam(1e-3)},
    ),
    # SNGAN (the reparameterized spectral norm): the DCGAN default's G, D at width 32 with a
    # hidden layer, hinge loss, n_dis = 5 (SN_OPTIONS); optimizers varied.
    "sngan_2e-4": dict(model="SNGAN", batch_size=128, model_options=SN_OPTIONS,
                       compile_options={"d_optimizer": adam(2e-4), "g_optimizer": adam(2e-4)}),
    "sngan_ttur": dict(model="SNGAN", batch_size=128, model_options=SN_OPTIONS,
                       compile_options={"d_optimizer": adam(4e-4), "g_optimizer": adam(1e-4)}),
    # After D's layers under spectral norm start from Glorot's initialization:
    "sngan_glorot": dict(model="SNGAN", batch_size=128, model_options=SN_OPTIONS,
                         compile_options={"d_optimizer": adam(2e-4), "g_optimizer": adam(2e-4)}),
    # The paper's n_dis = 5 and Adam(2e-4, 0, 0.9), D without the hidden layer (the paper's
    # CNN), G and average as the DCGAN default, 64 images a D step.
    "sngan_ndis5": dict(model="SNGAN", batch_size=320, model_options={
        **SN_OPTIONS, "discriminator_hidden_units": None, "d_steps": 5},
        compile_options={"d_optimizer": adam(2e-4, 0.0, 0.9), "g_optimizer": adam(2e-4, 0.0, 0.9)}),
    # D without the hidden layer, G faster (the DCGAN default's rates).
    "sngan_no_hidden_g_fast": dict(model="SNGAN", batch_size=128, model_options={
        **SN_OPTIONS, "discriminator_hidden_units": None},
        compile_options={"d_optimizer": adam(2e-4), "g_optimizer": adam(1e-3)}),
    # G without its hidden layer (with it, G collapses against the spectrally normalized D:
    # the diversity check in the README), D with its hidden layer.
    "sngan_g_plain": dict(model="SNGAN", batch_size=128, model_options={
        **SN_OPTIONS, "generator_hidden_units": None},
        compile_options={"d_optimizer": adam(2e-4), "g_optimizer": adam(2e-4)}),
    "sngan_g_plain_g_fast": dict(model="SNGAN", batch_size=128, model_options={
        **SN_OPTIONS, "generator_hidden_units": None},
        compile_options={"d_optimizer": adam(2e-4), "g_optimizer": adam(1e-3)}),
    "sngan_dcgan_rates": dict(model="SNGAN", batch_size=128, model_options=SN_OPTIONS,
                              compile_options={"d_optimizer": adam(2e-4),
                                               "g_optimizer": adam(1e-3)}),
}

name = sys.argv[1]
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
settings = dict(TRIES[name])
train(
    settings.pop("model"),
    settings.pop("dataset", "mnist"),
    f"runs/tries/{name}",
    epochs=epochs,
    latent_dim=settings.pop("latent_dim", 100),
    seed=0,
    evaluate_every=2,
    evaluate_samples=10000,
    resume="--resume" in sys.argv,
    preset="paper",
    **settings,
)
