"""Argument checks of the remedies, with errors that say what was received and what to pass."""

import numbers


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
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0:
        raise ValueError(f"{name} must be a positive number; received {name}={value!r}.")
    return float(value)
