"""`export_translator`: an image-to-image generator as a TensorFlow SavedModel."""

import tensorflow as tf

from kerasgan.export.generator_module import remapper_off
from kerasgan.export.paths import check_free_output
from kerasgan.export.saved_model import describe_model, save_module_atomically


def build_translator_module(gan, direction=None):
    """Wraps a direction's generator in a `tf.Module` with `serving_default(images)`.

    As for latent generators, the network runs in a never-inlined function
    traced with Grappler's remapper off, so the served images equal
    `gan.translate(images, direction)` bit for bit on the same machine.

    Args:
        gan: a `kerasgan.models.ImageToImageGAN`.
        direction: None for the first direction.

    Returns:
        A `tf.Module` with `serving_default` and `generator_variables`.

    Example:
        >>> module = build_translator_module(pix2pix)  # doctest: +SKIP
    """
    direction, network = gan.translator(direction)
    input_shape, _ = gan.direction_shapes(direction)

    @tf.function(autograph=False, experimental_attributes={"_noinline": True})
    def run_network(images):
        return tf.cast(network(images, training=False), tf.float32)

    def serving_default(images):
        return {"images": run_network(images)}

    module = tf.Module(name="translator_module")
    with remapper_off():
        module.serving_default = tf.function(
            serving_default,
            input_signature=[tf.TensorSpec((None, *input_shape), tf.float32, name="images")],
            autograph=False,
        ).get_concrete_function()
    module.generator_variables = list(module.serving_default.variables)
    return module


def export_translator(gan, path, direction=None):
    """Writes an image-to-image generator as a SavedModel that serves without kerasgan.

    Signature `serving_default(images float32 (batch, H, W, C) in [-1, 1])`
    → `{"images": float32 (batch, H', W', C') in [-1, 1]}`.

    Args:
        gan: a `kerasgan.models.ImageToImageGAN` (`Pix2Pix`, `CycleGAN`).
        path: the folder to create; it must not exist or be empty.
        direction: e.g. `"a2b"`; None for the first direction.

    Returns:
        `path` as a string.

    Example:
        >>> export_translator(cyclegan, "exported/b2a", direction="b2a")  # doctest: +SKIP
    """
    path = check_free_output(path, "SavedModel", folder=True)
    direction, network = gan.translator(direction)
    input_shape, output_shape = gan.direction_shapes(direction)
    metadata = {
        **describe_model(gan, network),
        "direction": direction,
        "input_shape": list(input_shape),
        "image_shape": list(output_shape),
        "signatures": {
            "serving_default": "images float32 (batch, H, W, C) in [-1, 1] -> images "
            f"float32 (batch, H', W', C'), equal to {type(gan).__name__}.translate(images, "
            f"direction={direction!r})",
        },
    }
    module = build_translator_module(gan, direction)
    return save_module_atomically(module, path, {"serving_default": module.serving_default}, metadata)
