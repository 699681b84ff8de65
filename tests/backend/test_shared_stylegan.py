"""StyleGAN's core checks of `tests/models/test_stylegan.py`, on JAX.

Marked `jax`, so the JAX child of `test_jax_subset.py` runs them; on
TensorFlow, where `tests/models` runs the same tests, they are marked slow.
The default JAX run checks style mixing and truncation (and
`test_jax_subset.py` the one-step agreement of a StyleGAN step with both lazy
penalties); the rest runs op by op for minutes on a CPU (the harness runs
StyleGAN eagerly) and runs with the slow tests.
"""

import keras
import pytest

from tests.models.test_stylegan import (  # noqa: F401  (collected here too)
    small_images,  # noqa: F401  (its fixture)
    test_truncation_zero_gives_the_mean_image_and_one_changes_nothing,
)
from tests.models.test_stylegan import test_config_and_keras_file_round_trip_resumes_exactly as round_trip
from tests.models.test_stylegan import test_style_mixing_changes_coarse_features_and_keeps_the_others as mixes
from tests.models.test_stylegan import test_the_mean_style_moves_only_in_the_generator_phases as mean_style
from tests.models.test_stylegan import test_training_mixes_styles_with_the_given_probability as mixing
from tests.models.test_stylegan import (
    test_trains_on_real_data_and_each_phase_touches_only_its_networks as trains,
)

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])


@pytest.mark.slow
def test_stylegan_trains_each_phase_touching_only_its_networks_on_jax(small_images):  # noqa: F811
    trains(small_images)


@pytest.mark.slow
def test_stylegan_keras_file_round_trip_resumes_exactly_on_jax(small_images, tmp_path):  # noqa: F811
    round_trip(small_images, tmp_path)


@pytest.mark.slow
def test_stylegan_mean_style_moves_only_in_the_generator_phases_on_jax(small_images):  # noqa: F811
    mean_style(small_images)


@pytest.mark.slow
def test_stylegan_mixes_styles_with_the_given_probability_on_jax():
    mixing()


@pytest.mark.slow
def test_style_mixing_changes_coarse_features_and_keeps_the_others_on_jax():
    # The default JAX run checks StyleGAN's mixing through its one-step agreement
    # with TensorFlow (mixing, noise and lazy penalties); this property runs slow.
    mixes()
