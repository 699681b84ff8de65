"""A callback stopping training as soon as a loss becomes NaN or infinite."""

import math
import os

import keras
import numpy as np

from kerasgan.utils.resume import completed_steps

# Which network a logged figure belongs to, for the error message.
_NETWORK_OF = {"g_loss": "generator"}
_NETWORKS = ("generator", "discriminator", "ema_generator")


def weights_are_finite(variables):
    """True when no floating-point variable holds a NaN or infinite value.

    Args:
        variables: iterable of `keras.Variable` (e.g. `model.weights`).

    Returns:
        A bool.

    Example:
        >>> import keras
        >>> weights_are_finite([keras.Variable([1.0, 2.0])])
        True
    """
    for variable in variables:
        values = np.asarray(variable.numpy())
        if values.dtype.kind == "f" and not np.isfinite(values).all():
            return False
    return True


class TrainingDivergedError(RuntimeError):
    """Raised when a GAN's loss becomes NaN or infinite."""


class StopOnDivergence(keras.callbacks.Callback):
    """Raises `TrainingDivergedError` at the first non-finite logged figure.

    The logged figures are checked after every batch, and the networks'
    weights after every epoch (a step can turn the weights NaN while the
    loss it logged, computed before the update, is still finite). The
    message names the figure or the network, the network it
    belongs to (`g_loss` → generator, everything else → discriminator), the
    epoch, the step within the epoch and (when the callback is attached to a
    compiled model) the training step of the whole run, and says what to
    try. Checkpoints written before the failure are left as they are
    (`RunCheckpoint` never writes non-finite weights).

    Args:
        checkpoint_path: optional path of the run's checkpoint file; the
            message then says whether a last good checkpoint exists there.

    Example:
        >>> import math
        >>> callback = StopOnDivergence()
        >>> try:
        ...     callback.on_train_batch_end(3, {"d_loss": 0.7, "g_loss": math.nan})
        ... except TrainingDivergedError as error:
        ...     print(str(error)[:60])
        Training diverged: g_loss (generator) became nan at epoch 1,
    """

    def __init__(self, checkpoint_path=None):
        super().__init__()
        self.checkpoint_path = None if checkpoint_path is None else os.fspath(checkpoint_path)
        self.epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        for name, value in (logs or {}).items():
            try:
                number = float(value)
            except (TypeError, ValueError):
                continue
            if not math.isfinite(number):
                network = _NETWORK_OF.get(name, "discriminator")
                raise TrainingDivergedError(
                    f"Training diverged: {name} ({network}) became {number} at "
                    f"epoch {self.epoch + 1}, step {batch + 1}{self._run_step()}."
                    f"{self._checkpoint_status()} "
                    "Lower the learning rates, check the data range ([-1, 1]), or "
                    "use a more stable variant such as WGANGP."
                )

    def on_epoch_end(self, epoch, logs=None):
        for name in _NETWORKS:
            network = getattr(self.model, name, None)
            if network is not None and not weights_are_finite(network.weights):
                raise TrainingDivergedError(
                    f"Training diverged: the {name} weights became NaN or infinite "
                    f"by the end of epoch {epoch + 1}{self._run_step()}."
                    f"{self._checkpoint_status()} Lower the learning rates, check "
                    "the data range ([-1, 1]), or use a more stable variant such "
                    "as WGANGP."
                )

    def _checkpoint_status(self):
        """A sentence on the last good checkpoint, or `""` without a path."""
        if self.checkpoint_path is None:
            return ""
        if os.path.exists(self.checkpoint_path):
            return f" The last good checkpoint, {self.checkpoint_path}, is kept."
        return f" No checkpoint had been written to {self.checkpoint_path} yet."

    def _run_step(self):
        """`" (training step N)"` when the run's step count is known, else `""`."""
        if self.model is None:
            return ""
        try:
            return f" (training step {completed_steps(self.model)})"
        except ValueError:
            return ""
