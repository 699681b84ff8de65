"""`Phase`: one entry of a GAN's update schedule, and the rules of when it runs.

The trainers of every backend execute these rules; they are written only
here: `is_due` (start, stop, every), `repeats_at` (an int or a
step-dependent repeat), `updates_at` (both together), `update_applies`
(the gate), and `updates_on_host`, the same rules decided on the host for
one step (how trainers run lazy phases under several devices: one compiled
step per distinct set of due updates).
"""

import dataclasses
import numbers

from keras import ops

from kerasgan.models.schedule import Schedule, select
from kerasgan.utils.validation import validate_positive_int


@dataclasses.dataclass(frozen=True)
class Phase:
    """One update of a training step: which networks, which objective, when and how often.

    A GAN's `phases()` returns a list of these; the backend's trainer runs them
    in order on every batch. A phase builds its context (a dict: the batch's
    entries plus whatever it draws or computes, such as latents and generated
    images), evaluates its objective on it under one gradient tape, adds the
    regularizers attached to it, and updates each of its networks with that
    network's own optimizer. Every other network is left exactly as it was,
    its batch-norm statistics included.

    When it runs: at step index `step` (the model's `train_steps`, counted
    from 0 over all `fit()` calls) the phase is due when `start <= step`,
    `step < stop` and `(step - start) % every == 0`: `every` counts from
    `start`, so a phase always runs at its first step. A due phase runs
    `repeats_at(step)` updates. Inside a compiled step, where the step index
    is a tensor, a step-dependent `repeat` runs as an in-graph loop of that
    many updates; `<name>_updates` logs how many ran per step. Under a
    TensorFlow strategy with several replicas the host decides instead
    (`updates_on_host`) and runs a step compiled for those updates. A `gate`
    decides after each update's objective whether to apply it: a skipped
    update leaves the phase's networks (batch-norm statistics included),
    their optimizers (`iterations` included) exactly as they were and does
    not run `after`; its terms are still logged, its random draws are spent,
    and state its objective keeps (a regularizer's running mean, an image
    pool) moves on. `<name>_skipped` logs the fraction of updates skipped.

    Args:
        name: the phase's name, e.g. `"discriminator"`; regularizers attach to
            phases by this name.
        networks: names of the networks it trains, e.g. `("discriminator",)`
            or `("g_ab", "g_ba")`.
        objective: callable `context -> (total_loss, {term: value})`.
        terms: names of the terms the objective returns, in display order;
            each becomes a tracker (progress bar, History, CSVLogger).
        context: callable `batch -> dict` building the objective's inputs, or
            None to pass the batch itself. It runs under the tape, so it may
            call the trained networks.
        repeat: updates per step when due (`n_critic` for a critic): an int
            `>= 1` (default 1), a `kerasgan.models.Schedule` such as
            `Schedule([(0, 100), (25, 5)])`, or a callable `step -> int`
            written with `keras.ops`, as a Keras learning-rate schedule is,
            e.g. `lambda step: keras.ops.where(step < 25, 100, 5)`; it
            receives a scalar int32 tensor, and counts below 0 count as 0.
        every: run the phase only on every `every`-th step from `start`
            (lazy regularization). At least 1; defaults to 1.
        after: callable run after each applied update (weight clipping, EMA),
            or None.
        start: first step index the phase runs at (a warm-up phase of
            another network starts at 0, the phase it precedes at its end).
            At least 0; defaults to 0.
        stop: first step index it no longer runs at, greater than `start`;
            None (default) never stops.
        gate: callable `terms -> boolean scalar tensor`, True to apply the
            update whose terms (the objective's dict, regularizer terms
            included) it receives, e.g. `lambda terms: terms["d_loss"] > 0.3`
            to train a critic only while it is not winning; None applies all.
        passes: names of entries of the objective's context (which the
            objective may add to) handed on to the phases after it in the
            same step: after each update they join the step's batch dict,
            gradients stopped, so a later phase's context reads them as
            `batch[name]`. CycleGAN's generators pass the fakes they drew, so
            its discriminators score the fakes drawn before the generator
            update, as the reference implementation does. Only a phase that
            runs at every step with an int `repeat` may pass values (a later
            phase must be able to count on them); of several updates, the
            last one's values are passed. Defaults to `()`.

    Example:
        >>> warm_up = Phase("warm_up", ("discriminator",), objective=lambda c: (0.0, {}),
        ...                 terms=(), repeat=Schedule([(0, 5), (100, 1)]), stop=200)
        >>> warm_up.is_due(199), warm_up.is_due(200), warm_up.repeats_at(150)
        (True, False, 1)

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", CVPR 2020 (the `Gmain`/`Greg`/`Dmain`/`Dreg` schedule).
    """

    name: str
    networks: tuple
    objective: object
    terms: tuple
    context: object = None
    repeat: object = 1
    every: int = 1
    after: object = None
    start: int = 0
    stop: object = None
    gate: object = None
    passes: tuple = ()

    def __post_init__(self):
        if not self.networks:
            raise ValueError(f"Phase {self.name!r} trains no network; name at least one.")
        object.__setattr__(self, "networks", tuple(self.networks))
        object.__setattr__(self, "terms", tuple(self.terms))
        if not isinstance(self.repeat, Schedule) and not callable(self.repeat):
            validate_positive_int(self.repeat, f"Phase {self.name!r} repeat")
        validate_positive_int(self.every, f"Phase {self.name!r} every")
        validate_positive_int(self.start, f"Phase {self.name!r} start", minimum=0)
        validate_positive_int(self.stop, f"Phase {self.name!r} stop", allow_none=True)
        if self.stop is not None and self.stop <= self.start:
            raise ValueError(
                f"Phase {self.name!r} would never run: stop={self.stop} is not after "
                f"start={self.start}. stop is the first step it no longer runs at; give "
                "stop > start, or stop=None to run on."
            )
        object.__setattr__(self, "passes", tuple(self.passes))
        if not all(isinstance(name, str) for name in self.passes):
            raise ValueError(
                f"Phase {self.name!r} passes must be names of context entries (strings); received "
                f"{self.passes!r}."
            )
        if self.passes and (not self.runs_every_step or self.repeat_is_scheduled):
            raise ValueError(
                f"Phase {self.name!r} passes {list(self.passes)} to the phases after it, so it must "
                "run at every step with an int repeat (start=0, stop=None, every=1, repeat an int); "
                "a later phase could not count on values from a step where it did not run."
            )
        if self.gate is not None and not callable(self.gate):
            raise ValueError(
                f"Phase {self.name!r} gate must be a callable terms -> boolean scalar, e.g. "
                f"lambda terms: terms['d_loss'] > 0.3, or None; received {self.gate!r}."
            )

    def build_context(self, batch):
        """Returns the objective's inputs for `batch` (the batch itself by default)."""
        return dict(batch) if self.context is None else self.context(batch)

    # ------------------------------------------------------------- when

    @property
    def runs_every_step(self):
        """True when the phase is due at every step (start 0, no stop, every 1)."""
        return self.start == 0 and self.stop is None and self.every == 1

    @property
    def repeat_is_scheduled(self):
        """True when `repeat` depends on the step (a `Schedule` or a callable)."""
        return not isinstance(self.repeat, numbers.Integral)

    @property
    def logged_names(self):
        """The trackers of the schedule: `<name>_updates` and `<name>_skipped` where they apply."""
        names = [f"{self.name}_updates"] if self.repeat_is_scheduled else []
        if self.gate is not None:
            names.append(f"{self.name}_skipped")
        return tuple(names)

    @property
    def is_conditional(self):
        """True when the updates it runs depend on the step: a due rule or a step-dependent `repeat`."""
        return not self.runs_every_step or self.repeat_is_scheduled

    def is_due(self, step):
        """Whether the phase runs at step index `step`.

        Args:
            step: a Python int (a step counted on the host) or a scalar
                integer tensor (inside a compiled step).

        Returns:
            A Python bool for an int step or a phase that runs every step,
            else a boolean scalar tensor.
        """
        due = True
        if self.start:
            due = step >= self.start
        if self.stop is not None:
            due = _both(due, step < self.stop)
        if self.every > 1:
            due = _both(due, (step - self.start) % self.every == 0 if self.start else step % self.every == 0)
        return due

    def repeats_at(self, step):
        """The number of updates the phase runs at step index `step` when due.

        Args:
            step: a Python int or a scalar integer tensor.

        Returns:
            A Python int for an int repeat (or a `Schedule` at an int step),
            else an int32 scalar tensor, at least 0.
        """
        if isinstance(self.repeat, numbers.Integral):
            return int(self.repeat)
        if isinstance(self.repeat, Schedule):
            return self.repeat(step)
        try:
            count = self.repeat(step)
        except TypeError as error:
            raise ValueError(
                f"Phase {self.name!r}'s repeat callable failed on the step index, which inside a "
                "compiled training step is a tensor: write it with keras.ops, e.g. "
                "repeat=lambda step: keras.ops.where(step < 1000, 5, 1), or use "
                f"repeat=kerasgan.models.Schedule([(0, 5), (1000, 1)]). The error was: {error}"
            ) from error
        return ops.maximum(ops.cast(count, "int32"), 0)

    def updates_at(self, step):
        """The number of updates at step index `step`: `repeats_at(step)` when due, else 0."""
        due = self.is_due(step)
        return self.repeats_at(step) if due is True else select(due, self.repeats_at(step), 0)

    def updates_on_host(self, step):
        """`updates_at(step)` for a step counted on the host, as a Python int.

        A trainer that cannot decide inside the compiled step (under several
        replicas an update synchronises them, which must not sit inside a
        conditional) compiles one step per distinct set of due updates, read
        from the host's step count.

        Args:
            step: a Python int.

        Returns:
            int, at least 0: a repeat callable's result is read back.

        Example:
            >>> lazy = Phase("discriminator_reg", ("discriminator",), None, (), every=2)
            >>> lazy.updates_on_host(0), lazy.updates_on_host(1)
            (1, 0)
        """
        count = self.updates_at(int(step))
        return count if isinstance(count, int) else int(ops.convert_to_numpy(count))

    def update_applies(self, terms):
        """Whether the update whose terms are `terms` is applied: None without a gate.

        Args:
            terms: dict of scalar tensors, this update's terms.

        Returns:
            None, or a boolean scalar tensor.
        """
        if self.gate is None:
            return None
        applies = ops.convert_to_tensor(self.gate(terms))
        if len(ops.shape(applies)) != 0:
            raise ValueError(
                f"Phase {self.name!r}'s gate must return one boolean per update (a scalar); "
                f"received shape {tuple(ops.shape(applies))}. Reduce it, e.g. with keras.ops.all."
            )
        return ops.cast(applies, "bool")


def _both(first, second):
    """`first and second` for Python bools, a logical and for tensors."""
    if first is True:
        return second
    if isinstance(first, bool) and isinstance(second, bool):
        return first and second
    return ops.logical_and(first, second)
