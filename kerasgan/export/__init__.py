"""Exports a GAN's generator for serving without kerasgan: SavedModel and TFLite.

Example:
    >>> gan.export_generator("exported/dcgan")  # doctest: +SKIP
    >>> kerasgan.export.convert_generator_to_tflite(gan, "dcgan.tflite")  # doctest: +SKIP
"""

from kerasgan.export.generator_module import SAMPLE_BATCH_SIZE, build_generator_module
from kerasgan.export.latents import normal_latents, stateless_seed
from kerasgan.export.paths import check_free_output
from kerasgan.export.saved_model import export_generator, export_metadata, read_export_metadata
from kerasgan.export.tflite import convert_generator_to_tflite
from kerasgan.export.translator import build_translator_module, export_translator

__all__ = [
    "SAMPLE_BATCH_SIZE",
    "build_generator_module",
    "build_translator_module",
    "convert_generator_to_tflite",
    "export_generator",
    "export_metadata",
    "check_free_output",
    "export_translator",
    "normal_latents",
    "read_export_metadata",
    "stateless_seed",
]
