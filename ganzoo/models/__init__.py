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


# Training aids by the name a variant gives them ("DCGAN+ema+ttur"): constructor and compile
# arguments. TTUR: D at 4e-4, G at 1e-4 (Heusel et al. 2017; the rates SAGAN made usual).
AIDS = {
    "ema": ({"ema_decay": 0.999}, {}),
    "augment": ({"augment": "color,translation,cutout"}, {}),
    "ttur": ({}, {"learning_rates": (4e-4, 1e-4)}),
    "smoothing": ({}, {"label_smoothing": 0.1}),
}


def parse_variant(spec):
    """Returns `(model_class, model_options, compile_options)` for a model class, its name,
    or a name with training aids joined by "+", e.g. "DCGAN+ema+smoothing" (`AIDS`)."""
    if not isinstance(spec, str):
        return spec, {}, {}
    name, *aids = spec.split("+")
    unknown = [aid for aid in aids if aid not in AIDS]
    if unknown:
        raise ValueError(
            f"Unknown training aid {unknown[0]!r} in {spec!r}: use {', '.join(AIDS)}, e.g. "
            "'DCGAN+ema'."
        )
    model_options, compile_options = {}, {}
    for aid in aids:
        model_options.update(AIDS[aid][0])
        compile_options.update(AIDS[aid][1])
    return get(name), model_options, compile_options
