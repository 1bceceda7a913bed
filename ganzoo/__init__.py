"""ganzoo: a Keras 3 model zoo of generative adversarial networks."""

from ganzoo import callbacks, datasets, losses, networks
from ganzoo.models import DCGAN, GAN

__version__ = "0.1.0"
