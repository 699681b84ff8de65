"""Neural style transfer's maths and optimisation (`tests/test_style_transfer.py`), on JAX too.

The JAX child of `test_jax_subset.py` runs these; on TensorFlow the same
tests run from `tests/test_style_transfer.py`, so here they are marked slow.
"""

import keras
import pytest

from tests.test_style_transfer import (  # noqa: F401  (collected here too)
    pair,
    test_content_and_style_losses_match_numpy_and_vanish_at_their_targets,
    test_gram_matrix_matches_numpy,
    test_output_keeps_the_content_shape_and_stays_in_range,
    test_the_feature_network_never_changes,
    test_total_variation_matches_numpy,
    test_transfer_lowers_its_own_loss,
    test_vgg19_preprocessing_is_keras_caffe_preprocessing,
    test_without_style_and_smoothing_the_content_does_not_move,
)

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])
