"""Attributes imported on first use, with an install hint where TensorFlow is missing."""

import importlib


def import_tensorflow_part(public_name, module_name, attribute=None):
    """`module_name` (or its `attribute`), imported now; a missing TensorFlow says what to install.

    `public_name` is how users reach it (`"kerasgan.data"`). Any other missing
    module is raised unchanged.

    Example:
        >>> from kerasgan.utils.lazy import import_tensorflow_part
        >>> import_tensorflow_part("kerasgan.data.read_idx", "kerasgan.data.idx", "read_idx").__name__
        'read_idx'
    """
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name is None or not error.name.startswith("tensorflow"):
            raise
        raise ModuleNotFoundError(
            f"{public_name} is built on TensorFlow ({error.name} is not installed). "
            "Install it with `pip install tensorflow` (or tensorflow-cpu); the models, "
            "networks and losses train on the JAX backend without it.",
            name=error.name,
        ) from error
    return module if attribute is None else getattr(module, attribute)
