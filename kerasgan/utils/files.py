"""Atomic file writes: a reader never sees a half-written file."""

import json
import os
import uuid


def write_atomically(path, write):
    """Calls `write(tmp_path)` next to `path`, then renames it onto `path`.

    The temporary name keeps `path`'s extension (Keras and PIL choose the
    format from it). A crash mid-write leaves the old `path` intact.

    Args:
        path: final file path; its folder is created if missing.
        write: callable taking the temporary path and writing the file.

    Returns:
        `path` as a string.

    Example:
        >>> write_atomically("run/model.keras", model.save)  # doctest: +SKIP
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    extension = os.path.splitext(path)[1]
    tmp_path = os.path.join(
        directory, f".{os.path.basename(path)}.{uuid.uuid4().hex}.tmp{extension}"
    )
    try:
        write(tmp_path)
        os.replace(tmp_path, path)
    except BaseException:
        if os.path.exists(tmp_path):
            os.remove(tmp_path)
        raise
    return path


def write_json_atomically(path, data):
    """Writes `data` as indented JSON to `path` atomically.

    Args:
        path: file path.
        data: JSON-serializable object.

    Returns:
        `path` as a string.

    Example:
        >>> write_json_atomically("run/run.json", {"epochs_completed": 3})  # doctest: +SKIP
    """

    def write(tmp_path):
        with open(tmp_path, "w") as f:
            json.dump(data, f, indent=2, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())

    return write_atomically(path, write)
