"""StyleGAN: the shared checks (lazy phases included), style mixing, truncation and its rescaled Adam."""

import keras
import numpy as np
import pytest
from keras import ops

import kerasgan
from kerasgan.networks import StyleGANGenerator, build_stylegan_generator
from tests.gan_test_case import (
    run_export_check,
    run_phase_isolation_check,
    run_save_load_check,
    run_serialization_check,
    run_training_check,
)

# 14x14 (7 -> 14): two blocks, num_ws = 4; every penalty due at step 0.
TINY = {"image_shape": (14, 14, 1), "latent_dim": 8, "filters": 8, "seed": 1}
BATCH = 16
# TensorFlow traces StyleGAN's compiled step (four phases, two of them
# double-backward penalties inside tf.cond) for about 25 s on this machine:
# the default checks run eagerly; the compiled step runs in the TF/JAX
# agreement case (tests/backend/agreement.py) and in the slow test below.
EAGER = {"run_eagerly": True}


def _half_size(images):
    return images.reshape(-1, 14, 2, 14, 2, 1).mean(axis=(2, 4))


@pytest.fixture
def small_images(fashion_mnist_sample):
    """The Fashion-MNIST sample at 14x14 (2x2 averages), in `[-1, 1]`."""
    return _half_size(fashion_mnist_sample[0][:64])


def test_trains_on_real_data_and_each_phase_touches_only_its_networks(small_images):
    keras.utils.set_random_seed(0)
    gan = kerasgan.StyleGAN(**TINY)
    assert [phase.name for phase in gan.training_phases()] == [
        "discriminator",
        "discriminator_reg",
        "generator",
        "generator_reg",
    ]
    history = run_training_check(gan, small_images, batch_size=BATCH, compile_options=EAGER)
    assert {"d_loss", "g_loss", "r1", "pl"} <= set(history.history)
    # The path-length mean and the mean style moved: both are saved state.
    assert float(gan.regularizers[1].mean_length) > 0
    assert np.abs(gan.generator.w_avg.numpy()).sum() > 0


def test_the_mean_style_moves_only_in_the_generator_phases(small_images):
    gan = kerasgan.StyleGAN(**TINY)
    gan.compile()
    batch = gan.unpack_batch(ops.convert_to_tensor(small_images[:BATCH]))
    before = gan.generator.w_avg.numpy()
    gan.run_phase(gan.phase_named("discriminator"), batch)
    np.testing.assert_array_equal(gan.generator.w_avg.numpy(), before)
    gan.run_phase(gan.phase_named("generator"), batch)
    assert not np.array_equal(gan.generator.w_avg.numpy(), before)


def test_truncation_zero_gives_the_mean_image_and_one_changes_nothing():
    gan = kerasgan.StyleGAN(**TINY)
    gan.ema_generator.w_avg.assign(np.linspace(-1.0, 1.0, 8).astype("float32"))  # as after training
    mean_image = gan.generate(5, seed=0, truncation=0.0)
    # Every sample has the style w_avg. JAX's convolutions round by batch position:
    # 0 to 2e-7 over six seeds on one and on two host devices, once over 1e-6 in a
    # whole JAX subset run; untruncated samples differ from it by 0.5 on average.
    np.testing.assert_allclose(mean_image, np.broadcast_to(mean_image[:1], mean_image.shape), atol=1e-5)
    network = gan.ema_generator
    w_avg = ops.repeat(network.w_avg[None, None, :], network.num_ws, axis=1)
    np.testing.assert_allclose(mean_image[:1], network.render(w_avg), atol=1e-5)
    np.testing.assert_array_equal(gan.generate(5, seed=0), gan.generate(5, seed=0, truncation=1.0))
    half = gan.generate(5, seed=0, truncation=0.5)
    full = gan.generate(5, seed=0)
    assert np.abs(half - mean_image).mean() < np.abs(full - mean_image).mean()


def test_style_mixing_changes_coarse_features_and_keeps_the_others():
    keras.utils.set_random_seed(0)
    gan = kerasgan.StyleGAN(**{**TINY, "ema_decay": None})
    generator = gan.generator
    coarse, fine = gan.generate(3, seed=0), gan.generate(3, seed=1)
    mixed = gan.mix_styles(3, seed=0, mixing_seed=1, crossover=2)
    # Styles: the first two layers (7x7 and the first 14x14 convolution) from
    # seed 0, the other two from seed 1.
    z_coarse, z_fine = gan.sampling_noise(3, seed=0), gan.sampling_noise(3, seed=1)
    crossover = ops.full((3,), 2, dtype="int32")
    ws = generator.styles({"latents": z_coarse, "mixing_latents": z_fine, "crossover": crossover})
    np.testing.assert_array_equal(ws[:, :2], generator.styles(z_coarse)[:, :2])
    np.testing.assert_array_equal(ws[:, 2:], generator.styles(z_fine)[:, 2:])
    # The 7x7 features are those of the coarse source; the image is neither source's.
    synthesis = generator.synthesis
    features = keras.Model(synthesis.inputs, synthesis.get_layer("block_7_bias").output)
    noise = [ops.zeros((3, *shape)) for shape in generator.noise_shapes]
    np.testing.assert_allclose(
        features([ws, *noise]), features([generator.styles(z_coarse), *noise]), atol=1e-6
    )
    assert np.abs(mixed - coarse).mean() > 1e-3 and np.abs(mixed - fine).mean() > 1e-3
    np.testing.assert_array_equal(gan.mix_styles(3, seed=0, mixing_seed=1, crossover=4), coarse)
    np.testing.assert_array_equal(gan.mix_styles(3, seed=0, mixing_seed=1, crossover=0), fine)


def test_training_mixes_styles_with_the_given_probability():
    gan = kerasgan.StyleGAN(**TINY)
    num_ws = gan.generator.num_ws
    crossover = ops.convert_to_numpy(gan.training_inputs(2000)["crossover"])
    assert ((crossover >= 1) & (crossover <= num_ws)).all()
    assert abs(np.mean(crossover < num_ws) - 0.9) < 0.03
    assert "crossover" not in kerasgan.StyleGAN(style_mixing=0.0, **TINY).training_inputs(4)


def test_lazy_phases_rescale_learning_rate_and_betas():
    gan = kerasgan.StyleGAN(**TINY)
    gan.compile()
    for optimizer, every in ((gan.d_optimizer, 16), (gan.g_optimizer, 4)):
        c = every / (every + 1)
        assert float(optimizer.learning_rate) == pytest.approx(0.0025 * c)
        assert optimizer.beta_1 == 0.0 and optimizer.beta_2 == pytest.approx(0.99**c)
    eager = kerasgan.StyleGAN(
        regularizers=[kerasgan.losses.R1Penalty(0.005), kerasgan.losses.PathLengthPenalty(2.0, every=1)],
        **TINY,
    )
    eager.compile()
    assert float(eager.d_optimizer.learning_rate) == pytest.approx(0.0025)
    assert [phase.name for phase in eager.training_phases()] == ["discriminator", "generator"]


def test_config_and_keras_file_round_trip_resumes_exactly(small_images, tmp_path):
    clone = run_serialization_check(kerasgan.StyleGAN(style_mixing=0.5, w_dim=4, mbstd_group_size=2, **TINY))
    assert clone.style_mixing == 0.5 and clone.generator.w_dim == 4
    assert clone.mbstd_group_size == 2
    assert clone.discriminator.get_layer("minibatch_stddev").group_size == 2
    keras.utils.set_random_seed(0)
    gan = kerasgan.StyleGAN(**TINY)
    path = str(tmp_path / "stylegan.keras")
    loaded = run_save_load_check(gan, path, small_images, batch_size=BATCH, compile_options=EAGER)
    np.testing.assert_array_equal(loaded.generator.w_avg.numpy(), gan.generator.w_avg.numpy())
    np.testing.assert_array_equal(
        loaded.regularizers[1].mean_length.numpy(), gan.regularizers[1].mean_length.numpy()
    )


def test_export_serves_truncation_in_sample(small_images, tmp_path):
    from kerasgan.export import read_export_metadata

    gan = kerasgan.StyleGAN(**TINY)
    served = run_export_check(
        gan, tmp_path, small_images, compile_options=EAGER, sampling_options={"truncation": 0.25}
    )
    # The served samples are generate(n, seed, truncation=0.25), which is not generate(n, seed).
    assert not np.array_equal(served["sample_5_123"], gan.generate(5, seed=123))
    assert read_export_metadata(str(tmp_path / "saved_model"))["sampling_options"] == {"truncation": 1.0}


def test_generator_subclass_round_trips_and_clones_for_ema():
    generator = build_stylegan_generator((14, 14, 1), latent_dim=8, w_dim=8, filters=8)
    clone = StyleGANGenerator.from_config(generator.get_config())
    assert clone.num_ws == 4 and len(clone.variables) == len(generator.variables)
    ema = kerasgan.models.ema.clone_for_ema(generator)
    latents = np.random.default_rng(0).normal(size=(2, 8)).astype("float32")
    np.testing.assert_array_equal(ema(latents), generator(latents))


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="square images whose side is 4 to 7 times a power of 2"):
        kerasgan.StyleGAN(image_shape=(30, 30, 1), latent_dim=8, filters=8)
    with pytest.raises(ValueError, match="unconditional"):
        kerasgan.StyleGAN(num_classes=10, **TINY)
    with pytest.raises(ValueError, match="style_mixing must be a probability"):
        kerasgan.StyleGAN(style_mixing=1.5, **TINY)
    with pytest.raises(ValueError, match="filters"):
        kerasgan.StyleGAN(image_shape=(14, 14, 1), filters=0)
    with pytest.raises(ValueError, match="mbstd_group_size"):
        kerasgan.StyleGAN(mbstd_group_size=0, **TINY)
    with pytest.raises(ValueError, match="StyleGANGenerator"):
        kerasgan.StyleGAN(generator=kerasgan.networks.build_dcgan_generator((14, 14, 1), 8), **TINY)
    gan = kerasgan.StyleGAN(**TINY)
    with pytest.raises(ValueError, match=r"crossover must be in \[0, 4\]"):
        gan.mix_styles(2, seed=0, mixing_seed=1, crossover=5)
    with pytest.raises(ValueError, match="no sampling option"):
        gan.generate(2, seed=0, mixing=0.5)


@pytest.mark.slow
def test_compiled_step_trains_each_phase_touching_only_its_networks(small_images):
    keras.utils.set_random_seed(0)
    history = run_training_check(kerasgan.StyleGAN(**TINY), small_images, batch_size=BATCH)
    assert {"d_loss", "g_loss", "r1", "pl"} <= set(history.history)


@pytest.mark.slow
def test_phase_isolation_at_28x28_with_default_widths(fashion_mnist_sample):
    gan = kerasgan.StyleGAN(seed=0)
    gan.compile()
    run_phase_isolation_check(gan, fashion_mnist_sample[0][:BATCH])


def _weight_sums_in_a_new_process():
    """The sums of StyleGAN's initial weights, built after `set_random_seed(0)` in a fresh Python."""
    import json
    import subprocess
    import sys

    code = (
        "import json, keras, numpy as np, kerasgan\n"
        "keras.utils.set_random_seed(0)\n"
        f"gan = kerasgan.StyleGAN(**{TINY!r})\n"
        "print(json.dumps([float(np.sum(w)) for w in gan.get_weights()]))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_initial_weights_differ_between_layers_and_repeat_from_the_same_seed():
    """Each kernel is drawn on its own (no initializer shared between layers), from the global seed."""
    keras.utils.set_random_seed(0)
    gan = kerasgan.StyleGAN(**TINY)
    kernels = [w for w in gan.discriminator.weights if w.path.endswith("kernel")]
    by_shape = {}
    for kernel in kernels:
        by_shape.setdefault(tuple(kernel.shape), []).append(np.asarray(kernel.numpy()))
    pairs = [(a, b) for same in by_shape.values() for i, a in enumerate(same) for b in same[i + 1 :]]
    assert pairs, "the check needs two kernels of one shape"
    assert not any(np.array_equal(a, b) for a, b in pairs)
    here = [float(np.sum(w)) for w in gan.get_weights()]
    np.testing.assert_allclose(_weight_sums_in_a_new_process(), here, rtol=1e-6)
