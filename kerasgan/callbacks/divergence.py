"""A callback raising an error as soon as a loss or weight becomes NaN or infinite."""

import os

from kerasgan.models.divergence import ADVICE, BatchEndCallback, first_nonfinite_term, nonfinite_networks
from kerasgan.utils.resume import completed_steps


class TrainingDivergedError(RuntimeError):
    """Raised when a GAN's loss becomes NaN or infinite."""


class StopOnDivergence(BatchEndCallback):
    """Raises `TrainingDivergedError` at the first non-finite logged figure.

    The logged figures are checked after every batch, and the networks'
    weights after every epoch (a step can turn the weights NaN while the
    loss it logged, computed before the update, is still finite). The
    message names the figure and the networks its phase trains (or the
    networks whose weights went bad), the epoch, the step within the epoch
    and, when attached to a compiled model, the training step of the whole
    run, and says what to try. Checkpoints written before the failure are
    left as they are (`RunCheckpoint` never writes non-finite weights).
    Plain `fit()` already stops with a warning (`DivergenceGuard`); use this
    callback to get an exception instead.

    Args:
        checkpoint_path: optional path of the run's checkpoint file; the
            message then says whether a last good checkpoint exists there.

    Example:
        >>> import math
        >>> callback = StopOnDivergence()
        >>> try:
        ...     callback.on_train_batch_end(3, {"d_loss": 0.7, "g_loss": math.nan})
        ... except TrainingDivergedError as error:
        ...     print(str(error)[:44])
        Training diverged: g_loss became nan at epoc
    """

    def __init__(self, checkpoint_path=None):
        super().__init__()
        self.checkpoint_path = None if checkpoint_path is None else os.fspath(checkpoint_path)
        self.epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        what = first_nonfinite_term(self.watched_model, logs)
        if what is not None:
            self.fail(f"{what} at epoch {self.epoch + 1}, step {batch + 1}")

    def on_epoch_end(self, epoch, logs=None):
        bad = nonfinite_networks(self.model)
        if bad:
            self.fail(f"the {', '.join(bad)} weights became NaN or infinite by the end of epoch {epoch + 1}")

    def fail(self, what):
        raise TrainingDivergedError(
            f"Training diverged: {what}{self._run_step()}.{self._checkpoint_status()} {ADVICE}"
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
