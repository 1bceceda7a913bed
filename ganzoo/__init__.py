"""ganzoo: a Keras 3 model zoo of generative adversarial networks.

The public API: the model classes (`GAN`, `DCGAN`, `CGAN`, `LSGAN`, `InfoGAN`), `datasets`,
`callbacks`, `losses`, `metrics`, `networks` and `train`.
"""

from ganzoo import callbacks, datasets, losses, metrics, models, networks
from ganzoo.models import CGAN, DCGAN, GAN, LSGAN, InfoGAN
from ganzoo.training import train

__version__ = "0.1.0"
