"""Each training step's own logged values, and the CSV file that keeps them across processes.

Keras logs, after every training step, the trackers' running means since
the epoch began (it resets them at each epoch start). `PerStepValues`
recovers every step's own value from two consecutive means; `LossPlot`
records them and keeps them in a file of `step,key,value` rows
(`read_steps_file`, `write_steps_file`), so that a resumed run's plot still
shows its earlier steps.
"""

import os

import numpy as np

from kerasgan.utils.files import write_atomically

STEPS_HEADER = "step,key,value"


class PerStepValues:
    """Turns the running means of a training step's logs into that step's own values.

    With `n_k` tracker updates in the epoch up to step `k`, a tracker's mean
    after step `k` is `mean_k = (n_{k-1} * mean_{k-1} + sum of step k's
    values) / n_k`, so the mean of step `k`'s own values is `(n_k * mean_k -
    n_{k-1} * mean_{k-1}) / (n_k - n_{k-1})`, exact when every update carries
    the same weight. `update_counts` says how many updates each tracker gets
    in a span of steps; a tracker without an update in the span gets no
    value. Keys that are not running means pass through as logged. With
    `steps_per_execution > 1` Keras logs once per span of steps, and the
    value is the span's mean, recorded at its last step.

    Args:
        step: training steps taken before the first logged step (an int
            `>= 0`); the steps recorded count on from it, from `step + 1`.
        update_counts: callable `(first, end) -> {key: updates}` giving the
            tracker updates of step indices `first` to `end - 1`; keys it
            leaves out get one update per step. None (default): one update
            per step for every key.
        running_means: set of the keys that are running means, or None
            (default) for all of them.

    Example:
        >>> values = PerStepValues()
        >>> values.begin_epoch()
        >>> [values.batch_end(batch, {"loss": mean}) for batch, mean in enumerate([2.0, 1.5])]
        [[(1, 'loss', 2.0)], [(2, 'loss', 1.0)]]
    """

    def __init__(self, step=0, update_counts=None, running_means=None):
        self.step = int(step)
        self.update_counts = update_counts
        self.running_means = running_means
        self.begin_epoch()

    @classmethod
    def for_model(cls, model, step):
        """The recovery for `model`: a kerasgan GAN's schedule counts its trackers' updates.

        Args:
            model: a `kerasgan.GAN` (its `training_phases()` and trackers are
                read), any other `keras.Model`, or None.
            step: training steps the model has taken.

        Returns:
            A `PerStepValues`.
        """
        if not callable(getattr(model, "training_phases", None)):
            return cls(step)
        running_means = {metric.name for metric in model.metrics}
        return cls(step, update_counts=_ScheduleCounts(model.training_phases()), running_means=running_means)

    def begin_epoch(self):
        """Starts an epoch: Keras has just reset the trackers."""
        self.epoch_start = self.step
        self.previous = {}  # key -> (updates so far this epoch, running mean)
        self.seen = set()

    def batch_end(self, batch, means):
        """Returns `[(step, key, value)]` for one logged step (or span of steps).

        Args:
            batch: the index Keras gives `on_train_batch_end` (the epoch's
                last step of the span, from 0).
            means: dict `{key: float}` of the numeric logs.

        Returns:
            List of `(step, key, value)` rows, `step` counted from 1 over all
            epochs.
        """
        end = self.epoch_start + batch + 1
        counts = {} if self.update_counts is None else self.update_counts(self.step, end)
        rows = []
        for key, mean in means.items():
            self.seen.add(key)
            if self.running_means is not None and key not in self.running_means:
                rows.append((end, key, mean))
                continue
            updates = counts.get(key, end - self.step)
            if updates <= 0:
                continue
            before, previous = self.previous.get(key, (0, 0.0))
            self.previous[key] = (before + updates, mean)
            rows.append((end, key, ((before + updates) * mean - before * previous) / updates))
        self.step = end
        return rows

    def epoch_end(self, logs):
        """Returns `[(step, key, value)]` for the epoch logs' entries no step logged (validation)."""
        return [(self.step, key, value) for key, value in logs.items() if key not in self.seen]


class _ScheduleCounts:
    """Tracker updates of a GAN's phases over a span of step indices (see `kerasgan.models.Phase`)."""

    def __init__(self, phases):
        self.phases = list(phases)

    def __call__(self, first, end):
        counts = {}
        for step in range(first, end):
            for phase in self.phases:
                updates = int(np.asarray(phase.updates_at(step)))
                for term in phase.terms:
                    counts[term] = counts.get(term, 0) + updates
                if phase.gate is not None:
                    name = f"{phase.name}_skipped"
                    counts[name] = counts.get(name, 0) + updates
                if phase.repeat_is_scheduled:  # logged once per step, due or not
                    name = f"{phase.name}_updates"
                    counts[name] = counts.get(name, 0) + 1
        return counts


def read_steps_file(path):
    """Reads the `step,key,value` rows of a per-step file, skipping damaged lines.

    A process killed while appending may leave a cut last line; such lines
    (and any other that does not parse) are skipped.

    Args:
        path: the CSV file; a missing file holds no rows.

    Returns:
        `(rows, clean)`: the list of `(step, key, value)` tuples in file
        order, and whether every line parsed (a missing file is clean).

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "losses_steps.csv")
        >>> _ = write_steps_file(path, [(1, "d_loss", 0.5)])
        >>> with open(path, "a") as f:
        ...     _ = f.write("2,d_lo")  # cut by a kill
        >>> read_steps_file(path)
        ([(1, 'd_loss', 0.5)], False)
    """
    if not os.path.exists(path):
        return [], True
    rows, clean = [], True
    with open(path, newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[0] == STEPS_HEADER:
        lines = lines[1:]
    else:
        clean = False
    if lines and lines[-1] == "":
        lines = lines[:-1]
    for line in lines:
        row = _parse(line)
        if row is None:
            clean = False
        else:
            rows.append(row)
    return rows, clean


def write_steps_file(path, rows):
    """Writes `step,key,value` rows to a per-step file atomically.

    Args:
        path: the CSV file.
        rows: iterable of `(step, key, value)`; values are written with
            `repr`, so they read back exactly.

    Returns:
        `path` as a string.
    """
    text = _lines(rows)

    def write(tmp_path):
        with open(tmp_path, "w", newline="") as f:
            f.write(f"{STEPS_HEADER}\n{text}")

    return write_atomically(path, write)


def append_steps_file(path, rows):
    """Appends `step,key,value` rows to a per-step file and flushes them to the OS.

    A killed process loses none of the rows appended before (only a power
    loss may); a kill during the write can cut the last line, which
    `read_steps_file` skips.

    Args:
        path: the CSV file, written before by `write_steps_file`.
        rows: iterable of `(step, key, value)`.
    """
    with open(path, "a", newline="") as f:
        f.write(_lines(rows))


def _lines(rows):
    return "".join(f"{step},{key},{value!r}\n" for step, key, value in rows)


def _parse(line):
    parts = line.rsplit(",", 1)
    if len(parts) != 2:
        return None
    head, value = parts
    step, _, key = head.partition(",")
    try:
        return int(step), key, float(value)
    except ValueError:
        return None
