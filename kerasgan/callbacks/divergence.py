"""A callback stopping training as soon as a loss becomes NaN or infinite."""

import math

import keras

# Which network a logged figure belongs to, for the error message.
_NETWORK_OF = {"g_loss": "generator"}


class TrainingDivergedError(RuntimeError):
    """Raised when a GAN's loss becomes NaN or infinite."""


class StopOnDivergence(keras.callbacks.Callback):
    """Raises `TrainingDivergedError` at the first non-finite logged figure.

    Checked after every batch; the message names the figure, the network it
    belongs to (`g_loss` → generator, everything else → discriminator), the
    epoch and the step, and says what to try. Checkpoints written before the
    failure are left as they are.

    Args:
        checkpoint_hint: optional text naming the last good checkpoint, added
            to the message.

    Example:
        >>> gan.fit(ds, epochs=5, callbacks=[StopOnDivergence()])  # doctest: +SKIP
    """

    def __init__(self, checkpoint_hint=None):
        super().__init__()
        self.checkpoint_hint = checkpoint_hint
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
                hint = f" {self.checkpoint_hint}" if self.checkpoint_hint else ""
                raise TrainingDivergedError(
                    f"Training diverged: {name} ({network}) became {number} at "
                    f"epoch {self.epoch + 1}, step {batch + 1}.{hint} Lower the "
                    "learning rates, check the data range ([-1, 1]), or use a "
                    "more stable variant such as WGANGP."
                )
