"""Errors that every backend's trainer raises the same way."""


class BadBatchError(ValueError):
    """A training batch failed one of kerasgan's value checks.

    Raised by `fit()` and `train_on_batch()` when a batch holds values out of
    range (images outside `[-1, 1]`, labels outside `[0, num_classes)`),
    whether the check ran eagerly, in the `tf.data` pipeline or inside the
    compiled step. Its message is the check's own: what was expected, the
    smallest and largest value found, and what to do.

    Example:
        >>> issubclass(BadBatchError, ValueError)
        True
    """
