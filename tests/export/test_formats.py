"""LiteRT and ONNX exports match the Keras generator on the same latents."""

import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

import kerasgan
from kerasgan.export import export_generator, export_translator
from tests.export.test_saved_model import LATENT_DIM, SHAPE, tiny_gan
from tests.gan_test_case import make_dataset
from tests.optional import require

# LiteRT (XNNPACK) and ONNX Runtime kernels sum in another order than
# TensorFlow's, so outputs differ by float32 rounding: at most 6e-7 measured on
# these networks (the MLP's 1024-wide sums; 3e-8 for the small DCGANs; outputs
# in [-1, 1], float32 eps 1.2e-7). 1e-5 leaves a wide margin and is still 800x
# finer than one 8-bit intensity step (2 / 255).
TOLERANCE = 1e-5


def trained(gan, images, labels=None):
    gan.compile()
    gan.fit(make_dataset(images, labels).take(2), epochs=1, verbose=0, shuffle=False)
    return gan


def latents_and_labels(gan, n):
    latents = np.random.default_rng(n).normal(size=(n, LATENT_DIM)).astype("float32")
    labels = None if gan.num_classes is None else np.arange(n, dtype="int32") % gan.num_classes
    return latents, labels


def generated(generator, latents, labels):
    inputs = latents if labels is None else [latents, labels]
    return generator(inputs, training=False).numpy()


def feed(latents, labels):
    return {"latents": latents} if labels is None else {"latents": latents, "labels": labels}


def test_litert_matches_the_ema_generator_at_any_batch(fashion_mnist_sample, tmp_path):
    images, labels = fashion_mnist_sample
    # Seeded: how far the EMA copy is from the generator after two steps depends
    # on the weights, which must not depend on the tests that ran before.
    keras.utils.set_random_seed(0)
    gan = trained(tiny_gan("conditional_gan", ema_decay=0.5, ema_warmup=False), images, labels)
    path = gan.export_generator(tmp_path / "generator.tflite", format="litert")
    runner = tf.lite.Interpreter(model_path=path).get_signature_runner("serving_default")
    for n in (1, 7):
        latents, class_ids = latents_and_labels(gan, n)
        out = runner(**feed(latents, class_ids))["images"]
        assert out.shape == (n,) + SHAPE and out.dtype == np.float32
        expected = generated(gan.ema_generator, latents, class_ids)
        np.testing.assert_allclose(out, expected, rtol=0, atol=TOLERANCE)
    assert np.abs(out - generated(gan.generator, latents, class_ids)).max() > 100 * TOLERANCE

    # The plain interpreter API: a dynamic batch, resized before allocating.
    interpreter = tf.lite.Interpreter(model_path=path)
    inputs = {("labels" if "labels" in d["name"] else "latents"): d for d in interpreter.get_input_details()}
    assert list(inputs["latents"]["shape_signature"]) == [-1, LATENT_DIM]
    for name, value in feed(latents, class_ids).items():
        interpreter.resize_tensor_input(inputs[name]["index"], value.shape)
    interpreter.allocate_tensors()
    for name, value in feed(latents, class_ids).items():
        interpreter.set_tensor(inputs[name]["index"], value)
    interpreter.invoke()
    np.testing.assert_array_equal(interpreter.get_tensor(interpreter.get_output_details()[0]["index"]), out)


def test_litert_fixed_batch_size_and_any_file_name(tmp_path):
    gan = tiny_gan("gan")
    path = export_generator(gan, tmp_path / "fixed.lite", format="litert", batch_size=4)
    (latent_input,) = tf.lite.Interpreter(model_path=path).get_input_details()
    assert list(latent_input["shape"]) == list(latent_input["shape_signature"]) == [4, LATENT_DIM]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixed.lite"]  # no temporaries


def test_onnx_matches_generator_at_any_batch(tmp_path):
    require("tf2onnx", "onnx")
    onnxruntime = require("onnxruntime", "onnx")
    gan = tiny_gan("conditional_gan")
    path = gan.export_generator(tmp_path / "generator.onnx", format="onnx")
    session = onnxruntime.InferenceSession(path)
    assert [i.name for i in session.get_inputs()] == ["latents", "labels"]
    for n in (1, 6):
        latents, class_ids = latents_and_labels(gan, n)
        (out,) = session.run(["images"], feed(latents, class_ids))
        np.testing.assert_allclose(out, generated(gan.generator, latents, class_ids), rtol=0, atol=TOLERANCE)
    with pytest.raises(Exception, match="Expected: 8"):  # ONNX Runtime checks the latent size
        session.run(["images"], feed(np.zeros((2, 64), "float32"), class_ids[:2]))


def test_translator_checks_the_image_shape_and_exports_to_litert(tmp_path):
    pix2pix = kerasgan.Pix2Pix(image_shape=SHAPE, base_filters=4, seed=1)
    saved_model = tf.saved_model.load(pix2pix.export_translator(tmp_path / "pix2pix"))
    expects = r"serving_default expects images of shape \(batch, 28, 28, 1\); received shape\] \[2 32 32 3\]"
    with pytest.raises(tf.errors.InvalidArgumentError, match=expects):
        saved_model.signatures["serving_default"](images=tf.zeros((2, 32, 32, 3)))
    images = np.random.default_rng(0).uniform(-1, 1, (3,) + SHAPE).astype("float32")
    path = export_translator(pix2pix, tmp_path / "pix2pix.tflite", format="litert")
    runner = tf.lite.Interpreter(model_path=path).get_signature_runner()
    served = runner(images=images)["images"]
    np.testing.assert_allclose(served, pix2pix.translate(images), rtol=0, atol=TOLERANCE)


def test_bad_arguments_are_reported(tmp_path, monkeypatch):
    gan = tiny_gan("gan")
    existing = tmp_path / "old.tflite"
    existing.write_bytes(b"keep")
    with pytest.raises(ValueError, match="already exists"):
        export_generator(gan, existing, format="litert")
    assert existing.read_bytes() == b"keep"
    with pytest.raises(ValueError, match="batch_size must be a positive integer; received batch_size=0"):
        export_generator(gan, tmp_path / "new.tflite", format="litert", batch_size=0)
    with pytest.raises(ValueError, match=r"format must be one of \['litert', 'onnx', 'tf_saved_model'\]"):
        export_generator(gan, tmp_path / "new.tflite", format="tflite")
    monkeypatch.setitem(sys.modules, "tf2onnx", None)  # as if not installed
    with pytest.raises(ImportError, match="pip install tf2onnx onnx"):
        export_generator(gan, tmp_path / "new.onnx", format="onnx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.tflite"]
