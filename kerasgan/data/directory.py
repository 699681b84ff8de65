"""`from_directory`: a training data set from a folder of image files."""

import os

import tensorflow as tf

from kerasgan.data import checks
from kerasgan.data.pipeline import UINT8_RANGE, batch_and_finish, scale_and_resize

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif")
COLOR_MODES = ("grayscale", "rgb", "rgba")
_PNG_MAGIC = b"\x89PNG"
_BMP_MAGIC = b"BM"


def from_directory(
    path,
    image_size,
    batch_size=128,
    color_mode="rgb",
    shuffle=True,
    seed=None,
    drop_remainder=True,
):
    """Builds a training data set from the image files under a folder.

    Every PNG, JPEG, BMP or GIF file under `path` (subfolders included, in
    sorted order) is decoded, converted to `color_mode` (see
    `decode_image`) and resized (bilinear, antialiased, aspect ratio not
    kept) to `image_size`; batches are then scaled to `[-1, 1]`. Subfolder
    names are not used as labels. Only the first frame of an animated GIF
    is used.

    Args:
        path: folder holding the images.
        image_size: `(height, width)` every image is resized to, e.g.
            `(64, 64)`. Required, since files may differ in size.
        batch_size: positive int. Defaults to 128.
        color_mode: `"rgb"` (C=3, the default), `"grayscale"` (C=1) or
            `"rgba"` (C=4).
        shuffle: whether to shuffle the files every epoch. Defaults to
            `True`.
        seed: optional int; the same seed gives the same order under the
            same global seed (`keras.utils.set_random_seed`), as for any
            seeded `tf.data` shuffle.
        drop_remainder: whether to drop an incomplete last batch. Defaults
            to `True`.

    Returns:
        A `tf.data.Dataset` of float32 images `(batch_size, height, width,
        C)` in `[-1, 1]`.

    Raises:
        ValueError: if `path` is not an existing folder, holds no image
            files, holds fewer than `batch_size` with `drop_remainder=True`,
            or if `color_mode` or `image_size` is invalid.

    Example:
        >>> import kerasgan
        >>> ds = kerasgan.data.from_directory(
        ...     "faces/", image_size=(64, 64), batch_size=32)  # doctest: +SKIP
        >>> next(iter(ds)).shape  # doctest: +SKIP
        TensorShape([32, 64, 64, 3])
    """
    image_size = checks.check_image_size(image_size, allow_none=False)
    batch_size = checks.check_positive_int("batch_size", batch_size)
    seed = checks.check_seed(seed)
    if color_mode not in COLOR_MODES:
        raise ValueError(
            f"color_mode must be one of {list(COLOR_MODES)}; received "
            f"color_mode={color_mode!r}."
        )
    files = list_image_files(path)
    checks.check_enough_examples(
        len(files), batch_size, drop_remainder, f"Folder {path}"
    )
    dataset = tf.data.Dataset.from_tensor_slices(files)
    if shuffle:
        dataset = dataset.shuffle(len(files), seed=seed)

    def decode(file_path):
        image = decode_image(tf.io.read_file(file_path), color_mode)
        image = tf.image.resize(image, image_size, antialias=True)
        return tf.clip_by_value(image, 0.0, 255.0)

    dataset = dataset.map(decode, num_parallel_calls=tf.data.AUTOTUNE)
    return batch_and_finish(
        dataset,
        batch_size,
        drop_remainder,
        lambda images: scale_and_resize(images, UINT8_RANGE),
    )


def decode_image(raw, color_mode):
    """Decodes PNG, JPEG, BMP or GIF bytes to a uint8 image in `color_mode`.

    Each format supports different channel counts when decoding, so images
    are decoded as RGB and converted: to grayscale with the usual luma
    weights, or to RGBA with the file's own alpha (PNG, BMP) or an opaque
    one (JPEG, GIF).

    Args:
        raw: a scalar string tensor holding the file's bytes.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.

    Returns:
        A uint8 tensor `(H, W, C)` with C = 1, 3 or 4.

    Example:
        >>> png = tf.io.encode_png(tf.fill([2, 3, 3], tf.constant(9, tf.uint8)))
        >>> decode_image(png, "rgba").shape
        TensorShape([2, 3, 4])
    """
    if color_mode != "rgba":
        image = tf.io.decode_image(raw, channels=3, expand_animations=False)
        if color_mode == "grayscale":
            image = tf.image.rgb_to_grayscale(image)
        return image
    has_alpha = tf.logical_or(
        tf.strings.substr(raw, 0, 4) == _PNG_MAGIC,
        tf.strings.substr(raw, 0, 2) == _BMP_MAGIC,
    )

    def opaque():
        image = tf.io.decode_image(raw, channels=3, expand_animations=False)
        alpha = tf.fill(tf.shape(image[..., :1]), tf.constant(255, tf.uint8))
        return tf.concat([image, alpha], axis=-1)

    return tf.cond(
        has_alpha,
        lambda: tf.io.decode_image(raw, channels=4, expand_animations=False),
        opaque,
    )


def list_image_files(path):
    """Lists the image files under `path`, subfolders included, sorted.

    Args:
        path: folder to search.

    Returns:
        A sorted list of file paths whose extension is one of
        `IMAGE_EXTENSIONS` (case-insensitive).

    Raises:
        ValueError: if `path` is not an existing folder, or holds no image
            files.

    Example:
        >>> list_image_files("faces/")  # doctest: +SKIP
        ['faces/0001.png', 'faces/0002.png']
    """
    if not os.path.isdir(path):
        what = "is a file, not a folder" if os.path.exists(path) else "does not exist"
        raise ValueError(
            f"from_directory received path={os.fspath(path)!r}, which {what}. "
            "Pass the folder that holds your images."
        )
    files = sorted(
        os.path.join(root, name)
        for root, _, names in os.walk(path)
        for name in names
        if name.lower().endswith(IMAGE_EXTENSIONS)
    )
    if not files:
        raise ValueError(
            f"No image files ({', '.join(IMAGE_EXTENSIONS)}) found under "
            f"{os.fspath(path)!r}. Check the path, or convert the images to "
            "PNG or JPEG."
        )
    return files
