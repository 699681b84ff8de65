"""`Phase.passes` on JAX too: CycleGAN's discriminators score the generators' own fakes.

The CycleGAN checks build and compile CycleGANs, minutes on JAX on a CPU:
they run with the slow tests (`python3 -m pytest tests/backend --backend=jax -m jax`).
"""

import pytest

from tests.models.test_phase_passes import (  # noqa: F401
    test_a_later_phase_of_the_step_reads_what_an_earlier_one_passed,
)
from tests.models.test_phase_passes import (
    test_a_training_step_hands_the_fakes_on_as_the_phases_run_one_by_one as step_hands_on,
)
from tests.models.test_phase_passes import (
    test_cyclegan_discriminators_score_the_fakes_drawn_before_the_generator_update as old_fakes,
)

pytestmark = [pytest.mark.jax]


@pytest.mark.slow
def test_cyclegan_discriminators_score_the_old_fakes_on_jax(fashion_mnist_sample):
    old_fakes(fashion_mnist_sample)


@pytest.mark.slow
def test_a_step_hands_the_fakes_on_as_the_phases_one_by_one_on_jax(fashion_mnist_sample):
    step_hands_on(fashion_mnist_sample)
