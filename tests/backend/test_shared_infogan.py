"""InfoGAN's checks of `tests/models/test_infogan.py`, on JAX.

Marked `jax`, so the JAX child of `test_jax_subset.py` runs them; on
TensorFlow, where `tests/models` runs the same tests, they are marked slow.
The default JAX run checks the information loss against NumPy, the codes'
prior and that the codes change the output (and `test_jax_subset.py` the
one-step agreement of an InfoGAN step, both phases with their information
terms); which networks each phase trains and Q's short run run with the
slow tests, the code grid (host-side NumPy over `generate`) on TensorFlow
only.
"""

import keras
import pytest

from tests.models.test_infogan import (  # noqa: F401  (collected here too)
    test_codes_change_the_output_and_the_category_option_sets_every_sample,
    test_information_loss_is_the_negative_log_likelihood_of_the_codes,
    test_latents_hold_noise_a_uniform_category_and_uniform_codes,
    test_q_recovers_the_category_above_chance_after_a_short_run,
)
from tests.models.test_infogan import (
    test_the_information_term_trains_q_with_the_discriminator_and_the_generator_through_q as q_trains,
)

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])


@pytest.mark.slow
def test_the_information_term_trains_q_with_the_discriminator_on_jax(fashion_mnist_sample):
    q_trains(fashion_mnist_sample)
