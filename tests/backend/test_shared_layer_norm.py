"""kerasgan.networks.LayerNormalization (`tests/networks/test_layer_norm.py`), on JAX too.

The JAX child of `test_jax_subset.py` runs these; on TensorFlow the same
tests run from `tests/networks/test_layer_norm.py`, so here they are marked slow.
"""

import keras
import pytest

from tests.networks.test_layer_norm import (  # noqa: F401  (collected here too)
    test_config_and_keras_file_round_trip,
    test_outputs_equal_keras_layer_normalization,
)

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])
