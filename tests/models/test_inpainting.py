"""InpaintingGAN on real Fashion-MNIST: training, known pixels, round trips, bad masks, export, PSNR."""

import keras
import numpy as np
import pytest

import kerasgan
from kerasgan.models import RectangleMask, StrokeMask
from tests.gan_test_case import (
    make_dataset,
    run_fit_check,
    run_phase_isolation_check,
    run_serialization_check,
    serve_in_fresh_process,
)

SHAPE = (28, 28, 1)
MASKS = {
    "centre": "centre",
    "rectangles": RectangleMask(max_rectangles=2, min_size=4, max_size=12),
    "strokes": StrokeMask(max_strokes=2),
}


def inpainting(**kwargs):
    return kerasgan.InpaintingGAN(image_shape=SHAPE, base_filters=4, seed=1, **kwargs)


@pytest.fixture(scope="module")
def images(fashion_mnist_sample):
    return fashion_mnist_sample[0]


def masks_of(kind, count, seed=0):
    sampler = kerasgan.models.masks.get_mask_sampler(MASKS[kind])
    return keras.ops.convert_to_numpy(sampler(count, SHAPE[:2], seed=seed))


def centre_masks(count):
    masks = np.zeros((count, *SHAPE), "float32")
    masks[:, 7:21, 7:21] = 1.0
    return masks


@pytest.mark.parametrize("kind", ["centre", "rectangles"])
def test_trains_on_plain_images_each_phase_touching_only_its_networks(kind, fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    model = inpainting(mask=MASKS[kind])
    model.compile()
    run_phase_isolation_check(model, images[:8])
    state = keras.ops.convert_to_numpy(model.seed_generator.state)
    # Labels are ignored: (images, labels) batches train as plain images do.
    history = run_fit_check(model, make_dataset(images[:64], labels[:64], batch_size=8), steps=2)
    assert set(history.history) == {"d_loss", "g_loss", "reconstruction"}
    moved = not np.array_equal(state, keras.ops.convert_to_numpy(model.seed_generator.state))
    assert moved == (kind != "centre"), "random masks are drawn from the model's seed generator"
    completed = model.inpaint(images[:3], centre_masks(3))
    assert completed.shape == (3, *SHAPE) and completed.dtype == np.float32
    assert completed.min() >= -1.0 and completed.max() <= 1.0


@pytest.mark.parametrize("kind", sorted(MASKS))
def test_inpaint_never_changes_a_known_pixel(kind, images):
    model = inpainting()
    masks = masks_of(kind, 6, seed=3)
    completed = model.inpaint(images[:6], masks, batch_size=4)
    known, missing = masks == 0, masks == 1
    assert known.any() and missing.any()
    assert np.array_equal(completed[known], images[:6][known])
    generated = model.generator(model.generator_inputs(images[:6], masks), training=False)
    np.testing.assert_allclose(completed[missing], keras.ops.convert_to_numpy(generated)[missing], atol=1e-6)
    assert not np.array_equal(completed[missing], images[:6][missing])
    # The same through translate with the dict of named inputs.
    np.testing.assert_array_equal(model.translate({"images": images[:6], "masks": masks}), completed)


def test_what_the_generator_sees_is_the_image_with_its_hole_and_the_mask(images):
    model = inpainting(fill_value=0.5)
    masks = centre_masks(2)
    inputs = keras.ops.convert_to_numpy(model.generator_inputs(images[:2], masks))
    assert inputs.shape == (2, 28, 28, 2)
    np.testing.assert_array_equal(inputs[..., 1:], masks)
    np.testing.assert_array_equal(inputs[..., :1][masks == 1], 0.5)
    np.testing.assert_array_equal(inputs[..., :1][masks == 0], images[:2][masks == 0])


@pytest.mark.parametrize("reconstruction", ["l2", "l1"])
def test_the_reconstruction_term_is_the_mean_error_inside_the_hole(reconstruction, images):
    model = inpainting(reconstruction=reconstruction)
    generated = np.random.default_rng(0).uniform(-1, 1, (4, *SHAPE)).astype("float32")
    masks = masks_of("rectangles", 4)
    error = (images[:4] - generated) ** 2 if reconstruction == "l2" else np.abs(images[:4] - generated)
    expected = error[masks == 1].mean()
    value = float(model.hole_error(images[:4], generated, masks))
    assert value == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize(
    "mask", ["centre", "strokes", MASKS["rectangles"]], ids=["name", "strokes", "object"]
)
def test_config_round_trip(mask):
    clone = run_serialization_check(inpainting(mask=mask, hole_size=None, reconstruction="l1"))
    assert type(clone.mask_sampler) is type(inpainting(mask=mask).mask_sampler)
    assert clone.mask_sampler.get_config() == inpainting(mask=mask).mask_sampler.get_config()


def test_keras_file_round_trip_resumes_exactly(images, tmp_path):
    keras.utils.set_random_seed(0)
    model = inpainting(mask=MASKS["rectangles"], hole_size=None)
    model.compile()
    dataset = make_dataset(images[:64], batch_size=8)
    model.fit(dataset.take(2), epochs=1, verbose=0)
    model.save(tmp_path / "inpainting.keras")
    loaded = keras.saving.load_model(tmp_path / "inpainting.keras")
    assert type(loaded) is kerasgan.InpaintingGAN and loaded.completed_steps() == 2
    masks = centre_masks(6)
    np.testing.assert_array_equal(loaded.inpaint(images[:6], masks), model.inpaint(images[:6], masks))
    for slot in model.optimizer_slots():
        assert int(getattr(loaded, slot).iterations) == int(getattr(model, slot).iterations) == 2
    step = dataset.skip(2).take(1)
    model.fit(step, epochs=1, verbose=0)
    loaded.fit(step, epochs=1, verbose=0)
    # The seed generator came back too: the next step draws the same masks.
    assert len(model.variables) == len(loaded.variables)
    for a, b in zip(model.variables, loaded.variables):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


def test_bad_masks_get_clear_errors(images):
    model = inpainting()
    x, masks = images[:4], centre_masks(4)
    with pytest.raises(
        ValueError, match=r"takes a dict with the keys \['images', 'masks'\]; received one array"
    ):
        model.translate(x)
    with pytest.raises(ValueError, match=r"masks of shape \(N, 28, 28, 1\).*received shape \(4, 28, 28\)"):
        model.inpaint(x, masks[..., 0])
    with pytest.raises(ValueError, match=r"received shape \(4, 28, 28, 3\)"):
        model.inpaint(x, np.repeat(masks, 3, axis=-1))
    with pytest.raises(
        ValueError, match=r"exactly 0 \(known pixel\) and 1 \(missing pixel\); received 784 other"
    ):
        model.inpaint(x, masks * 0.5)
    with pytest.raises(ValueError, match="received 784 other values, e.g. \\[nan\\]"):
        model.inpaint(x[:1], np.full((1, *SHAPE), np.nan, "float32"))
    with pytest.raises(ValueError, match="one mask per image; received 3 masks for 4 images"):
        model.inpaint(x, masks[:3])
    with pytest.raises(ValueError, match=r"missing \['masks'\], unknown \['mask'\]"):
        model.translate({"images": x, "mask": masks})
    with pytest.raises(ValueError, match=r"shape \(N, 28, 28, 1\) in \[-1, 1\]"):
        model.inpaint(x[:, :14], masks)


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="mask must be 'centre', 'rectangles', 'strokes'"):
        inpainting(mask="circle")
    with pytest.raises(ValueError, match=r"hole_size \(30, 30\) does not fit"):
        inpainting(hole_size=30)
    with pytest.raises(ValueError, match="reconstruction must be one of"):
        inpainting(reconstruction="l3")
    with pytest.raises(ValueError, match="reconstruction_weight must be a non-negative number"):
        inpainting(reconstruction_weight=-1.0)
    with pytest.raises(ValueError, match=r"fill_value must be a number in \[-1, 1\]; received fill_value=2"):
        inpainting(fill_value=2)
    with pytest.raises(ValueError, match="Leave target_shape=None"):
        inpainting(target_shape=(28, 28, 3))
    wrong = kerasgan.networks.build_unet_generator(SHAPE, base_filters=4)
    with pytest.raises(ValueError, match=r"takes the image with its mask as one more channel, \(28, 28, 2\)"):
        inpainting(generator=wrong)


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="SavedModel export needs TensorFlow")
def test_the_export_serves_inpaint_without_kerasgan_and_checks_its_masks(images, tmp_path):
    import tensorflow as tf

    model = inpainting(mask="strokes")
    model.compile()
    model.fit(make_dataset(images[:16], batch_size=8), epochs=1, verbose=0)
    path = model.export_translator(str(tmp_path / "inpainting"))
    x = images[:5]
    masks = np.concatenate([masks_of("strokes", 3), centre_masks(2)])
    served = serve_in_fresh_process(
        path, {"out": ("serving_default", {"images": x, "masks": masks})}, tmp_path
    )
    np.testing.assert_array_equal(served["out"], model.inpaint(x, masks))
    assert np.array_equal(served["out"][masks == 0], x[masks == 0])
    serving = tf.saved_model.load(path).signatures["serving_default"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="values between them"):
        serving(images=tf.constant(x), masks=tf.constant(masks * 0.5))
    with pytest.raises(tf.errors.InvalidArgumentError, match="one mask per image"):
        serving(images=tf.constant(x), masks=tf.constant(masks[:1]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"expects masks of shape \(batch, 28, 28, 1\)"):
        serving(images=tf.constant(x), masks=tf.constant(np.repeat(masks, 2, axis=-1)))


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="exports need TensorFlow")
def test_the_litert_file_completes_images_and_keeps_their_known_pixels(images, tmp_path):
    import tensorflow as tf

    model = inpainting(mask="rectangles")
    masks = masks_of("rectangles", 3, seed=5)
    path = model.export_translator(str(tmp_path / "inpainting.tflite"), format="litert")
    runner = tf.lite.Interpreter(model_path=path).get_signature_runner()
    served = runner(images=images[:3], masks=masks)["images"]
    expected = model.inpaint(images[:3], masks)
    np.testing.assert_allclose(served, expected, rtol=0, atol=1e-5)  # LiteRT sums in its own order
    np.testing.assert_array_equal(served[masks == 0], images[:3][masks == 0])


def hole_psnr(completed, images, masks):
    """PSNR in dB inside the holes of images in `[-1, 1]` (peak-to-peak 2)."""
    error = np.mean((completed[masks == 1] - images[masks == 1]) ** 2)
    return 10.0 * np.log10(4.0 / error)


@pytest.mark.slow  # about 20 s on two shared CPU cores
def test_a_short_run_improves_the_psnr_inside_the_hole_on_held_out_images(images):
    keras.utils.set_random_seed(0)
    train, held_out = images[:192], images[192:]
    masks = centre_masks(len(held_out))
    model = inpainting()
    start = hole_psnr(model.inpaint(held_out, masks), held_out, masks)
    model.compile(g_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5))
    model.fit(make_dataset(train, batch_size=8), epochs=2, verbose=0)
    trained = hole_psnr(model.inpaint(held_out, masks), held_out, masks)
    # A baseline that knows the data: each missing pixel filled with its mean over the training images.
    mean_image = hole_psnr(np.where(masks == 1, train.mean(axis=0), held_out), held_out, masks)
    # Measured: 9.9 dB at the start, 12.2 dB after 48 steps; the mean image gives 10.2 dB.
    assert trained > start + 1.5 and trained > mean_image + 1.0, (start, trained, mean_image)
