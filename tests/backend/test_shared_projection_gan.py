"""ProjectionGAN's core checks of `tests/networks/test_projection.py`, on JAX.

Marked `jax`, so the JAX child of `test_jax_subset.py` runs them; on
TensorFlow, where the same tests run from their own files, they are marked
slow. The default JAX run checks the conditional batch norm
(`test_jax_subset.py` adds the one-step agreement of a ProjectionGAN step:
both networks and the hinge loss); the network checks (half a minute of
eager convolutions each on a CPU), the phase checks (a minute of compiling),
training through `fit` and the `.keras` round trip run with the slow tests.
"""

import keras
import numpy as np
import pytest

import kerasgan
from tests.gan_test_case import run_save_load_check, run_training_check
from tests.models.test_projection_gan import TINY
from tests.models.test_projection_gan import (
    test_hinge_phases_train_with_labels_and_touch_only_their_networks as hinge,
)
from tests.networks.test_projection import (  # noqa: F401  (collected here too)
    test_at_initialisation_it_is_a_plain_batch_norm,
    test_config_round_trip_and_bad_arguments,
    test_each_label_picks_its_own_scale_and_offset,
    test_inference_uses_the_moving_statistics_and_leaves_them,
)
from tests.networks.test_projection import (
    test_the_generator_reads_labels_only_through_its_conditional_norms as generator_labels,
)
from tests.networks.test_projection import (
    test_with_the_linear_part_zeroed_the_logit_is_the_projection as zeroed_linear,
)

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])


@pytest.mark.slow
def test_projection_discriminator_logit_is_linear_plus_projection_on_jax():
    zeroed_linear()


@pytest.mark.slow
def test_projection_generator_reads_labels_only_through_its_norms_on_jax():
    generator_labels()


@pytest.mark.slow
def test_projection_gan_hinge_phases_touch_only_their_networks_on_jax(fashion_mnist_sample):
    hinge(fashion_mnist_sample)


@pytest.mark.slow
def test_projection_gan_trains_and_resumes_on_jax(fashion_mnist_sample, tmp_path):
    images, labels = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    run_training_check(kerasgan.ProjectionGAN(n_critic=1, **TINY), images, labels)
    keras.utils.set_random_seed(0)
    gan = kerasgan.ProjectionGAN(n_critic=1, **TINY)
    loaded = run_save_load_check(gan, str(tmp_path / "projection.keras"), images, labels)
    assert np.isfinite(loaded.generate(2, seed=0, labels=[0, 1])).all()
