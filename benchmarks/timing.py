"""Timing helpers: images/s of a `fit` epoch or a hand-written loop, interleaved.

The machine is shared and its load drifts, so contenders are never timed one
after the other: each repeat times every contender once, in turn, and the
figures reported are medians over repeats and ratios between contenders of
the same process.
"""

import statistics
import time

import keras


class _EpochTimer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds = time.perf_counter() - self.start


def fit_seconds(gan, dataset):
    """Seconds of one `gan.fit` epoch over `dataset` (fit's one-off setup excluded).

    Args:
        gan: a compiled `kerasgan.GAN`.
        dataset: a finite `tf.data.Dataset` of batches.

    Returns:
        float, wall-clock seconds from the start to the end of the epoch.

    Example:
        >>> seconds = fit_seconds(gan, dataset)  # doctest: +SKIP
    """
    timer = _EpochTimer()
    gan.fit(dataset, epochs=1, verbose=0, callbacks=[timer])
    return timer.seconds


def loop_seconds(step, dataset):
    """Seconds of one pass of `step` over `dataset`, waiting for the last result.

    Args:
        step: callable taking one batch and returning tensors (or a nested
            structure whose first leaf is a tensor or a float).
        dataset: an iterable of batches.

    Returns:
        float, wall-clock seconds.

    Example:
        >>> seconds = loop_seconds(make_reference_step(gan), dataset)  # doctest: +SKIP
    """
    start = time.perf_counter()
    outputs = None
    for batch in dataset:
        outputs = step(batch)
    float(keras.tree.flatten(outputs)[0])  # waits for asynchronous work
    return time.perf_counter() - start


def iterator_loop_seconds(fed_step, dataset):
    """Seconds of one pass over `dataset` of a step that pulls its own batches.

    Args:
        fed_step: callable taking a `tf.data` iterator (see
            `reference_loop.feed_in_graph`).
        dataset: a `tf.data.Dataset` of known, finite length.

    Returns:
        float, wall-clock seconds.

    Example:
        >>> seconds = iterator_loop_seconds(feed_in_graph(step), dataset)  # doctest: +SKIP
    """
    start = time.perf_counter()
    iterator = iter(dataset)
    for _ in range(len(dataset)):
        outputs = fed_step(iterator)
    float(keras.tree.flatten(outputs)[0])
    return time.perf_counter() - start


def interleaved_medians(contenders, repeats):
    """Times each contender once per repeat, in turn, and returns median seconds.

    Args:
        contenders: dict `{name: zero-argument callable returning seconds}`.
        repeats: positive int, number of rounds.

    Returns:
        Dict `{name: {"median_seconds": float, "seconds": [float, ...]}}`.

    Example:
        >>> interleaved_medians({"a": lambda: 1.0, "b": lambda: 2.0}, repeats=3)
        {'a': {'median_seconds': 1.0, 'seconds': [1.0, 1.0, 1.0]}, ...}
    """
    seconds = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, contender in contenders.items():
            seconds[name].append(contender())
    return {
        name: {"median_seconds": statistics.median(values), "seconds": values}
        for name, values in seconds.items()
    }
