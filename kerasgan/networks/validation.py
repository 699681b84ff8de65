"""Argument checks shared by the network builders."""


# Images may exceed [-1, 1] by this much (float rounding after resizing); every
# range check of kerasgan uses it.
RANGE_TOLERANCE = 1e-3

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


def validate_positive_int(value, name):
    """Checks that `value` is a positive integer.

    Args:
        value: the value to check.
        name: argument name used in the error message.

    Returns:
        `value` as an int.

    Example:
        >>> validate_positive_int(64, "latent_dim")
        64
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer; received {value!r}.")
    return value


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
    if num_classes is not None and (
        isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2
    ):
        raise ValueError(
            "num_classes must be None (unconditional) or an integer >= 2; "
            f"received {num_classes!r}."
        )
    return num_classes


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
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ValueError(f"{name} must be a non-negative number; received {value!r}.")
    return float(value)
