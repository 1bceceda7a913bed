"""ganzoo: a Keras 3 model zoo of generative adversarial networks.

The public API: the model classes (`GAN`, `DCGAN`, `CGAN`, `LSGAN`, `InfoGAN`, `WGANGP`,
`ACGAN`, `SNGAN`), `augment` (DiffAugment), `datasets`,
`callbacks`, `evaluators` (evaluator classifiers and `evaluate_generator`), `losses`,
`metrics`, `networks`, `optimizers` (Adam with a fused update), `testbed` (the 2-D
mode-collapse testbed of VEEGAN and PacGAN), `train`, `zoo` (trained runs published as
shipped generators with cards), and
`export_generator` / `load_generator` (SavedModel and TFLite export, sampling from exported
generators).
"""

from ganzoo import (
    augment,
    callbacks,
    datasets,
    evaluators,
    export,
    losses,
    metrics,
    models,
    networks,
    optimizers,
    testbed,
    zoo,
)
from ganzoo.export import export_generator, load_generator
from ganzoo.models import ACGAN, CGAN, DCGAN, GAN, LSGAN, SNGAN, WGANGP, InfoGAN
from ganzoo.training import train

__version__ = "0.1.0"
