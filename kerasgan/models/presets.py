"""Presets: trained generators shipped in the package, loaded offline with `from_preset`.

A preset is a folder of `kerasgan/presets/` holding `card.json` (the
variant, its constructor arguments, the data, the training budget and
command, the seed and the scores) and `<name>.weights.h5` with the weights
of the generator and of its EMA copy only (no discriminator, no optimizer
state). `PresetMixin.from_preset` builds the card's variant, loads those
weights and returns a model that generates at once and can be compiled and
fine-tuned (its discriminator starts from fresh weights).
"""

import os

import keras

from kerasgan import presets as preset_catalog


class PresetWeights(keras.Model):
    """The generator and EMA generator of a GAN, as the one object a preset's weights file holds.

    Saving it with `save_weights` writes the weights of those two networks
    only, under `generator/` and `ema_generator/`; loading it fills them.

    Args:
        gan: a `kerasgan.GAN` built with `ema_decay` (so it has an
            `ema_generator`).

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.DCGAN(latent_dim=8, ema_decay=0.999)
        >>> PresetWeights(gan).save_weights("dcgan.weights.h5")  # doctest: +SKIP
    """

    def __init__(self, gan):
        super().__init__(name="preset_weights")
        if gan.ema_generator is None:
            raise ValueError(
                f"A preset holds a generator and its EMA copy; this {type(gan).__name__} keeps no EMA "
                "generator. Build it with ema_decay=0.999 (kerasgan train --ema-decay 0.999)."
            )
        self.generator = gan.generator
        self.ema_generator = gan.ema_generator
        self.built = True


def save_preset_weights(gan, path):
    """Writes a GAN's generator and EMA generator weights (only those) to a `.weights.h5` file.

    Args:
        gan: a `kerasgan.GAN` with an `ema_generator`.
        path: file name ending in `.weights.h5`.

    Returns:
        The path written.

    Example:
        >>> save_preset_weights(gan, "kerasgan/presets/mine/mine.weights.h5")  # doctest: +SKIP
    """
    PresetWeights(gan).save_weights(os.fspath(path))
    return path


def load_preset_weights(gan, path, name=None):
    """Loads a preset's weights file into a GAN's generator and EMA generator.

    Args:
        gan: a `kerasgan.GAN` built from the preset's card.
        path: the preset's `.weights.h5` file.
        name: the preset's name, for error messages.

    Returns:
        The GAN.

    Raises:
        ValueError: a missing, unreadable or corrupt file, or weights of
            another architecture than the card's.

    Example:
        >>> load_preset_weights(gan, "kerasgan/presets/mine/mine.weights.h5")  # doctest: +SKIP
    """
    what = f"preset {name!r}'s weights file {os.fspath(path)!r}" if name else f"{os.fspath(path)!r}"
    if not os.path.isfile(path):
        raise ValueError(
            f"The {what} is missing. Reinstall kerasgan, or retrain it with scripts/train_presets.py."
        )
    try:
        PresetWeights(gan).load_weights(os.fspath(path))
    except (OSError, ValueError, KeyError) as error:
        cause = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ValueError(
            f"Cannot load the {what}: it is corrupt or does not match the networks of its card "
            f"({type(gan).__name__} with the card's config). Reinstall kerasgan, or retrain it with "
            f"scripts/train_presets.py. Cause: {cause}"
        ) from error
    return gan


def build_from_card(cls, card, weights_path, name=None, sample_from=None, **overrides):
    """Builds the card's variant as `cls`, with `overrides`, and loads the preset's weights.

    Both networks get the file's weights; when the network to sample from
    is the raw `"generator"` (the card's `sample_from`, where the EMA copy
    scored worse, as an average over too short a run does), the EMA copy
    then restarts from the generator's weights, as it does when a model is
    built, so `generate()` draws from the generator and fine-tuning averages
    from there.

    Args:
        cls: the class to build (the card's variant class or a subclass).
        card: the card dict (`kerasgan.presets.get_card(name)`).
        weights_path: the `.weights.h5` file.
        name: the preset's name, for error messages.
        sample_from: `"ema_generator"` or `"generator"`, the network
            `generate()` uses; None for the card's `sample_from` (default
            `"ema_generator"`).
        **overrides: constructor arguments replacing the card's `config`
            (e.g. `seed=1`); arguments that change the generator make the
            weights fail to load.

    Returns:
        The model, uncompiled.

    Example:
        >>> gan = build_from_card(kerasgan.DCGAN, card, "dcgan.weights.h5")  # doctest: +SKIP
    """
    config = {**card["config"], **overrides}
    if "image_shape" in config:
        config["image_shape"] = tuple(config["image_shape"])
    sample_from = sample_from or card.get("sample_from", "ema_generator")
    if sample_from not in ("ema_generator", "generator"):
        raise ValueError(
            f"sample_from must be 'ema_generator' or 'generator' (the networks a preset ships); "
            f"received {sample_from!r}."
        )
    gan = load_preset_weights(cls(**config), weights_path, name=name)
    if sample_from == "generator":
        gan.ema_generator.set_weights(gan.generator.get_weights())
    return gan


class PresetMixin:
    """Adds `from_preset` to the latent GAN task class (`kerasgan.GAN` and its variants)."""

    @classmethod
    def from_preset(cls, name, sample_from=None, **overrides):
        """Builds a shipped, trained model from its preset, offline.

        Reads the card of `name` (`kerasgan.presets.PRESETS`), builds its
        variant with the card's constructor arguments (and `overrides`),
        and loads the trained generator and EMA generator weights shipped
        in the package. `generate` samples from the network the card's
        `sample_from` names, the one of the two with the lower FID, whose
        scores the card gives: the EMA generator, or the raw generator when
        the average scored worse (then the EMA copy restarts from the
        generator's weights, as in a new model). The model comes back uncompiled; `compile()`
        and `fit` fine-tune it, with a freshly initialised discriminator
        (presets ship no discriminator). The output is synthetic images
        from a model trained on the card's data set.

        `kerasgan.GAN.from_preset` loads any preset; a variant's class
        (`kerasgan.DCGAN.from_preset`) loads only presets of that variant
        or of its subclasses.

        Args:
            name: a preset name, e.g. `"dcgan_fashion_mnist"`.
            sample_from: None (the card's choice), `"ema_generator"` (the
                shipped average) or `"generator"` (the raw generator).
            **overrides: constructor arguments replacing the card's, e.g.
                `seed=1` (the seed of training draws, not of `generate`).

        Returns:
            The model, of the card's variant class.

        Raises:
            ValueError: an unknown name (the message lists the presets), a
                class that does not match the card (the message names the
                right one), or a missing or corrupt weights file.

        Example:
            >>> import kerasgan
            >>> gan = kerasgan.DCGAN.from_preset("dcgan_fashion_mnist")
            >>> gan.generate(4, seed=0).shape
            (4, 28, 28, 1)
        """
        from kerasgan.models.registry import VARIANTS

        card = preset_catalog.get_card(name)
        variant = card["variant"]
        if variant not in VARIANTS:
            raise ValueError(
                f"Preset {name!r} is a {variant!r} model, a variant this kerasgan does not have "
                f"(known: {sorted(VARIANTS)}). Upgrade kerasgan."
            )
        target = VARIANTS[variant]
        if not issubclass(target, cls):
            raise ValueError(
                f"Preset {name!r} is a {target.__name__} ({variant!r}), not a {cls.__name__}. Load it "
                f"with kerasgan.{target.__name__}.from_preset({name!r}) or "
                f"kerasgan.GAN.from_preset({name!r})."
            )
        weights = preset_catalog.weights_path(name)
        return build_from_card(target, card, weights, name=name, sample_from=sample_from, **overrides)
