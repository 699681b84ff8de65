"""The backend seam for Keras backends kerasgan cannot train on yet (JAX, PyTorch).

Models build, sample (`generate`, `translate`), save and load there; `fit`,
`train_on_batch` and `train_step` raise `NotImplementedError` naming the
backend and what to do. A trainer for another backend plugs in by providing
the names this module provides (see `kerasgan.backend`).
"""

import keras
import numpy as np
from keras import ops

from kerasgan.backend.errors import assert_concrete_shape as assert_shape  # noqa: F401 (a backend name)


def _unsupported(what):
    backend = keras.backend.backend()
    return NotImplementedError(
        f"kerasgan cannot train on the {backend!r} Keras backend yet ({what}); "
        "only TensorFlow trains today. Set the environment variable "
        "KERAS_BACKEND=tensorflow before importing keras to train; models trained "
        f"there load and sample on {backend!r}."
    )


def input_gradients(fn, inputs):
    """Gradient of `sum(fn(inputs))` with respect to `inputs` (JAX only).

    Args:
        fn: callable mapping a batch to scores `(batch, 1)`.
        inputs: tensor `(batch, ...)`.

    Returns:
        Float32 tensor with the shape of `inputs`.

    Example:
        >>> input_gradients(lambda x: 3.0 * x, ops.ones((2, 4)))  # doctest: +SKIP
    """
    if keras.backend.backend() != "jax":
        raise _unsupported("input gradients")
    import jax

    def total(x):
        return ops.sum(ops.cast(fn(x), "float32"))

    return ops.cast(jax.grad(total)(ops.convert_to_tensor(inputs)), "float32")


def assert_in_range(tensor, low, high, message):
    """Checks that a concrete tensor lies in `[low, high]`; returns it unchanged.

    Args:
        tensor: numeric tensor.
        low: smallest allowed value.
        high: largest allowed value.
        message: the `ValueError` message otherwise.

    Returns:
        `tensor`.

    Raises:
        NotImplementedError: inside a traced (compiled) function, where this
            backend cannot check values yet.

    Example:
        >>> assert_in_range(ops.zeros((2,)), -1.0, 1.0, "outside [-1, 1]")  # doctest: +SKIP
    """
    try:
        values = np.asarray(ops.convert_to_numpy(tensor), dtype="float64")
    except Exception as error:  # a tracer: no concrete values to check
        raise _unsupported("checking batch values inside a compiled step") from error
    if values.size and not (np.isfinite(values).all() and values.min() >= low and values.max() <= high):
        raise ValueError(f"{message} min={values.min()}, max={values.max()}")
    return tensor


def replicas_in_sync():
    """1: no synchronous replicas on this backend (yet)."""
    return 1


def global_batch_position(local_batch_size):
    """`(0, local_batch_size)`: one replica holds the whole batch."""
    return 0, local_batch_size


class UntrainedBackendTrainer:
    """Trainer mixin for backends kerasgan cannot train on yet: every entry raises.

    A real trainer for such a backend provides `train_step(data)` running
    `self.training_phases()` (each phase's `self.phase_objective(phase,
    batch)` differentiated over the phase's networks only, each network
    updated by `self.optimizer_for(name)`, the other networks' non-trainable
    state restored), `run_phase(phase, batch)` and
    `random_per_example(sampler, batch_size, shape)`.
    """

    def fit(self, *args, **kwargs):
        raise _unsupported("fit")

    def train_on_batch(self, *args, **kwargs):
        raise _unsupported("train_on_batch")

    def train_step(self, data):
        raise _unsupported("train_step")

    def run_phase(self, phase, batch):
        """Raises: training is not supported on this backend."""
        raise _unsupported(f"phase {phase.name!r}")

    def random_per_example(self, sampler, batch_size, shape):
        """Draws `(batch_size, *shape)` values from the model's seed generator."""
        return sampler((batch_size, *shape), seed=self.seed_generator)
