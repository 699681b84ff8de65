"""`keras.callbacks.BackupAndRestore` made crash-safe and exact mid-epoch."""

import json
import os
import shutil

import keras

from kerasgan.utils.files import remove_stale_temporaries, write_atomically, write_json_atomically
from kerasgan.utils.resume import completed_steps


class BackupAndRestore(keras.callbacks.BackupAndRestore):
    """Keras's `BackupAndRestore`, with atomic writes and exact mid-epoch resume.

    A drop-in replacement for `keras.callbacks.BackupAndRestore` (same
    arguments and files) that differs in three ways:

    - The weights and the metadata are written to temporary files and
      renamed, so a process killed while saving (even with SIGKILL) leaves
      the previous backup intact; Keras writes them in place.
    - With `save_freq=N`, a resumed `fit()` skips the batches of the
      interrupted epoch that the backup already trained on, so it takes
      exactly as many training steps as an uninterrupted one. Keras
      restores the mid-epoch weights but replays the epoch from its first
      batch. The number of steps to skip comes from the restored model's
      own step counter (a GAN's `g_optimizer.iterations`), which is stored
      in the same file as the weights.
    - A backup that cannot be restored (truncated, corrupt, or written by
      another model) raises a `ValueError` that names the folder and says
      what to do, instead of an `OSError` from HDF5.

    For a GAN, the backup holds both networks, both optimizers (with
    `iterations`) and the model's seed-generator state, so the resumed run
    draws the latents the uninterrupted one would have drawn. It trains on
    the same batches when the dataset yields the same batches for an epoch
    in a new process (e.g. a dataset that is not shuffled); a `tf.data`
    pipeline that reshuffles every epoch starts again from its first order.
    `kerasgan.runs.train` resumes with the exact data order.

    Args:
        backup_dir: folder of the backup, used by nothing else.
        save_freq: `"epoch"` (default) or a positive int: back up every that
            many batches.
        double_checkpoint: also keep the previous backup and fall back to it
            when the latest cannot be read. Defaults to False.
        delete_checkpoint: delete the backup when training ends. Defaults
            to True.

    Example:
        >>> import tempfile
        >>> import kerasgan
        >>> ds = kerasgan.data.load("fashion_mnist", batch_size=32, limit=64, shuffle=False)
        >>> gan = kerasgan.DCGAN(latent_dim=8, seed=0)
        >>> gan.compile()
        >>> backup = BackupAndRestore(tempfile.mkdtemp(), save_freq=1)
        >>> _ = gan.fit(ds, epochs=2, verbose=0, callbacks=[backup])
        >>> int(gan.g_optimizer.iterations)
        4
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True):
        super().__init__(
            backup_dir,
            save_freq=save_freq,
            double_checkpoint=double_checkpoint,
            delete_checkpoint=delete_checkpoint,
        )
        self._epoch_start_step = 0
        self._steps_to_skip = 0

    def on_train_begin(self, logs=None):
        for path in (self._weights_path, self._training_metadata_path):
            remove_stale_temporaries(path)
        try:
            super().on_train_begin(logs)
            self._steps_to_skip = self._restored_steps_in_epoch()
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ValueError(
                f"The backup in {self.backup_dir} cannot be restored: it is corrupt "
                "or was written for another model. Delete that folder to train from "
                "the start, or pass the model that wrote it. Cause: "
                f"{type(error).__name__}: {error}"
            ) from error
        if self._steps_to_skip:
            self._skip_first_steps()

    def on_epoch_begin(self, epoch, logs=None):
        # Keras counts the epoch only at its end, so a mid-epoch backup of a
        # resumed run would otherwise record epoch 0.
        self._current_epoch = epoch
        self._epoch_start_step = completed_steps(self.model) - self._steps_to_skip

    def on_epoch_end(self, epoch, logs=None):
        self._epoch_start_step = completed_steps(self.model)
        super().on_epoch_end(epoch, logs)

    def on_train_end(self, logs=None):
        # Keras leaves the restored epoch on the model, where it would also
        # move the start of a later fit() without this callback.
        self.model._initial_epoch = None
        self._restore_train_function()
        super().on_train_end(logs)

    def _restored_steps_in_epoch(self):
        """Steps of the restored epoch that the backup already trained on."""
        if not os.path.exists(self._training_metadata_path):
            return 0
        with open(self._training_metadata_path) as f:
            metadata = json.load(f)
        if "epoch_start_step" not in metadata:
            return 0  # written by keras.callbacks.BackupAndRestore
        steps = completed_steps(self.model) - int(metadata["epoch_start_step"])
        steps_per_epoch = self.params.get("steps")
        if steps_per_epoch and steps >= steps_per_epoch:
            # Killed between the weights and the metadata at an epoch's end.
            self.model._initial_epoch = int(metadata["epoch"]) + 1
            steps -= steps_per_epoch
        return steps

    def _skip_first_steps(self):
        """Makes the next `_steps_to_skip` calls of the train function no-ops.

        The batches are still read from the data, so the first step trained
        is the one after the backup's.
        """
        self._train_function = self.model.train_function
        steps_per_call = self.model.steps_per_execution

        def skipping_train_function(data):
            if hasattr(data, "__next__"):
                # The TensorFlow trainer passes the data iterator and the
                # train function reads its batches: read them here instead.
                for _ in range(steps_per_call):
                    next(data)
            self._steps_to_skip -= steps_per_call
            if self._steps_to_skip <= 0:
                self._restore_train_function()
            return {}

        self.model.train_function = skipping_train_function

    def _restore_train_function(self):
        if getattr(self, "_train_function", None) is not None:
            self.model.train_function = self._train_function
            self._train_function = None

    def _save_model(self):
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint:
            for path, previous in (
                (self._weights_path, self._prev_weights_path),
                (self._training_metadata_path, self._prev_training_metadata_path),
            ):
                if os.path.exists(path):
                    write_atomically(previous, lambda tmp, path=path: shutil.copyfile(path, tmp))
        write_atomically(self._weights_path, self.model.save_weights)
        write_json_atomically(
            self._training_metadata_path,
            {
                "epoch": self._current_epoch,
                "batch": self._last_batch_seen,
                "epoch_start_step": self._epoch_start_step,
            },
        )
