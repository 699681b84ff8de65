"""The seam, statistics, gates and controllers of `tests/models/test_discriminator_seam.py`, on JAX.

Marked `jax`, so the JAX child of `test_jax_subset.py` runs them; on
TensorFlow, where `tests/models` runs the same tests, they are marked slow.
"""

import keras
import pytest

from tests.models.test_discriminator_seam import (  # noqa: F401  (collected here too)
    graph_rewrites_off,
    test_a_constant_augmentation_reaches_the_regularizers_critic,
    test_a_random_draw_while_unpacking_moves_the_seed_generator,
    test_a_subclassed_generator_is_accepted_and_its_shape_checked,
    test_augmentation_applies_only_while_training,
    test_bad_remedy_arguments_are_clear_errors,
    test_gates_augmentation_and_controllers_round_trip,
    test_real_sign_is_the_mean_sign_of_the_real_logits,
    test_skip_while_ahead_gates_the_discriminator_by_its_accuracy,
    test_statistics_are_reported_logged_and_fed_to_controllers,
)
from tests.models.test_discriminator_seam import test_an_identity_augmentation_changes_nothing as identity

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])


# One variant per kind of discriminator call: plain, with a condition image, several critics.
# The image-to-image ones compile for minutes on a CPU: they run with the slow tests.
@pytest.mark.parametrize(
    "name",
    ["dcgan", *(pytest.param(name, marks=pytest.mark.slow) for name in ("pix2pix", "cyclegan"))],
)
@pytest.mark.usefixtures("graph_rewrites_off")
def test_an_identity_augmentation_changes_nothing_on_jax(name, fashion_mnist_sample):
    identity(name, fashion_mnist_sample, None)
