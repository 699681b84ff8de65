"""The TFLite generator matches the Keras generator on the same latents."""

import numpy as np
import pytest
import tensorflow as tf

from kerasgan.export import convert_generator_to_tflite
from tests.export.test_saved_model import LATENT_DIM, SHAPE, tiny_gan
from tests.gan_test_case import make_dataset

# TFLite (XNNPACK) kernels sum in another order than TensorFlow's, so outputs
# differ by float32 rounding: at most 6e-7 measured on these networks (the
# MLP's 1024-wide sums; 3e-8 for the small DCGANs; outputs in [-1, 1],
# float32 eps 1.2e-7). 1e-5 leaves a wide margin and is still 800x finer than
# one 8-bit intensity step (2 / 255).
TOLERANCE = 1e-5


def trained(gan, images, labels=None):
    gan.compile()
    gan.fit(make_dataset(images, labels).take(2), epochs=1, verbose=0, shuffle=False)
    return gan


def latents_and_labels(gan, n):
    latents = np.random.default_rng(n).normal(size=(n, LATENT_DIM)).astype("float32")
    labels = None if gan.num_classes is None else np.arange(n, dtype="int32") % gan.num_classes
    return latents, labels


def keras_images(gan, latents, labels):
    inputs = latents if labels is None else [latents, labels]
    return gan.generator(inputs, training=False).numpy()


@pytest.mark.parametrize("variant", ["gan", "conditional_gan"])
def test_signature_runner_matches_generator_at_any_batch(variant, fashion_mnist_sample, tmp_path):
    images, labels = fashion_mnist_sample
    gan = trained(tiny_gan(variant), images, labels if variant == "conditional_gan" else None)
    path = convert_generator_to_tflite(gan, tmp_path / "generator.tflite")
    runner = tf.lite.Interpreter(model_path=path).get_signature_runner("serving_default")
    for n in (1, 7):
        latents, class_ids = latents_and_labels(gan, n)
        inputs = {"latents": latents}
        if class_ids is not None:
            inputs["labels"] = class_ids
        out = runner(**inputs)["images"]
        assert out.shape == (n,) + SHAPE and out.dtype == np.float32
        expected = keras_images(gan, latents, class_ids)
        np.testing.assert_allclose(out, expected, rtol=0, atol=TOLERANCE)


def test_dynamic_batch_with_the_plain_interpreter_api(fashion_mnist_sample, tmp_path):
    images, _ = fashion_mnist_sample
    gan = trained(tiny_gan("dcgan"), images)
    interpreter = tf.lite.Interpreter(
        model_path=convert_generator_to_tflite(gan, tmp_path / "generator.tflite")
    )
    (latent_input,) = interpreter.get_input_details()
    assert list(latent_input["shape_signature"]) == [-1, LATENT_DIM]
    latents, _ = latents_and_labels(gan, 5)
    interpreter.resize_tensor_input(latent_input["index"], [5, LATENT_DIM])
    interpreter.allocate_tensors()
    interpreter.set_tensor(latent_input["index"], latents)
    interpreter.invoke()
    out = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
    np.testing.assert_allclose(out, keras_images(gan, latents, None), rtol=0, atol=TOLERANCE)


def test_fixed_batch_size(tmp_path):
    gan = tiny_gan("gan")
    path = convert_generator_to_tflite(gan, tmp_path / "fixed.tflite", batch_size=4)
    (latent_input,) = tf.lite.Interpreter(model_path=path).get_input_details()
    assert list(latent_input["shape"]) == list(latent_input["shape_signature"]) == [4, LATENT_DIM]


def test_ema_generator_is_converted(fashion_mnist_sample, tmp_path):
    images, _ = fashion_mnist_sample
    gan = trained(tiny_gan("gan", ema_decay=0.5), images)
    runner = tf.lite.Interpreter(
        model_path=convert_generator_to_tflite(gan, tmp_path / "ema.tflite")
    ).get_signature_runner()
    latents, _ = latents_and_labels(gan, 3)
    expected = gan.ema_generator(latents, training=False).numpy()
    np.testing.assert_allclose(runner(latents=latents)["images"], expected, rtol=0, atol=TOLERANCE)
    assert np.abs(expected - keras_images(gan, latents, None)).max() > 100 * TOLERANCE


def test_bad_arguments_are_reported(tmp_path):
    gan = tiny_gan("gan")
    existing = tmp_path / "old.tflite"
    existing.write_bytes(b"keep")
    with pytest.raises(ValueError, match="already exists"):
        convert_generator_to_tflite(gan, existing)
    assert existing.read_bytes() == b"keep"
    with pytest.raises(ValueError, match="batch_size must be a positive integer; received 0"):
        convert_generator_to_tflite(gan, tmp_path / "new.tflite", batch_size=0)
