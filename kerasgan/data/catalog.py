"""The data sets kerasgan knows by name, and checks on names and splits."""

import dataclasses


@dataclasses.dataclass(frozen=True)
class DatasetSpec:
    """What kerasgan needs to know about one named data set.

    Args:
        name: kerasgan's name, e.g. `"fashion_mnist"`.
        tfds_name: the tensorflow-datasets name it is loaded under.
        splits: the split names it accepts, e.g. `("train", "test")`.
        image_shape: `(H, W, C)` of the images kerasgan yields by default
            (after its own cropping, for `celeb_a`).
        num_classes: number of class labels, or `None` when the data set has
            no class labels.
        shuffle_buffer: shuffle buffer size for streamed (tensorflow-datasets)
            data; the whole data set, or about 0.5 GB of images.
        offline_hint: how to make the data available without a download.
        local_formats: offline formats (`"idx"`, `"npz"`) searched for before
            tensorflow-datasets is touched; empty (the default): none.
        folder_names: folder names under `$KERASGAN_DATA_DIR` (and under a
            `data_dir`) that may hold the offline files.
        system_folders: fixed folders searched after `$KERASGAN_DATA_DIR`.
        keras_cache: `(subfolder, format)` of the copy that `keras.datasets`
            keeps under `~/.keras/datasets/`, or `None`.
        crop: `(top, left, height, width)` box cut from every image before
            it is resized to `image_shape`, or `None`.
        derived_from: for an image-to-image set built from another named
            set (`kerasgan.data.translation_sets`), that set's name; `None`
            (the default) for a set read from its own files.
        pairing: what a batch holds: `None` (the default) images (and
            labels), `"paired"` `(sources, targets)` that correspond one to
            one, `"unpaired"` `(images_a, images_b)` of two domains.
        domain_classes: for `"unpaired"`, the classes of `derived_from`
            that make domains A and B, e.g. `(7, 5)`; empty otherwise.
    """

    name: str
    tfds_name: str
    splits: tuple
    image_shape: tuple
    num_classes: object
    shuffle_buffer: int
    offline_hint: str
    local_formats: tuple = ()
    folder_names: tuple = ()
    system_folders: tuple = ()
    keras_cache: object = None
    crop: object = None
    derived_from: object = None
    pairing: object = None
    domain_classes: tuple = ()


_DATA_DIR_HINT = (
    "set KERASGAN_DATA_DIR to a folder holding {folder}/ with the IDX files "
    "(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
    "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz)"
)

_TFDS_HINT = (
    "run once with download=True on a machine with internet, then pass the "
    "same data_dir (the tensorflow-datasets folder, ~/tensorflow_datasets by "
    "default) here"
)


_FASHION_MNIST_HINT = (
    "install the Debian package dataset-fashion-mnist (apt-get install "
    "dataset-fashion-mnist), or " + _DATA_DIR_HINT.format(folder="fashion_mnist")
)


def _from_fashion_mnist(name, pairing, domain_classes=()):
    """The spec of an image-to-image set built from Fashion-MNIST, padded to 32x32."""
    return DatasetSpec(
        name=name, tfds_name="fashion_mnist", splits=("train", "test"), image_shape=(32, 32, 1),
        num_classes=None, shuffle_buffer=60000, offline_hint=_FASHION_MNIST_HINT,
        derived_from="fashion_mnist", pairing=pairing, domain_classes=domain_classes,
    )  # fmt: skip


def _mnist_style(name, folder_names, offline_hint, **options):
    """The spec of a 28x28 grayscale, 10-class data set that also loads offline."""
    return DatasetSpec(
        name=name, tfds_name=name, splits=("train", "test"), image_shape=(28, 28, 1), num_classes=10,
        local_formats=("idx", "npz"), folder_names=folder_names, shuffle_buffer=60000,
        offline_hint=offline_hint, **options,
    )  # fmt: skip


_CATALOG = {
    spec.name: spec
    for spec in (
        _mnist_style(
            "mnist",
            ("mnist",),
            keras_cache=("", "npz"),
            offline_hint=_DATA_DIR_HINT.format(folder="mnist")
            + ", or copy mnist.npz into ~/.keras/datasets/, or switch to Fashion-MNIST, a drop-in "
            "replacement that ships as the Debian package dataset-fashion-mnist (install it and load "
            "'fashion_mnist')",
        ),
        _mnist_style(
            "fashion_mnist",
            ("fashion_mnist", "fashion-mnist"),
            system_folders=("/usr/share/datasets/fashion-mnist",),
            keras_cache=("fashion-mnist", "idx"),
            offline_hint=_FASHION_MNIST_HINT,
        ),
        DatasetSpec(
            name="cifar10",
            tfds_name="cifar10",
            splits=("train", "test"),
            image_shape=(32, 32, 3),
            num_classes=10,
            shuffle_buffer=50000,
            offline_hint=_TFDS_HINT,
        ),
        DatasetSpec(
            name="celeb_a",
            tfds_name="celeb_a",
            splits=("train", "validation", "test"),
            image_shape=(64, 64, 3),
            num_classes=None,
            shuffle_buffer=8192,
            crop=(51, 19, 140, 140),
            offline_hint=_TFDS_HINT,
        ),
        _from_fashion_mnist("fashion_mnist_edges", "paired"),
        _from_fashion_mnist("fashion_mnist_sneaker_sandal", "unpaired", domain_classes=(7, 5)),
    )
}


def available():
    """Lists the data set names that `load` and `load_arrays` accept.

    Returns:
        A tuple of names: `("mnist", "fashion_mnist", "cifar10",
        "celeb_a", "fashion_mnist_edges", "fashion_mnist_sneaker_sandal")`;
        the last two are the image-to-image sets of
        `kerasgan.data.translation_sets`.

    Example:
        >>> import kerasgan
        >>> "fashion_mnist" in kerasgan.data.available()
        True
    """
    return tuple(_CATALOG)


def get_spec(name, split=None):
    """Returns the `DatasetSpec` for `name`, without touching the network.

    Args:
        name: a data set name from `available()`. Case and `-` versus `_`
            do not matter (`"Fashion-MNIST"` is `"fashion_mnist"`).
        split: optional split name, e.g. `"train"`, checked against the
            spec's `splits`.

    Returns:
        The `DatasetSpec` of that data set.

    Raises:
        ValueError: if `name` is not a known data set, or `split` not one of
            its splits.

    Example:
        >>> get_spec("cifar10", "test").image_shape
        (32, 32, 3)
    """
    key = name.lower().replace("-", "_") if isinstance(name, str) else None
    if key not in _CATALOG:
        raise ValueError(
            f"Unknown data set name {name!r}. Known data sets: "
            f"{', '.join(_CATALOG)}. For your own images use "
            "kerasgan.data.from_numpy or kerasgan.data.from_directory."
        )
    spec = _CATALOG[key]
    if split is not None and split not in spec.splits:
        raise ValueError(
            f"Data set {spec.name!r} has splits {list(spec.splits)}; received "
            f"split={split!r}. Pass one of those (use limit=N for a subset)."
        )
    return spec
