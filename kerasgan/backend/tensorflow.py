"""TensorFlow gradient code: the only module that uses `tf.GradientTape`.

The backend-independent parts of a GAN (losses, regularizers, how networks are
called, which trackers exist) live in `kerasgan.models.gan.GAN`. This module
turns them into gradient updates with TensorFlow.
"""

import contextlib
import functools
import re

import tensorflow as tf

from kerasgan.backend.errors import (
    BadBatchError,
    assert_concrete_shape,
    range_statistics,
    refuse_empty_dataset,
    refuse_fit_without_steps,
    with_received_shape,
    with_values_found,
)
from kerasgan.backend.outside_xla import with_checked_batches

# Marks the messages of `assert_in_range`, so that a failed check can be told
# apart from other errors of a compiled step and reported on its own.
CHECK_MARK = "kerasgan check failed: "
_FAILED_CHECK = re.compile(
    re.escape(CHECK_MARK) + r"(?P<message>.*?)\](?P<statistics>(?:\s*\[[^\[\]]*\]){4})"
)
# The same for `assert_shape`, whose one value is the shape received.
SHAPE_CHECK_MARK = "kerasgan shape check failed: "
_FAILED_SHAPE_CHECK = re.compile(re.escape(SHAPE_CHECK_MARK) + r"(?P<message>.*?)\]\s*\[(?P<shape>[\d ]*)\]")


@contextlib.contextmanager
def reported_batch_checks():
    """Turns a failed `assert_in_range` inside a compiled step into `BadBatchError`.

    TensorFlow reports a failed in-graph assertion as an
    `InvalidArgumentError` ("Graph execution error") with the graph's
    stack; kerasgan's checks carry a mark, and such an error is raised
    again as a `BadBatchError` holding just the check's message. Other
    errors pass through unchanged.

    Example:
        >>> with reported_batch_checks():
        ...     pass
    """
    try:
        yield
    except tf.errors.InvalidArgumentError as error:
        message = _failed_check_message(str(error))
        if message is None:
            raise
        raise BadBatchError(message) from None


def _failed_check_message(error_text):
    """The message of the kerasgan check that failed in `error_text`, filled in; None if none did."""
    found = _FAILED_CHECK.search(error_text)
    if found is not None:
        return with_values_found(found["message"], *re.findall(r"\[([^\[\]]*)\]", found["statistics"]))
    found = _FAILED_SHAPE_CHECK.search(error_text)
    if found is not None:
        return with_received_shape(found["message"], found["shape"].split())
    return None


def input_gradients(fn, inputs):
    """Gradient of `sum(fn(inputs))` with respect to `inputs`.

    Recorded by any enclosing tape, so penalties built on it (gradient
    penalty, R1) can themselves be differentiated.

    Args:
        fn: callable mapping a batch of images to scores, shape `(batch, 1)`.
        inputs: tensor of images, shape `(batch, H, W, C)`.

    Returns:
        Float32 tensor with the shape of `inputs`.

    Example:
        >>> grads = input_gradients(lambda x: 3.0 * x, tf.ones((2, 4)))
    """
    inputs = tf.convert_to_tensor(inputs)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        total = tf.reduce_sum(tf.cast(fn(inputs), tf.float32))
    # Scores that do not depend on the inputs (a constant augmentation in
    # front of the critic) have a zero gradient, as on JAX.
    gradient = tape.gradient(total, inputs, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    return tf.cast(gradient, tf.float32)


def assert_in_range(tensor, low, high, message):
    """Graph-side check that all values of `tensor` lie in `[low, high]`.

    Args:
        tensor: any numeric tensor.
        low: smallest allowed value.
        high: largest allowed value.
        message: what is wrong and what to do; `"(min, max follow)"` in it is
            replaced by the smallest and largest finite value found, and
            NaN or infinite values are counted first
            (`kerasgan.backend.errors.with_values_found`).

    Returns:
        `tensor`, unchanged. In a graph it is only computable after the
        check passed: use the returned tensor so the check runs before
        anything reads it.

    Raises:
        BadBatchError: eagerly, when a value is outside the range or not
            finite. In a graph, the step fails with an `InvalidArgumentError`
            that `fit()` reports as a `BadBatchError`
            (`reported_batch_checks`).

    Example:
        >>> images = assert_in_range(tf.zeros((2,)), -1.0, 1.0, "outside [-1, 1]")
    """
    statistics = range_statistics(tensor)
    smallest, largest, num_nan, num_infinite = tf.unstack(statistics)
    ok = (smallest >= low) & (largest <= high) & (num_nan + num_infinite == 0)
    if tf.executing_eagerly():
        if not bool(ok):
            raise BadBatchError(with_values_found(message, *statistics.numpy()))
        return tensor
    check = tf.debugging.Assert(ok, [CHECK_MARK + message, smallest, largest, num_nan, num_infinite])
    with tf.control_dependencies([check]):
        return tf.identity(tensor)


def assert_shape(tensor, shape, message):
    """Graph-side check of a tensor's shape, for sizes unknown while tracing.

    `tf.function` may trace a step for a relaxed input signature (sizes
    None) once batches of several shapes have arrived; the check then runs
    with the step and names the shape the batch really had.

    Args:
        tensor: any tensor of known rank.
        shape: the shape wanted; None matches any size, e.g.
            `(None, 28, 28, 1)`.
        message: what is wrong and what to do; `"(shape follows)"` and
            `"(image shape follows)"` in it are replaced by the shape
            received, with and without its batch axis.

    Returns:
        `tensor`, unchanged, only computable after the check passed.

    Raises:
        BadBatchError: eagerly, when the shape does not fit. In a graph,
            the step fails and `fit()` reports it as a `BadBatchError`
            (`reported_batch_checks`).

    Example:
        >>> assert_shape(tf.zeros((2, 3)), (None, 3), "received (shape follows)").shape
        TensorShape([2, 3])
    """
    if tf.executing_eagerly():
        return assert_concrete_shape(tensor, shape, message)
    sizes = tf.shape(tensor)
    known = [axis for axis, size in enumerate(shape) if size is not None]
    ok = tf.reduce_all(tf.equal(tf.gather(sizes, known), [shape[axis] for axis in known]))
    check = tf.debugging.Assert(ok, [SHAPE_CHECK_MARK + message, sizes], summarize=len(shape))
    # The static shape stays as traced: claiming `shape` would let TensorFlow
    # plan ops (gradients of broadcasts) that fail before the check reports.
    with tf.control_dependencies([check]):
        return tf.identity(tensor)


def replicas_in_sync():
    """Number of replicas that train in sync under the current strategy.

    Returns:
        int: 1 outside any `tf.distribute` strategy scope, else the strategy's
        `num_replicas_in_sync` (all devices of all workers).

    Example:
        >>> with tf.distribute.MirroredStrategy(["/cpu:0"]).scope():
        ...     replicas_in_sync()
        1
    """
    return tf.distribute.get_strategy().num_replicas_in_sync


def global_batch_position(local_batch_size):
    """Where this replica's examples sit in the global batch.

    Outside a multi-replica strategy this is `(0, local_batch_size)` and adds
    no op. Under one, the replicas exchange their batch sizes (the last batch
    of an epoch may be split unevenly).

    Args:
        local_batch_size: scalar int (tensor) of this replica's batch.

    Returns:
        `(offset, global_batch_size)`: the index of this replica's first
        example in the global batch, and the global batch size.

    Example:
        >>> global_batch_position(32)
        (0, 32)
    """
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return 0, local_batch_size
    local = tf.reshape(tf.cast(local_batch_size, tf.int32), (1,))
    sizes = context.all_gather(local, axis=0)
    offset = tf.reduce_sum(sizes[: context.replica_id_in_sync_group])
    return offset, tf.reduce_sum(sizes)


def updates_synchronise(strategy=None):
    """Whether an update synchronises replicas, so that it cannot run inside a conditional.

    Under any `tf.distribute` strategy but the default one (a
    `MirroredStrategy` over one device included), `apply_gradients` goes
    through the strategy's `merge_call`, which a `tf.cond` branch cannot
    hold: such updates are scheduled on the host or taken back instead.

    Args:
        strategy: the strategy to ask about; None for the current one.

    Returns:
        bool.

    Example:
        >>> updates_synchronise()
        False
    """
    if strategy is None:
        return tf.distribute.has_strategy()
    with strategy.scope():
        return tf.distribute.has_strategy()


def share_of_global_batch(local_batch_size):
    """Weight turning a replica's mean loss into its part of the global mean.

    Optimizers sum the gradients of all replicas, so each replica scales its
    loss (a mean over its own examples) by `local / global` batch size: the
    sum is then the mean over the global batch (`compute_average_loss`).

    Args:
        local_batch_size: scalar int (tensor) of this replica's batch.

    Returns:
        None outside a multi-replica strategy, else a float32 scalar tensor.
    """
    if replicas_in_sync() == 1:
        return None
    _, global_batch_size = global_batch_position(local_batch_size)
    return tf.cast(local_batch_size, tf.float32) / tf.cast(global_batch_size, tf.float32)


def _reduces_along_first_axis(strategy):
    # Keras 3 reduces fit() outputs across workers with
    # `strategy.reduce("MEAN", value, axis=0)`, which fails for the scalar
    # results of a train step (tensorflow/tensorflow#72388). Given shape (1,),
    # the same call returns their mean as a scalar. Keras does this when the
    # strategy spans several workers; the cluster spec says so publicly.
    if not isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return False
    spec = strategy.cluster_resolver.cluster_spec()
    return sum(spec.num_tasks(job) for job in spec.jobs) > 1


def _loss_for_gradients(loss, optimizer, batch_size):
    share = share_of_global_batch(batch_size)
    if share is not None:
        loss = loss * share
    return optimizer.scale_loss(loss)


class TensorFlowGANTrainer:
    """Mixin holding the TensorFlow `train_step` of every kerasgan GAN.

    A training step unpacks the batch once (`unpack_batch`), then runs the
    model's phases (`training_phases()`) in order, on the steps and as many
    times as each phase's rules say (`Phase.is_due`, `Phase.repeats_at`): an
    int `repeat` unrolled (inside a `tf.cond` for a phase not due every
    step), a step-dependent one as a `tf.while_loop` of `updates_at(step)`
    updates; a gated update applies its gradients and `after` inside a
    `tf.cond` on `Phase.update_applies`. Under a `tf.distribute` strategy
    with several replicas an update synchronises the replicas, which cannot
    happen inside a conditional: there the host decides which updates the
    conditional phases run at each step (`Phase.updates_on_host`, from the
    step count read once per `fit()` call) and runs a step compiled for that
    set, unrolled (`make_train_function`); a gate reads the terms averaged
    over the global batch, so every replica decides alike, and a skipped
    update is applied and then taken back (the phase's networks and
    optimizers get their values from before it). One update is
    one `tf.GradientTape`: the phase builds its context and objective under
    the tape, adds its regularizers, and each trained network gets the
    gradients of the loss with respect to its own trainable variables from
    its own optimizer. Networks the phase does not train are left untouched,
    batch-norm statistics included.
    """

    def fit(self, x=None, y=None, *args, **kwargs):
        """`keras.Model.fit`; a jit-compiled model's batches are checked before XLA.

        See `kerasgan.backend.outside_xla` for why. A batch that fails a
        check inside the compiled step raises `BadBatchError` with the
        check's own message. Data that yields no batch is refused with a
        `ValueError` (`kerasgan.backend.errors.refuse_fit_without_steps`).
        Arguments and return value are `keras.Model.fit`'s.
        """
        self.prepare_for_training()
        refuse_empty_dataset(x)
        data, steps_before = x, self.completed_steps()
        self.__dict__["host_step"] = None  # read again from the model (`make_train_function`)
        if self.compiled and self.jit_compile:
            x, y = with_checked_batches(self, x, y)
        with reported_batch_checks():
            history = super().fit(x, y, *args, **kwargs)
        refuse_fit_without_steps(bool(history.epoch), steps_before, self.completed_steps(), data)
        return history

    def train_on_batch(self, x, y=None, *args, **kwargs):
        """`keras.Model.train_on_batch`, with `fit()`'s checks and errors."""
        self.prepare_for_training()
        self.__dict__["host_step"] = None
        if self.compiled and self.jit_compile:
            x, y = with_checked_batches(self, x, y)
        with reported_batch_checks():
            return super().train_on_batch(x, y, *args, **kwargs)

    def make_train_function(self, force=False):
        """Keras's train function, or one that decides the conditional phases on the host.

        Under a tf.distribute strategy (one replica or several), a model with conditional
        phases (`Phase.is_conditional`: lazy, start/stop, a step-dependent
        `repeat`) trains with a function that counts the steps on the host
        (from `completed_steps()`, read once per `fit()` or `train_on_batch()`
        call), reads each conditional phase's number of updates for the step
        (`Phase.updates_on_host`) and runs the step compiled for that set of
        updates: one `tf.function` per distinct set, traced the first time it
        is due, with no update inside a conditional. `steps_per_execution`
        batches run per call, each step dispatched from the host. Elsewhere
        it is Keras's own function.

        Args:
            force: rebuild even if it exists.

        Returns:
            The train function.
        """
        if self.train_function is not None and not force:
            return self.train_function
        conditional = [phase for phase in self.training_phases() if phase.is_conditional]
        if not conditional or not updates_synchronise(self.distribute_strategy):
            super().make_train_function(force=force)
            return self.train_function
        self.train_function = self.host_scheduled_train_function(conditional)
        return self.train_function

    def host_scheduled_train_function(self, conditional):
        """The train function of `make_train_function` for several replicas: steps chosen on the host.

        Args:
            conditional: the model's conditional phases.

        Returns:
            A function `iterator -> logs` (the figures averaged over replicas),
            raising `StopIteration` when the data ends before its first step.
        """
        strategy = self.distribute_strategy
        steps = {}

        def step_for(plan):
            if plan not in steps:

                def one_step(data):
                    outputs = strategy.run(functools.partial(self.train_step, plan=plan), args=(data,))
                    return tf.nest.map_structure(functools.partial(_mean_over_replicas, strategy), outputs)

                if not self.run_eagerly:
                    one_step = tf.function(
                        one_step, jit_compile=self.jit_compile, reduce_retracing=True, autograph=False
                    )
                steps[plan] = one_step
            return steps[plan]

        def function(iterator):
            outputs = None
            for count in range(self.steps_per_execution):
                try:
                    data = next(iterator)
                except StopIteration:
                    if count == 0:
                        raise
                    break
                if self.__dict__.get("host_step") is None:
                    self.__dict__["host_step"] = self.completed_steps()
                step = self.__dict__["host_step"]
                plan = tuple((phase.name, phase.updates_on_host(step)) for phase in conditional)
                # A missing entry of the batch comes as an empty Optional, as in Keras's own function.
                data = tf.nest.map_structure(
                    lambda value: None if isinstance(value, tf.experimental.Optional) else value, data
                )
                outputs = step_for(plan)(data)
                self.__dict__["host_step"] = step + 1
            return outputs

        return function

    def train_step(self, data, plan=None):
        """One training step on `data`; returns the trackers' running means.

        Args:
            data: one batch as `fit()` reads it.
            plan: None to decide in the step when each phase runs; else
                `((phase name, number of updates), ...)` for every
                conditional phase, decided on the host
                (`host_scheduled_train_function`).

        Returns:
            Dict of scalar tensors.
        """
        batch = self.unpack_batch(data)
        # No update of the step runs before the batch has passed its in-graph
        # checks, so a bad batch leaves every variable as it was.
        with tf.control_dependencies([value for value in batch.values() if tf.is_tensor(value)]):
            return self._checked_train_step(batch, None if plan is None else dict(plan))

    def _checked_train_step(self, batch, plan):
        batch_size = self.batch_size_of(batch)
        step = self.train_steps
        for phase in self.training_phases():
            if plan is not None and phase.is_conditional:
                self._run_phase_updates(phase, batch, batch_size, num_updates=plan[phase.name])
                if phase.repeat_is_scheduled:
                    self.record_updates_run(phase, plan[phase.name])
                continue
            if phase.is_conditional:
                _refuse_conditional_phase_under_replicas(phase)
            if phase.repeat_is_scheduled:
                self._run_scheduled_updates(phase, batch, batch_size, phase.updates_at(step))
            elif phase.runs_every_step:
                self._run_phase_updates(phase, batch, batch_size)
            else:
                updates = functools.partial(self._run_phase_updates, phase, batch, batch_size)
                _when(phase.is_due(step), updates)
        self.end_step(tf.identity(step))
        self.train_steps.assign_add(1)
        results = self.tracker_results()
        if _reduces_along_first_axis(tf.distribute.get_strategy()):
            results = {name: tf.reshape(value, (1,)) for name, value in results.items()}
        return results

    def _run_phase_updates(self, phase, batch, batch_size, num_updates=None):
        for _ in range(phase.repeat if num_updates is None else num_updates):
            self.record_update(phase, *self._gated_update(phase, batch), batch_size)

    def _run_scheduled_updates(self, phase, batch, batch_size, count):
        """`count` (an int32 scalar) updates of `phase`, in an in-graph loop, and their number logged."""

        def body(index):
            self._run_phase_updates(phase, batch, batch_size, num_updates=1)
            return (index + 1,)

        tf.while_loop(lambda index: index < count, body, (tf.constant(0),))
        self.record_updates_run(phase, count)

    def random_per_example(self, sampler, batch_size, shape):
        """Draws one random tensor per example from the model's seed generator.

        Under a multi-replica strategy every replica draws the values of the
        whole global batch from the shared seed and keeps its own slice, so
        replicas get different values and a distributed step sees exactly
        the values a single device would with the same global batch.

        Args:
            sampler: `keras.random.normal`, `keras.random.uniform`, ...
            batch_size: this replica's batch size (int or scalar tensor).
            shape: tuple, the shape of one example's values.

        Returns:
            Tensor `(batch_size, *shape)`.
        """
        offset, global_batch_size = global_batch_position(batch_size)
        values = sampler((global_batch_size, *shape), seed=self.seed_generator)
        if global_batch_size is batch_size:
            return values
        return values[offset : offset + batch_size]

    def run_phase(self, phase, batch):
        """One update of `phase` on `batch`: its networks change, no other does.

        A gated phase whose gate refuses the update leaves its networks and
        their optimizers as they were too.

        Args:
            phase: a `kerasgan.models.Phase` of this model.
            batch: the dict returned by `unpack_batch`; the entries the
                phase passes on (`Phase.passes`) are added to it, as in a
                training step, for the phases run after it.

        Returns:
            Dict of scalar tensors: the phase's logged terms.
        """
        return self._gated_update(phase, batch)[0]

    def _gated_update(self, phase, batch):
        """`run_phase`, returning `(terms, applied)`: the gate's boolean, or None without a gate."""
        batch_size = self.batch_size_of(batch)
        networks = [self.networks[name] for name in phase.networks]
        optimizers = [self.optimizer_for(name) for name in phase.networks]
        frozen = self.frozen_variables(phase)
        saved = [tf.identity(variable) for variable in frozen]
        own = [v for network in networks for v in network.non_trainable_variables] if phase.gate else []
        own_saved = [tf.identity(variable) for variable in own]
        passed = {}
        with tf.GradientTape(persistent=len(networks) > 1) as tape:
            total, terms = self.phase_objective(phase, batch, passed)
            scaled = [_loss_for_gradients(total, opt, batch_size) for opt in optimizers]
        batch.update(passed)  # what the phase hands on to the phases after it (`Phase.passes`)
        applied = phase.update_applies(_global_means(terms, batch_size) if phase.gate else terms)
        # Under a strategy: every update applies (its gradients are summed
        # across replicas, which cannot happen inside a conditional), and a
        # skipped one is taken back below; all replicas agree on the gate.
        take_back = applied is not None and updates_synchronise()
        # (Batch-norm statistics are put back below, as on one device.)
        guarded = [v for n in networks for v in n.trainable_variables] + [
            v for o in optimizers for v in o.variables
        ]
        guarded_saved = [tf.identity(variable) for variable in guarded] if take_back else []
        for network, optimizer, loss in zip(networks, optimizers, scaled):
            variables = network.trainable_variables
            gradients = tape.gradient(loss, variables)
            # A weight the loss does not depend on (the critic's last bias
            # under R1) gets no gradient, and its optimizer leaves it and its
            # slots alone, as on JAX, without Keras's warning at every trace.
            pairs = [(g, v) for g, v in zip(gradients, variables) if g is not None]
            if pairs:
                apply = functools.partial(optimizer.apply_gradients, pairs)
                _when(None if take_back else applied, apply)
        del tape
        for variable, value in zip(frozen, saved):
            variable.assign(value)
        # A skipped update puts back the batch-norm statistics its objective moved.
        for variable, value in zip(own, own_saved):
            variable.assign(tf.where(applied, variable, value))
        if phase.after is not None:
            _when(applied, phase.after)
        for variable, value in zip(guarded, guarded_saved):
            variable.assign(tf.where(applied, variable, value))
        return terms, applied


def _when(applied, update):
    """Runs `update()`; given a boolean tensor (a gate, a due rule) only where it holds."""
    if applied is None:
        update()
        return

    def run():
        update()
        return tf.constant(True)

    tf.cond(applied, run, lambda: tf.constant(False))


def _global_means(terms, batch_size):
    """A replica's terms (means over its examples) as means over the global batch, alike on all replicas."""
    share = share_of_global_batch(batch_size)
    if share is None:
        return terms
    context = tf.distribute.get_replica_context()
    return {
        name: context.all_reduce("SUM", tf.cast(value, tf.float32) * share) for name, value in terms.items()
    }


def _mean_over_replicas(strategy, value):
    """A figure of a step, averaged over the replicas (Keras's reduction of `fit()` outputs)."""
    if _reduces_along_first_axis(strategy):
        return strategy.reduce("MEAN", value, axis=0)
    return tf.reduce_mean(tf.stack(strategy.experimental_local_results(value)), axis=0)


def _refuse_conditional_phase_under_replicas(phase):
    if updates_synchronise():
        raise ValueError(
            f"Phase {phase.name!r} runs only on some steps or some updates (every={phase.every}, "
            f"start={phase.start}, stop={phase.stop} or a step-dependent repeat), and under a "
            "tf.distribute strategy with several replicas such a phase must be scheduled on the "
            "host: its updates synchronise the replicas, which cannot happen inside a conditional. "
            "fit() and train_on_batch() do that; a train_step called on its own under "
            "strategy.run cannot. Train with fit() or train_on_batch()."
        )
