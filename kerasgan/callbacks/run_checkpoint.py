"""A callback saving a run's model and progress atomically, every epoch and every N steps."""

import math
import os

from kerasgan.models.divergence import BatchEndCallback, weights_are_finite
from kerasgan.utils.files import remove_stale_temporaries, write_atomically, write_json_atomically
from kerasgan.utils.resume import completed_steps
from kerasgan.utils.validation import validate_positive_int
from kerasgan.version import __version__

MODEL_FILENAME = "model.keras"
STATE_FILENAME = "run.json"


class RunCheckpoint(BatchEndCallback):
    """Saves `model.keras` and `run.json` in a run folder during training.

    Saves after each epoch and, with `save_every_steps`, also every that many
    training steps (mid-epoch). Both files are written to a temporary name,
    flushed and renamed, so a run killed at any moment leaves the previous
    complete checkpoint; temporaries left by a killed run are deleted when
    training begins. A checkpoint is skipped when a logged figure or a weight
    is NaN or infinite: the last good checkpoint stays.

    `run.json` holds `epochs_completed` (whole epochs), `steps_completed`
    (training steps, i.e. the generator optimizer's `iterations`), the
    `settings` given and `kerasgan_version`, the version that wrote it.
    The model file is written first and carries the same step count in its
    optimizer, so it is the authority on progress when a kill falls between
    the two renames (`kerasgan.runs.train` resumes from it).

    Args:
        run_dir: the run folder.
        settings: dict saved in `run.json` (variant, data set, ...), so that
            a resumed run can be checked against the original.
        save_every_steps: None (default) to save only at the end of each
            epoch, or a positive int: also save whenever the training step
            count reaches a multiple of it.

    Example:
        >>> import os, tempfile
        >>> import kerasgan
        >>> run_dir = tempfile.mkdtemp()
        >>> ds = kerasgan.data.load("fashion_mnist", batch_size=32, limit=96, seed=0)
        >>> gan = kerasgan.DCGAN(latent_dim=8, seed=0)
        >>> gan.compile()
        >>> _ = gan.fit(ds, epochs=1, verbose=0,
        ...             callbacks=[RunCheckpoint(run_dir, save_every_steps=2)])
        >>> sorted(os.listdir(run_dir))
        ['model.keras', 'run.json']
    """

    def __init__(self, run_dir, settings=None, save_every_steps=None):
        super().__init__()
        self.run_dir = os.fspath(run_dir)
        self.settings = dict(settings or {})
        if save_every_steps is not None:
            save_every_steps = validate_positive_int(save_every_steps, "save_every_steps")
        self.save_every_steps = save_every_steps
        self.epoch = 0
        self.last_saved_step = None
        # Steps done, counted here from the model's count at the start of
        # training (reading the model's after every batch would sync its
        # state on JAX), and the count when the epoch began.
        self.steps_done = self.epoch_start_step = None

    def on_train_begin(self, logs=None):
        for name in (MODEL_FILENAME, STATE_FILENAME):
            remove_stale_temporaries(os.path.join(self.run_dir, name))
        self.last_saved_step = self.steps_done = completed_steps(self.model)

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        self.epoch_start_step = self.steps_done

    def on_train_batch_end(self, batch, logs=None):
        self.steps_done = self.epoch_start_step + batch + 1
        if self.save_every_steps is None:
            return
        if self.steps_done // self.save_every_steps > self.last_saved_step // self.save_every_steps:
            self.save(self.epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self.save(epoch + 1, logs)

    def save(self, epochs_completed, logs=None):
        """Writes the checkpoint now, unless training has diverged.

        Args:
            epochs_completed: whole epochs done, recorded in `run.json`.
            logs: the latest logs; a NaN or infinite figure skips the save.

        Returns:
            True if the checkpoint was written, False if it was skipped.
        """
        figures = [v for v in (logs or {}).values() if isinstance(v, (int, float))]
        if not all(math.isfinite(v) for v in figures) or not weights_are_finite(self.model.weights):
            return False
        step = completed_steps(self.model)
        write_atomically(os.path.join(self.run_dir, MODEL_FILENAME), self.model.save)
        write_json_atomically(
            os.path.join(self.run_dir, STATE_FILENAME),
            {
                "epochs_completed": epochs_completed,
                "steps_completed": step,
                "settings": self.settings,
                "kerasgan_version": __version__,
            },
        )
        self.last_saved_step = step
        return True
