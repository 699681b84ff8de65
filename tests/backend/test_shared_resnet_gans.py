"""SNGAN's and R3GAN's core checks of `tests/models/test_resnet_gans.py`, on JAX.

Marked `jax`, so the JAX child of `test_jax_subset.py` runs them; on
TensorFlow, where `tests/models` runs the same tests, they are marked slow.
The default JAX run checks the losses, R2, the generator's read of the real
batch and spectral normalisation; `test_jax_subset.py` compares one step of each
variant with TensorFlow's; training with the harness and the `.keras` round
trip (`tests/backend/test_shared_training.py`) run with the slow tests.
"""

import keras
import pytest

from tests.models.test_resnet_gans import (
    test_a_scheduled_weight_follows_the_step_and_round_trips as scheduled,
)
from tests.models.test_resnet_gans import (  # noqa: F401  (collected here too)
    test_r2_is_r1_on_the_generated_images,
    test_relativistic_loss_matches_its_closed_form,
    test_the_generator_objective_reads_the_real_batch_through_the_seam,
)
from tests.models.test_resnet_gans import test_residual_networks_check_their_arguments as arguments
from tests.models.test_resnet_gans import (
    test_spectral_normalisation_keeps_the_largest_singular_value_near_one as spectral_norm_near_one,
)

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])


# About 50 s and 15 s of JAX compilation on a CPU; the agreement cases take R3GAN's scheduled
# penalty weight through a compiled step by default.
@pytest.mark.slow
def test_a_scheduled_weight_follows_the_step_on_jax(fashion_mnist_sample):
    scheduled(fashion_mnist_sample)


@pytest.mark.slow
def test_residual_networks_check_their_arguments_on_jax():
    arguments()


@pytest.mark.slow
def test_spectral_normalisation_keeps_the_largest_singular_value_near_one_on_jax(fashion_mnist_sample):
    # The default JAX run checks the spectral layers themselves (test_shared_spectral.py)
    # and SNGAN's step through its agreement with TensorFlow.
    spectral_norm_near_one(fashion_mnist_sample)
