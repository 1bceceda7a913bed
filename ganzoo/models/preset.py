"""Presets: named configurations of a model class (constructor options, compile settings and
the batch size they were measured at), as keras-hub's `from_preset` names them."""

import dataclasses
import types


@dataclasses.dataclass(frozen=True)
class Preset:
    """A named configuration of a ganzoo model class.

    Args:
        description: what the configuration is and where it comes from: the paper's table or
            section for "paper", the measurement (docs/ page) for "default".
        options: constructor arguments (network options, `ema_decay`, `d_steps`,
            `latent_dim`, ...); arguments given to the constructor take precedence.
        compile: `compile` arguments that "auto" stands for (`d_optimizer`, `g_optimizer`
            as Keras optimizer configs, `loss`); arguments given to `compile` take precedence.
        batch_size: the batch size the configuration was measured at (`ganzoo train` and
            the recipes use it when none is given).
    """

    description: str
    options: dict = dataclasses.field(default_factory=dict)
    compile: dict = dataclasses.field(default_factory=dict)
    batch_size: int = 64

    def __post_init__(self):
        # Read-only views: a preset is shared by every model built from it.
        object.__setattr__(self, "options", types.MappingProxyType(dict(self.options)))
        object.__setattr__(self, "compile", types.MappingProxyType(dict(self.compile)))


def adam(learning_rate, beta_1=0.5, beta_2=0.999):
    """A Keras Adam configuration, as presets store optimizers (a new instance per model)."""
    return {
        "class_name": "Adam",
        "config": {"learning_rate": learning_rate, "beta_1": beta_1, "beta_2": beta_2},
    }


def from_card(card):
    """The `Preset` of a published generator's card: the exact options it was trained with."""
    training = card.get("training", {})
    options = dict(training.get("config") or training.get("model_options") or {})
    if training.get("latent_dim") is not None:
        options.setdefault("latent_dim", training["latent_dim"])
    return Preset(
        description=f"the configuration of the zoo's {card.get('name')} "
        f"({training.get('command') or card.get('training_command')})",
        options=options,
        compile=dict(training.get("compile_config") or training.get("compile_options") or {}),
        batch_size=int(training.get("batch_size") or 64),
    ), training.get("preset", "paper")


def describe(presets):
    """One line per preset: its name, batch size and its description's first clause."""
    lines = []
    for name, preset in presets.items():
        first = preset.description.split(": ")[0].rstrip(".")
        lines.append(f"{name} (batch {preset.batch_size}): {first}")
    return lines
