"""The remedies (augmentations, regularizers, layers, schedules) on JAX too.

Marked `jax`, so the JAX child of `test_jax_subset.py` runs them; on
TensorFlow, where `tests/remedies`, `tests/losses`, `tests/networks` and
`tests/callbacks` run the same tests, they are marked slow. The selection
covers each remedy's maths and its training through the core on JAX.
"""

import keras
import pytest

from tests.callbacks.test_loss_plot_training import test_records_each_training_steps_own_values as per_step
from tests.losses.test_consistency import (  # noqa: F401
    test_augmentation_matches_numpy_reference,
    test_penalty_equals_its_formula_with_the_drawn_augmentations,
)
from tests.losses.test_label_smoothing import test_real_targets_become_one_minus_the_smoothing  # noqa: F401
from tests.losses.test_lecam import (  # noqa: F401
    test_averages_and_penalty_follow_the_bias_corrected_formula,
)
from tests.losses.test_lecam import test_averages_are_saved_and_restored_by_a_keras_file as lecam_saved
from tests.losses.test_mode_seeking import (
    test_it_makes_the_images_of_fixed_latent_pairs_more_different as apart,
)
from tests.losses.test_mode_seeking import test_penalty_is_the_mean_inverse_ratio_over_pairs  # noqa: F401
from tests.networks.test_layers import test_matches_numpy_reference  # noqa: F401
from tests.remedies.conftest import gan, images  # noqa: F401  (their fixtures)
from tests.remedies.test_ada import (  # noqa: F401
    test_p_and_the_running_sums_are_saved_and_resume,
    test_the_controller_updates_inside_a_compiled_step_as_eagerly,
)
from tests.remedies.test_diffaugment import (  # noqa: F401
    test_colour_is_the_paper_formula_with_the_drawn_values,
    test_cutout_zeroes_a_square_of_half_the_side,
    test_gradients_flow_back_through_every_policy,
    test_translation_shifts_by_whole_pixels_up_to_an_eighth,
)
from tests.remedies.test_instance_noise import test_the_noise_is_gaussian_with_the_annealed_stddev  # noqa: F401
from tests.remedies.test_through_the_seam import (  # noqa: F401
    test_ada_p_rises_while_the_discriminator_overfits_and_falls_when_it_does_not,
    test_ada_resumes_exactly_from_a_keras_file,
)
from tests.remedies.test_through_the_seam import test_the_augmentation_is_a_switch_on_the_variant as switch
from tests.test_learning_rates import (  # noqa: F401
    test_an_optimizer_steps_with_the_rate_of_its_iterations,
    test_both_optimizers_of_a_gan_decay_through_fit_and_the_logs_show_it,
)

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])


@pytest.mark.parametrize(
    ("name", "augmentation"),
    [("dcgan", "ada"), pytest.param("cyclegan", "diffaugment", marks=pytest.mark.slow)],
)
def test_the_augmentation_is_a_switch_on_the_variant_on_jax(name, augmentation, fashion_mnist_sample):
    switch(name, augmentation, fashion_mnist_sample)


# Each trains models for half a minute or more on JAX: with the slow tests.
@pytest.mark.slow
def test_records_each_training_steps_own_values_on_jax(tmp_path, fashion_mnist_sample):
    per_step(tmp_path, fashion_mnist_sample)


@pytest.mark.slow
def test_lecam_averages_are_saved_and_restored_on_jax(fashion_mnist_sample, tmp_path):
    lecam_saved(fashion_mnist_sample, tmp_path)


@pytest.mark.slow
def test_mode_seeking_pushes_fixed_latent_pairs_apart_on_jax(fashion_mnist_sample):
    apart(fashion_mnist_sample)
