"""The phase schedules and gates of `tests/models/test_phase_schedules.py`, shared with JAX.

Marked `jax`, so the JAX child of `test_jax_subset.py` runs them; on
TensorFlow, where `tests/models` runs the same tests, they are marked slow.
"""

import keras
import pytest

from tests.models.test_phase_schedules import (  # noqa: F401  (collected here too)
    scheduled_dcgan,
    test_a_repeat_callable_with_python_branching_says_use_keras_ops,
    test_a_skipped_update_leaves_its_network_and_optimizer_bit_identical,
    test_bad_phase_arguments_are_clear_errors,
    test_bad_schedules_are_clear_errors,
    test_schedule_and_due_rule_agree_on_ints_and_tensors,
    test_start_and_stop_phases_run_exactly_on_their_steps,
)
from tests.models.test_phase_schedules import test_a_gate_that_always_applies_trains_as_without_a_gate as gate
from tests.models.test_phase_schedules import (
    test_scheduled_critic_count_is_what_the_logs_say_at_each_step as critic_count,
)

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])

# The default JAX run checks a piecewise schedule; a keras.ops callable and
# an always-applying gate each compile the step again (a minute or more on a
# CPU) and run with the slow tests.
SCHEDULES = critic_count.pytestmark[0].args[1]


@pytest.mark.parametrize(
    "repeat",
    [SCHEDULES[0], pytest.param(SCHEDULES[1], marks=pytest.mark.slow)],
    ids=["schedule", "keras_ops_callable"],
)
def test_scheduled_critic_count_is_what_the_logs_say_at_each_step_on_jax(repeat, fashion_mnist_sample):
    critic_count(repeat, fashion_mnist_sample)


@pytest.mark.slow
def test_a_gate_that_always_applies_trains_as_without_a_gate_on_jax(fashion_mnist_sample):
    gate(fashion_mnist_sample)


@pytest.mark.skipif(keras.backend.backend() != "jax", reason="the JAX trainer's in-graph path")
def test_in_graph_schedule_decides_as_the_host_does(fashion_mnist_sample):
    import jax

    # train_step(due=None) decides start/stop with jax.lax.cond on the step in the state.
    gan = scheduled_dcgan({"generator": {"start": 1}}, warm_up={"stop": 2})
    gan.compile()
    step = jax.jit(gan.train_step)
    state = tuple([v.value for v in group] for group in gan.state_variables())
    optimizer_variables = gan.state_variables()[2]
    where = [
        next(i for i, v in enumerate(optimizer_variables) if v is optimizer.iterations)
        for optimizer in (gan.d_optimizer, gan.g_optimizer)
    ]
    counts = []
    for _ in range(4):
        _, state = step(state, fashion_mnist_sample[0][:32])
        counts.append(tuple(int(state[2][index]) for index in where))
    assert counts == [(2, 0), (4, 1), (5, 2), (6, 3)]
