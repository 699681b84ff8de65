"""A generator trained under mixed precision exports files that run in their standard runtimes.

Whatever the host (the `auto` precision picks `mixed_bfloat16` on CPUs with
bfloat16 units), each policy is forced here, so every host tests both
low-precision paths: the SavedModel takes and returns float32 and equals
`generate` bit for bit; the LiteRT file computes in float32 (no Flex op,
which the standard interpreter refuses) and equals the generator run in
float32 to float rounding.
"""

import numpy as np
import pytest
import tensorflow as tf

from kerasgan.export import export_generator, export_translator
from kerasgan.export.float32 import computes_in_float32, float32_copy
from kerasgan.utils.precision import dtype_policy_scope
from tests.export.test_formats import TOLERANCE, latents_and_labels, trained
from tests.export.test_saved_model import LATENT_DIM, tiny_gan
from tests.optional import require

# Largest difference allowed between the low-precision generator and its
# float32 copy, outputs in [-1, 1]; measured on this two-step conditional
# DCGAN: 8.7e-4 (bfloat16, 8 mantissa bits) and 1.2e-4 (float16, 11 bits).
ROUNDING = {"mixed_bfloat16": 1e-2, "mixed_float16": 2e-3}


@pytest.fixture(scope="module", params=sorted(ROUNDING))
def trained_in(request, fashion_mnist_sample):
    """`(policy, conditional DCGAN trained two steps under that policy)`."""
    images, labels = fashion_mnist_sample
    with dtype_policy_scope(request.param):
        gan = trained(tiny_gan("conditional_gan"), images[:64], labels[:64])
    assert not computes_in_float32(gan.generator)
    return request.param, gan


def test_litert_file_runs_in_the_standard_interpreter(trained_in, tmp_path):
    policy, gan = trained_in
    path = export_generator(gan, tmp_path / "generator.tflite", format="litert")
    runner = tf.lite.Interpreter(model_path=path).get_signature_runner()
    latents, labels = latents_and_labels(gan, 5)
    out = runner(latents=latents, labels=labels)["images"]
    assert out.dtype == np.float32 and out.shape == (5, 28, 28, 1)
    in_float32 = float32_copy(gan.generator)([latents, labels], training=False).numpy()
    np.testing.assert_allclose(out, in_float32, rtol=0, atol=TOLERANCE)
    low_precision = gan.generator([latents, labels], training=False).numpy().astype("float32")
    np.testing.assert_allclose(out, low_precision, rtol=0, atol=ROUNDING[policy])


def test_saved_model_takes_and_returns_float32_and_equals_generate(trained_in, tmp_path):
    _, gan = trained_in
    served = tf.saved_model.load(export_generator(gan, tmp_path / "saved_model")).signatures
    for signature in served.values():
        inputs = signature.structured_input_signature[1].values()
        assert {spec.dtype for spec in inputs} <= {tf.float32, tf.int32, tf.int64}
        assert {spec.dtype for spec in signature.structured_outputs.values()} == {tf.float32}
    labels = tf.constant([0, 3, 9], tf.int32)
    sampled = served["sample"](n=tf.constant(3), seed=tf.constant(4, tf.int64), labels=labels)["images"]
    np.testing.assert_array_equal(sampled, gan.generate(3, seed=4, labels=labels.numpy()))


def test_translator_trained_in_bfloat16_exports_a_runnable_litert_file(tmp_path):
    import kerasgan

    with dtype_policy_scope("mixed_bfloat16"):
        pix2pix = kerasgan.Pix2Pix(image_shape=(16, 16, 1), base_filters=4, seed=1)
    images = np.random.default_rng(0).uniform(-1, 1, (2, 16, 16, 1)).astype("float32")
    path = export_translator(pix2pix, tmp_path / "pix2pix.tflite", format="litert")
    served = tf.lite.Interpreter(model_path=path).get_signature_runner()(images=images)["images"]
    expected = float32_copy(pix2pix.generator)(images, training=False).numpy()
    np.testing.assert_allclose(served, expected, rtol=0, atol=TOLERANCE)


def test_float32_copy_keeps_the_weights_and_leaves_float32_networks_alone():
    gan = tiny_gan("gan")
    assert float32_copy(gan.generator) is gan.generator
    with dtype_policy_scope("mixed_bfloat16"):
        low = tiny_gan("dcgan")
    copy = float32_copy(low.generator)
    assert computes_in_float32(copy) and copy is not low.generator
    for kept, original in zip(copy.weights, low.generator.weights):
        np.testing.assert_array_equal(kept.numpy(), original.numpy())
    latents = np.random.default_rng(1).normal(size=(2, LATENT_DIM)).astype("float32")
    assert copy(latents).dtype == "float32"


def test_onnx_file_of_a_bfloat16_generator_runs(trained_in, tmp_path):
    pytest.importorskip(
        "tf2onnx", reason="optional package tf2onnx is not installed: pip install 'kerasgan[onnx]'"
    )
    onnxruntime = require("onnxruntime", "onnx")
    _, gan = trained_in
    path = export_generator(gan, tmp_path / "generator.onnx", format="onnx")
    latents, labels = latents_and_labels(gan, 3)
    (out,) = onnxruntime.InferenceSession(path).run(["images"], {"latents": latents, "labels": labels})
    expected = float32_copy(gan.generator)([latents, labels], training=False).numpy()
    np.testing.assert_allclose(out, expected, rtol=0, atol=TOLERANCE)
