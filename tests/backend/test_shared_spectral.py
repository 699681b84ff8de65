"""The spectral-normalised layers (`tests/networks/test_spectral.py`), on JAX too.

The JAX child of `test_jax_subset.py` runs these; on TensorFlow the same
tests run from `tests/networks/test_spectral.py`, so here they are marked slow.
"""

import keras
import pytest

from tests.networks.test_spectral import (  # noqa: F401  (collected here too)
    test_a_dense_layer_runs_with_its_kernel_divided_by_the_estimated_norm,
    test_a_model_of_spectral_layers_round_trips_through_a_keras_file,
    test_u_moves_only_while_training_and_sharpens_the_estimate,
)

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])
