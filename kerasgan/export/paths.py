"""Checks that an export target is free, so an export never overwrites work."""

import os


def check_free_output(path, kind, folder=False):
    """Raises unless nothing lives at `path` (an empty folder is fine for folders).

    Args:
        path: the file or folder an export will write.
        kind: what will be written there, for the message, e.g.
            `"SavedModel"` or `"TFLite file"`.
        folder: True when the export writes a folder: an existing empty
            folder is then accepted. Defaults to False.

    Returns:
        `path` as a string.

    Raises:
        ValueError: something already exists at `path`.

    Example:
        >>> check_free_output("exported/new_model", "SavedModel", folder=True)
        'exported/new_model'
    """
    path = os.fspath(path)
    empty_folder = folder and os.path.isdir(path) and not os.listdir(path)
    if os.path.lexists(path) and not empty_folder:
        raise ValueError(
            f"Cannot write the {kind} to {path!r}: something already exists "
            "there. Choose a new path, or delete the old one first."
        )
    return path
