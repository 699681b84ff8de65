"""Errors that every backend's trainer raises the same way, and the checks' messages."""

from keras import ops


class BadBatchError(ValueError):
    """A training batch failed one of kerasgan's value checks.

    Raised by `fit()` and `train_on_batch()` when a batch holds values out of
    range (images outside `[-1, 1]`, labels outside `[0, num_classes)`, NaN
    or infinite values) or, found only while the step runs, has the wrong
    shape; whether the check ran eagerly, in the `tf.data` pipeline or
    inside the compiled step. Its message is the check's own: what was
    expected, what was found (the smallest and largest finite value, how
    many NaN or infinite values, the shape) and what to do.

    Example:
        >>> issubclass(BadBatchError, ValueError)
        True
    """


class JAXOnCPUWarning(UserWarning):
    """kerasgan trains on JAX with no GPU or TPU, where TensorFlow trains far faster.

    The first `fit()` of a process on the JAX backend gives it when JAX has
    only CPU devices (`jax.default_backend() == "cpu"`): XLA's CPU code for
    the convolutions of a GAN is much slower than TensorFlow's oneDNN
    kernels. Train with `KERAS_BACKEND=tensorflow` on a CPU, or silence it
    with `warnings.filterwarnings("ignore", category=kerasgan.JAXOnCPUWarning)`.

    Example:
        >>> issubclass(JAXOnCPUWarning, UserWarning)
        True
    """


def shapes_match(shape, expected):
    """Whether `shape` fits `expected`, where a None in `expected` matches any size.

    Args:
        shape: a tensor's shape, every size known.
        expected: the shape wanted, e.g. `(None, 28, 28, 1)`.

    Returns:
        bool.

    Example:
        >>> shapes_match((4, 28, 28, 1), (None, 28, 28, 1))
        True
    """
    shape, expected = tuple(shape), tuple(expected)
    return len(shape) == len(expected) and all(
        want is None or size == want for size, want in zip(shape, expected)
    )


def with_received_shape(message, shape):
    """`message` with the shape a batch really had written into its placeholders.

    `"(shape follows)"` becomes the whole shape, e.g. `(4, 32, 32, 3)`, and
    `"(image shape follows)"` the shape without its batch axis, `(32, 32, 3)`.

    Args:
        message: the check's message.
        shape: sequence of sizes (ints, or None where unknown), batch axis
            first.

    Returns:
        The filled message.

    Example:
        >>> with_received_shape("received (shape follows)", [4, 8, 8, 3])
        'received (4, 8, 8, 3)'
    """
    shape = tuple(None if size is None else int(size) for size in shape)
    return message.replace("(shape follows)", str(shape)).replace("(image shape follows)", str(shape[1:]))


def assert_concrete_shape(tensor, shape, message):
    """Checks the shape of a tensor whose sizes are all known (JAX traces, eager tensors).

    Args:
        tensor: any tensor.
        shape: the shape wanted; None matches any size.
        message: what is wrong and what to do, with the placeholders of
            `with_received_shape`.

    Returns:
        `tensor`, unchanged.

    Raises:
        BadBatchError: the shape does not fit.

    Example:
        >>> import numpy as np
        >>> assert_concrete_shape(np.zeros((2, 3)), (None, 3), "received (shape follows)").shape
        (2, 3)
    """
    if not shapes_match(tensor.shape, shape):
        raise BadBatchError(with_received_shape(message, tensor.shape))
    return tensor


def with_values_found(message, smallest, largest, num_nan=0, num_infinite=0):
    """The message of a failed range check, filled with the values the batch held.

    `"(min, max follow)"` in `message` becomes the smallest and largest
    finite value. NaN and infinite values are counted apart, and a message
    naming them comes first: no scaling fixes them, only finding them does.

    Args:
        message: the check's message.
        smallest: smallest finite value (inf when there is none).
        largest: largest finite value (-inf when there is none).
        num_nan: how many values are NaN. Defaults to 0.
        num_infinite: how many are infinite. Defaults to 0.

    Returns:
        The filled message.

    Example:
        >>> with_values_found("values outside (min, max follow).", -2.0, 1.0)
        'values outside (smallest -2, largest 1).'
        >>> with_values_found("outside (min, max follow).", 0.0, 1.0, num_nan=2)[:26]
        'A batch holds 2 NaN values'
    """
    smallest, largest = float(smallest), float(largest)
    counts = " and ".join(
        f"{int(n)} {kind} value{'' if int(n) == 1 else 's'}"
        for n, kind in ((num_nan, "NaN"), (num_infinite, "infinite"))
        if int(n)
    )
    if smallest > largest:
        extremes = f"{counts}, no finite value"
    elif counts:
        extremes = f"{counts}; the finite ones from {smallest:g} to {largest:g}"
    else:
        extremes = f"smallest {smallest:g}, largest {largest:g}"
    filled = message.replace("(min, max follow)", f"({extremes})")
    if not counts:
        return filled
    return (
        f"A batch holds {counts}, which no model can train on: find them "
        "(np.isnan(x).any(), np.isinf(x).any()) and drop or repair those examples, or the step "
        f"of your pipeline that makes them. {filled}"
    )


def range_statistics(tensor):
    """What a range check reports of a tensor, in one pass of backend ops (traceable).

    Args:
        tensor: any numeric tensor.

    Returns:
        float32 tensor `(smallest, largest, num_nan, num_infinite)`: the
        extremes of the finite values (inf and -inf when none is finite),
        and how many values are NaN and infinite.

    Example:
        >>> [float(v) for v in range_statistics(ops.convert_to_tensor([1.0, float("nan"), -2.0]))]
        [-2.0, 1.0, 1.0, 0.0]
    """
    values = ops.cast(tensor, "float32")
    finite = ops.isfinite(values)
    return ops.stack(
        [
            ops.min(ops.where(finite, values, float("inf"))),
            ops.max(ops.where(finite, values, float("-inf"))),
            ops.sum(ops.cast(ops.isnan(values), "float32")),
            ops.sum(ops.cast(ops.isinf(values), "float32")),
        ]
    )


_EMPTY_DATA_ADVICE = (
    "so nothing was trained. Check the data: a data set smaller than one batch is empty when "
    "batched with drop_remainder=True, a filter() may drop every example, and a Python generator "
    "or iterator yields nothing once it is used up (pass a fresh one)."
)


def _data_kind(x):
    """How a message names `fit()`'s data: `tf.data.Dataset`, or the type's name."""
    return "tf.data.Dataset" if callable(getattr(x, "cardinality", None)) else type(x).__name__


def fit_data(args, kwargs):
    """The `x` of a `fit(x=None, y=None, ...)` call, from its arguments."""
    return args[0] if args else kwargs.get("x")


def refuse_empty_dataset(x):
    """Refuses, before `fit()` starts, a `tf.data.Dataset` known to hold no batch.

    Args:
        x: `fit()`'s `x`; only an object with a `cardinality()` of 0 (a
            `tf.data.Dataset`) is refused. Datasets of unknown size are
            checked after `fit()` by `refuse_fit_without_steps`.

    Raises:
        ValueError: the data set holds no batch.

    Example:
        >>> refuse_empty_dataset(None)
    """
    cardinality = getattr(x, "cardinality", None)
    if callable(cardinality) and int(cardinality()) == 0:
        raise ValueError(
            f"fit() received a {_data_kind(x)} that holds no batch (cardinality 0), " + _EMPTY_DATA_ADVICE
        )


def refuse_fit_without_steps(epochs_ran, steps_before, steps_after, x):
    """Refuses a `fit()` whose epochs ran without a single training step.

    An epoch that began but trained no batch means the data yielded
    nothing. A `fit()` that had no epoch to run (`initial_epoch >= epochs`,
    or a `BackupAndRestore` backup of a finished run) is not refused.

    Args:
        epochs_ran: whether `fit()` began an epoch (its `History` lists one).
        steps_before: the model's `completed_steps()` before `fit()`.
        steps_after: the same after it.
        x: `fit()`'s `x`, named in the message.

    Raises:
        ValueError: epochs ran and no step did.

    Example:
        >>> refuse_fit_without_steps(False, 0, 0, None)
    """
    if epochs_ran and steps_after == steps_before:
        raise ValueError(
            f"fit() received a {_data_kind(x)} that yielded no batch (epochs began and no "
            f"training step ran), " + _EMPTY_DATA_ADVICE
        )
