"""`from_numpy`: a training data set from images already in memory."""

import math
import numbers

import numpy as np

from kerasgan.data.pipeline import UINT8_RANGE, array_dataset
from kerasgan.utils import validation


def from_numpy(
    x, y=None, batch_size=128, value_range=None, image_size=None, shuffle=True, seed=None, drop_remainder=True
):
    """Builds a training data set from images held in a NumPy array.

    The images are checked once (rank, channels, range, NaN), kept in memory
    in their own dtype, and scaled to `[-1, 1]` batch by batch. Shuffling is
    a full shuffle of the example order, redone every epoch.

    Args:
        x: images, shape `(N, H, W)` (grayscale) or `(N, H, W, C)` with `C`
            in 1, 3 or 4, channels last. uint8 images are taken to lie in
            `[0, 255]`. Other dtypes need `value_range`, except images that
            already contain negative values and lie in `[-1, 1]`, which are
            taken as `[-1, 1]`.
        y: optional integer class labels, shape `(N,)` or `(N, 1)`. When
            given the data set yields `(images, labels)`.
        batch_size: positive int. Defaults to 128.
        value_range: `(low, high)` that the values of `x` use, e.g. `(0, 1)`,
            `(-1, 1)` or `(0, 255)`; `low` maps to -1 and `high` to 1.
            Defaults to `None` (see `x`).
        image_size: optional `(height, width)`; images are resized
            (bilinear, antialiased) after scaling. Defaults to `None` (keep).
        shuffle: whether to shuffle. Defaults to `True`.
        seed: optional int seeding the shuffle (as in `kerasgan.data.load`).
        drop_remainder: whether to drop an incomplete last batch. Defaults
            to `True`, so every batch has `batch_size` images.

    Returns:
        A `tf.data.Dataset` of float32 images `(batch_size, H, W, C)` in
        `[-1, 1]` (`C` is 1 for `(N, H, W)` input), or of `(images, labels)`
        with int32 labels `(batch_size,)` when `y` is given.

    Raises:
        ValueError: for a wrong rank or channel count, labels whose length
            differs from the number of images, float images without
            `value_range` or with values outside it, NaN or infinite values,
            or fewer images than `batch_size` with `drop_remainder=True`.

    Example:
        >>> import numpy as np
        >>> import kerasgan
        >>> x = np.random.default_rng(0).random((64, 28, 28), np.float32)
        >>> ds = kerasgan.data.from_numpy(x, value_range=(0, 1), batch_size=32)
        >>> next(iter(ds)).shape
        TensorShape([32, 28, 28, 1])
    """
    batch_size = validation.validate_positive_int(batch_size, "batch_size")
    image_size = validation.validate_image_size(image_size)
    seed = validation.validate_seed(seed)
    images, value_range = _prepare_images(x, value_range)
    labels = None if y is None else _prepare_labels(y, len(images))
    source = f"from_numpy's x of shape {images.shape}"
    return array_dataset(
        images, labels, value_range, source, batch_size, image_size, shuffle, seed, drop_remainder
    )


def _prepare_images(x, value_range):
    """Checks `x`; returns (images (N, H, W, C), value_range)."""
    value_range = _parse_value_range(value_range)
    x = np.asarray(x)
    if x.ndim == 3:
        x = x[..., np.newaxis]
    if x.ndim != 4 or x.shape[-1] not in (1, 3, 4):
        hint = "Add or move the channel axis to the end."
        if x.ndim == 4 and x.shape[1] in (1, 3, 4):
            hint = "Channels-first? Use np.transpose(x, (0, 2, 3, 1))."
        raise ValueError(
            "from_numpy expects images of shape (N, H, W) or (N, H, W, C) "
            f"with C in 1, 3 or 4; received shape {x.shape}. {hint}"
        )
    if x.dtype == np.uint8:
        if value_range not in (None, UINT8_RANGE):
            raise ValueError(
                "uint8 images are always taken to lie in [0, 255]; received "
                f"value_range={value_range!r}. Drop value_range, or convert "
                "the images to float32 first."
            )
        return x, UINT8_RANGE
    if not np.issubdtype(x.dtype, np.number) or np.issubdtype(x.dtype, np.complexfloating):
        raise ValueError(f"from_numpy expects uint8, integer or floating images; received dtype {x.dtype}.")
    if x.size == 0:
        return x, value_range
    return x.astype(np.float32, copy=False), _check_value_range(x, value_range)


def _check_value_range(x, value_range):
    """Returns the value range of non-uint8 `x`, or raises a ValueError."""
    if not np.all(np.isfinite(x)):
        raise ValueError(
            f"from_numpy received images with {np.count_nonzero(~np.isfinite(x))} "
            "NaN or infinite values. Clean or drop those images first."
        )
    low, high = float(x.min()), float(x.max())
    if value_range is None:
        if -1.0 <= low < 0.0 and high <= 1.0:
            return (-1.0, 1.0)
        raise ValueError(
            f"from_numpy received {x.dtype} images with values in "
            f"[{low:g}, {high:g}] and no value_range. Pass the range they use, "
            "e.g. value_range=(0, 1), (-1, 1) or (0, 255), or pass uint8 "
            "images."
        )
    tolerance = 1e-5 * (value_range[1] - value_range[0])
    if low < value_range[0] - tolerance or high > value_range[1] + tolerance:
        raise ValueError(
            f"from_numpy received images with values in [{low:g}, {high:g}], "
            f"outside value_range={value_range}. Pass the range the "
            "images really use."
        )
    return value_range


def _parse_value_range(value_range):
    """Returns `value_range` as a `(low, high)` float pair, or raises."""
    if value_range is None:
        return None
    pair = () if isinstance(value_range, (str, bytes)) else value_range
    try:
        low, high = pair
    except (TypeError, ValueError):
        low = high = None
    if not (_is_finite_real(low) and _is_finite_real(high) and low < high):
        raise ValueError(
            "value_range must be a pair (low, high) of finite numbers with "
            f"low < high, e.g. (0, 1); received value_range={value_range!r}."
        )
    return float(low), float(high)


def _is_finite_real(value):
    """Whether `value` is a finite real number (bools excluded)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def _prepare_labels(y, num_images):
    """Checks `y`; returns int64 labels of shape (num_images,)."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(
            "from_numpy expects integer class labels y of shape (N,) or "
            f"(N, 1); received shape {y.shape} dtype {y.dtype}. Cast with "
            "y.astype('int32'); one-hot labels need np.argmax(y, axis=-1)."
        )
    if len(y) != num_images:
        raise ValueError(
            f"from_numpy received {num_images} images but {len(y)} labels. Pass one label per image."
        )
    return y.astype(np.int64)
