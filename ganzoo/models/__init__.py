"""GAN model classes, one module per paper."""

from ganzoo.models.acgan import ACGAN
from ganzoo.models.cgan import CGAN
from ganzoo.models.dcgan import DCGAN
from ganzoo.models.gan import GAN
from ganzoo.models.infogan import InfoGAN
from ganzoo.models.lsgan import LSGAN
from ganzoo.models.sngan import SNGAN
from ganzoo.models.wgangp import WGANGP

# Names the CLI and `ganzoo list` accept, mapped to their classes.
MODELS = {cls.__name__: cls for cls in (GAN, DCGAN, CGAN, LSGAN, InfoGAN, WGANGP, ACGAN, SNGAN)}


def get(name):
    """Returns the model class for a name such as "dcgan" (case does not matter)."""
    by_lower = {key.lower(): cls for key, cls in MODELS.items()}
    if name.lower() not in by_lower:
        raise ValueError(f"Unknown model {name!r}. Available models: {', '.join(MODELS)}.")
    return by_lower[name.lower()]
