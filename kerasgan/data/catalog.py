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
        task: what the pairs are for: `None` (the default) for image
            sets, `"stacked"` for Stacked Fashion-MNIST (images made of
            three images of `derived_from`, `kerasgan.data.stacked`),
            `"translation"` (edges to garments, two unpaired domains),
            `"super_resolution"` (`(low_res, high_res)`) or `"inpainting"` (`(image with a hole, image)`).
        source_shape: `(H, W, C)` of the sources of a paired set
            (`(h, w, C)` low-resolution images for `"super_resolution"`);
            `None` (the default) means `image_shape`, and the spec then
            holds `image_shape` here. `image_shape` is always the shape of
            the targets (the high-resolution images).
        scale: for `"super_resolution"`, the factor between a target's
            side and its source's (2 or 4); 1 (the default) otherwise.
        hole: for `"inpainting"`, `(top, left, height, width)` of the hole
            cut from every source at `image_shape`; `None` otherwise.
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
    task: object = None
    source_shape: object = None
    scale: int = 1
    hole: object = None

    def __post_init__(self):
        if self.source_shape is None:
            object.__setattr__(self, "source_shape", self.image_shape)


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


def _from_fashion_mnist(name, pairing, image_shape=(32, 32, 1), **options):
    """The spec of an image-to-image set built from Fashion-MNIST (padded to 32x32 by default)."""
    return DatasetSpec(
        name=name, tfds_name="fashion_mnist", splits=("train", "test"), image_shape=image_shape,
        num_classes=None, shuffle_buffer=60000, offline_hint=_FASHION_MNIST_HINT,
        derived_from="fashion_mnist", pairing=pairing, **{"task": "translation", **options},
    )  # fmt: skip


def _super_resolution(name, scale, image_shape, **options):
    """The spec of a `(low_res, high_res)` set: targets of `image_shape`, sources `scale` times smaller."""
    height, width, channels = image_shape
    source_shape = (height // scale, width // scale, channels)
    return dict(
        name=name, pairing="paired", task="super_resolution", image_shape=image_shape,
        source_shape=source_shape, scale=scale, **options,
    )  # fmt: skip


def _cycle_gan(name):
    """The spec of a tensorflow-datasets `cycle_gan` config: two unpaired domains of photographs."""
    return DatasetSpec(
        name=name, tfds_name=f"cycle_gan/{name}", splits=("train", "test"), image_shape=(256, 256, 3),
        num_classes=None, shuffle_buffer=2048, offline_hint=_TFDS_HINT, pairing="unpaired",
        task="translation",
    )  # fmt: skip


def _div2k(scale):
    """The spec of a tensorflow-datasets `div2k/bicubic_xN` config, cut into 96x96 training crops."""
    return DatasetSpec(
        tfds_name=f"div2k/bicubic_x{scale}", splits=("train", "validation"), num_classes=None,
        shuffle_buffer=800, offline_hint=_TFDS_HINT,
        **_super_resolution(f"div2k_x{scale}", scale, (96, 96, 3)),
    )  # fmt: skip


# The hole of "fashion_mnist_masked": the centre 14x14 of the 28x28 garment (half its side),
# which is rows and columns 9 to 22 of the garment padded to 32x32.
MASKED_HOLE = (9, 9, 14, 14)


def _mnist_style(name, folder_names, offline_hint, **options):
    """The spec of a 28x28 grayscale, 10-class data set that also loads offline."""
    return DatasetSpec(
        name=name, tfds_name=name, splits=("train", "test"), image_shape=(28, 28, 1), num_classes=10,
        local_formats=("idx", "npz"), folder_names=folder_names, shuffle_buffer=60000,
        offline_hint=offline_hint, **options,
    )  # fmt: skip


# The tensorflow-datasets cycle_gan configs kerasgan loads by name.
CYCLE_GAN_SETS = ("horse2zebra", "apple2orange", "summer2winter_yosemite", "monet2photo")

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
        _from_fashion_mnist("fashion_mnist_shirt_tshirt", "unpaired", domain_classes=(6, 0)),
        _from_fashion_mnist(**_super_resolution("fashion_mnist_sr2", 2, (28, 28, 1))),
        _from_fashion_mnist(**_super_resolution("fashion_mnist_sr4", 4, (28, 28, 1))),
        _from_fashion_mnist("fashion_mnist_masked", "paired", task="inpainting", hole=MASKED_HOLE),
        *(_cycle_gan(name) for name in CYCLE_GAN_SETS),
        _div2k(2),
        _div2k(4),
        DatasetSpec(
            name="stacked_fashion_mnist",
            tfds_name="fashion_mnist",
            splits=("train", "test"),
            image_shape=(28, 28, 3),
            num_classes=1000,
            shuffle_buffer=60000,
            offline_hint=_FASHION_MNIST_HINT,
            derived_from="fashion_mnist",
            task="stacked",
        ),
    )
}


def available():
    """Lists the data set names that `load` and `load_arrays` accept.

    Returns:
        A tuple of names, in this order: the image sets `"mnist"`,
        `"fashion_mnist"`, `"cifar10"`, `"celeb_a"`; the image-to-image
        sets built from Fashion-MNIST (`kerasgan.data.translation_sets`),
        which load offline: `"fashion_mnist_edges"` (paired),
        `"fashion_mnist_sneaker_sandal"`, `"fashion_mnist_shirt_tshirt"`
        (unpaired), `"fashion_mnist_sr2"`, `"fashion_mnist_sr4"`
        (super-resolution), `"fashion_mnist_masked"` (completion); and the
        tensorflow-datasets image-to-image sets
        (`kerasgan.data.tfds_translation`): `"horse2zebra"`,
        `"apple2orange"`, `"summer2winter_yosemite"`, `"monet2photo"`
        (unpaired), `"div2k_x2"`, `"div2k_x4"` (super-resolution); and
        `"stacked_fashion_mnist"` (three garments as the channels of one
        image, 1,000 modes; `kerasgan.data.stacked`), which loads offline.

    Example:
        >>> import kerasgan
        >>> names = kerasgan.data.available()
        >>> "fashion_mnist" in names, "fashion_mnist_sr4" in names, len(names)
        (True, True, 17)
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
