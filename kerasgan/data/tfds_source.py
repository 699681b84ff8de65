"""Streams a named data set from tensorflow-datasets as uint8 examples."""

import tensorflow as tf

NO_LABEL = -1


def tfds_examples(spec, split, limit, shuffle, seed, data_dir, download, searched_folders):
    """Loads one split of `spec` with `tfds.load`, one example at a time.

    Each example is `(image, label)`: a uint8 image in `[0, 255]` and an
    int64 label (`NO_LABEL`, -1, for data sets without class labels). The
    image is cut to `spec.crop` when the spec has one (the face of
    `celeb_a`); it is not resized here.

    Args:
        spec: a `DatasetSpec` from the catalog.
        split: a split name from `spec.splits`.
        limit: `None`, or a positive int: keep only the first `limit`
            examples.
        shuffle: whether tensorflow-datasets shuffles its files.
        seed: `None`, or an int seeding that file shuffle.
        data_dir: tensorflow-datasets folder; `None` means its default
            (`$TFDS_DATA_DIR` or `~/tensorflow_datasets`).
        download: whether tensorflow-datasets may download and prepare the
            data.
        searched_folders: folders already searched for offline files,
            named in the error message.

    Returns:
        A `tf.data.Dataset` of `(image (H, W, C) uint8, label int64)`.

    Raises:
        ValueError: if tensorflow-datasets fails to load the data (not
            downloaded and `download=False`, no internet, ...). The message
            says how to make the data available.
        ImportError: if tensorflow-datasets is not installed.

    Example:
        >>> from kerasgan.data.catalog import get_spec
        >>> ds = tfds_examples(get_spec("cifar10"), "test", 8, True, 0, None, True, ())  # doctest: +SKIP
        >>> ds.element_spec[0].shape  # doctest: +SKIP
        TensorShape([32, 32, 3])
    """
    try:
        import tensorflow_datasets as tfds
    except ImportError as error:
        raise ImportError(
            "Loading this data set needs tensorflow-datasets: "
            "pip install tensorflow-datasets. (MNIST and Fashion-MNIST also "
            "load offline from IDX files; see kerasgan.data.load.)"
        ) from error
    supervised = spec.num_classes is not None
    try:
        dataset = tfds.load(
            spec.tfds_name,
            split=split if limit is None else f"{split}[:{limit}]",
            data_dir=None if data_dir is None else str(data_dir),
            download=download,
            shuffle_files=shuffle,
            as_supervised=supervised,
            read_config=tfds.ReadConfig(shuffle_seed=seed),
        )
    except Exception as error:  # tfds raises many types; all mean the same.
        searched = ""
        if searched_folders:
            searched = f"No offline files were found in {', '.join(searched_folders)}, and "
        raise ValueError(
            f"{searched}tensorflow-datasets could not load {spec.name!r} split "
            f"{split!r} (download={download}, data_dir={data_dir!r}): "
            f"{type(error).__name__}: {error} To fix: {spec.offline_hint}; "
            "or allow the download with download=True on a machine with "
            "internet."
        ) from error
    if not supervised:
        dataset = dataset.map(lambda example: (example["image"], tf.constant(NO_LABEL, tf.int64)))
    if spec.crop is not None:
        top, left, height, width = spec.crop
        dataset = dataset.map(
            lambda image, label: (image[top : top + height, left : left + width], label),
            num_parallel_calls=tf.data.AUTOTUNE,
        )
    if limit is not None:
        dataset = dataset.take(limit)
    return dataset
