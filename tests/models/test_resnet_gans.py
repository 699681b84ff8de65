"""SNGAN and R3GAN: spectral norm, the relativistic loss, R2, scheduled weights, residual networks."""

import keras
import numpy as np
import pytest
from keras import ops

import kerasgan
from kerasgan.losses import (
    R1Penalty,
    R2Penalty,
    relativistic_discriminator_loss,
    relativistic_generator_loss,
)
from kerasgan.networks import (
    SpectralNormalized,
    build_resnet_gan_discriminator,
    build_resnet_gan_generator,
)
from tests.gan_test_case import run_export_check

TINY = {"image_shape": (28, 28, 1), "latent_dim": 8, "seed": 1}
TINY_SNGAN = {**TINY, "base_filters": 8, "n_critic": 2}
TINY_R3GAN = {**TINY, "base_filters": 8, "groups": 2, "decay_steps": 10}


def _softplus(x):
    return np.logaddexp(0.0, x)


def test_spectral_normalisation_keeps_the_largest_singular_value_near_one(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    gan = kerasgan.SNGAN(**TINY_SNGAN)
    layers = [layer for layer in gan.discriminator.layers if isinstance(layer, SpectralNormalized)]
    # Every convolution and the logit: 2 + 1 shortcut per block, two blocks, one dense.
    assert len(layers) == 7
    for layer in layers:  # kernels far from 1-Lipschitz: the normalisation must do the work
        layer.kernel.assign(10.0 * layer.kernel)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-2))  # large steps, so the kernels move
    for start in range(0, 128, 16):  # eight discriminator updates, eagerly (no tracing)
        gan.discriminator_step(images[start : start + 16])
    for layer in layers:
        kernel = ops.convert_to_numpy(layer.normalized_kernel())
        matrix = kernel.reshape(-1, kernel.shape[-1])
        top = np.linalg.svd(matrix, compute_uv=False)[0]
        raw = np.linalg.svd(layer.kernel.numpy().reshape(matrix.shape), compute_uv=False)[0]
        # One power-method step per call: the estimate is close, not exact (1.05 here).
        assert raw > 5.0 and abs(top - 1.0) < 0.1, (layer.name, top, raw)


def test_relativistic_loss_matches_its_closed_form():
    rng = np.random.default_rng(0)
    real, fake = rng.normal(size=(6, 1)).astype("float32"), rng.normal(size=(6, 1)).astype("float32")
    np.testing.assert_allclose(
        float(relativistic_discriminator_loss(real, fake)), _softplus(-(real - fake)).mean(), rtol=1e-6
    )
    np.testing.assert_allclose(
        float(relativistic_generator_loss(fake, real)), _softplus(-(fake - real)).mean(), rtol=1e-6
    )
    assert kerasgan.losses.get_adversarial_loss("relativistic").generator_reads_real
    assert not kerasgan.losses.get_adversarial_loss("hinge").generator_reads_real


def test_the_generator_objective_reads_the_real_batch_through_the_seam(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = kerasgan.DCGAN(loss="relativistic", **TINY)  # any latent variant takes the loss
    batch = gan.unpack_batch(images[:8])
    context = gan.phase_named("generator").build_context(batch)
    np.testing.assert_array_equal(ops.convert_to_numpy(context["images"]), images[:8])
    total, terms = gan.generator_objective(context)
    real = ops.convert_to_numpy(gan.discriminate(images[:8], training=True))
    fake = ops.convert_to_numpy(gan.discriminate(context["fake"], training=True))
    np.testing.assert_allclose(float(terms["g_loss"]), _softplus(-(fake - real)).mean(), rtol=1e-5)
    with pytest.raises(ValueError, match="received no real images"):  # e.g. generator_step(8)
        gan.generator_adversarial_loss({"labels": None}, fake)
    gan.compile()
    assert np.isfinite(float(gan.run_phase(gan.phase_named("generator"), batch)["g_loss"]))
    with pytest.raises(ValueError, match="does not read the real batch"):
        kerasgan.Pix2Pix(loss="relativistic")


def test_r2_is_r1_on_the_generated_images():
    critic = lambda x: ops.sum(ops.square(x), axis=(1, 2, 3))  # gradient 2x  # noqa: E731
    real, fake = np.zeros((3, 2, 2, 1), "float32"), np.full((3, 2, 2, 1), 0.5, "float32")
    context = {"images": real, "fake": fake, "critic": critic}
    gan = kerasgan.GAN(**TINY)
    assert float(R1Penalty().penalty(gan, context)) == 0.0
    np.testing.assert_allclose(float(R2Penalty().penalty(gan, context)), 4 * (2 * 0.5) ** 2, rtol=1e-6)
    assert R2Penalty().term == "r2" and kerasgan.losses.regularizer_from_spec("r2:0.5").weight == 0.5


def test_a_scheduled_weight_follows_the_step_and_round_trips(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = kerasgan.R3GAN(**{**TINY_R3GAN, "groups": 1})
    phase, batch = gan.phase_named("discriminator"), gan.unpack_batch(images[:8])
    schedule = gan.gamma_schedule()
    for step in (0, 5, 10):
        gan.train_steps.assign(step)
        total, terms = gan.phase_objective(phase, batch)
        weight = float(schedule(step))
        expected = float(terms["d_loss"]) + weight * (float(terms["r1"]) + float(terms["r2"]))
        np.testing.assert_allclose(float(total), expected, rtol=1e-5)
    assert float(schedule(0)) == pytest.approx(0.025) and float(schedule(10)) == pytest.approx(0.0025)
    clone = R1Penalty.from_config(gan.regularizers[0].get_config())
    assert float(clone.weight_at(5)) == pytest.approx(float(schedule(5)))
    with pytest.raises(ValueError, match="LearningRateSchedule"):
        R1Penalty(lambda step: 1.0)


def test_paper_defaults():
    sngan, r3gan = kerasgan.SNGAN(**TINY), kerasgan.R3GAN(**TINY)
    sngan.compile()
    r3gan.compile()
    assert sngan.adversarial_loss == "hinge" and sngan.n_critic == 5
    assert sngan.d_optimizer.beta_1 == 0.0 and sngan.d_optimizer.beta_2 == 0.9
    assert float(sngan.g_optimizer.learning_rate) == pytest.approx(2e-4)
    assert r3gan.adversarial_loss == "relativistic" and r3gan.n_critic == 1
    assert r3gan.d_optimizer.beta_1 == 0.0 and r3gan.d_optimizer.beta_2 == 0.99
    assert float(r3gan.g_optimizer.learning_rate) == pytest.approx(2e-4)  # at step 0 of its decay
    assert [r.term for r in r3gan.regularizers] == ["r1", "r2"]
    kinds = {type(layer).__name__ for layer in r3gan.discriminator.layers + r3gan.generator.layers}
    assert not kinds & {"BatchNormalization", "LayerNormalization"}


# Each export serves the SavedModel in a fresh process (about a minute here): slow.
@pytest.mark.slow
@pytest.mark.parametrize("variant", ["sngan", "r3gan"])
def test_exports(variant, fashion_mnist_sample, tmp_path):
    images, _ = fashion_mnist_sample
    gan = kerasgan.SNGAN(**TINY_SNGAN) if variant == "sngan" else kerasgan.R3GAN(**TINY_R3GAN)
    run_export_check(gan, tmp_path, images)


def test_residual_networks_check_their_arguments():
    generator = build_resnet_gan_generator((14, 14, 1), 8, base_filters=8, block="bottleneck", groups=2)
    assert generator.output_shape == (None, 14, 14, 1)
    critic = build_resnet_gan_discriminator((32, 32, 3), base_filters=8, normalization="batch")
    assert critic.output_shape == (None, 1)
    with pytest.raises(ValueError, match="normalization must be one of"):
        build_resnet_gan_generator((28, 28, 1), 8, normalization="layer")
    with pytest.raises(ValueError, match="block must be"):
        build_resnet_gan_discriminator((28, 28, 1), block="dense")
    with pytest.raises(ValueError, match="groups=3 must divide"):
        build_resnet_gan_discriminator((28, 28, 1), base_filters=8, block="bottleneck", groups=3)
    with pytest.raises(ValueError, match="not spectrally normalised"):
        build_resnet_gan_discriminator((28, 28, 1), base_filters=8, groups=2, normalization="spectral")
    with pytest.raises(ValueError, match="base_filters"):
        kerasgan.SNGAN(base_filters=0)
    with pytest.raises(ValueError, match="below final_gamma"):
        kerasgan.R3GAN(gamma=0.01, final_gamma=0.1)
