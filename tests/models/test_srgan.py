"""SRGAN on real Fashion-MNIST pairs: the shared checks, the warm-up schedule, upscale, export, errors."""

import keras
import numpy as np
import pytest

import kerasgan
from tests.backend.agreement import half_size
from tests.gan_test_case import (
    make_dataset,
    run_save_load_check,
    run_serialization_check,
    run_translation_export_check,
    run_translation_training_check,
    weights_of,
)

HIGH_RES = (28, 28, 1)


@pytest.fixture(scope="module")
def sr_pairs(fashion_mnist_sample):
    """`(low_res, high_res)`: 14x14 images made by 2x2 average pooling, and the 28x28 originals."""
    images, _ = fashion_mnist_sample
    return half_size(images), images


def srgan(**kwargs):
    """A tiny SRGAN x2 on 28x28 images, with the shipped Fashion-MNIST perceptual network."""
    arguments = dict(
        scale=2,
        image_shape=HIGH_RES,
        base_filters=8,
        num_residual_blocks=1,
        dense_units=16,
        warmup_steps=1,
        perceptual_network="fashion_mnist",
        seed=1,
    )
    return kerasgan.SRGAN(**{**arguments, **kwargs})


def psnr(images, targets):
    """Mean peak signal-to-noise ratio in dB of images in [-1, 1] (peak-to-peak 2)."""
    mse = np.mean((images - targets) ** 2, axis=(1, 2, 3))
    return float(np.mean(10.0 * np.log10(4.0 / mse)))


def test_trains_on_real_pairs_and_each_phase_touches_only_its_networks(sr_pairs):
    keras.utils.set_random_seed(0)
    low_res, high_res = sr_pairs
    model = srgan()
    history = run_translation_training_check(model, low_res[:64], high_res[:64])
    assert [phase.name for phase in model.training_phases()] == ["warm_up", "discriminator", "generator"]
    assert {"d_loss", "g_loss", "pixel", "perceptual"} <= set(history.history)
    assert history.history["perceptual"][0] > 0
    outputs = model.upscale(low_res[:3])
    assert outputs.shape == (3, *HIGH_RES)


@pytest.mark.jax
def test_warm_up_runs_exactly_before_warmup_steps_then_the_adversarial_phases(sr_pairs):
    low_res, high_res = sr_pairs
    model = srgan(warmup_steps=3)
    model.compile()
    batches = make_dataset(low_res, high_res, batch_size=8)
    critic = weights_of(model.discriminator)
    for step in range(5):
        logs = model.fit(batches.skip(step).take(1), epochs=1, verbose=0).history
        adversarial = step >= 3
        assert int(model.train_steps) == step + 1
        assert int(model.g_optimizer.iterations) == step + 1, "one generator update per step"
        assert int(model.d_optimizer.iterations) == max(0, step - 2), step
        # Only the warm-up's pixel term is logged before step 3; then all of them.
        assert logs["pixel"][0] > 0
        for term in ("d_loss", "g_loss", "perceptual"):
            assert (logs[term][0] != 0) == adversarial, (step, term, logs[term])
        if not adversarial:
            np.testing.assert_equal(weights_of(model.discriminator), critic)
    assert model.updates_before("discriminator", 5) == 2
    assert model.updates_before("generator", 5) == 5


def test_no_warm_up_when_warmup_steps_is_zero():
    model = srgan(warmup_steps=0)
    assert [phase.name for phase in model.phases()] == ["discriminator", "generator"]
    assert all(phase.runs_every_step for phase in model.phases())


def test_config_round_trip_is_exact():
    model = srgan(scale=4, warmup_steps=7, pixel_weight=0.5, adversarial_weight=0.01)
    config = model.get_config()
    assert config["image_shape"] == HIGH_RES and "target_shape" not in config
    clone = run_serialization_check(model)
    assert clone.low_res_shape == (7, 7, 1) and clone.scale == 4 and clone.warmup_steps == 7
    assert run_serialization_check(srgan(perceptual_weight=0.0)).perceptual_loss is None


def test_keras_file_round_trip_resumes_exactly(sr_pairs, tmp_path, monkeypatch):
    keras.utils.set_random_seed(0)
    model = srgan()
    path = str(tmp_path / "srgan.keras")
    # The file holds the feature network: loading it needs neither the
    # shipped classifier nor a download.
    from kerasgan.metrics import fashion_mnist_classifier

    real_save = model.save

    def save_then_hide_the_classifier(*args, **kwargs):
        real_save(*args, **kwargs)

        def unavailable(*_, **__):
            raise AssertionError("loading the .keras file rebuilt the feature network from its source")

        monkeypatch.setattr(fashion_mnist_classifier, "load_fashion_mnist_classifier", unavailable)

    model.save = save_then_hide_the_classifier
    low_res, high_res = sr_pairs
    loaded = run_save_load_check(model, path, low_res[:64], high_res[:64], batch_size=8)
    assert isinstance(loaded, kerasgan.SRGAN) and loaded.perceptual_loss is not None
    for a, b in zip(model.perceptual_loss.network.variables, loaded.perceptual_loss.network.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


# The export machinery is checked by default on Pix2Pix and inpainting (a fresh
# serving process each); the upscaler's runs with -m slow.
@pytest.mark.slow
def test_exported_upscaler_serves_low_res_images_without_kerasgan(sr_pairs, tmp_path):
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    low_res, high_res = sr_pairs
    model = srgan()
    run_translation_export_check(model, tmp_path, low_res[:32], high_res[:32])
    served = tf.saved_model.load(str(tmp_path / "export_a2b")).signatures["serving_default"]
    expects = r"serving_default expects images of shape \(batch, 14, 14, 1\); received shape\] \[2 28 28 1\]"
    with pytest.raises(tf.errors.InvalidArgumentError, match=expects):
        served(images=tf.constant(high_res[:2]))


def test_upscaler_exports_to_litert(sr_pairs, tmp_path):
    import tensorflow as tf

    from tests.export.test_formats import TOLERANCE

    low_res, _ = sr_pairs
    model = srgan()
    path = model.export_translator(str(tmp_path / "srgan.tflite"), format="litert")
    runner = tf.lite.Interpreter(model_path=path).get_signature_runner()
    served = runner(images=low_res[:3])["images"]
    assert served.shape == (3, *HIGH_RES)
    np.testing.assert_allclose(served, model.upscale(low_res[:3]), rtol=0, atol=TOLERANCE)


def test_a_short_warm_up_raises_the_psnr_of_held_out_images(sr_pairs):
    keras.utils.set_random_seed(0)
    low_res, high_res = sr_pairs
    model = srgan(warmup_steps=10**6)
    model.compile(g_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.9))
    held_out = slice(224, 256)
    before = psnr(model.upscale(low_res[held_out]), high_res[held_out])
    model.fit(low_res[:224], high_res[:224], batch_size=16, epochs=3, verbose=0, shuffle=False)
    after = psnr(model.upscale(low_res[held_out]), high_res[held_out])
    assert int(model.d_optimizer.iterations) == 0, "the warm-up trains the generator alone"
    # Measured: 7.4 dB at init, 14.0 dB after these 42 steps (nearest-neighbour upscaling of
    # the same images: 18.4 dB; a short run is not a trained model).
    assert after > before + 4.0, (before, after)


def test_the_perceptual_network_is_frozen_and_never_changes(sr_pairs):
    low_res, high_res = sr_pairs
    model = srgan(warmup_steps=0)
    model.compile()
    network = model.perceptual_loss.network
    assert network.trainable_variables == [] and len(network.variables) > 0
    trained = {id(v) for v in model.trainable_variables}
    assert not trained & {id(v) for v in network.variables}
    before = weights_of(network)
    history = model.fit(low_res[:32], high_res[:32], batch_size=8, epochs=1, verbose=0)
    assert history.history["perceptual"][0] > 0
    np.testing.assert_equal(weights_of(network), before)
    # No optimizer holds it: each has as many variables as in a model without the feature network.
    without = srgan(warmup_steps=0, perceptual_weight=0.0)
    without.compile()
    for slot in model.optimizer_slots():
        assert len(getattr(model, slot).variables) == len(getattr(without, slot).variables), slot


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match=r"scale=8.*divisible.*image_shape=\(28, 28, 1\).*\(24, 24, 1\)"):
        srgan(scale=8)
    with pytest.raises(ValueError, match="power of two.*scale=3"):
        srgan(scale=3)
    for bad in (-1, 2.5, True):
        with pytest.raises(ValueError, match="warmup_steps"):
            srgan(warmup_steps=bad)
    with pytest.raises(ValueError, match="pixel_weight"):
        srgan(pixel_weight=-1.0)
    with pytest.raises(ValueError, match="no target_shape"):
        srgan(target_shape=(14, 14, 1))
    with pytest.raises(ValueError, match="needs a perceptual_network"):
        srgan(perceptual_network=None)
    with pytest.raises(ValueError, match="perceptual_network must be"):
        srgan(perceptual_network=3)
    wrong = kerasgan.networks.build_srgan_generator((7, 7, 1), scale=2, base_filters=4, num_residual_blocks=1)
    with pytest.raises(ValueError, match=r"generator taking images of shape \(14, 14, 1\)"):
        srgan(generator=wrong)


def test_bad_training_pairs_are_clear_errors(sr_pairs):
    low_res, high_res = sr_pairs
    model = srgan()
    model.compile()
    with pytest.raises(ValueError, match=r"low-resolution images have shape \(batch, 14, 14, 1\).*\(8, 28"):
        model.fit(high_res[:16], high_res[:16], batch_size=8, verbose=0)
    with pytest.raises(ValueError, match="high-resolution images"):
        model.fit(low_res[:16], batch_size=8, verbose=0)
    with pytest.raises(ValueError, match=r"high-resolution images of shape \(batch, 28, 28, 1\)"):
        model.fit(low_res[:16], low_res[:16], batch_size=8, verbose=0)
    with pytest.raises(kerasgan.BadBatchError, match=r"in \[-1, 1\]"):
        model.fit(low_res[:16] * 255.0, high_res[:16], batch_size=8, verbose=0)
    assert int(model.train_steps) == 0


def test_upscale_refuses_bad_images(sr_pairs):
    low_res, high_res = sr_pairs
    model = srgan()
    with pytest.raises(ValueError, match=r"shape \(N, 14, 14, 1\)"):
        model.upscale(high_res[:2])
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        model.upscale(low_res[:2] * 255.0)
    with pytest.raises(ValueError, match="/ 127.5 - 1"):
        model.upscale((low_res[:2] * 127.5 + 127.5).astype("uint8"))
    with pytest.raises(ValueError, match="batch_size"):
        model.upscale(low_res[:2], batch_size=0)


def test_generator_upsamples_by_sub_pixel_convolution_to_tanh_range():
    for scale, low_side in ((2, 14), (4, 7), (8, 4)):
        generator = kerasgan.networks.build_srgan_generator(
            (low_side, low_side, 3), scale=scale, base_filters=4, num_residual_blocks=2
        )
        assert generator.output_shape == (None, low_side * scale, low_side * scale, 3)
        shuffles = [layer for layer in generator.layers if isinstance(layer, kerasgan.networks.PixelShuffle)]
        assert len(shuffles) == int(np.log2(scale))
        images = generator(
            np.random.default_rng(0).uniform(-1, 1, (2, low_side, low_side, 3)), training=False
        )
        assert np.abs(images.numpy()).max() <= 1.0


def test_pixel_shuffle_moves_each_channel_group_into_a_block():
    # One pixel, four channels [a, b, c, d] -> the 2x2 block [[a, b], [c, d]].
    values = np.arange(4, dtype="float32").reshape(1, 1, 1, 4)
    block = kerasgan.networks.PixelShuffle(2)(values)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(block)[0, ..., 0], [[0, 1], [2, 3]])
