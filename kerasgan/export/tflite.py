"""`convert_generator_to_tflite`: a GAN's generator as a TensorFlow Lite model.

Only `serving_default` is converted (latents, and labels for conditional
models, to images): TFLite has no stateless random ops among its builtins,
so draw the latents on the device, e.g. with NumPy.
"""

import tensorflow as tf

from kerasgan.export.generator_module import build_generator_module
from kerasgan.export.paths import check_free_output
from kerasgan.networks.validation import validate_positive_int
from kerasgan.utils.files import write_atomically


def convert_generator_to_tflite(gan, path, use_ema=True, batch_size=None):
    """Writes the generator as a `.tflite` file with one `serving_default` signature.

    Inputs: `latents` float32 `(batch, latent_dim)` and, for conditional
    models, `labels` int32 `(batch,)`. Output: `images` float32
    `(batch, H, W, C)` in `[-1, 1]`. Weights are stored as float32 constants
    (no quantization), so outputs match the generator to float rounding
    (about 1e-6; kernels and summation order differ from TensorFlow's).

    Batch size: with `batch_size=None` (default) the batch dimension is
    dynamic (shape signature `[-1, latent_dim]`). The signature runner
    (`interpreter.get_signature_runner()(latents=z)`) resizes the inputs
    itself; with the plain interpreter API call
    `interpreter.resize_tensor_input(index, [n, latent_dim])` and
    `allocate_tensors()` before `set_tensor`, since the tensors are first
    allocated for a batch of 1. Pass an int `batch_size` for a fixed shape,
    as some delegates and accelerators require.

    Args:
        gan: a `kerasgan.GAN`.
        path: the file to create (e.g. `"generator.tflite"`); it must not exist.
        use_ema: convert `gan.ema_generator` when the model keeps one.
            Defaults to True.
        batch_size: None for a dynamic batch, or a fixed positive int.

    Returns:
        `path` as a string.

    Raises:
        ValueError: `path` exists, or `batch_size` is not None or a positive int.

    Example:
        >>> convert_generator_to_tflite(gan, "generator.tflite")  # doctest: +SKIP
        >>> interpreter = tf.lite.Interpreter("generator.tflite")  # doctest: +SKIP
        >>> runner = interpreter.get_signature_runner()  # doctest: +SKIP
        >>> latents = np.zeros((4, gan.latent_dim), "float32")  # doctest: +SKIP
        >>> runner(latents=latents)["images"].shape  # doctest: +SKIP
        (4, 28, 28, 1)
    """
    path = check_free_output(path, "TFLite file")
    if batch_size is not None:
        validate_positive_int(batch_size, "batch_size")
    module = build_generator_module(
        gan, use_ema=use_ema, batch_size=batch_size, isolate_generator=False
    )
    converter = tf.lite.TFLiteConverter.from_concrete_functions([module.serving_default], module)
    flatbuffer = converter.convert()

    def write(tmp_path):
        with open(tmp_path, "wb") as f:
            f.write(flatbuffer)

    return write_atomically(path, write)
