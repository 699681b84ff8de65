"""Image-to-image sets from tensorflow-datasets: CycleGAN's photographs and DIV2K super-resolution.

These need the data downloaded once (tensorflow-datasets, on a machine with
internet); offline they fail with the same hint as `"cifar10"` and
`"celeb_a"`. Through `kerasgan.data.load`:

- `"horse2zebra"`, `"apple2orange"`, `"summer2winter_yosemite"`,
  `"monet2photo"` (tensorflow-datasets `cycle_gan/<name>`), unpaired:
  batches `(images_a, images_b)`, domain A read from the tfds split
  `trainA` (or `testA` for `split="test"`) and B from `trainB`
  (`testB`), each domain shuffled on its own. Images are 256x256x3,
  resized to `image_size` when asked.
- `"div2k_x2"`, `"div2k_x4"` (tensorflow-datasets `div2k/bicubic_x2`,
  `div2k/bicubic_x4`: 800 training and 100 validation photographs of about
  2040 pixels a side, each with its bicubic downsampling by 2 or 4), paired:
  batches `(low_res, high_res)` of random crops, a new crop of every image
  each epoch, 96x96x3 high-resolution crops (`image_size` sets another
  size) and the low-resolution crops of the same place, 48x48 or 24x24
  (`random_crop_pair`).
"""

import tensorflow as tf

from kerasgan.data.degradations import high_res_size
from kerasgan.data.pipeline import UINT8_RANGE, batch_and_finish, scale_and_resize
from kerasgan.data.tfds_source import tfds_examples
from kerasgan.utils.validation import validate_enough_examples


def domain_image(image, size):
    """Scales one tensorflow-datasets image to `[-1, 1]` and resizes it to `size`.

    Args:
        image: uint8 tensor `(H, W, C)`, e.g. the `"image"` of a
            `cycle_gan` example.
        size: `(height, width)` to resize to (bilinear, antialiased).

    Returns:
        Float32 tensor `(height, width, C)` in `[-1, 1]`.

    Example:
        >>> import tensorflow as tf
        >>> domain_image(tf.fill((300, 200, 3), tf.constant(255, tf.uint8)), (64, 64)).shape
        TensorShape([64, 64, 3])
    """
    image = tf.convert_to_tensor(image)
    resized = scale_and_resize(image[tf.newaxis], UINT8_RANGE, size)[0]
    return tf.ensure_shape(resized, (*size, image.shape[-1]))


def unpaired_tfds_dataset(
    spec, split, batch_size, image_size, shuffle, seed, drop_remainder, limit, data_dir=None, download=True
):
    """The `(images_a, images_b)` pipeline of a `cycle_gan` set.

    Args:
        spec: the set's `DatasetSpec` (`pairing="unpaired"`, `tfds_name`
            `"cycle_gan/<name>"`).
        split: `"train"` or `"test"`: domain A is read from the tfds split
            `split + "A"`, B from `split + "B"`.
        batch_size, image_size, shuffle, seed, drop_remainder: as in
            `kerasgan.data.load`; domain A is shuffled with `seed`, B with
            `seed + 1`.
        limit: None, or keep only the first `limit` images of each domain.
        data_dir, download: as in `kerasgan.data.load`.

    Returns:
        A `tf.data.Dataset` of `(images_a, images_b)`, both float32
        `(batch, height, width, 3)` in `[-1, 1]`; an epoch has as many
        batches as the smaller domain fills.

    Raises:
        ValueError: if tensorflow-datasets cannot load the data (the message
            says how to make it available), or `limit` is below
            `batch_size` with `drop_remainder=True`.

    Example:
        >>> from kerasgan.data.catalog import get_spec
        >>> spec = get_spec("horse2zebra")
        >>> ds = unpaired_tfds_dataset(spec, "train", 4, None, True, 0, True, None)  # doctest: +SKIP

    Reference:
        Zhu, Park, Isola and Efros, "Unpaired Image-to-Image Translation
        using Cycle-Consistent Adversarial Networks", ICCV 2017 (the data
        sets' source).
    """
    if limit is not None:
        validate_enough_examples(
            limit, batch_size, drop_remainder, f"{spec.name} {split!r} with limit={limit}"
        )
    size = image_size or spec.image_shape[:2]
    domains = []
    for offset, half in enumerate("AB"):
        domain_seed = None if seed is None else seed + offset
        examples = tfds_examples(spec, split + half, limit, shuffle, domain_seed, data_dir, download, ())
        images = examples.map(
            lambda image, label: domain_image(image, size), num_parallel_calls=tf.data.AUTOTUNE
        )
        if shuffle:
            images = images.shuffle(min(spec.shuffle_buffer, limit or spec.shuffle_buffer), seed=domain_seed)
        domains.append(images)
    return batch_and_finish(
        tf.data.Dataset.zip(tuple(domains)), batch_size, drop_remainder, lambda a, b: (a, b)
    )


def random_crop_pair(low_res, high_res, scale, size, seed):
    """Cuts the same random place out of a low-resolution image and its high-resolution original.

    Picks a top-left corner `(top, left)` uniformly among the places where
    a `size[0] // scale` x `size[1] // scale` crop fits in `low_res` and the
    matching `size` crop, from `(top * scale, left * scale)`, fits in
    `high_res`, and returns both crops: pixel `(i, j)` of the low-resolution
    crop stands for the `scale` x `scale` block of the high-resolution crop
    at `(i * scale, j * scale)`.

    Args:
        low_res: uint8 (or float) tensor `(h, w, C)`, `high_res` downsampled
            by `scale` (DIV2K's `"lr"`).
        high_res: tensor `(H, W, C)` of the same dtype (DIV2K's `"hr"`).
        scale: positive int, the factor between them.
        size: `(height, width)` of the high-resolution crop, multiples of
            `scale`.
        seed: int tensor of shape `(2,)`, the stateless seed of the corner.

    Returns:
        `(low_res_crop (height // scale, width // scale, C), high_res_crop
        (height, width, C))`, of the input dtype.

    Raises:
        tf.errors.InvalidArgumentError: when the images are smaller than the
            crop (raised while the data set is read).

    Example:
        >>> import tensorflow as tf
        >>> high = tf.reshape(tf.range(64 * 64 * 3) % 251, (64, 64, 3))
        >>> low = high[::4, ::4]
        >>> low_crop, high_crop = random_crop_pair(low, high, 4, (32, 32), tf.constant([1, 2]))
        >>> low_crop.shape, high_crop.shape, bool(tf.reduce_all(low_crop == high_crop[::4, ::4]))
        (TensorShape([8, 8, 3]), TensorShape([32, 32, 3]), True)
    """
    height, width = size
    low_height, low_width = height // scale, width // scale
    low_shape, high_shape = tf.shape(low_res), tf.shape(high_res)
    room = tf.stack(
        [
            tf.minimum(low_shape[0] - low_height, (high_shape[0] - height) // scale),
            tf.minimum(low_shape[1] - low_width, (high_shape[1] - width) // scale),
        ]
    )
    checks = [
        tf.debugging.assert_non_negative(
            room,
            message=f"random_crop_pair: a {height}x{width} crop (and its {low_height}x{low_width} "
            f"low-resolution crop) does not fit in the images; pass a smaller image_size",
        )
    ]
    with tf.control_dependencies(checks):
        uniform = tf.random.stateless_uniform([2], seed)
    corner = tf.minimum(tf.cast(tf.floor(uniform * tf.cast(room + 1, tf.float32)), tf.int32), room)
    top, left = corner[0], corner[1]
    channels = low_res.shape[-1]
    low_crop = tf.ensure_shape(
        low_res[top : top + low_height, left : left + low_width], (low_height, low_width, channels)
    )
    high_top, high_left = top * scale, left * scale
    high_crop = tf.ensure_shape(
        high_res[high_top : high_top + height, high_left : high_left + width], (height, width, channels)
    )
    return low_crop, high_crop


def super_resolution_tfds_dataset(
    spec, split, batch_size, image_size, shuffle, seed, drop_remainder, limit, data_dir=None, download=True
):
    """The `(low_res, high_res)` pipeline of a `div2k` set: one random crop of each image per epoch.

    Args:
        spec: the set's `DatasetSpec` (`task="super_resolution"`,
            `tfds_name` `"div2k/bicubic_xN"`).
        split: `"train"` or `"validation"`.
        batch_size, shuffle, seed, drop_remainder: as in
            `kerasgan.data.load`; `seed` seeds the file order, the shuffle
            and the crops, which change every epoch.
        image_size: None (96x96) or the `(height, width)` of the
            high-resolution crops, multiples of `spec.scale`.
        limit: None, or use only the first `limit` images.
        data_dir, download: as in `kerasgan.data.load`.

    Returns:
        A `tf.data.Dataset` of `(low_res, high_res)`: float32 in `[-1, 1]`,
        `(batch, height // scale, width // scale, 3)` and
        `(batch, height, width, 3)`.

    Raises:
        ValueError: if tensorflow-datasets cannot load the data (the message
            says how to make it available), `spec.scale` does not divide
            `image_size`, or `limit` is below `batch_size` with
            `drop_remainder=True`.

    Example:
        >>> from kerasgan.data.catalog import get_spec
        >>> spec = get_spec("div2k_x4")
        >>> ds = super_resolution_tfds_dataset(spec, "train", 16, None, True, 0, True, None)  # doctest: +SKIP

    Reference:
        Agustsson and Timofte, "NTIRE 2017 Challenge on Single Image
        Super-Resolution: Dataset and Study", CVPR Workshops 2017 (DIV2K);
        Ledig et al., "Photo-Realistic Single Image Super-Resolution Using a
        Generative Adversarial Network", CVPR 2017 (96x96 training crops).
    """
    size = high_res_size(spec, image_size)
    source = f"{spec.name} {split!r}" + ("" if limit is None else f" with limit={limit}")
    if limit is not None:
        validate_enough_examples(limit, batch_size, drop_remainder, source)
    pairs = _tfds_pairs(spec, split, limit, shuffle, seed, data_dir, download)
    crop_seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2)
    crops = tf.data.Dataset.zip((pairs, crop_seeds)).map(
        lambda pair, crop_seed: random_crop_pair(pair[0], pair[1], spec.scale, size, crop_seed),
        num_parallel_calls=tf.data.AUTOTUNE,
    )
    if shuffle:
        crops = crops.shuffle(min(spec.shuffle_buffer, limit or spec.shuffle_buffer), seed=seed)

    def scale(low_res, high_res):
        return scale_and_resize(low_res, UINT8_RANGE), scale_and_resize(high_res, UINT8_RANGE)

    return batch_and_finish(crops, batch_size, drop_remainder, scale)


def _tfds_pairs(spec, split, limit, shuffle, seed, data_dir, download):
    """The `(lr, hr)` uint8 image pairs of one split of a tfds super-resolution set."""
    try:
        import tensorflow_datasets as tfds
    except ImportError as error:
        raise ImportError(
            f"Loading {spec.name!r} needs tensorflow-datasets: pip install tensorflow-datasets. "
            "(The Fashion-MNIST super-resolution sets, fashion_mnist_sr2 and fashion_mnist_sr4, "
            "load offline.)"
        ) from error
    try:
        pairs = tfds.load(
            spec.tfds_name, split=split if limit is None else f"{split}[:{limit}]",
            data_dir=None if data_dir is None else str(data_dir), download=download,
            shuffle_files=shuffle, as_supervised=True, read_config=tfds.ReadConfig(shuffle_seed=seed),
        )  # fmt: skip
    except Exception as error:  # tfds raises many types; all mean the same.
        raise ValueError(
            f"tensorflow-datasets could not load {spec.name!r} ({spec.tfds_name}) split {split!r} "
            f"(download={download}, data_dir={data_dir!r}): {type(error).__name__}: {error} To fix: "
            f"{spec.offline_hint}; or allow the download with download=True on a machine with internet. "
            "Offline, fashion_mnist_sr2 and fashion_mnist_sr4 need no download."
        ) from error
    return pairs if limit is None else pairs.take(limit)
