"""`Schedule`: a count that changes at given steps (a phase's step-dependent `repeat`)."""

import dataclasses
import numbers

import keras
import numpy as np
from keras import ops


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def select(condition, if_true, if_false):
    """`if_true` where `condition` holds, else `if_false`: Python values for a Python bool.

    The one conditional of the schedule rules: on a Python bool (a step
    counted on the host) it is plain Python, on a boolean tensor (the step
    inside a compiled training step) `keras.ops.where`.

    Example:
        >>> select(3 >= 2, 5, 1)
        5
    """
    if isinstance(condition, (bool, np.bool_)):
        return if_true if condition else if_false
    return ops.where(condition, if_true, if_false)


@keras.saving.register_keras_serializable(package="kerasgan")
@dataclasses.dataclass(frozen=True)
class Schedule:
    """A whole number per training step, constant between the steps where it changes.

    The piecewise-constant schedule of a phase's `repeat`: the value of each
    piece holds from its first step until the next piece's first step, the
    last one forever, like `keras.optimizers.schedules.PiecewiseConstantDecay`.
    Called with a Python int it returns a Python int; with a scalar integer
    tensor (the step inside a compiled training step) an int32 tensor, built
    with `keras.ops` (no Python branching on the tensor).

    Args:
        pieces: list of `(first_step, value)` pairs: first steps strictly
            increasing from 0, values integers `>= 1`. E.g. WGAN's critic
            warm-up, 100 critic updates for the first 25 steps, then 5:
            `[(0, 100), (25, 5)]`.

    Example:
        >>> critic_steps = Schedule([(0, 5), (1000, 1)])
        >>> critic_steps(999), critic_steps(1000), critic_steps.maximum
        (5, 1, 5)

    Reference:
        Arjovsky et al., "Wasserstein GAN", ICML 2017 (Algorithm 1 and the
        reference code's 100 critic iterations for the first 25 steps).
    """

    pieces: tuple

    def __post_init__(self):
        try:
            pieces = tuple((first, value) for first, value in self.pieces)
        except (TypeError, ValueError):
            pieces = None
        if not pieces:
            raise ValueError(
                f"Schedule takes a non-empty list of (first_step, value) pairs, e.g. "
                f"Schedule([(0, 5), (1000, 1)]); received {self.pieces!r}."
            )
        firsts = [first for first, _ in pieces]
        if not all(_is_int(first) for first in firsts) or firsts[0] != 0:
            raise ValueError(
                f"A Schedule's first steps are integers and the first is 0 (every step needs "
                f"a value); received first steps {firsts}. Start with (0, value)."
            )
        if any(later <= earlier for earlier, later in zip(firsts, firsts[1:])):
            raise ValueError(
                f"A Schedule's first steps must increase strictly; received {firsts}. "
                "Sort the pieces and merge those that start at the same step."
            )
        values = [value for _, value in pieces]
        if not all(_is_int(value) and value >= 1 for value in values):
            raise ValueError(
                f"A Schedule's values are counts, integers >= 1; received {values}. To stop a "
                "phase from some step on, give the Phase stop= instead."
            )
        object.__setattr__(self, "pieces", tuple((int(f), int(v)) for f, v in pieces))

    def get_config(self):
        return {"pieces": [list(piece) for piece in self.pieces]}

    @classmethod
    def from_config(cls, config):
        return cls(config["pieces"])

    @property
    def maximum(self):
        """The largest value the schedule takes."""
        return max(value for _, value in self.pieces)

    def __call__(self, step):
        value = self.pieces[0][1]
        for first, later in self.pieces[1:]:
            value = select(step >= first, later, value)
        return value if isinstance(value, int) else ops.cast(value, "int32")
