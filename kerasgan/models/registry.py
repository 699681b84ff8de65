"""The registry of variants: one decorator instead of hand-kept lists."""

import keras

# Every registered variant by its short name, in registration order.
VARIANTS = {}


def register_variant(name):
    """Class decorator: registers a kerasgan model under a short name.

    The class becomes Keras-serializable (package `"kerasgan"`, so `.keras`
    files find it), gets `variant_name = name`, and is listed in
    `kerasgan.VARIANTS`, which the CLI, the run folders and the tests read.

    Args:
        name: short lowercase name, e.g. `"wgan_gp"`; unique.

    Returns:
        The decorator.

    Example:
        >>> import kerasgan
        >>> kerasgan.VARIANTS["wgan_gp"].__name__
        'WGANGP'
    """

    def decorate(cls):
        if name in VARIANTS:
            raise ValueError(
                f"Variant name {name!r} is taken by {VARIANTS[name].__name__}; "
                f"register {cls.__name__} under another name."
            )
        cls = keras.saving.register_keras_serializable(package="kerasgan")(cls)
        cls.variant_name = name
        VARIANTS[name] = cls
        return cls

    return decorate


def variants_of(base):
    """The registered variants that subclass `base`, by short name.

    Args:
        base: a class, e.g. `kerasgan.GAN` (models that generate from
            latents) or `kerasgan.ImageToImageGAN`.

    Returns:
        Dict `{name: class}` in registration order.

    Example:
        >>> import kerasgan
        >>> "pix2pix" in variants_of(kerasgan.ImageToImageGAN)
        True
    """
    return {name: cls for name, cls in VARIANTS.items() if issubclass(cls, base)}
