"""Exports a GAN's generator for serving without kerasgan: SavedModel, LiteRT, ONNX.

Example:
    >>> gan.export_generator("exported/dcgan")  # doctest: +SKIP
    >>> kerasgan.export.export_generator(gan, "dcgan.tflite", format="litert")  # doctest: +SKIP
"""

try:
    import tensorflow  # noqa: F401
except ImportError as error:
    raise ImportError(
        "kerasgan.export writes TensorFlow formats (SavedModel, LiteRT, ONNX through tf2onnx) and "
        f"needs TensorFlow ({error}). Install it (pip install tensorflow), save the model "
        "(model.save('model.keras')) and export it from a process with KERAS_BACKEND=tensorflow."
    ) from error

from kerasgan.export.archive import check_free_output, read_export_metadata, start_export
from kerasgan.export.generator import SAMPLE_BATCH_SIZE, export_generator
from kerasgan.export.latents import normal_latents, stateless_seed
from kerasgan.export.translator import export_translator

__all__ = [
    "SAMPLE_BATCH_SIZE",
    "check_free_output",
    "export_generator",
    "export_translator",
    "normal_latents",
    "read_export_metadata",
    "start_export",
    "stateless_seed",
]
