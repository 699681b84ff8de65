"""Batch checks for XLA-compiled training, run where XLA cannot drop them.

XLA compiles `tf.debugging.Assert` away ("Ignoring Assert operator"), so
inside a `jit_compile=True` step the range checks of `kerasgan.GAN.unpack_batch`
would never fire and a model would silently train on, say, images in
`[0, 255]`. Keras turns XLA on by default on GPUs. So when the model is
jit-compiled, `fit()` checks every batch before it enters the compiled step:
in the `tf.data` pipeline (graph mode), eagerly for arrays, and per batch for
Python generators and `keras.utils.PyDataset`s.
"""

import keras
import tensorflow as tf


def with_checked_batches(gan, x, y=None):
    """Returns `fit()`'s `x`, `y` with every batch checked by `gan.unpack_batch`.

    Args:
        gan: the `kerasgan.GAN`.
        x: `fit()`'s `x`: a `tf.data.Dataset`, arrays or tensors, a Python
            iterator or generator of batches, or a `keras.utils.PyDataset`.
        y: `fit()`'s `y` (labels of a conditional model given as arrays).

    Returns:
        `(x, y)` to pass on to `keras.Model.fit`: the same batches, which
        raise the model's own error for a bad one when they are read.

    Raises:
        ValueError or tf.errors.InvalidArgumentError: arrays that fail the
            checks (at once, before training starts).

    Example:
        >>> x, y = with_checked_batches(gan, dataset)  # doctest: +SKIP
    """
    if isinstance(x, tf.data.Dataset):
        return x.map(lambda *element: _checked_element(gan, element)), y
    if isinstance(x, keras.utils.PyDataset):
        return _CheckedPyDataset(gan, x), y
    if hasattr(x, "__next__"):
        return _checked_iterator(gan, x), y
    if x is not None:
        _check_batch(gan, x if y is None else (x, y))
    return x, y


def _check_batch(gan, data):
    data = tf.nest.map_structure(tf.convert_to_tensor, data)
    gan.unpack_batch(data)


def _checked_element(gan, element):
    data = element[0] if len(element) == 1 else element
    checked = [t for t in gan.unpack_batch(data).values() if t is not None]
    with tf.control_dependencies(checked):
        return tf.nest.map_structure(tf.identity, data)


def _checked_iterator(gan, batches):
    for batch in batches:
        _check_batch(gan, batch)
        yield batch


class _CheckedPyDataset(keras.utils.PyDataset):
    """A `PyDataset` whose batches are checked as they are read."""

    def __init__(self, gan, batches):
        super().__init__(
            workers=batches.workers,
            use_multiprocessing=batches.use_multiprocessing,
            max_queue_size=batches.max_queue_size,
        )
        self._gan = gan
        self._batches = batches

    def __len__(self):
        return len(self._batches)

    @property
    def num_batches(self):
        return self._batches.num_batches

    def __getitem__(self, index):
        batch = self._batches[index]
        _check_batch(self._gan, batch)
        return batch

    def on_epoch_begin(self):
        self._batches.on_epoch_begin()

    def on_epoch_end(self):
        self._batches.on_epoch_end()
