"""`export_generator`: a latent GAN's generator as a SavedModel, LiteRT or ONNX file."""

import tensorflow as tf

from kerasgan.export import archive
from kerasgan.export.latents import normal_latents
from kerasgan.utils.validation import validate_positive_int

# `GAN.generate`'s default `batch_size`: `sample` runs the generator in chunks
# of this size so that every matrix product sees the same number of rows.
SAMPLE_BATCH_SIZE = 256


def export_generator(gan, path, use_ema=True, format="tf_saved_model", batch_size=None):
    """Writes a GAN's generator in a format that serves without kerasgan.

    `format="tf_saved_model"` (default) writes a SavedModel folder through
    `keras.export.ExportArchive`, with two endpoints, both returning
    `{"images": float32 (batch, H, W, C) in [-1, 1]}`:

    - `serving_default(latents float32 (batch, latent_dim)[, labels int32
      (batch,)])`: the generator in inference mode.
    - `sample(n int32, seed int64[, labels int32 (n,)][, option float32
      ()...])`: equal, bit for bit on the same machine, to
      `gan.generate(n, seed=seed, labels=labels, **options)`; a variant's
      sampling options (`GAN.sampling_options`, e.g. `truncation`) are
      scalar inputs, in their declared order. Both endpoints go through the
      model's one sampler, `GAN.sample_images`; `serving_default` uses the
      options' defaults.

    Both check their inputs in the graph and name what they expected (the
    latent size, one label per image, labels in `[0, num_classes)`);
    `assets.extra/kerasgan.json` describes the model (`read_export_metadata`).

    `format="litert"` (a `.tflite` file) and `format="onnx"` (needs the
    tf2onnx and onnx packages) go through Keras's `Model.export` and hold
    `serving_default` only, with inputs `latents` (and `labels`) and output
    `images`; their runtimes check input shapes themselves. Outputs match
    the generator to float rounding (about 1e-7). Draw latents on the device,
    e.g. with NumPy: neither format has TensorFlow's stateless random ops.

    `labels` exists for conditional models only. The export is written
    under a temporary name and moved into place when complete; a model that
    was never trained exports too.

    Args:
        gan: a `kerasgan.GAN`.
        path: the folder (SavedModel) or file to create; it must not exist,
            a SavedModel folder may exist empty.
        use_ema: export `gan.ema_generator` when the model keeps one (what
            `generate()` uses by default). Defaults to True.
        format: `"tf_saved_model"` (default), `"litert"` or `"onnx"`.
        batch_size: None (default) for any batch size in `serving_default`,
            or a positive int to fix it, as some accelerators require.

    Returns:
        `path` as a string.

    Raises:
        ValueError: `path` is taken, or `format` or `batch_size` is invalid.
        ImportError: `format="onnx"` without tf2onnx and onnx installed.

    Example:
        >>> import os, tempfile
        >>> import kerasgan
        >>> gan = kerasgan.GAN(latent_dim=8)
        >>> path = export_generator(gan, os.path.join(tempfile.mkdtemp(), "gan"))
        >>> sample = tf.saved_model.load(path).signatures["sample"]
        >>> sample(n=tf.constant(2), seed=tf.constant(0, tf.int64))["images"].shape
        TensorShape([2, 28, 28, 1])
    """
    path = archive.start_export(path, format)
    if batch_size is not None:
        validate_positive_int(batch_size, "batch_size")
    generator = gan.ema_generator if use_ema and gan.ema_generator is not None else gan.generator
    conditional = gan.num_classes is not None
    latents_spec = tf.TensorSpec((batch_size, gan.latent_dim), tf.float32, name="latents")
    labels_spec = [tf.TensorSpec((batch_size,), tf.int32, name="labels")] if conditional else []
    if format != "tf_saved_model":
        return archive.write_keras_format(path, generator, [latents_spec, *labels_spec], format)

    run_generator = archive.exact_inference(generator)

    defaults = gan.resolve_sampling_options({})
    option_names = list(defaults)

    def serving_default(latents, labels=None):
        latents = archive.checked(latents, "latents", latents_spec.shape, "serving_default")
        if labels is not None:
            advice = "pass one class id per row of latents (labels of shape (batch,))."
            count = tf.shape(latents)[0]
            labels = archive.check_labels(labels, gan.num_classes, count, "serving_default", advice)
        return {"images": gan.sample_images(run_generator, latents, labels, **defaults)}

    def sample(n, seed, *rest):
        labels = rest[0] if conditional else None
        options = dict(zip(option_names, rest[1:] if conditional else rest))
        check = tf.debugging.Assert(n > 0, ["sample(n, seed): n must be at least 1; received", n])
        with tf.control_dependencies([check]):
            n = tf.identity(n)
        if labels is not None:
            advice = (
                "pass one class id per sample (labels of shape (n,)); for one class use "
                "tf.fill([n], class_id)."
            )
            labels = archive.check_labels(labels, gan.num_classes, n, "sample(n, seed, labels)", advice)
        latents = gan.latents_from_normal(normal_latents(n, gan.latent_dim, seed))
        num_chunks = (n + SAMPLE_BATCH_SIZE - 1) // SAMPLE_BATCH_SIZE
        chunks = tf.TensorArray(tf.float32, size=num_chunks, infer_shape=False)

        def body(index, chunks):
            start = index * SAMPLE_BATCH_SIZE
            stop = tf.minimum(start + SAMPLE_BATCH_SIZE, n)
            chunk_labels = None if labels is None else labels[start:stop]
            images = gan.sample_images(run_generator, latents[start:stop], chunk_labels, **options)
            return index + 1, chunks.write(index, images)

        _, chunks = tf.while_loop(lambda index, _: index < num_chunks, body, (0, chunks))
        return {"images": chunks.concat()}

    # Labels of any shape reach the in-graph check, which says what to pass.
    any_labels = [tf.TensorSpec(None, tf.int32, name="labels")] if conditional else []
    endpoints = {
        "serving_default": (serving_default, [tf.TensorSpec(None, tf.float32, name="latents"), *any_labels]),
        "sample": (
            sample,
            [
                tf.TensorSpec((), tf.int32, name="n"),
                tf.TensorSpec((), tf.int64, name="seed"),
                *any_labels,
                *[tf.TensorSpec((), tf.float32, name=name) for name in option_names],
            ],
        ),
    }
    return archive.write_saved_model(path, generator, endpoints, _metadata(gan, generator))


def _metadata(gan, generator):
    """Describes an exported generator: versions, shapes and signatures."""

    def labels(size):
        return "" if gan.num_classes is None else f", labels int32 ({size},)"

    options = "".join(f", {name} float32 ()" for name in gan.sampling_options)

    return {
        **archive.describe_model(gan, generator),
        "ema": generator is gan.ema_generator,
        "latent_dim": gan.latent_dim,
        "num_classes": gan.num_classes,
        "image_shape": list(gan.image_shape),
        "sample_batch_size": SAMPLE_BATCH_SIZE,
        "sampling_options": gan.resolve_sampling_options({}),
        "signatures": {
            "serving_default": f"latents float32 (batch, {gan.latent_dim}){labels('batch')} "
            "-> images float32 (batch, H, W, C) in [-1, 1]",
            "sample": f"n int32, seed int64{labels('n')}{options} -> images float32 "
            "(n, H, W, C), equal to GAN.generate(n, seed=seed, ...)",
        },
    }
