"""SRGAN's core checks of `tests/models/test_srgan.py`, on JAX.

Marked `jax`, so the JAX child of `test_jax_subset.py` runs them; on
TensorFlow, where `tests/models` runs the same tests, they are marked slow.
"""

import keras
import pytest

from tests.models.test_srgan import (  # noqa: F401  (collected here too)
    sr_pairs,
    test_keras_file_round_trip_resumes_exactly,
    test_trains_on_real_pairs_and_each_phase_touches_only_its_networks,
    test_warm_up_runs_exactly_before_warmup_steps_then_the_adversarial_phases,
)

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])
