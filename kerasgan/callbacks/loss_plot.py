"""A callback plotting the training curves to a PNG."""

import os

import keras
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from kerasgan.images import save_png
from kerasgan.images.png import validate_png_path
from kerasgan.utils.validation import validate_positive_int


class LossPlot(keras.callbacks.Callback):
    """Plots every numeric value of the epoch logs to a PNG.

    The callback records, at the end of each epoch, every numeric entry of
    the logs (e.g. `d_loss`, `g_loss`, `gp`, validation values), and at the
    end of training draws one curve per entry against the epoch number
    (1-based) into `path`. With `every` set, the plot is also redrawn every
    `every` epochs, so it can be watched during a long run. Like
    `keras.callbacks.History`, the record restarts with each `fit` call.

    The plot is drawn on a `matplotlib.figure.Figure` with the Agg canvas
    (no display, no pyplot state) and written with
    `kerasgan.images.save_png(..., content="chart")`, so it carries the same
    metadata keys as the sample grids: which model and run made it, the
    kerasgan version and the creation time.

    Args:
        path: destination PNG (string or path-like); folders are created.
            Defaults to `"losses.png"`.
        every: also redraw the plot every `every` epochs, an integer `>= 1`,
            or `None` (default) to draw it only when training ends.
        keys: names of the log entries to plot, or `None` (default) for
            every numeric entry.
        run: run recorded in the PNG metadata (e.g. the run folder), or
            `None` (default) to record the folder of `path`.

    Attributes:
        history: dict mapping each recorded key to a list of
            `(epoch, value)` pairs, `epoch` being 1-based.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "losses.png")
        >>> plot = LossPlot(path)
        >>> for epoch in range(3):
        ...     plot.on_epoch_end(epoch, {"d_loss": 1.0 - 0.1 * epoch,
        ...                               "g_loss": 0.7 + 0.1 * epoch})
        >>> plot.on_train_end()
        >>> os.path.exists(path)
        True
    """

    def __init__(self, path="losses.png", every=None, keys=None, run=None):
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
        self.history = {}

    def on_train_begin(self, logs=None):
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            if self.keys is not None and key not in self.keys:
                continue
            number = _as_number(value)
            if number is not None:
                self.history.setdefault(key, []).append((epoch + 1, number))
        if self.every is not None and (epoch + 1) % self.every == 0:
            self.save()

    def on_train_end(self, logs=None):
        if self.history:
            self.save()

    def save(self):
        """Draws the recorded curves and writes them to `path`.

        Returns:
            The path written, as a string.

        Raises:
            ValueError: if nothing numeric was recorded yet.
        """
        if not self.history:
            raise ValueError(
                "LossPlot has no values to plot yet: it records the numeric "
                "entries of the logs at each epoch end. Train first, or check "
                f"that keys={self.keys!r} names logged values."
            )
        return save_png(self.path, self._draw(), model=self.model, run=self.run, content="chart")

    def _draw(self):
        """Returns a figure with one curve per recorded key."""
        figure = Figure(figsize=(6.4, 4.0), layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        for key, points in self.history.items():
            epochs, values = zip(*points)
            marker = "o" if len(points) < 30 else None
            axes.plot(epochs, values, marker=marker, label=key)
        axes.set_xlabel("epoch")
        axes.set_ylabel("value")
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.grid(True, alpha=0.3)
        axes.legend()
        title = "training curves"
        if self.model is not None:
            title = f"{type(self.model).__name__} {title}"
        axes.set_title(title)
        return figure


def _as_number(value):
    """Returns `value` as a float if it is a real scalar (not a bool), else `None`."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        return None
    return float(array) if array.ndim == 0 and array.dtype.kind in "fiu" else None
