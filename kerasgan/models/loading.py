"""Loading a saved GAN with errors that say what is wrong with the file."""

import os
import zipfile

import keras

from kerasgan.models.base import BaseGAN


def load_gan(path, require_optimizers=True):
    """Loads a kerasgan model from a `.keras` file, refusing anything else.

    Any registered variant loads: a latent `kerasgan.GAN` or an
    image-to-image `kerasgan.ImageToImageGAN` (`Pix2Pix`, `CycleGAN`).

    Args:
        path: a `.keras` file written by `save()` (or a run checkpoint).
        require_optimizers: whether the file must hold every network's
            optimizer, as needed to continue training. Defaults to True.

    Returns:
        The `kerasgan.BaseGAN` subclass instance, compiled when the file
        holds its optimizers.

    Raises:
        ValueError: the file is missing, truncated, not a Keras file, a
            Keras file of another kind of model, or a model saved without
            its optimizers when `require_optimizers` is True. The message
            names the file and says what to do.

    Example:
        >>> gan = load_gan("runs/dcgan/model.keras")  # doctest: +SKIP
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ValueError(f"No GAN file at {path!r}. Check the path, or train first.")
    if not zipfile.is_zipfile(path):
        raise ValueError(
            f"{path} is not a Keras file (not a zip archive; it may be truncated "
            "or overwritten). Delete it and train again, or restore a copy."
        )
    try:
        model = keras.saving.load_model(path)
    except Exception as error:
        raise ValueError(
            f"Cannot load {path}: it is corrupt or was not written by kerasgan "
            f"({type(error).__name__}: {error}). Delete it and train again, or "
            "restore a copy."
        ) from error
    if not isinstance(model, BaseGAN):
        raise ValueError(
            f"{path} holds a {type(model).__name__}, not a kerasgan GAN. Pass a "
            "file written by GAN.save() or by `kerasgan train`."
        )
    if require_optimizers and not model.is_compiled:
        raise ValueError(
            f"{path} holds a {type(model).__name__} saved before compile(), without "
            "its optimizers, so its training cannot continue. Load it for "
            "sampling with require_optimizers=False, or train a new run."
        )
    return model
