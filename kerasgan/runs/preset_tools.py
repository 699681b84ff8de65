"""Presets from the shell: `sample_preset` (`kerasgan sample --preset NAME`) and the checks of
`kerasgan train VARIANT --preset NAME` (a new run that fine-tunes a shipped generator)."""

from kerasgan import presets as preset_catalog
from kerasgan.images import make_grid, save_png
from kerasgan.models import GAN

# Constructor arguments that shape the networks a preset's weights fill: a
# run that starts from a preset takes them from its card.
FIXED_BY_PRESET = {
    "image_shape": "the data set",
    "num_classes": "the data set",
    "latent_dim": "--latent-dim",
    "base_filters": "--base-filters",
    "num_residual_blocks": "--residual-blocks",
}


def sample_preset(name, out_path, num_samples=64, seed=0, labels=None):
    """Writes a PNG grid of samples from a shipped preset (offline).

    Loads `kerasgan.GAN.from_preset(name)` and draws `num_samples` images
    from its EMA generator with latents of `seed`; a conditional preset
    draws the classes in turn (0, 1, ..., 0, 1, ...) unless `labels` says
    otherwise. The PNG's metadata says the images are synthetic and names
    the preset.

    Args:
        name: a preset name (`kerasgan.presets.available()`).
        out_path: PNG file to write.
        num_samples: number of images. Defaults to 64.
        seed: int seed of the latents. Defaults to 0.
        labels: for conditional presets, one class id or a list; None
            draws the classes in turn.

    Returns:
        The path written.

    Raises:
        ValueError: an unknown preset, or `labels` for an unconditional one.

    Example:
        >>> sample_preset("dcgan_fashion_mnist", "grid.png", num_samples=16)  # doctest: +SKIP
    """
    gan = GAN.from_preset(name)
    if gan.num_classes is not None and labels is None:
        labels = [i % gan.num_classes for i in range(num_samples)]
    images = gan.generate(num_samples, seed=seed, labels=labels)
    return save_png(out_path, make_grid(images), model=gan, extra={"Preset": name})


def preset_overrides(cls, variant, name, options):
    """The constructor arguments a new run passes to `cls.from_preset(name, ...)`.

    `options` are the run's constructor arguments (`model_options`). Those
    that shape the networks (`FIXED_BY_PRESET`) come from the preset's card
    and must be left unset or equal the card's; the others (seed,
    augmentation, critic steps, EMA decay, ...) are passed on.

    Args:
        cls: the run's variant class.
        variant: its registered name, for messages.
        name: the preset name.
        options: the run's constructor arguments.

    Returns:
        A dict of overrides for `from_preset`.

    Raises:
        ValueError: an unknown preset, one of another variant, a data set
            of another shape or class count than the card's, or a shape
            option that differs from the card.

    Example:
        >>> import kerasgan
        >>> preset_overrides(kerasgan.DCGAN, "dcgan", "dcgan_fashion_mnist",
        ...                  {"image_shape": (28, 28, 1), "latent_dim": None, "seed": 3})
        {'seed': 3}
    """
    card = preset_catalog.get_card(name)
    if card["variant"] != variant:
        raise ValueError(
            f"Preset {name!r} is a {card['variant']!r} model, not {variant!r}. Train it with "
            f"`kerasgan train {card['variant']} --preset {name}`."
        )
    if not hasattr(cls, "from_preset"):
        raise ValueError(f"{cls.__name__} has no presets; drop --preset.")
    config = card["config"]
    for key, source in FIXED_BY_PRESET.items():
        given = options.get(key)
        if given is None:
            continue
        expected = config.get(key)
        if key == "image_shape" and expected is not None:
            expected = tuple(expected)
        if given != expected:
            shown = "the class default" if expected is None else repr(expected)
            raise ValueError(
                f"Preset {name!r} was trained with {key}={shown} ({card['dataset']!r}); this run asks "
                f"for {key}={given!r} ({source}). Its weights fit only the card's networks: drop "
                f"{source} or give the card's value, or train without --preset."
            )
    return {k: v for k, v in options.items() if k not in FIXED_BY_PRESET and v is not None}
