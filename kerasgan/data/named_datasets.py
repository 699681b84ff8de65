"""`load` and `load_arrays`: the data sets kerasgan knows by name."""

import numpy as np
import tensorflow as tf

from kerasgan.data import stacked, tfds_translation, translation_sets
from kerasgan.data.catalog import get_spec
from kerasgan.data.local_files import find_local_files, read_local_arrays
from kerasgan.data.pipeline import UINT8_RANGE, array_dataset, batch_and_finish, scale_and_resize
from kerasgan.data.tfds_source import tfds_examples
from kerasgan.utils import validation


def load(
    name, split="train", batch_size=128, image_size=None, with_labels=False, shuffle=True, seed=None,
    drop_remainder=True, limit=None, data_dir=None, download=True,
):  # fmt: skip
    """Loads a named data set as a training pipeline of images in `[-1, 1]`.

    `"mnist"` and `"fashion_mnist"` are first looked for offline, as IDX
    files (`train-images-idx3-ubyte.gz`, ..., plain or gzip) or a `.npz`, in
    this order: `data_dir`, `data_dir/<name>/`, `$KERASGAN_DATA_DIR/<name>/`
    (`fashion-mnist` spelling accepted), `/usr/share/datasets/fashion-mnist/`
    (Debian package `dataset-fashion-mnist`; fashion_mnist only), and the
    `keras.datasets` cache (`~/.keras/datasets/fashion-mnist/`,
    `~/.keras/datasets/mnist.npz`). Otherwise, and for `"cifar10"` and
    `"celeb_a"`, the data comes from tensorflow-datasets. `celeb_a` images
    are cut to a 140x140 square around the face and resized to 64x64 unless
    `image_size` says otherwise. `"stacked_fashion_mnist"` loads wherever
    Fashion-MNIST does: 28x28x3 images whose channels are three garments of
    the split, a fixed draw of 60,000 stacks for train and 26,000 for test,
    labelled by their mode, one of 1,000 (`kerasgan.data.stacked`; the
    mode-coverage protocol of Metz et al. 2017).

    The image-to-image sets built from Fashion-MNIST load wherever it does
    (`kerasgan.data.translation_sets`). The paired ones yield `(sources,
    targets)`: `"fashion_mnist_edges"`, each target a garment padded to
    32x32 and its source the garment's Sobel edge map
    (`translation_sets.edge_map`); `"fashion_mnist_sr2"` and
    `"fashion_mnist_sr4"`, `(low_res, high_res)`, each target the 28x28
    garment and its source the garment's area downsampling by 2 (14x14) or
    4 (7x7), every source pixel the mean of a 2x2 or 4x4 block
    (`degradations.area_downsample`); `"fashion_mnist_masked"`, each target
    a garment padded to 32x32 and its source the same image with its centre
    14x14 (rows and columns 9 to 22) set to 0 (`degradations.hole_mask`).
    The unpaired ones yield `(images_a, images_b)`, two classes padded to
    32x32, each domain shuffled on its own:
    `"fashion_mnist_sneaker_sandal"`, sneakers (class 7) and sandals
    (class 5); `"fashion_mnist_shirt_tshirt"`, shirts (class 6) and
    T-shirts/tops (class 0). They have no labels; `limit` counts pairs, or
    the images of each domain.

    The tensorflow-datasets image-to-image sets
    (`kerasgan.data.tfds_translation`) need the data downloaded once:
    `"horse2zebra"`, `"apple2orange"`, `"summer2winter_yosemite"` and
    `"monet2photo"` yield `(images_a, images_b)` of 256x256x3 photographs
    from the `cycle_gan` splits `trainA`/`trainB` (`testA`/`testB` for
    `split="test"`); `"div2k_x2"` and `"div2k_x4"` yield `(low_res,
    high_res)` random crops of DIV2K, 96x96x3 high-resolution crops and
    their bicubic downsampling (48x48 or 24x24), a new crop of each image
    every epoch.

    The pipeline shuffles (seeded when `seed` is given), batches, scales and
    resizes whole batches in a parallel `map`, and prefetches.

    Args:
        name: one of `available()`: `"mnist"`, `"fashion_mnist"`,
            `"cifar10"`, `"celeb_a"`, the Fashion-MNIST image-to-image sets
            `"fashion_mnist_edges"`, `"fashion_mnist_sneaker_sandal"`,
            `"fashion_mnist_shirt_tshirt"`, `"fashion_mnist_sr2"`,
            `"fashion_mnist_sr4"`, `"fashion_mnist_masked"`, and the
            tensorflow-datasets ones `"horse2zebra"`, `"apple2orange"`,
            `"summer2winter_yosemite"`, `"monet2photo"`, `"div2k_x2"`,
            `"div2k_x4"`.
        split: `"train"` (the default) or `"test"`; `celeb_a` also has
            `"validation"`, and `div2k_*` has `"train"` and
            `"validation"` only. MNIST-style splits hold 60000 and 10000
            images.
        batch_size: positive int. Defaults to 128.
        image_size: optional `(height, width)` to resize to (bilinear,
            antialiased, after scaling). Defaults to `None`: 28x28 for
            (fashion_)mnist and the targets of the super-resolution sets,
            32x32 for cifar10 and the other Fashion-MNIST image-to-image
            sets (which are resized after padding, their sources made
            after resizing), 64x64 for celeb_a, 256x256 for the cycle_gan
            sets, 96x96 crops for div2k. For a super-resolution set it is
            the size of the targets, and its scale must divide it.
        with_labels: whether to yield `(images, labels)` with int32 class
            labels. Defaults to `False`. Not available for `celeb_a`.
        shuffle: whether to shuffle. Defaults to `True`.
        seed: optional int; the same seed gives the same order under the
            same global seed (`keras.utils.set_random_seed`), as for any
            seeded `tf.data` shuffle.
        drop_remainder: whether to drop an incomplete last batch. Defaults
            to `True`, so every batch has `batch_size` images.
        limit: optional positive int; use only the first `limit` examples of
            the split (quick runs and tests).
        data_dir: optional folder holding the offline files, or the
            tensorflow-datasets data folder.
        download: whether tensorflow-datasets may download the data.
            Defaults to `True`.

    Returns:
        A `tf.data.Dataset` of float32 images `(batch_size, H, W, C)` in
        `[-1, 1]` (C=1 for the grayscale data sets), or of `(images,
        labels)` with int32 labels `(batch_size,)` when `with_labels=True`;
        for the image-to-image sets, of `(sources, targets)` or
        `(images_a, images_b)`, float32 in `[-1, 1]`: the targets of
        `get_spec(name).image_shape` (or `image_size`) and the sources of
        `get_spec(name).source_shape` (smaller by `scale` for the
        super-resolution sets), e.g. `(batch_size, 32, 32, 1)` both for
        `fashion_mnist_edges`.

    Raises:
        ValueError: for an unknown name or split, invalid arguments,
            `with_labels=True` for a set without labels, or data that is
            neither found offline nor loadable by tensorflow-datasets (the
            message says how to make it available).

    Example:
        >>> import kerasgan
        >>> ds = kerasgan.data.load("fashion_mnist", batch_size=32, limit=64)
        >>> next(iter(ds)).shape
        TensorShape([32, 28, 28, 1])
        >>> sources, targets = next(iter(kerasgan.data.load("fashion_mnist_edges", batch_size=8, limit=8)))
        >>> sources.shape, targets.shape
        (TensorShape([8, 32, 32, 1]), TensorShape([8, 32, 32, 1]))
        >>> low_res, high_res = next(iter(kerasgan.data.load("fashion_mnist_sr4", batch_size=8, limit=8)))
        >>> low_res.shape, high_res.shape
        (TensorShape([8, 7, 7, 1]), TensorShape([8, 28, 28, 1]))
    """
    spec = get_spec(name, split)
    batch_size = validation.validate_positive_int(batch_size, "batch_size")
    limit = validation.validate_positive_int(limit, "limit", allow_none=True)
    image_size = validation.validate_image_size(image_size)
    seed = validation.validate_seed(seed)
    if spec.pairing is not None:
        return _load_translation_set(
            spec, split, batch_size, image_size, with_labels, shuffle, seed, drop_remainder, limit,
            data_dir, download,
        )  # fmt: skip
    if with_labels and spec.num_classes is None:
        raise ValueError(
            f"Data set {spec.name!r} has no class labels; received with_labels=True. Pass with_labels=False."
        )
    source = f"{spec.name} {split!r}"
    if limit is not None:
        source += f" with limit={limit}"
    if spec.task == "stacked":
        images, labels = load_arrays(spec.name, split, data_dir=data_dir, download=download, limit=limit)
        labels = labels if with_labels else None
        return array_dataset(
            images, labels, UINT8_RANGE, source, batch_size, image_size, shuffle, seed, drop_remainder
        )
    found, searched = find_local_files(spec, split, data_dir)
    if found is not None:
        images, labels = read_local_arrays(spec, split, found, limit=limit)
        labels = labels if with_labels else None
        return array_dataset(
            images, labels, UINT8_RANGE, source, batch_size, image_size, shuffle, seed, drop_remainder
        )
    if limit is not None:
        validation.validate_enough_examples(limit, batch_size, drop_remainder, source)
    examples = tfds_examples(spec, split, limit, shuffle, seed, data_dir, download, searched)
    if shuffle:
        buffer_size = min(spec.shuffle_buffer, limit or spec.shuffle_buffer)
        examples = examples.shuffle(buffer_size, seed=seed)
    size = image_size or spec.image_shape[:2]

    def transform(images, labels):
        images = scale_and_resize(images, UINT8_RANGE, size)
        return (images, tf.cast(labels, tf.int32)) if with_labels else images

    return batch_and_finish(examples, batch_size, drop_remainder, transform)


def _load_translation_set(
    spec, split, batch_size, image_size, with_labels, shuffle, seed, drop_remainder, limit, data_dir, download
):
    """`load` for the image-to-image sets: reads the set they are built from, then pairs it."""
    if with_labels:
        kind = "(sources, targets)" if spec.pairing == "paired" else "(images_a, images_b)"
        also = "" if spec.derived_from is None else f", or load {spec.derived_from!r} for labelled images"
        raise ValueError(
            f"Data set {spec.name!r} yields {kind} batches and has no class labels; received "
            f"with_labels=True. Pass with_labels=False{also}."
        )
    if spec.derived_from is None:
        loader = (
            tfds_translation.super_resolution_tfds_dataset
            if spec.pairing == "paired"
            else tfds_translation.unpaired_tfds_dataset
        )
        return loader(
            spec, split, batch_size, image_size, shuffle, seed, drop_remainder, limit, data_dir=data_dir,
            download=download,
        )  # fmt: skip
    source = f"{spec.name} {split!r}" + ("" if limit is None else f" with limit={limit}")
    options = (source, batch_size, image_size, shuffle, seed, drop_remainder)
    if spec.pairing == "paired":
        images, _ = load_arrays(spec.derived_from, split, data_dir=data_dir, download=download, limit=limit)
        return translation_sets.paired_dataset(spec, images, *options)
    images, labels = load_arrays(spec.derived_from, split, data_dir=data_dir, download=download)
    domains = translation_sets.domain_images(spec, images, labels, limit=limit)
    return translation_sets.unpaired_dataset(spec, domains, *options)


def load_arrays(name, split="train", data_dir=None, download=True, limit=None):
    """Loads a named data set into NumPy arrays, unscaled.

    Looks for the data where `load` does (offline files first for
    (fashion_)mnist, then tensorflow-datasets) and returns it in file order.
    `celeb_a` images come cut around the face and resized to 64x64, like
    `load` yields them; being 12 KB each, ask for a `limit` unless you have
    about 2.5 GB of memory to spare.

    Args:
        name: one of `available()`.
        split: `"train"` (the default) or `"test"`; `celeb_a` also has
            `"validation"`.
        data_dir: optional folder holding the offline files, or the
            tensorflow-datasets data folder.
        download: whether tensorflow-datasets may download the data.
            Defaults to `True`.
        limit: optional positive int; return only the first `limit`
            examples.

    Returns:
        `(images, labels)`: uint8 images `(N, H, W, C)` in `[0, 255]` and
        int64 labels `(N,)`. `celeb_a` has no class labels: its labels are
        all -1. `"stacked_fashion_mnist"` gives its fixed stacks (60,000
        for train, 26,000 for test, `kerasgan.data.stacked`), `(N, 28, 28,
        3)`, and their modes `100 * c_red + 10 * c_green + c_blue` as
        labels.

    Raises:
        ValueError: for an unknown name or split, an image-to-image set
            (built in the pipeline, or yielding pairs, it has no arrays of
            its own), or data that cannot be found or loaded (the message
            says how to make it available).

    Example:
        >>> import kerasgan
        >>> x, y = kerasgan.data.load_arrays("fashion_mnist", "test", limit=10)
        >>> x.shape, x.dtype, y.shape
        ((10, 28, 28, 1), dtype('uint8'), (10,))
    """
    spec = get_spec(name, split)
    if spec.task == "stacked":
        limit = validation.validate_positive_int(limit, "limit", allow_none=True)
        garments, labels = load_arrays(spec.derived_from, split, data_dir=data_dir, download=download)
        return stacked.stacked_arrays(garments, labels, split, limit=limit)
    if spec.derived_from is not None:
        raise ValueError(
            f"Data set {spec.name!r} is built from {spec.derived_from!r} in the tf.data pipeline and "
            f"has no arrays of its own. Use kerasgan.data.load({spec.name!r}) for its batches, or "
            f"load_arrays({spec.derived_from!r}) for the images it is built from."
        )
    if spec.pairing is not None:
        raise ValueError(
            f"Data set {spec.name!r} yields pairs of images and has no arrays of its own. Use "
            f"kerasgan.data.load({spec.name!r}) for its batches."
        )
    limit = validation.validate_positive_int(limit, "limit", allow_none=True)
    found, searched = find_local_files(spec, split, data_dir)
    if found is not None:
        return read_local_arrays(spec, split, found, limit=limit)
    examples = tfds_examples(spec, split, limit, False, None, data_dir, download, searched)
    size = spec.image_shape[:2]

    def to_uint8(images, labels):
        images = scale_and_resize(images, UINT8_RANGE, size)
        return tf.cast(tf.round((images + 1.0) * 127.5), tf.uint8), labels

    batches = examples.batch(1024).map(to_uint8, num_parallel_calls=tf.data.AUTOTUNE)
    chunks = list(batches.as_numpy_iterator())
    if not chunks:
        raise ValueError(
            f"tensorflow-datasets returned no examples for {spec.name!r} "
            f"split {split!r}. Check the data_dir, or re-download the data."
        )
    images = np.concatenate([chunk[0] for chunk in chunks])
    labels = np.concatenate([chunk[1] for chunk in chunks]).astype(np.int64)
    return images, labels
