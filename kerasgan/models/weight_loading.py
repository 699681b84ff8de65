"""`load_weights` that names a damaged file and leaves the model as it was."""

import os


class ExplainedWeightLoading:
    """Mixin: `load_weights` errors name the file and its folder, and change no variable.

    Keras's `BackupAndRestore` callback restores a model with
    `model.load_weights(<backup_dir>/latest.weights.h5)`; a backup cut short
    by a crash then fails inside h5py ("Unable to synchronously open file
    (truncated file ...)") without naming the file.
    """

    def load_weights(self, filepath, *args, **kwargs):
        """`keras.Model.load_weights`; a file that cannot be loaded changes nothing and is named.

        Args:
            filepath: the weights file (`.weights.h5`, `.weights.json` or
                `.keras`).
            *args: more arguments of `keras.Model.load_weights`.
            **kwargs: keyword arguments of `keras.Model.load_weights`.

        Raises:
            OSError: the file cannot be read (truncated, not HDF5). The
                message names it and its folder, and says to delete that
                folder when it is a `BackupAndRestore` backup. It stays an
                `OSError`, so that `BackupAndRestore` still falls back to its
                previous backup when there is one.
            ValueError: the file holds weights of another model; the message
                names the file.
            FileNotFoundError: no such file (Keras's own error).

        Example:
            >>> gan.load_weights("backup/latest.weights.h5")  # doctest: +SKIP
        """
        variables = self.every_variable()
        saved = [variable.numpy() for variable in variables]
        try:
            return super().load_weights(filepath, *args, **kwargs)
        except (OSError, ValueError) as error:
            for variable, value in zip(variables, saved):
                variable.assign(value)
            if not os.path.isfile(filepath):
                raise
            raise _explained(error, os.fspath(filepath)) from error

    def every_variable(self):
        """The model's variables and its optimizers', each once: what a weights file can hold."""
        optimizers = [getattr(self, slot, None) for slot in self.optimizer_slots()]
        found = {}
        for variable in [*self.variables, *(v for o in optimizers if o is not None for v in o.variables)]:
            found.setdefault(id(variable), variable)
        return list(found.values())


def _explained(error, filepath):
    """`error` again, of the same kind, with a message naming `filepath` and what to do."""
    folder = os.path.dirname(os.path.abspath(filepath))
    what = f"{type(error).__name__}: {error}"
    if isinstance(error, OSError):
        return OSError(
            f"Cannot load the weights in {filepath}: the file is damaged or cut short ({what}). "
            "The model's weights were left as they were, and the file too. If it is the backup of "
            f"keras.callbacks.BackupAndRestore, delete its folder {folder} (shutil.rmtree) to start "
            "training over, or pass another backup_dir."
        )
    return ValueError(
        f"Cannot load the weights in {filepath} into this model ({what}); the model's weights were "
        f"left as they were. Load a file saved from a model built with the same arguments; if it is "
        f"a keras.callbacks.BackupAndRestore backup of another model, delete its folder {folder} or "
        "pass another backup_dir."
    )
