"""TransformerGAN's core checks (its network and model tests), on JAX.

Marked `jax`, so the JAX child of `test_jax_subset.py` runs them; on
TensorFlow, where `tests/networks` and `tests/models` run the same tests,
they are marked slow. The default JAX run checks the layers (the spectral attention over
every token, patches, the spectral discriminator) and
`test_jax_subset.py` the one-step agreement of a Transformer-kind step;
training with the phase checks and the `.keras` round trip compile for
minutes on a CPU and run with the slow tests.
"""

import keras
import pytest

from tests.models.test_transformer_gan import (
    test_transformer_kind_keras_file_round_trip_resumes_exactly as round_trip,
)
from tests.models.test_transformer_gan import (
    test_transformer_kind_trains_each_phase_touching_only_its_networks as trains,
)
from tests.networks.test_transformer import (
    test_attention_sees_every_token_and_is_blind_to_order_without_positions as sees_every_token,
)
from tests.networks.test_transformer import (  # noqa: F401  (collected here too)
    test_patch_tokens_are_the_patches_row_by_row,
    test_the_vit_discriminator_is_spectrally_normalised_throughout,
)
from tests.networks.test_transformer import (
    test_position_embeddings_are_trainable_weights_that_change_the_output as learned_positions,
)

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])


# Eager JAX compiles every op of a first call: Keras's own attention and the
# position embeddings' three generator calls take half a minute more.
@pytest.mark.parametrize("spectral", [True, pytest.param(False, marks=pytest.mark.slow)], ids=["l2", "dot"])
def test_transformer_attention_sees_every_token_on_jax(spectral):
    sees_every_token(spectral)


@pytest.mark.slow
def test_transformer_position_embeddings_are_learned_on_jax():
    learned_positions()


@pytest.mark.slow
def test_transformer_gan_trains_each_phase_touching_only_its_networks_on_jax(fashion_mnist_sample):
    trains(fashion_mnist_sample)


@pytest.mark.slow
def test_transformer_gan_keras_file_round_trip_resumes_exactly_on_jax(fashion_mnist_sample, tmp_path):
    round_trip(fashion_mnist_sample, tmp_path)
