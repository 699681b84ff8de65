"""`from_directory`: a training data set from a folder of image files."""

import concurrent.futures
import os
import warnings

import keras
import tensorflow as tf
from PIL import Image, UnidentifiedImageError

from kerasgan.data.pipeline import UINT8_RANGE, batch_and_finish, scale_and_resize
from kerasgan.utils import validation

COLOR_MODES = ("grayscale", "rgb", "rgba")
# What `tf.io.decode_image` reads, by Pillow's format names (MPO: camera JPEG).
_DECODABLE = {"PNG", "JPEG", "MPO", "BMP", "GIF"}
_WITH_ALPHA = {"PNG", "BMP"}
# Formats whose data Pillow's `verify()` does not read (it checks PNG's chunk
# checksums only): these are decoded in full, so a file cut short is named.
_DECODED_TO_CHECK = {"JPEG", "MPO", "BMP", "GIF"}


def from_directory(
    path, image_size, batch_size=128, color_mode="rgb", shuffle=True, seed=None, drop_remainder=True,
    with_labels=False, interpolation="bilinear", skip_corrupt=False,
):  # fmt: skip
    """Builds a training data set from the image files under a folder.

    Lists and decodes the PNG, JPEG, BMP and GIF files under `path`
    (subfolders included) with `keras.utils.image_dataset_from_directory`,
    resizes them to `image_size` (aspect ratio not kept) and scales batches
    to `[-1, 1]`. Grayscale images are decoded as RGB and converted with the
    ITU-R 601 luma weights, so every format works in every mode but `"rgba"`,
    which TensorFlow reads from PNG and BMP files only. Only the first frame
    of an animated GIF is used.

    Every file is first checked with Pillow, in 8 threads: its header, for
    PNG every chunk's checksum, and JPEG, BMP and GIF files are decoded (the
    first frame of a GIF: 1 to 3 ms for a 256x256 JPEG). A file
    that is not an image, is damaged or cut short, or is in a format
    TensorFlow cannot decode is named in the error instead of failing later
    inside `tf.data` with a bare "Invalid PNG data" or "Invalid JPEG data".

    Args:
        path: folder holding the images.
        image_size: `(height, width)` every image is resized to, e.g.
            `(64, 64)`. Required, since files may differ in size.
        batch_size: positive int. Defaults to 128.
        color_mode: `"rgb"` (C=3, the default), `"grayscale"` (C=1) or
            `"rgba"` (C=4).
        shuffle: whether to shuffle: the file list once, then every epoch
            in a buffer of 1024 images (Keras's scheme). Defaults to `True`;
            `False` keeps Keras's order: folder by folder in sorted order,
            each folder's own files (sorted) before its subfolders'.
        seed: optional int; the same seed gives the same order.
        drop_remainder: whether to drop an incomplete last batch. Defaults
            to `True`.
        with_labels: also yield int32 labels, one class per subfolder of
            `path` in sorted order (files directly in `path` are then not
            used). Defaults to `False`.
        interpolation: how images are resized, one of Keras's methods:
            `"bilinear"` (default), `"area"` (better when shrinking a lot),
            `"bicubic"`, `"nearest"`, `"lanczos3"`, ...
        skip_corrupt: skip the files that fail the check, with a warning
            naming each, instead of raising. A file that passes Pillow's
            check but still fails in TensorFlow's decoder is then skipped
            too. Defaults to `False`.

    Returns:
        A `tf.data.Dataset` of float32 images `(batch_size, height, width,
        C)` in `[-1, 1]`, or of `(images, labels)` with `with_labels=True`.

    Raises:
        ValueError: if `path` is not an existing folder, holds no image
            files, holds a file that fails the check (unless
            `skip_corrupt`), holds fewer images than `batch_size` with
            `drop_remainder=True`, or if an argument is invalid.

    Example:
        >>> import kerasgan
        >>> ds = kerasgan.data.from_directory(
        ...     "faces/", image_size=(64, 64), batch_size=32)  # doctest: +SKIP
        >>> next(iter(ds)).shape  # doctest: +SKIP
        TensorShape([32, 64, 64, 3])
    """
    image_size = validation.validate_image_size(image_size, allow_none=False)
    batch_size = validation.validate_positive_int(batch_size, "batch_size")
    seed = validation.validate_seed(seed)
    if color_mode not in COLOR_MODES:
        raise ValueError(
            f"color_mode must be one of {list(COLOR_MODES)}; received color_mode={color_mode!r}."
        )
    if not os.path.isdir(path):
        what = "is a file, not a folder" if os.path.exists(path) else "does not exist"
        raise ValueError(
            f"from_directory received path={os.fspath(path)!r}, which {what}. "
            "Pass the folder that holds your images."
        )
    try:
        dataset = keras.utils.image_dataset_from_directory(
            path, labels="inferred" if with_labels else None, batch_size=None, image_size=image_size,
            color_mode="rgb" if color_mode == "grayscale" else color_mode, shuffle=shuffle, seed=seed,
            interpolation=interpolation, verbose=False,
        )  # fmt: skip
    except ValueError as error:
        raise ValueError(
            f"from_directory could not use {os.fspath(path)!r}: {error} Check the "
            "path and arguments; images must be PNG, JPEG, BMP or GIF files."
        ) from error
    files = dataset.file_paths
    problems = sorted(p for p in _check_files(files, color_mode) if p)
    if problems:
        listed = "\n  ".join(problems)
        if not skip_corrupt:
            raise ValueError(
                f"from_directory cannot read {len(problems)} of {len(files)} "
                f"files under {os.fspath(path)!r}:\n  {listed}\nDelete or replace them, "
                "or pass skip_corrupt=True to train without them."
            )
        warnings.warn(f"from_directory skips {len(problems)} unreadable files:\n  {listed}", stacklevel=2)
    if skip_corrupt:
        dataset = dataset.ignore_errors()
    validation.validate_enough_examples(
        len(files) - len(problems), batch_size, drop_remainder, f"Folder {path}"
    )

    def finish(images, labels=None):
        if color_mode == "grayscale":  # ITU-R 601 luma; the weights sum to 1, white stays white
            images = tf.reduce_sum(images * [0.299, 0.587, 0.114], axis=-1, keepdims=True)
        images = scale_and_resize(images, UINT8_RANGE)
        return images if labels is None else (images, labels)

    return batch_and_finish(dataset, batch_size, drop_remainder, finish)


def _check_files(files, color_mode):
    """One entry per file: None, or `"path (what is wrong)"`. Reads files in threads."""

    def check(file):
        try:
            with Image.open(file) as image:
                kind = image.format
                image.verify()
            if kind in _DECODED_TO_CHECK:
                with Image.open(file) as image:  # verify() leaves the image unusable: open again
                    image.load()
        except UnidentifiedImageError:
            return f"{file} (not an image, or its header is damaged)"
        except Exception as error:  # Pillow raises many types for damaged data
            return f"{file} (damaged: {type(error).__name__}: {error})"
        if kind not in _DECODABLE:
            return f"{file} ({kind} data, which TensorFlow cannot decode)"
        if color_mode == "rgba" and kind not in _WITH_ALPHA:
            return f"{file} ({kind} has no alpha channel: use color_mode='rgb', or convert it to PNG)"
        return None

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(check, files))
