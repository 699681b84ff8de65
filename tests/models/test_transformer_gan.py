"""TransformerGAN on real Fashion-MNIST: both discriminator kinds, defaults, errors.

The conv kind's training, config and `.keras` checks run with every
variant's (`tests/models/test_variants.py`, without the lazy R1); here the
Transformer kind trains with it, round-trips and exports, with the slow
tests (one step of it runs by default in `tests/backend/agreement.py`).
"""

import keras
import numpy as np
import pytest

import kerasgan
from kerasgan.losses import R1Penalty
from kerasgan.networks.spectral import SpectralDense
from tests.gan_test_case import (
    run_export_check,
    run_save_load_check,
    run_serialization_check,
    run_training_check,
)

TINY = {
    "image_shape": (28, 28, 1),
    "latent_dim": 8,
    "width": 16,
    "depths": (1, 1),
    "num_heads": 2,
    "discriminator_width": 8,
    "discriminator_depth": 1,
    "seed": 1,
}


def tiny(kind="transformer", **kwargs):
    """A TransformerGAN of a few thousand weights (7x7 tokens of 16, 14x14 of 4, 2x2 patches)."""
    return kerasgan.TransformerGAN(discriminator_kind=kind, **{**TINY, **kwargs})


@pytest.mark.slow  # two minutes on 2 loaded cores; tests/backend/agreement.py steps it by default
def test_transformer_kind_trains_each_phase_touching_only_its_networks(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    gan = tiny()
    positions = [gan.generator.get_layer(f"position{s}").embeddings.numpy() for s in (0, 1)]
    power_vectors = _non_trainable(gan.discriminator)
    history = run_training_check(gan, images[:64], batch_size=16)
    assert [phase.name for phase in gan.training_phases()] == [
        "discriminator",
        "discriminator_reg",
        "generator",
    ]
    assert {"d_loss", "g_loss", "r1"} <= set(history.history)
    for stage, before in enumerate(positions):
        after = gan.generator.get_layer(f"position{stage}").embeddings.numpy()
        assert not np.allclose(before, after), f"the position embedding of stage {stage} did not learn"
    # The spectral norm's power-iteration vectors moved in the discriminator's own phases.
    assert power_vectors and any(
        not np.array_equal(a, b) for a, b in zip(power_vectors, _non_trainable(gan.discriminator))
    )


def _non_trainable(network):
    return [v.numpy() for v in network.non_trainable_variables]


def test_config_round_trip_of_the_transformer_kind():
    clone = run_serialization_check(tiny())
    assert clone.discriminator_kind == "transformer" and clone.depths == (1, 1)


@pytest.mark.slow
def test_transformer_kind_keras_file_round_trip_resumes_exactly(fashion_mnist_sample, tmp_path):
    images, _ = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    run_save_load_check(tiny(), str(tmp_path / "transformer_gan.keras"), images[:96], batch_size=16)


@pytest.mark.slow
def test_generator_export_serves_exactly_without_kerasgan(fashion_mnist_sample, tmp_path):
    images, _ = fashion_mnist_sample
    run_export_check(tiny("conv"), tmp_path, images[:64])


def test_paper_defaults_and_the_two_discriminator_kinds():
    gan = kerasgan.TransformerGAN()
    gan.compile()
    for optimizer in (gan.g_optimizer, gan.d_optimizer):
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert float(optimizer.learning_rate) == pytest.approx(1e-4)
        assert optimizer.beta_1 == 0.0 and optimizer.beta_2 == 0.99
    assert gan.adversarial_loss == "non_saturating" and gan.n_critic == 1 and gan.latent_dim == 128
    assert [(type(r), r.weight, r.every) for r in gan.regularizers] == [(R1Penalty, 5.0, 4)]
    grids = [gan.generator.get_layer(f"position{s}").output.shape[1:] for s in (0, 1)]
    assert [tuple(g) for g in grids] == [(49, 128), (196, 32)]  # 7x7 tokens -> 14x14 -> 28x28
    conv = {type(layer).__name__ for layer in gan.discriminator.layers}
    assert "Conv2D" in conv and "LayerNormalization" in conv and "BatchNormalization" not in conv
    vit = tiny().discriminator
    assert isinstance(vit.get_layer("embed"), SpectralDense) and isinstance(
        vit.get_layer("logits"), SpectralDense
    )


def test_conditional_transformer_gan_generates_the_requested_classes():
    gan = tiny(num_classes=10)
    shoes, shirts = gan.generate(2, seed=0, labels=7), gan.generate(2, seed=0, labels=0)
    assert shoes.shape == (2, 28, 28, 1) and not np.allclose(shoes, shirts)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"kind": "mlp"}, "discriminator_kind must be one of"),
        ({"minibatch_stddev": True}, "Transformer discriminator has no feature maps"),
        ({"patch_size": 3}, "not divisible by patch_size=3"),
        ({"discriminator_patch_size": 5}, "not divisible by patch_size=5"),
        ({"num_heads": 3}, "3 attention heads do not divide"),
        ({"discriminator_width": 0}, "discriminator_width"),
    ],
)
def test_bad_arguments_are_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tiny(**kwargs)
