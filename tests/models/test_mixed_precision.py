"""Every variant trains under mixed_float16 and mixed_bfloat16 policies."""

import keras
import numpy as np
import pytest

from tests.gan_test_case import run_training_check
from tests.models.test_variants import VARIANTS

POLICIES = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}


@pytest.fixture
def policy(request):
    keras.mixed_precision.set_global_policy(request.param)
    yield request.param
    keras.mixed_precision.set_global_policy("float32")


# gan, lsgan and wgan share every mixed-precision code path with dcgan and
# wgan_gp, and the conditional ones add only the label path that their own
# tests cover; they run with the slow tests.
SLOW = {"gan", "lsgan", "wgan", "wgan_gp", "acgan", "conditional_gan"}
# TransformerGAN's layers (attention, layer norm, position embeddings) under both
# policies take a minute per policy on 2 cores: slow.
SLOW |= {"transformer_gan"}
# InfoGAN adds a Q head and an information term to the DCGAN paths (its own tests cover them).
SLOW.add("infogan")
# projection_gan's conditional norms and spectral layers are checked in low precision
# by tests/networks/test_projection.py (seconds); its whole model runs with the slow tests.
SLOW.add("projection_gan")
# Critics that sum their features over the pixels (the projection discriminator): at
# the initial loss scale their bias gradients, float16 sums over batch and pixels,
# overflow, and the first steps are skipped while the scale halves, as for a penalty.
SUMMED_FEATURES = {"projection_gan"}
SLOW |= {"sngan", "r3gan"}  # residual networks, costly to trace: run with -m slow
SLOW |= {"stylegan"}  # its compiled step traces for about 25 s


def _leaf_layers(model):
    """A model's layers, those of nested models (a subclassed generator's sub-networks) in their place."""
    layers = []
    for layer in model.layers:
        layers.extend(_leaf_layers(layer) if isinstance(layer, keras.Model) else [layer])
    return layers


@pytest.mark.parametrize("policy", sorted(POLICIES), indirect=True)
@pytest.mark.parametrize(
    "variant", [pytest.param(v, marks=pytest.mark.slow) if v in SLOW else v for v in sorted(VARIANTS)]
)
def test_trains_with_policy(variant, policy, fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    gan = VARIANTS[variant]()
    labels = labels[:64] if gan.num_classes else None
    options = {}
    if policy == "mixed_float16" and (gan.regularizers or variant in SUMMED_FEATURES):
        # At Keras's initial loss scale (2**15) a gradient penalty overflows
        # float16, so the first steps are skipped while the scale halves
        # (test_loss_scale_recovers_from_penalty_overflow). Start lower so
        # that the harness's first step is applied.
        options = {
            gan.optimizer_attribute(network): keras.optimizers.LossScaleOptimizer(
                gan.default_optimizer(network), initial_scale=2.0**8
            )
            for network in ("discriminator", "generator")
        }
    run_training_check(gan, images[:64], labels, batch_size=16, steps=2, compile_options=options)

    compute = {layer.compute_dtype for layer in _leaf_layers(gan.generator)[1:-1]}
    assert POLICIES[policy] in compute, "the generator does not compute in low precision"
    latents = gan.sample_latents(4)
    batch_labels = None if labels is None else labels[:4]
    fake = gan.synthesize(latents, batch_labels)
    logits = gan.discriminate(images[:4], batch_labels)
    assert fake.dtype == "float32" and logits.dtype == "float32"
    for weight in gan.generator.weights + gan.discriminator.weights:
        assert weight.dtype == "float32", "variables must stay float32"
    batch = {"images": images[:4], "labels": batch_labels}
    for regularizer in gan.regularizers:
        context = gan.phase_named(regularizer.phase).build_context(batch)
        penalty = regularizer.penalty(gan, context)
        assert penalty.dtype == "float32" and np.isfinite(float(penalty))

    scaled = policy == "mixed_float16"
    for optimizer in (gan.d_optimizer, gan.g_optimizer):
        assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer) is scaled


@pytest.mark.parametrize("policy", ["mixed_float16"], indirect=True)
def test_loss_scale_recovers_from_penalty_overflow(policy, fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    gan = VARIANTS["wgan_gp"]()
    gan.compile()
    initial_scale = float(gan.d_optimizer.dynamic_scale)
    for _ in range(6):
        terms = gan.discriminator_step(images[:16])
    assert np.isfinite([float(v) for v in terms.values()]).all()
    applied = int(gan.d_optimizer.inner_optimizer.iterations)
    assert 1 <= applied <= 6, "no discriminator update was applied"
    # Every skipped step halved the scale.
    assert float(gan.d_optimizer.dynamic_scale) == initial_scale / 2 ** (6 - applied)
    assert all(np.isfinite(w.numpy()).all() for w in gan.discriminator.weights)
