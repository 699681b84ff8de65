"""`RunLock`: one training process per run folder."""

import os

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; runs are not protected there.
    fcntl = None

LOCK_FILENAME = ".lock"


class RunLock:
    """Holds an exclusive lock on a run folder while a process trains in it.

    An advisory `flock` on `run_dir/.lock`: a second `kerasgan train` (or
    `--resume`) on the same folder fails at once with a clear error and
    touches none of the first one's files. The operating system releases the
    lock when the process ends, however it ends (`kill -9` included), so a
    crashed run never leaves a stale lock. On systems without `fcntl`
    (Windows) the lock does nothing.

    Args:
        run_dir: the run folder (must exist).

    Raises:
        ValueError: on entering, when another process holds the folder.

    Example:
        >>> with RunLock("runs/dcgan"):  # doctest: +SKIP
        ...     train_into("runs/dcgan")
    """

    def __init__(self, run_dir):
        self.run_dir = os.fspath(run_dir)
        self.file = None

    def __enter__(self):
        if fcntl is None:
            return self
        path = os.path.join(self.run_dir, LOCK_FILENAME)
        self.file = open(path, "a")
        try:
            fcntl.flock(self.file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            self.file.close()
            self.file = None
            raise ValueError(
                f"Another process is training in {self.run_dir!r} (it holds {path}). "
                "Wait for it to finish, or train into another folder; its files were "
                "not touched."
            ) from error
        return self

    def __exit__(self, *exc):
        if self.file is not None:
            fcntl.flock(self.file.fileno(), fcntl.LOCK_UN)
            self.file.close()
            self.file = None
