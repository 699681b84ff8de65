"""A callback saving a run's model and progress atomically after every epoch."""

import math
import os

import keras

from kerasgan.utils.files import write_atomically, write_json_atomically

MODEL_FILENAME = "model.keras"
STATE_FILENAME = "run.json"


class RunCheckpoint(keras.callbacks.Callback):
    """Saves `model.keras` and `run.json` in a run folder after each epoch.

    Both files are written to a temporary name and renamed, so a run killed
    at any moment leaves the previous complete checkpoint. An epoch whose
    logged figures are not all finite is not saved: the last good checkpoint
    stays. `run.json` holds `epochs_completed` plus the `settings` given.

    Args:
        run_dir: the run folder.
        settings: dict saved in `run.json` (variant, data set, ...), so that
            a resumed run can be checked against the original.

    Example:
        >>> gan.fit(ds, epochs=5, callbacks=[RunCheckpoint("runs/dcgan")])  # doctest: +SKIP
    """

    def __init__(self, run_dir, settings=None):
        super().__init__()
        self.run_dir = os.fspath(run_dir)
        self.settings = dict(settings or {})

    def on_epoch_end(self, epoch, logs=None):
        values = [v for v in (logs or {}).values() if isinstance(v, (int, float))]
        if not all(math.isfinite(v) for v in values):
            return
        write_atomically(os.path.join(self.run_dir, MODEL_FILENAME), self.model.save)
        write_json_atomically(
            os.path.join(self.run_dir, STATE_FILENAME),
            {"epochs_completed": epoch + 1, "settings": self.settings},
        )
