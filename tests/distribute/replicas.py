"""The one `MirroredStrategy` over two logical CPU devices that the tests of a process share."""

import functools

import tensorflow as tf


@functools.cache
def two_replica_strategy():
    """A `MirroredStrategy` over the two logical CPU devices of `tests/conftest.py`, made once per process.

    Two strategies over the same devices in one process give their
    collectives the same keys: the second one's all-reduce then meets the
    first one's tensors ("Shape mismatch in the collective instance") and
    every later collective of the process is aborted. So every test takes
    this one.

    Returns:
        `tf.distribute.MirroredStrategy` with 2 replicas.
    """
    devices = tf.config.list_logical_devices("CPU")
    assert len(devices) >= 2, "tests/conftest.py should have made two logical CPU devices"
    return tf.distribute.MirroredStrategy([d.name for d in devices[:2]])
