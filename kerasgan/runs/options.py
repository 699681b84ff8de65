"""The options of a run: critic-step spellings, the model's constructor arguments, its optimizers."""

import inspect
import re

import numpy as np

import kerasgan.remedies  # noqa: F401, E402 (registers the augmentations)
from kerasgan.learning_rates import LinearDecay
from kerasgan.models import VARIANTS, BaseGAN, ImageToImageGAN, Schedule, variants_of
from kerasgan.models.controller import AUGMENTATIONS as REGISTERED_AUGMENTATIONS
from kerasgan.runs.translation import batch_kind
from kerasgan.utils.validation import validate_positive_int

_CRITIC_STEPS = re.compile(r"^\s*(\d+)\s*(?::\s*(\d+)\s*)?$")


# The discriminator augmentations `train(augment=...)` (`--augment`) passes to
# the model as `augmentation=`: those kerasgan registers.
AUGMENTATIONS = tuple(REGISTERED_AUGMENTATIONS)

# The training masks `train(mask=...)` (`--mask`) passes to an inpainting model as `mask=`.
MASKS = ("centre", "rectangles", "strokes")


def variant_class(variant):
    if variant not in VARIANTS:
        raise ValueError(f"Unknown GAN variant {variant!r}. Choose one of {sorted(VARIANTS)}.")
    return VARIANTS[variant]


def parse_critic_steps(critic_steps):
    """Reads a number of critic steps: a count, or a schedule of counts by training step.

    `"5"` is 5 discriminator updates per training step. `"5:1000,1"` is 5
    until step 1000, then 1: comma-separated pieces `COUNT:UNTIL`, the last
    one a bare `COUNT` that holds from there on, e.g. `"100:25,5"` for
    WGAN's warm-up of 100 critic updates over the first 25 steps.

    Args:
        critic_steps: an int `>= 1`, a `kerasgan.Schedule`, or a string as
            above (the `--critic-steps` spelling).

    Returns:
        An int, or a `kerasgan.Schedule` (`[(0, 5), (1000, 1)]` for
        `"5:1000,1"`): what the GAN family's `n_critic=` takes.

    Raises:
        ValueError: another spelling, a count below 1, or steps that do not
            increase; the message shows the expected form.

    Example:
        >>> parse_critic_steps("5")
        5
        >>> parse_critic_steps("5:1000,1")
        Schedule(pieces=((0, 5), (1000, 1)))
    """
    if isinstance(critic_steps, Schedule):
        return critic_steps
    if isinstance(critic_steps, (int, np.integer)) and not isinstance(critic_steps, bool):
        return validate_positive_int(int(critic_steps), "critic_steps")
    how = (
        "Give a count such as 5, or COUNT:UNTIL pieces ending in a bare COUNT, e.g. 5:1000,1 for 5 "
        "discriminator updates per step until step 1000, then 1."
    )
    if not isinstance(critic_steps, str):
        raise ValueError(
            f"critic_steps must be an int, a Schedule or a string; received {critic_steps!r}. {how}"
        )
    matches = [_CRITIC_STEPS.match(part) for part in critic_steps.split(",")]
    bounded = [match is not None and match.group(2) is not None for match in matches]
    if None in matches or any(not b for b in bounded[:-1]) or bounded[-1]:
        raise ValueError(f"Cannot read critic steps {critic_steps!r}. {how}")
    counts = [int(match.group(1)) for match in matches]
    starts = [0] + [int(match.group(2)) for match in matches[:-1]]
    if len(counts) == 1:
        return validate_positive_int(counts[0], "critic_steps")
    try:
        return Schedule(list(zip(starts, counts)))
    except ValueError as error:
        raise ValueError(f"Cannot use critic steps {critic_steps!r}: {error} {how}") from error


def critic_steps_spelling(critic_steps):
    """The `--critic-steps` spelling of a count or `Schedule`, as `run.json` records it.

    Args:
        critic_steps: anything `parse_critic_steps` reads.

    Returns:
        A string: `"5"`, or `"5:1000,1"` for `Schedule([(0, 5), (1000, 1)])`.

    Example:
        >>> from kerasgan.models import Schedule
        >>> critic_steps_spelling(Schedule([(0, 5), (1000, 1)]))
        '5:1000,1'
        >>> critic_steps_spelling(" 5 ")
        '5'
    """
    parsed = parse_critic_steps(critic_steps)
    if not isinstance(parsed, Schedule):
        return str(parsed)
    pieces = parsed.pieces
    bounded = [f"{count}:{until}" for (_, count), (until, _) in zip(pieces, pieces[1:])]
    return ",".join(bounded + [str(pieces[-1][1])])


def validate_mask(mask):
    """Checks a `--mask` name: one of `MASKS`."""
    if mask not in MASKS:
        raise ValueError(f"Unknown mask {mask!r} (--mask). Choose one of {list(MASKS)}.")
    return mask


def constructor_accepts(cls, argument):
    """Whether a kerasgan model class's constructor takes `argument` by name.

    Walks the class and its kerasgan bases as far as each passes `**kwargs`
    on (mixins without a constructor are passed over), so an argument added
    to `BaseGAN` counts for every variant.
    """
    for klass in cls.__mro__:
        if "__init__" not in vars(klass):
            continue  # a mixin without a constructor (e.g. the presets' from_preset)
        if not issubclass(klass, BaseGAN):
            return False
        parameters = inspect.signature(klass.__init__).parameters
        if argument in parameters:
            return True
        if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
            return False
    return False


def model_options(
    cls,
    spec,
    latent_dim,
    seed,
    base_filters,
    residual_blocks,
    augment,
    critic_steps,
    warmup_steps=None,
    mask=None,
):
    """The constructor arguments of a new run's model, refusing data or options that do not fit it.

    An image-to-image model takes what it reads from the data from its
    class (`ImageToImageGAN.options_for_data`), which also refuses data of
    the wrong kind.
    """
    options = {"image_shape": spec.image_shape, "seed": seed}
    if issubclass(cls, ImageToImageGAN):
        options.update(cls.options_for_data(spec))
        if latent_dim is not None:
            raise ValueError(
                f"{cls.__name__} translates images and has no latent vector; received "
                f"latent_dim={latent_dim!r} (--latent-dim). Drop it."
            )
    else:
        if spec.pairing is not None:
            translators = ", ".join(sorted(variants_of(ImageToImageGAN)))
            raise ValueError(
                f"{cls.__name__} generates images from latents and trains on images, but {spec.name!r} "
                f"yields {batch_kind(spec)} batches for image-to-image models ({translators}). "
                "Choose an image data set such as 'fashion_mnist', or an image-to-image variant."
            )
        options["latent_dim"] = latent_dim
        if cls.requires_labels:
            if spec.num_classes is None:
                raise ValueError(
                    f"{cls.__name__} needs class labels and {spec.name!r} has none. Choose "
                    "a labelled data set or an unconditional variant."
                )
            options["num_classes"] = spec.num_classes
    if augment is not None and augment not in AUGMENTATIONS:
        raise ValueError(
            f"Unknown augmentation {augment!r} (--augment). Choose one of {list(AUGMENTATIONS)}."
        )
    given = {
        "base_filters": ("base_filters", "--base-filters", base_filters),
        "num_residual_blocks": ("residual_blocks", "--residual-blocks", residual_blocks),
        "augmentation": ("augment", "--augment", augment),
        "warmup_steps": (
            "warmup_steps",
            "--warmup-steps",
            None if warmup_steps is None else validate_positive_int(warmup_steps, "warmup_steps", minimum=0),
        ),
        "mask": ("mask", "--mask", None if mask is None else validate_mask(mask)),
        "n_critic": (
            "critic_steps",
            "--critic-steps",
            None if critic_steps is None else parse_critic_steps(critic_steps),
        ),
    }
    for argument, (name, flag, value) in given.items():
        if value is None:
            continue
        if not constructor_accepts(cls, argument):
            takers = sorted(n for n, c in VARIANTS.items() if constructor_accepts(c, argument))
            which = (
                f"the variants that take it are {takers}"
                if takers
                else "no variant of this kerasgan takes it yet"
            )
            raise ValueError(
                f"{cls.__name__} does not take {argument}=, so {name}= ({flag}) does not apply to "
                f"{cls.variant_name!r}; {which}. Drop {flag}."
            )
        options[argument] = value
    return options


def run_optimizers(gan, d_learning_rate, g_learning_rate, decay_steps=None):
    """The variant's paper optimizers, with the given learning rates and linear decay.

    `decay_steps` is None or `(first, last)` training steps of the decay;
    each optimizer's `LinearDecay` counts its own iterations at those steps.
    """
    generators = set(gan.directions.values()) if isinstance(gan, ImageToImageGAN) else {"generator"}
    chosen = {}
    for name in gan.networks:
        rate = g_learning_rate if name in generators else d_learning_rate
        slot = gan.optimizer_attribute(name)
        if slot not in gan.optimizer_slots() or (rate is None and decay_steps is None):
            continue
        optimizer = gan.default_optimizer(name)
        config = optimizer.get_config()
        if rate is not None:
            config["learning_rate"] = rate
        if decay_steps is not None:
            first, last = (gan.updates_before(name, step) for step in decay_steps)
            # A rate read back from its float32 variable, as 2e-4 to 7 digits (not 1.9999999e-4).
            initial = float(f"{float(config['learning_rate']):.7g}")
            config["learning_rate"] = LinearDecay(
                initial, decay_start=first, decay_steps=max(last - first, 1)
            )
        chosen[slot] = type(optimizer).from_config(config)
    return chosen
