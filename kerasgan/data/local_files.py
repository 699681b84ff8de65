"""Finds and reads offline copies of MNIST-style data sets (IDX or .npz)."""

import os

import numpy as np

from kerasgan.data.idx import read_idx

DATA_DIR_ENV = "KERASGAN_DATA_DIR"
_IDX_PREFIXES = {"train": "train", "test": "t10k"}


def keras_cache_dir():
    """Returns the folder where `keras.datasets` caches its downloads.

    Mirrors Keras: `$KERAS_HOME/datasets` when `KERAS_HOME` is set, else
    `~/.keras/datasets` (or `/tmp/.keras/datasets` when the home folder is not
    writable). Evaluated on every call, so a changed `HOME` is honoured.

    Returns:
        The folder path as a string (it may not exist).

    Example:
        >>> keras_cache_dir().endswith(os.path.join(".keras", "datasets"))
        True
    """
    if os.environ.get("KERAS_HOME"):
        return os.path.join(os.environ["KERAS_HOME"], "datasets")
    base = os.path.expanduser("~")
    if not os.access(base, os.W_OK):
        base = "/tmp"
    return os.path.join(base, ".keras", "datasets")


def candidate_folders(spec, data_dir=None):
    """Lists where offline files for `spec` are looked for, in order.

    Order: `data_dir` itself and its `<name>/` subfolders, then
    `$KERASGAN_DATA_DIR/<name>/` (the `fashion-mnist` spelling is accepted
    too), then fixed system folders such as `/usr/share/datasets/fashion-mnist`,
    then the `keras.datasets` cache.

    Args:
        spec: a `DatasetSpec` from the catalog.
        data_dir: optional folder given by the caller.

    Returns:
        A list of `(folder, formats)` pairs; `formats` is a tuple drawn from
        `"idx"` and `"npz"`. Empty when the data set has no offline format.

    Example:
        >>> from kerasgan.data.catalog import get_spec
        >>> folders = candidate_folders(get_spec("fashion_mnist"))
        >>> ("/usr/share/datasets/fashion-mnist", ("idx", "npz")) in folders
        True
    """
    if not spec.local_formats:
        return []
    roots = [] if data_dir is None else [os.fspath(data_dir)]
    folders = list(roots)
    if os.environ.get(DATA_DIR_ENV):
        roots.append(os.environ[DATA_DIR_ENV])
    folders += [os.path.join(r, n) for r in roots for n in spec.folder_names]
    folders += list(spec.system_folders)
    pairs = [(folder, spec.local_formats) for folder in folders]
    if spec.keras_cache is not None:
        subfolder, file_format = spec.keras_cache
        cache = os.path.join(keras_cache_dir(), subfolder)
        pairs.append((os.path.normpath(cache), (file_format,)))
    return pairs


def find_local_files(spec, split, data_dir=None):
    """Finds an offline copy of one split of `spec`.

    Args:
        spec: a `DatasetSpec` from the catalog.
        split: `"train"` or `"test"`.
        data_dir: optional folder searched first (see `candidate_folders`).

    Returns:
        A pair `(found, searched)`. `found` is `None`, or `("idx",
        (images_path, labels_path))`, or `("npz", npz_path)`. `searched` is
        the list of folders looked at, for error messages.

    Raises:
        ValueError: if a folder holds the images file of the split but not
            its labels file.

    Example:
        >>> from kerasgan.data.catalog import get_spec
        >>> found, _ = find_local_files(get_spec("fashion_mnist"), "test")
        >>> found[0]
        'idx'
    """
    searched = []
    for folder, formats in candidate_folders(spec, data_dir):
        searched.append(folder)
        if not os.path.isdir(folder):
            continue
        if "idx" in formats:
            found = _find_idx_pair(folder, split)
            if found is not None:
                return ("idx", found), searched
        if "npz" in formats:
            path = os.path.join(folder, f"{spec.name}.npz")
            if os.path.isfile(path):
                return ("npz", path), searched
    return None, searched


def read_local_arrays(spec, split, found, limit=None):
    """Reads the files returned by `find_local_files` into NumPy arrays.

    Args:
        spec: a `DatasetSpec` from the catalog.
        split: `"train"` or `"test"`.
        found: the `found` value from `find_local_files` (not `None`).
        limit: optional positive int; keep only the first `limit` examples.

    Returns:
        `(images, labels)`: uint8 images of shape `(N, H, W, C)` in
        `[0, 255]` and int64 labels of shape `(N,)`.

    Raises:
        ValueError: if the files do not hold images of `spec.image_shape`
            with one label per image.

    Example:
        >>> from kerasgan.data.catalog import get_spec
        >>> spec = get_spec("fashion_mnist")
        >>> found, _ = find_local_files(spec, "test")
        >>> images, labels = read_local_arrays(spec, "test", found, limit=3)
        >>> images.shape, labels.dtype
        ((3, 28, 28, 1), dtype('int64'))
    """
    kind, where = found
    if kind == "idx":
        images, labels = (read_idx(path, limit=limit) for path in where)
        source = f"{where[0]} and {where[1]}"
    else:
        with np.load(where, allow_pickle=False) as arrays:
            images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"]
        images, labels = images[:limit], labels[:limit]
        source = where
    if images.ndim == 3:
        images = images[..., np.newaxis]
    if images.shape[1:] != spec.image_shape or images.dtype != np.uint8:
        raise ValueError(
            f"{source} should hold {spec.name} images of shape "
            f"(N, *{spec.image_shape}) uint8; found {images.shape} "
            f"{images.dtype}. Point KERASGAN_DATA_DIR or data_dir at the "
            f"right files."
        )
    labels = labels.reshape(-1).astype(np.int64)
    if len(labels) != len(images):
        raise ValueError(
            f"{source} hold {len(images)} images but {len(labels)} labels. Re-download the files."
        )
    return images, labels


def _find_idx_pair(folder, split):
    """Returns (images_path, labels_path) for `split` in `folder`, or None."""
    prefix = _IDX_PREFIXES[split]
    images = _first_existing(folder, f"{prefix}-images", "idx3-ubyte")
    if images is None:
        return None
    labels = _first_existing(folder, f"{prefix}-labels", "idx1-ubyte")
    if labels is None:
        raise ValueError(
            f"Found {images} but no matching labels file "
            f"({prefix}-labels-idx1-ubyte[.gz]) in {folder}. Copy the labels "
            "file next to the images."
        )
    return images, labels


def _first_existing(folder, stem, suffix):
    """First of `stem-suffix`, `stem.suffix`, each with or without `.gz`."""
    for separator in ("-", "."):
        for extension in (".gz", ""):
            path = os.path.join(folder, f"{stem}{separator}{suffix}{extension}")
            if os.path.isfile(path):
                return path
    return None
