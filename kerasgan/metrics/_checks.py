"""Private argument checks shared by the metric functions and classes."""

import keras
import numpy as np

from kerasgan.backend import assert_in_range
from kerasgan.networks.validation import RANGE_TOLERANCE

SIDES = ("real", "fake")


def as_matrix(x, name, min_rows=1):
    """Returns `x` as a finite float64 array of shape `(rows, columns)`."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (num_samples, num_features); "
            f"received shape {x.shape}."
        )
    if x.shape[0] < min_rows:
        raise ValueError(f"{name} needs at least {min_rows} samples; received {x.shape[0]}.")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return x


def feature_pair(features_a, features_b, min_rows):
    """Both feature sets as float64 matrices with the same number of columns."""
    a = as_matrix(features_a, "features_a", min_rows)
    b = as_matrix(features_b, "features_b", min_rows)
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            "features_a and features_b must have the same number of features; "
            f"received shapes {a.shape} and {b.shape}. Compute both with the "
            "same feature extractor."
        )
    return a, b


def positive_int(value, name, minimum=1):
    """Returns `value` as an int, raising unless it is an integer >= minimum."""
    is_int = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not is_int or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; received {value!r}.")
    return int(value)


def images(x, name):
    """`x` as a float32 image batch, readable only once its values are in [-1, 1].

    The range check runs eagerly (a `ValueError` subclass at once) and inside
    a compiled step (the step fails); NaN and infinity fail it too.
    """
    x = keras.ops.convert_to_tensor(x)
    if len(x.shape) != 4:
        raise ValueError(
            f"{name} must be a batch of images of shape (batch, height, width, "
            f"channels) in [-1, 1]; received shape {tuple(x.shape)}. Add a "
            "batch or channel axis, e.g. images[..., None] for grayscale."
        )
    return assert_in_range(
        keras.ops.cast(x, "float32"),
        -1.0 - RANGE_TOLERANCE,
        1.0 + RANGE_TOLERANCE,
        f"{name} must hold finite values in [-1, 1] (min, max follow). "
        "Rescale uint8 images with images / 127.5 - 1.",
    )


def given_sides(owner, real, fake):
    """The `(side, images)` pairs passed to `update_state`, or a clear error."""
    if real is None and fake is None:
        raise ValueError(
            f"{type(owner).__name__}.update_state needs real=..., fake=... or "
            "both; received neither."
        )
    return [(side, x) for side, x in zip(SIDES, (real, fake)) if x is not None]
