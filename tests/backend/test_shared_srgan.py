"""SRGAN's core checks of `tests/models/test_srgan.py`, on JAX.

Marked `jax`, so the JAX child of `test_jax_subset.py` runs them; on
TensorFlow, where `tests/models` runs the same tests, they are marked slow.
The default JAX run checks the warm-up schedule (and `test_jax_subset.py`
the one-step agreement of an SRGAN step); training with the phase checks
and the `.keras` round trip compile for minutes on a CPU and run with the
slow tests.
"""

import keras
import pytest

from tests.models.test_srgan import sr_pairs  # noqa: F401  (its fixture)
from tests.models.test_srgan import test_keras_file_round_trip_resumes_exactly as round_trip
from tests.models.test_srgan import (
    test_trains_on_real_pairs_and_each_phase_touches_only_its_networks as trains,
)
from tests.models.test_srgan import (
    test_warm_up_runs_exactly_before_warmup_steps_then_the_adversarial_phases as warm_up,
)

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])


@pytest.mark.slow
def test_warm_up_runs_exactly_before_warmup_steps_then_the_adversarial_phases_on_jax(sr_pairs):  # noqa: F811
    warm_up(sr_pairs)


@pytest.mark.slow
def test_srgan_trains_each_phase_touching_only_its_networks_on_jax(sr_pairs):  # noqa: F811
    trains(sr_pairs)


@pytest.mark.slow
def test_srgan_keras_file_round_trip_resumes_exactly_on_jax(sr_pairs, tmp_path, monkeypatch):  # noqa: F811
    round_trip(sr_pairs, tmp_path, monkeypatch)
