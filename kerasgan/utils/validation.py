"""kerasgan's one validation module: argument and input checks with errors that say what to do.

Every check raises a `ValueError` that names what was received and what was
expected. Image ranges use one tolerance, `RANGE_TOLERANCE`, whether they
are checked on the host (`validate_image_batch`) or in the graph
(`checked_image_range`).
"""

import argparse
import numbers

import keras
import numpy as np

from kerasgan.backend import assert_in_range

# Images may exceed [-1, 1] by this much (float rounding after resizing or in
# a tanh output); every range check of kerasgan uses it.
RANGE_TOLERANCE = 1e-3


_CHANNEL_NAMES = {1: "1 (grayscale)", 3: "3 (RGB)", 4: "4 (RGBA)"}


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def validate_positive_int(value, name, minimum=1, allow_none=False):
    """Checks that `value` is an integer `>= minimum` (bools are refused).

    Args:
        value: the value to check.
        name: argument name used in the error message.
        minimum: smallest allowed value. Defaults to 1.
        allow_none: whether `None` is accepted. Defaults to False.

    Returns:
        `value` as a Python int, or None.

    Example:
        >>> validate_positive_int(64, "latent_dim")
        64
    """
    if value is None and allow_none:
        return None
    if not _is_int(value) or value < minimum:
        expected = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        if allow_none:
            expected = "None or " + expected
        raise ValueError(f"{name} must be {expected}; received {name}={value!r}.")
    return int(value)


def positive_int_argument(text):
    """An argparse `type`: an integer >= 1 (argparse names the flag in its error).

    Used by the `kerasgan` command line and the benchmarks, so that a count of
    0 or less is an error there too, never a default.

    Args:
        text: the command-line value.

    Returns:
        The value as an int.

    Raises:
        argparse.ArgumentTypeError: not an integer, or below 1.

    Example:
        >>> positive_int_argument("3")
        3
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def validate_non_negative(value, name):
    """Checks that `value` is a non-negative real number (a loss weight).

    Args:
        value: the value to check.
        name: argument name used in the error message.

    Returns:
        `value` as a float.

    Example:
        >>> validate_non_negative(100, "l1_weight")
        100.0
    """
    return _checked_real(value, name, lambda v: v >= 0, "a non-negative number")


def validate_image_shape(image_shape):
    """Checks that `image_shape` is `(height, width, channels)` of positive ints.

    Args:
        image_shape: sequence of three positive integers.

    Returns:
        The shape as a tuple of Python ints.

    Example:
        >>> validate_image_shape([28, 28, 1])
        (28, 28, 1)
    """
    try:
        shape = tuple(int(d) for d in image_shape)
    except (TypeError, ValueError):
        shape = None
    if shape is None or len(shape) != 3 or min(shape) < 1:
        raise ValueError(
            "image_shape must be (height, width, channels) with positive "
            f"integers, e.g. (28, 28, 1); received {image_shape!r}."
        )
    return shape


def validate_image_size(image_size, allow_none=True):
    """Checks `image_size`: a `(height, width)` pair of positive ints.

    Args:
        image_size: None (keep the size) or a pair `(height, width)`.
        allow_none: whether None is accepted. Defaults to True.

    Returns:
        A tuple `(height, width)`, or None.

    Example:
        >>> validate_image_size([32, 32])
        (32, 32)
    """
    if image_size is None and allow_none:
        return None
    try:
        height, width = image_size
        return validate_positive_int(height, "height"), validate_positive_int(width, "width")
    except (TypeError, ValueError) as error:
        raise ValueError(
            "image_size must be a pair (height, width) of positive ints, e.g. "
            f"(64, 64); received image_size={image_size!r}."
        ) from error


def validate_num_classes(num_classes):
    """Checks `num_classes`: None (unconditional) or an integer >= 2.

    Args:
        num_classes: None or int.

    Returns:
        `num_classes` unchanged.

    Example:
        >>> validate_num_classes(10)
        10
    """
    if num_classes is not None and (not _is_int(num_classes) or num_classes < 2):
        raise ValueError(
            f"num_classes must be None (unconditional) or an integer >= 2; received {num_classes!r}."
        )
    return num_classes


def validate_seed(seed):
    """Checks `seed`: None or an int.

    Args:
        seed: None (unseeded) or an int.

    Returns:
        `seed` as a Python int, or None.

    Example:
        >>> validate_seed(3)
        3
    """
    if seed is None:
        return None
    if not _is_int(seed):
        raise ValueError(f"seed must be None or an int; received seed={seed!r}.")
    return int(seed)


def validate_enough_examples(num_examples, batch_size, drop_remainder, source):
    """Refuses data that would give an empty data set.

    Args:
        num_examples: how many examples the data holds.
        batch_size: the batch size asked for.
        drop_remainder: whether an incomplete last batch is dropped.
        source: a short description of the data for the message, e.g.
            `"fashion_mnist 'train' with limit=10"`.

    Raises:
        ValueError: no examples, or fewer than `batch_size` while
            `drop_remainder=True` (every batch would be dropped).

    Example:
        >>> validate_enough_examples(100, 32, True, "my images")
    """
    if num_examples == 0:
        raise ValueError(f"{source} holds no examples; nothing to load.")
    if drop_remainder and num_examples < batch_size:
        raise ValueError(
            f"{source} holds {num_examples} examples, fewer than "
            f"batch_size={batch_size}, so with drop_remainder=True every batch "
            "would be dropped and the data set would be empty. Lower "
            "batch_size, or pass drop_remainder=False."
        )


def validate_image_batch(images, what, shape=None, channels=None):
    """Checks a batch of images on the host: shape, float dtype, finite, in `[-1, 1]`.

    Args:
        images: array-like `(N, H, W, C)`.
        what: who expects them, for messages (e.g. `"make_grid"`,
            `"Pix2Pix.translate"`).
        shape: expected `(H, W, C)`, or None for any.
        channels: allowed channel counts (e.g. `(1, 3)`), or None for any.

    Returns:
        The images as a float32 NumPy array.

    Example:
        >>> validate_image_batch(np.zeros((2, 4, 4, 1)), "make_grid").dtype
        dtype('float32')
    """
    array = np.asarray(images)
    expected = "(N, H, W, C)" if shape is None else "(N, " + ", ".join(str(d) for d in shape) + ")"
    if array.ndim != 4 or (shape is not None and array.shape[1:] != tuple(shape)):
        raise ValueError(
            f"{what} expects a batch of images of shape {expected} in [-1, 1]; received "
            f"shape {array.shape}. Resize them, add a batch axis (images[None]) for one "
            "image, or a channel axis (images[..., None]) for grayscale images of shape (N, H, W)."
        )
    if channels is not None and array.shape[-1] not in channels:
        raise ValueError(
            f"{what} expects {' or '.join(_CHANNEL_NAMES.get(c, str(c)) for c in channels)} "
            "channels in the last axis; "
            f"received shape {array.shape}. Pass channels-last images, e.g. "
            "np.transpose(images, (0, 2, 3, 1))."
        )
    if min(array.shape) == 0:
        raise ValueError(f"{what} received an empty batch of shape {array.shape}; pass at least one image.")
    if not np.issubdtype(array.dtype, np.floating):
        raise ValueError(
            f"{what} expects float images in [-1, 1]; received dtype {array.dtype}. "
            "Scale uint8 images with images.astype('float32') / 127.5 - 1."
        )
    array = array.astype(np.float32)
    finite = np.isfinite(array)
    if not finite.all():
        raise ValueError(
            f"{what} received {int(finite.size - finite.sum())} NaN or infinite values in images "
            f"of shape {array.shape}. A generator that produced them probably diverged: check "
            "the losses, or lower the learning rates."
        )
    low, high = float(array.min()), float(array.max())
    if low < -1.0 - RANGE_TOLERANCE or high > 1.0 + RANGE_TOLERANCE:
        raise ValueError(
            f"{what} expects images in [-1, 1]; received values in [{low:.4g}, {high:.4g}]. "
            "Scale uint8 images with x / 127.5 - 1 and [0, 1] images with 2 * x - 1."
        )
    return array


def checked_image_range(images, what):
    """`images` as a tensor, readable only once its values are in `[-1, 1]`.

    The check runs eagerly (a `kerasgan.BadBatchError` at once) and inside a
    compiled step (the step fails and `fit()` reports it); NaN and infinity
    fail it too.

    Args:
        images: tensor `(batch, H, W, C)`.
        what: who expects them and what they are, for the message (e.g.
            `"DCGAN expects images"`).

    Returns:
        The images as a tensor of their own dtype, guarded by the range check.

    Example:
        >>> images = checked_image_range(np.zeros((2, 4, 4, 1)), "make_grid expects images")
    """
    return assert_in_range(
        keras.ops.convert_to_tensor(images),
        -1.0 - RANGE_TOLERANCE,
        1.0 + RANGE_TOLERANCE,
        f"{what} in [-1, 1] but a batch has values outside (min, max follow). "
        "Scale uint8 images with x / 127.5 - 1 and [0, 1] images with 2 * x - 1.",
    )


def validate_feature_matrix(features, name, min_rows=1):
    """Checks a set of feature vectors: a finite 2-D array.

    Args:
        features: array-like `(num_samples, num_features)`.
        name: argument name for messages.
        min_rows: fewest samples allowed. Defaults to 1.

    Returns:
        Float64 NumPy array.

    Example:
        >>> validate_feature_matrix([[1.0, 2.0]], "features_a").shape
        (1, 2)
    """
    x = np.asarray(features, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (num_samples, num_features); received shape {x.shape}."
        )
    if x.shape[0] < min_rows:
        raise ValueError(f"{name} needs at least {min_rows} samples; received {x.shape[0]}.")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return x


def validate_feature_pair(features_a, features_b, min_rows):
    """Checks two feature sets: finite matrices with the same number of columns.

    Args:
        features_a: array-like `(n_a, d)`.
        features_b: array-like `(n_b, d)`.
        min_rows: fewest samples allowed in each.

    Returns:
        `(a, b)` float64 NumPy arrays.

    Example:
        >>> a, b = validate_feature_pair([[0.0]], [[1.0]], min_rows=1)
    """
    a = validate_feature_matrix(features_a, "features_a", min_rows)
    b = validate_feature_matrix(features_b, "features_b", min_rows)
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            "features_a and features_b must have the same number of features; received shapes "
            f"{a.shape} and {b.shape}. Compute both with the same feature extractor."
        )
    return a, b


def validate_fraction(value, name, allow_zero=False, allow_one=True):
    """Checks that `value` is a real number in `(0, 1]` (ends as allowed).

    Args:
        value: the value to check.
        name: argument name used in the error message.
        allow_zero: whether 0 is accepted. Defaults to False.
        allow_one: whether 1 is accepted. Defaults to True.

    Returns:
        `value` as a float.

    Example:
        >>> validate_fraction(0.125, "translation_ratio")
        0.125
    """
    low_ok = (lambda v: v >= 0) if allow_zero else (lambda v: v > 0)
    high_ok = (lambda v: v <= 1) if allow_one else (lambda v: v < 1)
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not (low_ok(value) and high_ok(value))
    ):
        interval = ("[" if allow_zero else "(") + "0, 1" + ("]" if allow_one else ")")
        raise ValueError(f"{name} must be a number in {interval}; received {name}={value!r}.")
    return float(value)


def validate_positive_number(value, name):
    """Checks that `value` is a real number `> 0`.

    Args:
        value: the value to check.
        name: argument name used in the error message.

    Returns:
        `value` as a float.

    Example:
        >>> validate_positive_number(0.1, "stddev")
        0.1
    """
    return _checked_real(value, name, lambda v: v > 0, "a positive number")


def _checked_real(value, name, holds, what):
    """`value` as a float when it is a real number (not a bool) for which `holds(value)`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not holds(value):
        raise ValueError(f"{name} must be {what}; received {name}={value!r}.")
    return float(value)
