"""On JAX, exporting says to export from a TensorFlow process instead of failing deep in TensorFlow."""

import keras
import pytest

import kerasgan
from tests.backend.agreement import TINY

pytestmark = [
    pytest.mark.jax,
    pytest.mark.skipif(
        keras.backend.backend() != "jax",
        reason="runs on JAX: python3 -m pytest tests/backend --backend=jax",
    ),
]


@pytest.mark.parametrize("format", ["tf_saved_model", "litert"])
def test_export_on_jax_says_how_to_export(format, tmp_path):
    gan = kerasgan.DCGAN(**TINY)
    target = tmp_path / ("generator" if format == "tf_saved_model" else "generator.tflite")
    with pytest.raises(RuntimeError, match=r"runs Keras on 'jax'.*KERAS_BACKEND=tensorflow.*load_model"):
        gan.export_generator(target, format=format)
    assert not target.exists()
