"""Private argument checks shared by the metric cores and wrappers."""

import numpy as np

# Images may overshoot [-1, 1] by this much (resampling, float rounding).
RANGE_TOLERANCE = 1e-3


def as_matrix(x, name, min_rows=1):
    """Returns `x` as a finite float64 array of shape `(rows, columns)`."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (num_samples, num_features); "
            f"received shape {x.shape}."
        )
    if x.shape[0] < min_rows:
        raise ValueError(
            f"{name} needs at least {min_rows} samples; received {x.shape[0]}."
        )
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return x


def same_width(a, b, name_a, name_b):
    """Raises unless two feature matrices have the same number of columns."""
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"{name_a} and {name_b} must have the same number of features; "
            f"received shapes {a.shape} and {b.shape}. Compute both with the "
            "same feature extractor."
        )


def positive_int(value, name, minimum=1):
    """Returns `value` as an int, raising unless it is an integer >= minimum."""
    is_int = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not is_int or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; received {value!r}.")
    return int(value)


def as_images(images, name):
    """Returns `images` as a float32 NumPy batch `(batch, H, W, C)` in [-1, 1]."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4:
        raise ValueError(
            f"{name} must be a batch of images of shape (batch, height, width, "
            f"channels) in [-1, 1]; received shape {images.shape}. Add a batch "
            "or channel axis, e.g. images[..., None] for grayscale."
        )
    if images.size and not np.all(np.isfinite(images)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    if images.size:
        low, high = float(images.min()), float(images.max())
        if low < -1 - RANGE_TOLERANCE or high > 1 + RANGE_TOLERANCE:
            raise ValueError(
                f"{name} must hold values in [-1, 1]; received values in "
                f"[{low:.4g}, {high:.4g}]. Rescale uint8 images with "
                "images / 127.5 - 1."
            )
    return images
