"""The phase schedules and gates of `tests/models/test_phase_schedules.py`, shared with JAX.

Marked `jax`, so the JAX child of `test_jax_subset.py` runs them; on
TensorFlow, where `tests/models` runs the same tests, they are marked slow.
"""

import keras
import pytest

from tests.models.test_phase_schedules import (  # noqa: F401  (collected here too)
    test_a_gate_that_always_applies_trains_as_without_a_gate,
    test_a_repeat_callable_with_python_branching_says_use_keras_ops,
    test_a_skipped_update_leaves_its_network_and_optimizer_bit_identical,
    test_bad_phase_arguments_are_clear_errors,
    test_bad_schedules_are_clear_errors,
    test_schedule_and_due_rule_agree_on_ints_and_tensors,
    test_scheduled_critic_count_is_what_the_logs_say_at_each_step,
    test_start_and_stop_phases_run_exactly_on_their_steps,
)

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])
