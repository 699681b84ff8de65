"""A callback plotting the training curves, one point per training step, to a PNG."""

import array
import os
import warnings

import keras
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from kerasgan.callbacks.loss_steps import PerStepValues, append_steps_file, read_steps_file, write_steps_file
from kerasgan.images import save_png
from kerasgan.images.png import validate_png_path
from kerasgan.utils.files import remove_stale_temporaries
from kerasgan.utils.resume import completed_steps
from kerasgan.utils.validation import validate_positive_int

# Points of a curve per unit of the automatic smoothing's horizon (see `auto_smoothing`).
POINTS_PER_HORIZON = 50


def is_schedule_key(name):
    """Whether a logged value is a decision of the schedule rather than a loss.

    `LossPlot` draws these on their own axis, below the losses: the fraction
    of a gated phase's updates that were skipped (`<phase>_skipped`), the
    number of updates of a phase with a scheduled repeat (`<phase>_updates`)
    and an augmentation probability (`ada_p`, or any name starting with
    `augment_`).

    Args:
        name: a log key, e.g. `"d_loss"`.

    Returns:
        A bool.

    Example:
        >>> [is_schedule_key(k) for k in ("d_loss", "generator_skipped", "ada_p", "augment_p")]
        [False, True, True, True]
    """
    return name.endswith(("_skipped", "_updates")) or name == "ada_p" or name.startswith("augment_")


def is_learning_rate_key(name):
    """Whether a logged value is a learning rate (`LearningRateLogger`'s `<slot>_learning_rate`).

    `LossPlot` draws these on an axis of their own, below the schedule's:
    a rate of 2e-4 would be a flat line beside losses or update counts.

    Example:
        >>> [is_learning_rate_key(k) for k in ("d_learning_rate", "learning_rate", "d_loss")]
        [True, True, False]
    """
    return name == "learning_rate" or name.endswith("_learning_rate")


def _axis_of(name):
    if is_learning_rate_key(name):
        return "learning_rate"
    return "schedule" if is_schedule_key(name) else "losses"


def exponential_moving_average(values, weight):
    """The debiased exponential moving average of a curve, skipping non-finite points.

    `s_t = weight * s_{t-1} + (1 - weight) * x_t` from `s_0 = 0`, divided by
    `1 - weight**t` so that the first points are not pulled towards 0 (the
    smoothing of TensorBoard's scalar charts). `t` counts the finite values
    only: a NaN or infinite value leaves the average unchanged and gets NaN,
    a gap in the drawn curve.

    Args:
        values: 1-D sequence of floats.
        weight: the weight of the past, in `[0, 1)`; 0 returns the values
            themselves, 0.9 averages over about the last 10 points.

    Returns:
        A float64 array of the same length.

    Example:
        >>> exponential_moving_average([1.0, 0.0, 0.0], 0.5).round(4).tolist()
        [1.0, 0.3333, 0.1429]
    """
    values = np.asarray(values, dtype="float64")
    if values.ndim != 1:
        raise ValueError(f"exponential_moving_average expects a 1-D curve; received shape {values.shape}.")
    weight = _validate_weight(weight)
    smoothed = np.full(values.shape, np.nan)
    average = normalizer = 0.0
    for index, value in enumerate(values.tolist()):
        if np.isfinite(value):
            average = weight * average + (1.0 - weight) * value
            normalizer = weight * normalizer + (1.0 - weight)
            smoothed[index] = average / normalizer
    return smoothed


def auto_smoothing(num_points):
    """The EMA weight `LossPlot` uses by default for a curve of `num_points` points.

    `1 - 1 / max(1, num_points / 50)`: the average's horizon (`1 / (1 -
    weight)` points) is a fiftieth of the curve, so a long run's curve shows
    its trend at any length, and a curve of at most 50 points is not smoothed.

    Args:
        num_points: an int `>= 0`.

    Returns:
        A float in `[0, 1)`.

    Example:
        >>> auto_smoothing(30), auto_smoothing(1000)
        (0.0, 0.95)
    """
    return 1.0 - 1.0 / max(1.0, num_points / POINTS_PER_HORIZON)


class LossPlot(keras.callbacks.Callback):
    """Plots every numeric logged value, one point per training step, to a PNG.

    After every training step the callback records the step's value of every
    numeric log entry (e.g. `d_loss`, `g_loss`, `gp`) against the training
    step, counted over all epochs from the model's own step count (a kerasgan
    GAN's saved `completed_steps()`, else its optimizer's `iterations`), so
    a second `fit()` of the same model, or a resumed run, continues the x
    axis. Entries that only appear in the epoch logs (validation values) are
    recorded at the epoch's last step.

    Keras logs the trackers' running means since the epoch began; the
    callback recovers each step's own value from consecutive means,
    `value_k = (n_k * mean_k - n_{k-1} * mean_{k-1}) / (n_k - n_{k-1})`, with
    `n_k` the number of tracker updates of the epoch up to step `k`. For a
    kerasgan GAN, `n` counts the updates its phases' schedule makes (a
    critic's 5 updates per step, a lazy regularizer's every 16th step, a
    scheduled repeat), and a value gets no point at a step where its phase
    did not run; for any other model, one update per step. The recovery is
    exact when every update carries the same weight (a fixed batch size:
    kerasgan's trackers weight each update by its batch size, so a smaller
    last batch makes that step's value approximate), up to float32 rounding,
    about `1e-7 * k * |mean|` at the `k`-th step of an epoch. A logged value
    that is no tracker of a kerasgan GAN (a controller's current state) is
    recorded as logged.

    The plot draws each curve smoothed (`exponential_moving_average`, by
    default with `auto_smoothing`'s weight) with the raw per-step values
    faint behind it, losses on the upper axis and the schedule's decisions
    (`is_schedule_key`: skipped fractions, update counts, augmentation
    probabilities) on a second axis below. It is drawn on a
    `matplotlib.figure.Figure` with the Agg canvas (no display, no pyplot
    state) and written atomically with `kerasgan.images.save_png(...,
    content="chart")`, so it carries the metadata of the sample grids (model,
    run, kerasgan version, creation time). It is written when training ends,
    and every `every` epochs when set; a failure to draw or write it is
    reported with a `RuntimeWarning` and never stops training.

    With `steps_path`, the per-step values are also kept in a CSV file
    (`step,key,value` rows, see `kerasgan.callbacks.loss_steps`), so a run
    resumed in a new process plots its earlier steps too: when training
    begins, the rows up to the model's step count are read back and the rest
    (steps a killed run took after its last checkpoint) dropped, the file is
    rewritten atomically, and each step's rows are appended and flushed as
    it ends. Without it, the record lives as long as the callback.

    Args:
        path: destination PNG (string or path-like); folders are created.
            Defaults to `"losses.png"`.
        every: also redraw the plot every `every` epochs, an integer `>= 1`,
            or `None` (default) to draw it only when training ends.
        keys: names of the log entries to plot, or `None` (default) for
            every numeric entry.
        run: run recorded in the PNG metadata (e.g. the run folder), or
            `None` (default) to record the folder of `path`.
        steps_path: CSV file keeping the per-step values across processes,
            e.g. `"runs/dcgan/losses_steps.csv"`, or `None` (default).
        smoothing: `"auto"` (default, `auto_smoothing` per curve) or a fixed
            EMA weight in `[0, 1)`; 0 draws the raw values only.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "losses.png")
        >>> plot = LossPlot(path)
        >>> plot.on_train_begin()
        >>> plot.on_epoch_begin(0)
        >>> for batch, running_mean in enumerate([1.0, 0.75, 0.7]):
        ...     plot.on_train_batch_end(batch, {"d_loss": running_mean})
        >>> plot.series()["d_loss"]["values"].round(6).tolist()  # each step's own value
        [1.0, 0.5, 0.6]
        >>> plot.on_train_end()
        >>> os.path.exists(path)
        True
    """

    def __init__(self, path="losses.png", every=None, keys=None, run=None, steps_path=None, smoothing="auto"):
        super().__init__()
        self.path = validate_png_path(path)
        self.every = None if every is None else validate_positive_int(every, "every")
        if isinstance(keys, str):
            raise ValueError(
                f"LossPlot expects keys to be a list of log names; received "
                f"the string {keys!r}. Write keys=[{keys!r}]."
            )
        self.keys = None if keys is None else list(keys)
        self.run = os.path.dirname(os.path.abspath(self.path)) if run is None else os.fspath(run)
        self.steps_path = None if steps_path is None else os.fspath(steps_path)
        if smoothing != "auto":
            smoothing = _validate_weight(smoothing)
        self.smoothing = smoothing
        self.record = {}  # key -> (array of steps, array of values)
        self.per_step = PerStepValues()
        self.appending = False  # whether each step's rows go to steps_path

    # ---------------------------------------------------------------- hooks

    def on_train_begin(self, logs=None):
        step = _model_step(self.model)
        self.per_step = PerStepValues.for_model(self.model, step)
        self.record = {key: _truncated(steps, values, step) for key, (steps, values) in self.record.items()}
        self.appending = False
        if self.steps_path is not None:
            self._read_steps_file(step)

    def on_epoch_begin(self, epoch, logs=None):
        self.per_step.begin_epoch()

    def on_train_batch_end(self, batch, logs=None):
        rows = self.per_step.batch_end(batch, self._numbers(logs))
        self._add(rows)

    def on_epoch_end(self, epoch, logs=None):
        self._add(self.per_step.epoch_end(self._numbers(logs)))
        if self.every is not None and (epoch + 1) % self.every == 0:
            self._save_quietly()

    def on_train_end(self, logs=None):
        self.appending = False
        if self.record:
            self._save_quietly()

    # ---------------------------------------------------------------- public

    def series(self):
        """The recorded curves, as drawn.

        Returns:
            Dict mapping each recorded key to a dict with `"steps"` (int64
            array, the training step each value was logged after, from 1),
            `"values"` (float64 array, each step's own value), `"smoothed"`
            (the drawn curve, `exponential_moving_average` of the values) and
            `"axis"`: `"losses"`, `"schedule"` (`is_schedule_key`) or
            `"learning_rate"` (`is_learning_rate_key`).
        """
        curves = {}
        for key, (steps, values) in self.record.items():
            values = np.asarray(values, dtype="float64")
            weight = auto_smoothing(len(values)) if self.smoothing == "auto" else self.smoothing
            curves[key] = {
                "steps": np.asarray(steps, dtype="int64"),
                "values": values,
                "smoothed": exponential_moving_average(values, weight),
                "axis": _axis_of(key),
            }
        return curves

    def figure(self):
        """Draws the recorded curves on a new figure.

        Returns:
            A `matplotlib.figure.Figure` with one axis per kind of curve, top
            to bottom: `"loss"` (its y label), `"schedule"` and
            `"learning rate"`, where there are curves of that kind. Each key has a line labelled with the
            key (the smoothed curve) and one labelled `"_<key> per step"`
            (the raw values, left out of the legend).

        Raises:
            ValueError: if nothing numeric was recorded yet.
        """
        curves = self.series()
        if not curves:
            raise ValueError(
                "LossPlot has no values to plot yet: it records the numeric "
                "entries of the logs at each training step. Train first, or check "
                f"that keys={self.keys!r} names logged values."
            )
        panels = [
            (label, [key for key, curve in curves.items() if curve["axis"] == axis])
            for axis, label in (
                ("losses", "loss"),
                ("schedule", "schedule"),
                ("learning_rate", "learning rate"),
            )
        ]
        panels = [(label, keys) for label, keys in panels if keys]
        figure = Figure(figsize=(7.2, 4.0 + 1.6 * (len(panels) - 1)), layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.subplots(
            len(panels), 1, sharex=True, squeeze=False, height_ratios=[3, *[1] * (len(panels) - 1)]
        )
        color = 0
        for (label, keys), panel in zip(panels, axes[:, 0]):
            for key in keys:
                curve = curves[key]
                raw = np.where(np.isfinite(curve["values"]), curve["values"], np.nan)
                marker = "o" if len(raw) < 30 else None
                panel.plot(
                    curve["steps"],
                    raw,
                    color=f"C{color}",
                    alpha=0.25,
                    linewidth=0.8,
                    label=f"_{key} per step",
                )
                panel.plot(
                    curve["steps"],
                    curve["smoothed"],
                    color=f"C{color}",
                    linewidth=1.6,
                    marker=marker,
                    label=key,
                )
                color += 1
            panel.set_ylabel(label)
            panel.grid(True, alpha=0.3)
            panel.legend(loc="best", fontsize="small")
        axes[-1, 0].set_xlabel("training step")
        axes[-1, 0].xaxis.get_major_locator().set_params(integer=True)
        title = "training curves (smoothed; raw per-step values faint)"
        if self.model is not None:
            title = f"{type(self.model).__name__} {title}"
        axes[0, 0].set_title(title)
        return figure

    def save(self):
        """Draws the recorded curves and writes them to `path` (atomically).

        Returns:
            The path written, as a string.

        Raises:
            ValueError: if nothing numeric was recorded yet.
        """
        return save_png(self.path, self.figure(), model=self.model, run=self.run, content="chart")

    # --------------------------------------------------------------- private

    def _numbers(self, logs):
        """The numeric entries of `logs` that the plot records, as floats."""
        numbers = {}
        for key, value in (logs or {}).items():
            if self.keys is None or key in self.keys:
                number = _as_number(value)
                if number is not None:
                    numbers[key] = number
        return numbers

    def _add(self, rows):
        for step, key, value in rows:
            steps, values = self.record.setdefault(key, (array.array("q"), array.array("d")))
            steps.append(step)
            values.append(value)
        if rows and self.appending:
            try:
                append_steps_file(self.steps_path, rows)
            except OSError as error:
                self._warn(f"could not append to {self.steps_path}", error)
                self.appending = False

    def _read_steps_file(self, step):
        """Reads the earlier steps back and drops those after `step`; this fit's steps are appended."""
        try:
            remove_stale_temporaries(self.steps_path)
            rows, clean = read_steps_file(self.steps_path)
            kept = [row for row in rows if row[0] <= step]
            if not clean or len(kept) < len(rows) or not os.path.exists(self.steps_path):
                write_steps_file(self.steps_path, kept)
        except OSError as error:
            self._warn(f"could not use {self.steps_path}; the plot shows this fit's steps only", error)
            return
        self.record = {}
        self._add(kept)
        self.appending = True

    def _save_quietly(self):
        try:
            self.save()
        except Exception as error:  # the plot's own failure never stops training
            self._warn(f"could not write {self.path}", error)

    def _warn(self, what, error):
        warnings.warn(
            f"LossPlot {what} ({type(error).__name__}: {error}); training goes on.",
            RuntimeWarning,
            stacklevel=3,
        )


def _model_step(model):
    """The training steps `model` has taken (0 for none, or an object without a step count)."""
    if model is None:
        return 0
    try:
        return completed_steps(model)
    except ValueError:
        return 0


def _truncated(steps, values, last_step):
    """The points of one curve up to `last_step`."""
    keep = int(np.searchsorted(np.asarray(steps, dtype="int64"), last_step, side="right"))
    return array.array("q", steps[:keep]), array.array("d", values[:keep])


def _validate_weight(weight):
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0.0 <= weight < 1.0:
        raise ValueError(
            f"The smoothing weight must be a number in [0, 1) (0: no smoothing, 0.9: about the "
            f"last 10 points) or 'auto'; received {weight!r}."
        )
    return float(weight)


def _as_number(value):
    """Returns `value` as a float if it is a real scalar (not a bool), else `None`."""
    try:
        value = np.asarray(value)
    except (TypeError, ValueError):
        return None
    return float(value) if value.ndim == 0 and value.dtype.kind in "fiu" else None
