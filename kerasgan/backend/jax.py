"""JAX gradient code: the JAX counterpart of `kerasgan.backend.tensorflow`.

One trainer for every variant, stateless as JAX requires. A training step
is a pure function of the values of all the model's variables (every
network's weights and batch-norm statistics, every optimizer's state, the
seed generator, the trackers, regularizer and pool state) and the batch; it
returns their new values, and `jax.jit` compiles it once. Inside, the
model's phases run in order, as on TensorFlow: each update differentiates
the phase's objective over the phase's networks only (`jax.vjp`), applies
each network's gradients with its own optimizer (`stateless_apply`),
keeps what the objective assigned (seed generator, regularizer state, pool)
except the other networks' non-trainable variables, and runs the phase's
`after` hook. Objectives, regularizers, hooks and trackers are the
backend-independent code of `kerasgan.models`, run unchanged inside
`keras.StatelessScope` (`kerasgan.backend.jax_state`).
"""

import contextlib
import inspect
import warnings

import jax
import keras
import numpy as np
from keras import ops

from kerasgan.backend.errors import (
    BadBatchError,
    JAXOnCPUWarning,
    fit_data,
    range_statistics,
    refuse_empty_dataset,
    refuse_fit_without_steps,
    with_values_found,
)
from kerasgan.backend.errors import assert_concrete_shape as assert_shape  # noqa: F401 (a backend name)
from kerasgan.backend.jax_state import (
    StepState,
    gradient_of_sum,
    position_of,
    reaches_output,
    unique_values,
    unique_variables,
)


def input_gradients(fn, inputs):
    """Gradient of `sum(fn(inputs))` with respect to `inputs`, through `jax.grad`.

    Differentiable again (the gradient penalty and R1 are trained through
    it). Inside a training step, variables that `fn` assigns (batch-norm
    statistics of a critic in training mode) are updated in the step's state.

    Args:
        fn: callable mapping a batch of images to scores, shape `(batch, 1)`.
        inputs: tensor of images, shape `(batch, H, W, C)`.

    Returns:
        Float32 tensor with the shape of `inputs`.

    Example:
        >>> grads = input_gradients(lambda x: 3.0 * x, keras.ops.ones((2, 4)))
    """
    return gradient_of_sum(fn, inputs)


# What `JAXOnCPUWarning` tells: images/s of `fit` of the 28x28 DCGAN on each
# backend, medians of `python benchmarks/backend_cpu.py` (batch 128, 3 rounds)
# on a shared 2-core Intel Xeon with AMX, 2026-12-01; per-round ratios 2.8x
# to 4.4x (benchmarks/results/backend_cpu.json).
CPU_IMAGES_PER_SECOND = {"jax": 57, "tensorflow": 203}
# Whether this process has warned that JAX trains on CPU only (once per process).
_WARNED_ABOUT_CPU = []


def _stacklevel_outside_kerasgan():
    """The `stacklevel` of the caller's first caller outside kerasgan (the user's `fit()` call)."""
    frame, level = inspect.currentframe().f_back, 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith("kerasgan"):
        frame, level = frame.f_back, level + 1
    return level


def warn_once_if_on_cpu():
    """Gives `JAXOnCPUWarning`, once per process, when JAX has no GPU or TPU.

    The warning points at the first caller outside kerasgan: the user's
    `fit()` (or `kerasgan.runs.train`) call.

    Example:
        >>> warn_once_if_on_cpu()  # doctest: +SKIP
    """
    if _WARNED_ABOUT_CPU or jax.default_backend() != "cpu":
        return
    _WARNED_ABOUT_CPU.append(True)
    jax_speed, tensorflow_speed = CPU_IMAGES_PER_SECOND["jax"], CPU_IMAGES_PER_SECOND["tensorflow"]
    warnings.warn(
        "kerasgan is training on the JAX backend with no GPU or TPU (jax.default_backend() is "
        f"'cpu'), where it is several times slower than on TensorFlow: kerasgan's 28x28 DCGAN "
        f"trained at {jax_speed} images/s on JAX against {tensorflow_speed} on TensorFlow on the "
        f"same 2-core CPU, {tensorflow_speed / jax_speed:.1f}x (benchmarks/backend_cpu.py in the "
        "kerasgan repository; the ratio depends on the CPU). To train faster on this machine, set "
        "KERAS_BACKEND=tensorflow before Python imports keras (models saved on one backend load on "
        "the other). To hide this warning: "
        "warnings.filterwarnings('ignore', category=kerasgan.JAXOnCPUWarning).",
        JAXOnCPUWarning,
        stacklevel=_stacklevel_outside_kerasgan(),
    )


# While a compiled training step is traced, the range checks of its batch
# (one list per trace, innermost last): `JAXGANTrainer` turns them into a
# flag that gates the step's updates and a report read on the host.
_DEFERRED_CHECKS = []


def assert_in_range(tensor, low, high, message):
    """Checks that all values of `tensor` lie in `[low, high]`.

    Concrete values are checked at once. Inside a compiled training step the
    values are not known while tracing: the check is compiled into the step,
    which then leaves every variable as it was when the batch fails it, and
    the trainer raises on the host (`JAXGANTrainer.make_train_function`).
    Elsewhere in traced code the tensor passes unchecked.

    Args:
        tensor: any numeric tensor.
        low: smallest allowed value.
        high: largest allowed value.
        message: what is wrong and what to do; `"(min, max follow)"` in it is
            replaced by the smallest and largest finite value found, and
            NaN or infinite values are counted first
            (`kerasgan.backend.errors.with_values_found`).

    Returns:
        `tensor`, unchanged.

    Raises:
        BadBatchError: a value is outside the range or not finite.

    Example:
        >>> images = assert_in_range(keras.ops.zeros((2,)), -1.0, 1.0, "outside [-1, 1]")
    """
    traced = isinstance(tensor, jax.core.Tracer)
    values = tensor if traced else ops.convert_to_tensor(tensor)
    if not values.size or (traced and not _DEFERRED_CHECKS):
        return tensor
    statistics = range_statistics(values)
    smallest, largest, num_nan, num_infinite = (statistics[i] for i in range(4))
    passed = (smallest >= low) & (largest <= high) & (num_nan + num_infinite == 0)
    if traced:
        _DEFERRED_CHECKS[-1].append((passed, statistics, message))
    elif not passed:
        raise BadBatchError(with_values_found(message, *np.asarray(statistics)))
    return tensor


def replicas_in_sync():
    """1: a compiled JAX step always sees the global batch.

    Under `keras.distribution.DataParallel` the batch is sharded across
    devices, but the step is one program over the whole batch (XLA splits
    it), so losses are already means over the global batch.

    Returns:
        int: 1.

    Example:
        >>> replicas_in_sync()
        1
    """
    return 1


def global_batch_position(local_batch_size):
    """`(0, local_batch_size)`: the step's batch is the global batch.

    Args:
        local_batch_size: scalar int (tensor) of the step's batch.

    Returns:
        `(offset, global_batch_size)`.

    Example:
        >>> global_batch_position(32)
        (0, 32)
    """
    return 0, local_batch_size


class NetworkOptimizers:
    """All of a GAN's per-network optimizers, seen by Keras's JAX `fit` as one.

    Keras's JAX `fit()` threads the state of one `model.optimizer`. While a
    kerasgan model trains, `model.optimizer` is this view: its `variables`
    are those of every network's optimizer, in `optimizer_slots()` order, so
    that Keras moves them in and out of the compiled step with the rest of
    the model's state. It applies nothing itself; the trainer calls each
    network's optimizer.

    Args:
        optimizers: list of built `keras.optimizers.Optimizer`s.
    """

    built = True

    def __init__(self, optimizers):
        self.optimizers = list(optimizers)

    @property
    def variables(self):
        """Every optimizer's variables, in order."""
        return [v for optimizer in self.optimizers for v in optimizer.variables]


class JAXGANTrainer:
    """Mixin holding the JAX training step of every kerasgan GAN.

    `fit()` and `train_on_batch()` are Keras's; the step they compile is
    `train_step(state, data)`: it unpacks the batch once, then runs
    `training_phases()` in order, on the steps and as many times as each
    phase's rules say (`Phase.is_due`, `Phase.repeats_at`): a phase with an
    int `repeat` that is not due every step runs when the host's step count
    says so (one compiled step per combination of due phases), one with a
    step-dependent `repeat` in a `jax.lax.while_loop` of `updates_at(step)`
    updates. A gated update's new values are selected with `jnp.where`
    against the old ones (`Phase.update_applies`). Each update evaluates the
    phase's objective inside `keras.StatelessScope` and differentiates it
    over the phase's networks only; every other network's non-trainable
    variables (batch-norm statistics) are left as they were. A batch's
    shapes and dtypes are checked when the step is traced, its value ranges
    inside the compiled step, which changes nothing on a bad batch; `fit()`
    then raises `BadBatchError` one step later (the host never waits for the
    step it has just dispatched), with the variables holding every update
    dispatched so far but the bad batch's.

    While `fit()` runs, `model.optimizer` is a `NetworkOptimizers` view of
    the per-network optimizers (Keras's JAX `fit` moves one optimizer's
    state in and out of the compiled step); it is None again afterwards.
    Under `keras.distribution.DataParallel` the step is one program over the
    global batch, split across devices by XLA, so it computes what one
    device computes, lazy phases included.
    """

    def fit(self, *args, **kwargs):
        """`keras.Model.fit`; arguments and return value are Keras's.

        The first `fit()` of a process on a machine where JAX has no GPU or
        TPU gives a `kerasgan.JAXOnCPUWarning` (TensorFlow trains far faster
        on a CPU). Data that yields no batch is refused with a `ValueError`
        (`kerasgan.backend.errors.refuse_fit_without_steps`).
        """
        warn_once_if_on_cpu()
        data = fit_data(args, kwargs)
        refuse_empty_dataset(data)
        with self.training_call():
            steps_before = self.completed_steps()
            try:
                history = super().fit(*args, **kwargs)
            except UnboundLocalError:
                # Keras's JAX fit reads the logs of the epoch's last step,
                # which does not exist when the data yielded no batch.
                if self.completed_steps() != steps_before:
                    raise
                history = None
        epochs_ran = history is None or bool(history.epoch)
        refuse_fit_without_steps(epochs_ran, steps_before, self.completed_steps(), data)
        return history

    def train_on_batch(self, *args, **kwargs):
        """`keras.Model.train_on_batch`; arguments and return value are Keras's."""
        with self.training_call():
            return super().train_on_batch(*args, **kwargs)

    @contextlib.contextmanager
    def training_call(self):
        """The block of one `fit()` or `train_on_batch()` call.

        Prepares the model, forgets the host's step count and check reports of
        earlier calls (kept out of Keras's attribute tracking), and makes
        `self.optimizer` a `NetworkOptimizers` of every network's optimizer.
        """
        self.prepare_for_training()
        self.__dict__.update(host_step=None, pending_reports=[], batch_failure=None)
        self.optimizer = NetworkOptimizers(self.trained_optimizers())
        try:
            yield self.optimizer
        finally:
            self.optimizer = None

    def trained_optimizers(self):
        """The optimizer of each trained network, in `optimizer_slots()` order."""
        return [getattr(self, slot) for slot in self.optimizer_slots()]

    # ------------------------------------------------------------ the step

    def state_variables(self):
        """The four lists of variables whose values Keras's JAX `fit` threads.

        Returns:
            `(trainable, non_trainable, optimizer, metrics)` variables: the
            model's (every network, the seed generator, the step count,
            regularizer and pool state, the EMA generator), every trained
            network's optimizer's, and the trackers'.
        """
        optimizer_variables = [v for opt in self.trained_optimizers() for v in opt.variables]
        return (
            self.trainable_variables,
            self.non_trainable_variables,
            optimizer_variables,
            self.metrics_variables,
        )

    def train_step(self, state, data, due=None):
        """One training step, pure: `(state, data) -> (logs, new state)`.

        Args:
            state: `(trainable, non_trainable, optimizer, metrics)` lists of
                values, in the order of `state_variables()`.
            data: one batch as `fit()` reads it.
            due: names of the `host_scheduled_phases()` that run in this
                step, decided on the host from the step count; None decides
                in the step, with `jax.lax.cond`. (On CPU, XLA runs a phase
                inside a conditional about twice as slowly, so `fit`
                compiles one step per combination of due phases instead.)

        Returns:
            `(logs, state)`: the trackers' running means, and the new values
            in the structure of `state`.
        """
        groups = self.state_variables()
        step_state = StepState(
            unique_variables(v for group in groups for v in group),
            unique_values(groups, state),
        )
        # Inside the step's scope: a random draw while unpacking (a mask
        # sampler) moves the seed generator in the step's state.
        with step_state.scope():
            batch = self.unpack_batch(data)
        step = step_state.value_of(self.train_steps)
        for phase in self.training_phases():
            if phase.repeat_is_scheduled:
                self.run_scheduled_updates(phase, batch, step_state, phase.updates_at(step))
            elif phase.runs_every_step or (due is not None and phase.name in due):
                self.run_updates(phase, batch, step_state)
            elif due is None:

                def run(values, phase=phase, before=step_state):
                    due_state = before.fork(values)
                    self.run_updates(phase, batch, due_state)
                    return due_state.as_list()

                step_state = step_state.fork(
                    jax.lax.cond(phase.is_due(step), run, lambda values: values, step_state.as_list())
                )
        with step_state.scope():
            self.end_step(step)
            self.train_steps.assign_add(1)
            logs = self.tracker_results()
        new_state = tuple([step_state.value_of(v) for v in group] for group in groups)
        return logs, new_state

    def host_scheduled_phases(self):
        """The phases whose steps the host decides (`due_phases`): not every step, an int repeat."""
        return [p for p in self.training_phases() if not p.runs_every_step and not p.repeat_is_scheduled]

    def due_phases(self, step):
        """Names of the `host_scheduled_phases()` that run at step index `step` (an int)."""
        return tuple(phase.name for phase in self.host_scheduled_phases() if phase.updates_on_host(step))

    def run_updates(self, phase, batch, step_state, num_updates=None):
        """Runs the `repeat` (or `num_updates`) updates of `phase` on `step_state`, tracking their terms.

        The updates are unrolled, as on TensorFlow: on CPU, XLA ran the
        same updates inside a `jax.lax.fori_loop` about four times slower.
        """
        batch_size = self.batch_size_of(batch)
        for _ in range(phase.repeat if num_updates is None else num_updates):
            terms, applied = self.phase_update(phase, batch, step_state)
            with step_state.scope():
                self.record_update(phase, terms, applied, batch_size)

    def run_scheduled_updates(self, phase, batch, step_state, count):
        """`count` (an int32 scalar) updates of `phase` in a `jax.lax.while_loop`, their number logged."""

        def body(carry):
            index, values = carry
            loop_state = step_state.fork(values)
            self.run_updates(phase, batch, loop_state, num_updates=1)
            return index + 1, loop_state.as_list()

        start = (ops.convert_to_tensor(0, "int32"), step_state.as_list())
        _, values = jax.lax.while_loop(lambda carry: carry[0] < count, body, start)
        step_state.update(zip(map(id, step_state.variables), values))
        with step_state.scope():
            self.record_updates_run(phase, count)

    def phase_update(self, phase, batch, step_state):
        """One update of `phase`, applied to `step_state`; returns its terms.

        Differentiates the phase's loss over its networks' trainable
        variables with `jax.vjp` (the cotangent is each optimizer's
        `scale_loss(1)`, so loss scaling works as on TensorFlow), applies
        each network's gradients with its optimizer's `stateless_apply`,
        keeps the objective's other assignments except the non-trainable
        variables of networks the phase does not train, and runs `after`.

        Args:
            phase: a `Phase` of this model.
            batch: the dict from `unpack_batch`.
            step_state: the `StepState` of the step; updated in place.

        Returns:
            `(terms, applied)`: dict of scalar tensors, the phase's terms, and
            its gate's boolean (None without a gate). A skipped update puts
            back the networks', their optimizers' and `after`'s changes.
        """
        networks = [self.networks[name] for name in phase.networks]
        optimizers = [self.optimizer_for(name) for name in phase.networks]
        trained = [network.trainable_variables for network in networks]
        params = [[step_state.value_of(v) for v in variables] for variables in trained]
        guarded = [v for n in networks for v in n.variables] + [v for o in optimizers for v in o.variables]
        kept = {id(v): step_state.value_of(v) for v in guarded} if phase.gate is not None else {}

        def objective(params):
            overrides = {id(v): p for vs, ps in zip(trained, params) for v, p in zip(vs, ps)}
            inner = step_state.fork(overrides=overrides)
            passed = {}
            with inner.scope():
                total, terms = self.phase_objective(phase, batch, passed)
            return ops.cast(total, "float32"), (terms, inner.as_list(), passed)

        total, pullback, (terms, values, passed) = jax.vjp(objective, params, has_aux=True)
        batch.update(passed)  # what the phase hands on to the phases after it (`Phase.passes`)
        connected = reaches_output(objective, params)
        frozen = {id(v) for v in self.frozen_variables(phase)}
        step_state.update(
            {id(v): value for v, value in zip(step_state.variables, values) if id(v) not in frozen}
        )
        with step_state.scope():
            cotangents = [opt.scale_loss(ops.ones_like(total)) for opt in optimizers]
        gradients = {}
        for index, (variables, optimizer, cotangent) in enumerate(zip(trained, optimizers, cotangents)):
            # Optimizers without loss scaling share one backward pass.
            key = "unscaled" if cotangent is cotangents[0] else index
            if key not in gradients:
                (gradients[key],) = pullback(cotangent)
            # A weight the loss does not depend on gets no gradient (None),
            # as on TensorFlow: its optimizer leaves it and its slots alone.
            network_gradients = [
                gradient if linked else None
                for gradient, linked in zip(gradients[key][index], connected[index])
            ]
            if all(gradient is None for gradient in network_gradients):
                # A loss that does not depend on the network at all: as on
                # TensorFlow, its optimizer applies nothing (iterations included).
                continue
            new_params, new_slots = optimizer.stateless_apply(
                [step_state.value_of(v) for v in optimizer.variables],
                network_gradients,
                params[index],
            )
            step_state.update({id(v): value for v, value in zip(variables, new_params)})
            step_state.update({id(v): value for v, value in zip(optimizer.variables, new_slots)})
        applied = phase.update_applies(terms)
        if phase.after is not None:
            before = dict(step_state.values)
            with step_state.scope():
                phase.after()
            changed = {key: value for key, value in before.items() if step_state.values[key] is not value}
            kept = {**changed, **kept} if applied is not None else kept
        if applied is not None:
            # A skipped update: its networks, their optimizers and `after` change nothing.
            step_state.update(
                {key: ops.where(applied, step_state.values[key], old) for key, old in kept.items()}
            )
        return terms, applied

    # ------------------------------------------------- outside a compiled step

    def run_phase(self, phase, batch):
        """One update of `phase` on `batch`, applied to the model's variables.

        Compiled with `jax.jit` once per phase name unless the model runs
        eagerly or `jit_compile=False`.

        Args:
            phase: a `kerasgan.models.Phase` of this model.
            batch: the dict returned by `unpack_batch`; the entries the
                phase passes on (`Phase.passes`) are added to it, as in a
                training step, for the phases run after it.

        Returns:
            Dict of scalar tensors: the phase's logged terms.
        """
        variables = unique_variables(v for group in self.state_variables() for v in group)
        given = batch
        batch = {key: None if value is None else ops.convert_to_tensor(value) for key, value in batch.items()}

        def update(values, batch):
            step_state = StepState(variables, values)
            batch = dict(batch)
            terms, _ = self.phase_update(phase, batch, step_state)
            return terms, step_state.as_list(), {name: batch[name] for name in phase.passes}

        if not self.run_eagerly and self.jit_compile:
            # Kept out of Keras's attribute tracking; a recompiled model
            # (other optimizer variables) gets new entries.
            compiled = self.__dict__.setdefault("compiled_phase_updates", {})
            key = (phase.name, tuple(id(v) for v in variables))
            update = compiled.setdefault(key, jax.jit(update))
        terms, values, passed = update([v.value for v in variables], batch)
        for variable, value in zip(variables, values):
            variable.assign(value)
        given.update(passed)  # as in a step, for the phases run after this one
        return terms

    def random_per_example(self, sampler, batch_size, shape):
        """Draws `(batch_size, *shape)` values from the model's seed generator.

        Under `keras.distribution.DataParallel` the compiled step draws the
        values of the whole global batch, as one device would.

        Args:
            sampler: `keras.random.normal`, `keras.random.uniform`, ...
            batch_size: the batch size (int or scalar tensor).
            shape: tuple, the shape of one example's values.

        Returns:
            Tensor `(batch_size, *shape)`.
        """
        return sampler((batch_size, *shape), seed=self.seed_generator)

    def make_train_function(self, force=False):
        """Builds `self.train_function(state, iterator) -> (logs, state)` for Keras's `fit`.

        The step is `train_step`, compiled with `jax.jit` (state donated)
        unless the model runs eagerly or `jit_compile=False`.
        `steps_per_execution` batches run per call. The host never waits for
        the step it has just dispatched, so a GPU always has the next step
        queued:

        - the step count that decides lazy phases is counted on the host
          (read from the model once per `fit()`);
        - the batch's range checks are compiled into the step, which leaves
          every variable as it was when its batch fails them; the host reads
          each step's check report after dispatching the next step, and
          stops training then (or at the end of the epoch) and raises
          `BadBatchError` from Keras's sync of the state, so the model's
          variables hold every update dispatched so far but the bad batch's.

        Args:
            force: rebuild even if it exists.

        Returns:
            The train function.
        """
        if self.train_function is not None and not force:
            return self.train_function
        compiled = not self.run_eagerly and self.jit_compile
        step = self.train_step
        if compiled:
            out_shardings = None
            if keras.distribution.distribution() is not None:
                out_shardings = (
                    None,
                    tuple([v.value.sharding for v in group] for group in self.state_variables()),
                    None,
                )
            step = jax.jit(
                self.checked_train_step, donate_argnums=0, static_argnames="due", out_shardings=out_shardings
            )
        group, index = position_of(self.state_variables(), self.train_steps)
        lazy = bool(self.host_scheduled_phases())

        def train_function(state, iterator):
            logs = None
            for count in range(self.steps_per_execution):
                try:
                    data = next(iterator)
                except StopIteration:
                    if count == 0:
                        # The data ran out before this call's first step (an
                        # epoch of unknown length ended, or the data was
                        # empty). Keras may have taken the state out of the
                        # variables for the step, and only a step's return
                        # puts it back: put it back here, so nothing is lost.
                        self.put_back_state(state)
                        raise
                    break
                due = ()
                if lazy:
                    # Counted on the host from the model's count, read once per call of fit().
                    if self.__dict__.get("host_step") is None:
                        self.__dict__["host_step"] = int(np.asarray(state[group][index]))
                    due = self.due_phases(self.__dict__["host_step"])
                    self.__dict__["host_step"] += 1
                if compiled:
                    logs, state, report = step(state, data, due=due)
                    if report is not None:
                        self.__dict__.setdefault("pending_reports", []).append(report)
                else:
                    logs, state = step(state, data, due=due)
                failure = self.failed_check(keep=1) if compiled else None
                if failure is not None:
                    # Keras keeps this state and stops; its sync at the end
                    # of the epoch raises (`jax_state_sync`).
                    self.__dict__["batch_failure"] = failure
                    self.stop_training = True
                    break
            return logs, state

        self.train_function = train_function
        return train_function

    def put_back_state(self, state):
        """Assigns the values of a step's `state` to the model's variables.

        Args:
            state: `(trainable, non_trainable, optimizer, metrics)` lists of
                values, in the order of `state_variables()`.
        """
        for variables, values in zip(self.state_variables(), state):
            for variable, value in zip(variables, values):
                variable.assign(value)

    def checked_train_step(self, state, data, due=None):
        """`train_step` whose updates apply only when the batch passes its range checks.

        Returns:
            `(logs, state, report)`: `report` is None for a step without value
            checks, else a float32 array with one row `(passed, smallest,
            largest, num_nan, num_infinite)` per check, in the order of
            `batch_check_messages`.
        """
        _DEFERRED_CHECKS.append([])
        try:
            logs, new_state = self.train_step(state, data, due=due)
        finally:
            checks = _DEFERRED_CHECKS.pop()
        if not checks:
            return logs, new_state, None
        passed = ops.all(ops.stack([check[0] for check in checks]))
        new_state = jax.tree.map(lambda new, old: ops.where(passed, new, old), new_state, state)
        # Static per model; kept out of Keras's attribute tracking.
        self.__dict__["batch_check_messages"] = [check[2] for check in checks]
        report = ops.stack(
            [
                ops.concatenate([ops.cast(passed[None], "float32"), statistics])
                for passed, statistics, _ in checks
            ]
        )
        return logs, new_state, report

    def failed_check(self, keep):
        """Reads the queued check reports, oldest first, leaving the newest `keep` unread.

        Args:
            keep: reports to leave unread (1 while steps run, so the host does
                not wait for the step it has just dispatched; 0 to read all).

        Returns:
            The message of the first failed check, with the values found, or
            None. After a failure the queue is emptied.
        """
        pending = self.__dict__.setdefault("pending_reports", [])
        while len(pending) > keep:
            rows = np.asarray(pending.pop(0))
            for (passed, *statistics), message in zip(rows, self.batch_check_messages):
                if not passed:
                    pending.clear()
                    return with_values_found(message, *statistics)
        return None

    def jax_state_sync(self):
        """Keras's sync of the step state into the variables, then the batches' checks.

        Raises:
            BadBatchError: a batch trained since the last sync failed its
                checks; the variables hold every update but that batch's.
        """
        super().jax_state_sync()
        failure = self.__dict__.pop("batch_failure", None) or self.failed_check(keep=0)
        if failure is not None:
            raise BadBatchError(failure)
