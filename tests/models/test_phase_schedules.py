"""When a phase runs: start, stop, every, a step-dependent repeat, and gated updates.

Each training test trains a tiny DCGAN a few real steps on the Fashion-MNIST
sample; `tests/backend/test_shared_schedules.py` runs the same tests on JAX.
"""

import dataclasses

import keras
import numpy as np
import pytest
from keras import ops

import kerasgan
from kerasgan.models import Phase, Schedule
from tests.gan_test_case import make_dataset, weights_of

TINY = {"image_shape": (28, 28, 1), "latent_dim": 8, "seed": 1}


def scheduled_dcgan(changes=None, warm_up=None):
    """A tiny DCGAN whose phases take `changes[name]` fields, after an optional critic warm-up phase."""

    class ScheduledDCGAN(kerasgan.DCGAN):
        def phases(self):
            phases = [dataclasses.replace(p, **(changes or {}).get(p.name, {})) for p in super().phases()]
            if warm_up is None:
                return phases
            extra = dataclasses.replace(phases[0], name="warm_up", after=None, **warm_up)
            return [extra, *phases]

    return ScheduledDCGAN(**TINY)


def iterations(gan):
    return int(gan.d_optimizer.iterations), int(gan.g_optimizer.iterations)


def test_schedule_and_due_rule_agree_on_ints_and_tensors():
    phase = Phase("d", ("d",), None, (), repeat=Schedule([(0, 5), (3, 2), (7, 1)]), start=2, stop=9, every=3)
    for step in range(12):
        tensor = ops.convert_to_tensor(step, "int32")
        due = 2 <= step < 9 and (step - 2) % 3 == 0
        assert phase.is_due(step) is due
        assert bool(phase.is_due(tensor)) is due, step
        expected = 5 if step < 3 else 2 if step < 7 else 1
        assert phase.repeats_at(step) == int(phase.repeats_at(tensor)) == expected
        assert int(phase.updates_at(tensor)) == phase.updates_at(step) == (expected if due else 0)
    # The default phase adds no op: every rule is a Python value.
    default = Phase("d", ("d",), None, ())
    assert default.is_due(ops.convert_to_tensor(3)) is True and default.repeats_at(3) == 1
    assert default.runs_every_step and not default.repeat_is_scheduled and default.logged_names == ()
    # every counts from start; with start 0 it is today's step % every.
    assert [s for s in range(9) if Phase("d", ("d",), None, (), every=4).is_due(s)] == [0, 4, 8]
    assert [s for s in range(9) if Phase("d", ("d",), None, (), every=4, start=1).is_due(s)] == [1, 5]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"repeat": 0}, r"repeat must be a positive integer; received .*repeat=0"),
        ({"repeat": -2}, r"repeat=-2"),
        ({"repeat": 2.5}, r"repeat=2.5"),
        ({"every": 0}, r"every must be a positive integer"),
        ({"start": -1}, r"start must be an integer >= 0; received .*start=-1"),
        ({"stop": 0}, r"stop must be None or a positive integer"),
        ({"start": 5, "stop": 5}, r"never run: stop=5 is not after start=5"),
        ({"gate": 0.3}, r"gate must be a callable"),
    ],
)
def test_bad_phase_arguments_are_clear_errors(fields, message):
    with pytest.raises(ValueError, match=message):
        Phase("critic", ("discriminator",), None, (), **fields)


@pytest.mark.parametrize(
    "pieces, message",
    [
        ([], "non-empty list"),
        ([(1, 5)], r"first is 0.*received first steps \[1\]"),
        ([(0, 5), (0, 1)], r"increase strictly; received \[0, 0\]"),
        ([(0, 5), (10, 0)], r"integers >= 1; received \[5, 0\].*stop="),
    ],
)
def test_bad_schedules_are_clear_errors(pieces, message):
    with pytest.raises(ValueError, match=message):
        Schedule(pieces)


def test_a_repeat_callable_with_python_branching_says_use_keras_ops(fashion_mnist_sample):
    gan = scheduled_dcgan({"discriminator": {"repeat": lambda step: 5 if step < 1000 else 1}})
    gan.compile()
    with pytest.raises(ValueError, match=r"write it with keras.ops.*keras.ops.where\(step < 1000, 5, 1\)"):
        gan.fit(make_dataset(fashion_mnist_sample[0]).take(1), verbose=0)


class StepLogs(keras.callbacks.Callback):
    """Keeps the logs of each batch."""

    def __init__(self):
        super().__init__()
        self.logs = []

    def on_train_batch_end(self, batch, logs=None):
        self.logs.append(dict(logs))


def per_step(running_means):
    """The value of each step, from the running means (over the epoch) that fit() logs."""
    totals = np.arange(1, len(running_means) + 1) * np.asarray(running_means, "float64")
    return np.round(np.diff(totals, prepend=0.0)).astype(int).tolist()


@pytest.mark.parametrize(
    "repeat",
    [Schedule([(0, 3), (2, 1), (3, 2)]), lambda step: ops.where(step < 2, 3, ops.where(step < 3, 1, 2))],
    ids=["schedule", "keras_ops_callable"],
)
def test_scheduled_critic_count_is_what_the_logs_say_at_each_step(repeat, fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = scheduled_dcgan({"discriminator": {"repeat": repeat}})
    gan.compile()
    logs = StepLogs()
    gan.fit(make_dataset(images).take(4), epochs=1, verbose=0, callbacks=[logs])
    assert per_step([entry["discriminator_updates"] for entry in logs.logs]) == [3, 3, 1, 2]
    assert iterations(gan) == (3 + 3 + 1 + 2, 4)
    # One step at a time the logged count is that step's, and the critic's optimizer says the same.
    for expected in (2, 2):
        before = iterations(gan)[0]
        step_logs = gan.train_on_batch(images[:32], return_dict=True)
        assert int(step_logs["discriminator_updates"]) == expected == iterations(gan)[0] - before


def test_start_and_stop_phases_run_exactly_on_their_steps(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    # An extra critic phase for the first two steps only; the generator starts at step 1.
    gan = scheduled_dcgan({"generator": {"start": 1}}, warm_up={"stop": 2})
    gan.compile()
    assert [p.name for p in gan.training_phases()] == ["warm_up", "discriminator", "generator"]
    updates = []
    for _ in range(4):
        before = iterations(gan)
        gan.train_on_batch(images[:32])
        updates.append(tuple(after - b for after, b in zip(iterations(gan), before)))
    assert updates == [(2, 0), (2, 1), (1, 1), (1, 1)]
    assert gan.completed_steps() == 4


def test_a_skipped_update_leaves_its_network_and_optimizer_bit_identical(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = scheduled_dcgan({"discriminator": {"gate": lambda terms: terms["d_loss"] < -1.0}})
    gan.compile()
    critic, optimizer = weights_of(gan.discriminator), [v.numpy() for v in gan.d_optimizer.variables]
    generator = weights_of(gan.generator)
    logs = StepLogs()
    gan.fit(make_dataset(images).take(2), epochs=1, verbose=0, callbacks=[logs])
    # The critic, its batch-norm statistics and its optimizer (iterations included) are as before.
    for before, after in zip(critic + optimizer, weights_of(gan.discriminator) + gan.d_optimizer.variables):
        np.testing.assert_array_equal(before, np.asarray(after))
    assert iterations(gan) == (0, 2)
    assert any(not np.array_equal(b, a) for b, a in zip(generator, weights_of(gan.generator)))
    assert [float(entry["discriminator_skipped"]) for entry in logs.logs] == [1.0, 1.0]
    assert np.isfinite(logs.logs[-1]["d_loss"])


def test_a_gate_that_always_applies_trains_as_without_a_gate(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    final = []
    for changes in ({}, {"discriminator": {"gate": lambda terms: terms["d_loss"] > -1.0}}):
        keras.utils.set_random_seed(3)
        gan = scheduled_dcgan(changes)
        # Not XLA-compiled: XLA fuses the gated program otherwise than the
        # plain one and sums in another order (1e-5 apart after two steps).
        gan.compile(jit_compile=False)
        history = gan.fit(make_dataset(images).take(2), epochs=1, verbose=0)
        final.append(weights_of(gan.discriminator) + weights_of(gan.generator))
    assert history.history["discriminator_skipped"] == [0.0]
    for ungated, gated in zip(*final):
        np.testing.assert_array_equal(ungated, gated)
