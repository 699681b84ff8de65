"""Argument checks shared by the data loaders, with errors that say what to do."""

import numbers


def check_positive_int(name, value, allow_none=False):
    """Returns `value` if it is a positive int (or `None` when allowed).

    Args:
        name: the argument's name, used in the error message.
        value: the value received.
        allow_none: whether `None` is accepted. Defaults to `False`.

    Returns:
        `value` as a Python int, or `None`.

    Raises:
        ValueError: if `value` is not a positive int (bools are refused).

    Example:
        >>> check_positive_int("batch_size", 64)
        64
    """
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or (
        value < 1
    ):
        expected = "None or a positive int" if allow_none else "a positive int"
        raise ValueError(f"{name} must be {expected}; received {name}={value!r}.")
    return int(value)


def check_image_size(image_size, allow_none=True):
    """Returns `image_size` as a `(height, width)` tuple of positive ints.

    Args:
        image_size: `None` (keep the size) or a pair `(height, width)`.
        allow_none: whether `None` is accepted. Defaults to `True`.

    Returns:
        A tuple `(height, width)`, or `None`.

    Raises:
        ValueError: if `image_size` is not a pair of positive ints.

    Example:
        >>> check_image_size([32, 32])
        (32, 32)
    """
    if image_size is None and allow_none:
        return None
    try:
        height, width = image_size
        return (
            check_positive_int("height", height),
            check_positive_int("width", width),
        )
    except (TypeError, ValueError) as error:
        raise ValueError(
            "image_size must be a pair (height, width) of positive ints, e.g. "
            f"(64, 64); received image_size={image_size!r}."
        ) from error


def check_seed(seed):
    """Returns `seed` if it is `None` or an int.

    Args:
        seed: `None` (unseeded shuffling) or an int.

    Returns:
        `seed` as a Python int, or `None`.

    Raises:
        ValueError: if `seed` is neither `None` nor an int.

    Example:
        >>> check_seed(3)
        3
    """
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise ValueError(f"seed must be None or an int; received seed={seed!r}.")
    return int(seed)


def check_enough_examples(num_examples, batch_size, drop_remainder, source):
    """Refuses data that would give an empty data set.

    Args:
        num_examples: how many examples the data holds.
        batch_size: the batch size asked for.
        drop_remainder: whether an incomplete last batch is dropped.
        source: a short description of the data for the message, e.g.
            `"fashion_mnist 'train' with limit=10"`.

    Raises:
        ValueError: if there are no examples, or fewer than `batch_size`
            while `drop_remainder=True` (every batch would be dropped).

    Example:
        >>> check_enough_examples(100, 32, True, "my images")
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
