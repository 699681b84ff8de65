"""`export_translator`: an image-to-image generator as a SavedModel, LiteRT or ONNX file."""

import tensorflow as tf

from kerasgan.export import archive


def export_translator(gan, path, direction=None, format="tf_saved_model"):
    """Writes an image-to-image generator in a format that serves without kerasgan.

    Endpoint `serving_default(images float32 (batch, H, W, C) in [-1, 1])`
    → `{"images": float32 (batch, H', W', C') in [-1, 1]}`; a task that
    takes more than images (`ImageToImageGAN.translation_inputs`, e.g.
    `masks`) has one input per name, and the endpoint runs the task's
    `translate_batch`. In a SavedModel
    (default; written with `keras.export.ExportArchive`) it equals
    `gan.translate(images, direction)` bit for bit on the same machine and
    checks the input shape in the graph, naming the shape it expects.
    `format="litert"` (`.tflite`) and `format="onnx"` (needs tf2onnx and
    onnx) go through Keras's `Model.export` and compute the task's
    `unchecked_translation` (the same arithmetic, without the input
    checks those formats cannot hold); outputs match to float rounding.

    Args:
        gan: a `kerasgan.models.ImageToImageGAN` (`Pix2Pix`, `CycleGAN`).
        path: the folder (SavedModel) or file to create; it must not exist,
            a SavedModel folder may exist empty.
        direction: e.g. `"a2b"`; None for the first direction.
        format: `"tf_saved_model"` (default), `"litert"` or `"onnx"`.

    Returns:
        `path` as a string.

    Raises:
        ValueError: `path` is taken, or `format` is invalid.
        ImportError: `format="onnx"` without tf2onnx and onnx installed.

    Example:
        >>> export_translator(cyclegan, "exported/b2a", direction="b2a")  # doctest: +SKIP
    """
    path = archive.start_export(path, format)
    direction, network = gan.translator(direction)
    input_shape, output_shape = gan.direction_shapes(direction)
    shapes = gan.translation_inputs(direction)
    specs = {name: tf.TensorSpec((None, *shape), tf.float32, name=name) for name, shape in shapes.items()}
    if format != "tf_saved_model":
        from kerasgan.models import ImageToImageGAN

        overridden = type(gan).unchecked_translation is not ImageToImageGAN.unchecked_translation
        translation = gan.unchecked_translation if overridden else None
        return archive.write_keras_format(path, network, list(specs.values()), format, translation)
    run_network = archive.exact_inference(network)

    def serving_default(*inputs):
        inputs = {
            name: archive.checked(value, name, specs[name].shape, "serving_default")
            for name, value in zip(specs, inputs)
        }
        return {"images": gan.translate_batch(run_network, inputs)}

    metadata = {
        **archive.describe_model(gan, network),
        "direction": direction,
        "input_shape": list(input_shape),
        "image_shape": list(output_shape),
        "signatures": {
            "serving_default": f"{', '.join(specs)} float32 (batch, H, W, C) in [-1, 1] -> images "
            f"float32 (batch, H', W', C'), equal to {type(gan).__name__}.translate(inputs, "
            f"direction={direction!r})",
        },
    }
    any_shape = [tf.TensorSpec(None, tf.float32, name=name) for name in specs]
    endpoints = {"serving_default": (serving_default, any_shape)}
    return archive.write_saved_model(path, network, endpoints, metadata)
