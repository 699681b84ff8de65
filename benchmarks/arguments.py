"""Command-line argument types shared by the benchmarks."""

import argparse


def positive_int(text):
    """An argparse type: an integer of at least 1 (0 or a negative count is an error, never a default).

    Example:
        >>> positive_int("3")
        3
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value
