"""Atomic file writes: a reader never sees a half-written file.

A file is written under a temporary name in its own folder (`.tmp-<hex>-`
followed by the final name), flushed to disk, and renamed onto the final name
in one `os.replace`. A process killed at any moment leaves the old or the new
complete file, plus at most one stray temporary that `remove_stale_temporaries`
deletes.
"""

import glob
import json
import os
import uuid

_TMP_PREFIX = ".tmp-"


def _sync(path):
    """Flushes a file (or a folder's entries) to disk."""
    flags = os.O_RDONLY
    if os.path.isdir(path):
        flags |= getattr(os, "O_DIRECTORY", 0)
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomically(path, write):
    """Calls `write(tmp_path)` next to `path`, then renames it onto `path`.

    The temporary name ends with the final file name, so writers that choose
    the format from the extension (Keras, PIL) or insist on one
    (`.weights.h5`) accept it. If `write` raises, the temporary file is
    removed and `path` is left as it was.

    Args:
        path: final file path; its folder is created if missing.
        write: callable taking the temporary path and writing the file.

    Returns:
        `path` as a string.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "note.txt")
        >>> write_atomically(path, lambda tmp: open(tmp, "w").write("hi")) == path
        True
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp_path = os.path.join(directory, f"{_TMP_PREFIX}{uuid.uuid4().hex}-{os.path.basename(path)}")
    try:
        write(tmp_path)
        _sync(tmp_path)
        os.replace(tmp_path, path)
    except BaseException:
        if os.path.exists(tmp_path):
            os.remove(tmp_path)
        raise
    _sync(directory)
    return path


def remove_stale_temporaries(path):
    """Deletes temporary files that an interrupted `write_atomically` left.

    Only files named like the temporaries of `path` (in its folder) are
    removed; `path` itself is never touched. Call it when no other process
    is writing `path`, e.g. when a run resumes.

    Args:
        path: the final file path whose temporaries to delete.

    Returns:
        The list of paths removed.

    Example:
        >>> import os, tempfile
        >>> folder = tempfile.mkdtemp()
        >>> open(os.path.join(folder, ".tmp-1f-model.keras"), "w").close()
        >>> [os.path.basename(p) for p in remove_stale_temporaries(os.path.join(folder, "model.keras"))]
        ['.tmp-1f-model.keras']
    """
    directory, name = os.path.split(os.path.abspath(os.fspath(path)))
    pattern = os.path.join(glob.escape(directory), f"{_TMP_PREFIX}*-{glob.escape(name)}")
    removed = sorted(glob.glob(pattern, include_hidden=True))
    for stale in removed:
        os.remove(stale)
    return removed


def write_json_atomically(path, data):
    """Writes `data` as indented JSON to `path` atomically.

    Args:
        path: file path.
        data: JSON-serializable object.

    Returns:
        `path` as a string.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "run.json")
        >>> write_json_atomically(path, {"epochs_completed": 3}) == path
        True
    """

    def write(tmp_path):
        with open(tmp_path, "w") as f:
            json.dump(data, f, indent=2, sort_keys=True)

    return write_atomically(path, write)
