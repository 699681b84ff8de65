"""A `tf.Module` serving a GAN's generator without kerasgan or custom Keras code.

The module holds two concrete functions and the generator's variables:

- `serving_default(latents[, labels])`: the generator on given latents
  (float32 `(batch, latent_dim)`, and int32 class ids `(batch,)` for
  conditional models) → `{"images": float32 (batch, H, W, C) in [-1, 1]}`.
- `sample(n, seed[, labels])`: draws the latents of `GAN.generate(n,
  seed=seed)` and runs the generator in the same chunks of
  `SAMPLE_BATCH_SIZE` → `{"images": ...}`, equal to `generate()` bit for bit.

Exactness: Grappler's remapper fuses MatMul + BiasAdd + activation into one
oneDNN kernel whose rounding differs from the unfused ops that `generate()`
runs eagerly (up to ~2e-7). The generator therefore runs in a nested
function that is never inlined (`_noinline`) and whose call carries a
Grappler configuration with the remapper off, recorded in the SavedModel.
"""

import contextlib

import tensorflow as tf

from kerasgan.export.latents import normal_latents

# `GAN.generate`'s default `batch_size`: `sample` runs the generator in chunks
# of this size so that every matrix product sees the same number of rows.
SAMPLE_BATCH_SIZE = 256


def select_generator(gan, use_ema=True):
    """The network `gan.generate(use_ema=use_ema)` samples from.

    Args:
        gan: a `kerasgan.GAN`.
        use_ema: prefer `gan.ema_generator` when the model keeps one.

    Returns:
        `gan.ema_generator` if `use_ema` and it exists, else `gan.generator`.

    Example:
        >>> select_generator(kerasgan.GAN(latent_dim=8)).name
        'generator'
    """
    if use_ema and gan.ema_generator is not None:
        return gan.ema_generator
    return gan.generator


@contextlib.contextmanager
def remapper_off():
    """Traces function calls with Grappler's remapper off, then restores it.

    The setting is process wide while the block runs; tracing is quick.
    """
    previous = tf.config.optimizer.get_experimental_options().get("remapping", True)
    tf.config.optimizer.set_experimental_options({"remapping": False})
    try:
        yield
    finally:
        tf.config.optimizer.set_experimental_options({"remapping": previous})


def _check_sample_arguments(num_samples, labels):
    """In-graph checks of `sample`'s arguments, with what to do."""
    checks = [
        tf.debugging.assert_positive(
            num_samples, message="sample(n, seed): n must be at least 1."
        )
    ]
    if labels is not None:
        checks.append(
            tf.debugging.assert_equal(
                tf.shape(labels)[0],
                num_samples,
                message="sample(n, seed, labels): pass one class id per sample "
                "(labels of shape (n,)); for one class use tf.fill([n], class_id).",
            )
        )
    return checks


def build_generator_module(gan, use_ema=True, batch_size=None, isolate_generator=True):
    """Wraps a GAN's generator in a `tf.Module` with `serving_default` and `sample`.

    See the module docstring for the two functions. The module tracks the
    generator's TensorFlow variables (weights and batch-norm statistics), so
    `tf.saved_model.save` with both functions as signatures writes a
    SavedModel that loads with `tf.saved_model.load` alone.

    Args:
        gan: a `kerasgan.GAN`, trained or not.
        use_ema: export `gan.ema_generator` when the model keeps one (what
            `generate()` samples from by default). Defaults to True.
        batch_size: None (default) for a dynamic batch dimension in
            `serving_default`, or an int to fix it (for converters and
            accelerators that need static shapes).
        isolate_generator: run the generator in the never-inlined,
            remapper-free function described above (default), so that the
            outputs equal eager Keras bit for bit. The TFLite converter
            cannot convert such calls: `convert_generator_to_tflite` passes
            False and the generator is inlined.

    Returns:
        A `tf.Module` with attributes `serving_default` and `sample`
        (concrete functions) and `generator_variables`.

    Example:
        >>> module = build_generator_module(kerasgan.GAN(latent_dim=8))
        >>> module.sample(n=tf.constant(2), seed=tf.constant(0, tf.int64))["images"].shape
        TensorShape([2, 28, 28, 1])
    """
    generator = select_generator(gan, use_ema)
    latent_dim = gan.latent_dim
    conditional = gan.num_classes is not None

    def run_generator(latents, labels):
        inputs = [latents, labels] if conditional else latents
        return tf.cast(generator(inputs, training=False), tf.float32)

    if isolate_generator:
        run_generator = tf.function(
            run_generator, autograph=False, experimental_attributes={"_noinline": True}
        )

    def sample(n, seed, labels=None):
        with tf.control_dependencies(_check_sample_arguments(n, labels)):
            n = tf.identity(n)
        latents = normal_latents(n, latent_dim, seed)
        num_chunks = (n + SAMPLE_BATCH_SIZE - 1) // SAMPLE_BATCH_SIZE
        chunks = tf.TensorArray(tf.float32, size=num_chunks, infer_shape=False)

        def body(index, chunks):
            start = index * SAMPLE_BATCH_SIZE
            stop = tf.minimum(start + SAMPLE_BATCH_SIZE, n)
            chunk_labels = None if labels is None else labels[start:stop]
            return index + 1, chunks.write(index, run_generator(latents[start:stop], chunk_labels))

        _, chunks = tf.while_loop(lambda index, _: index < num_chunks, body, (0, chunks))
        return {"images": chunks.concat()}

    def serving_default(latents, labels=None):
        return {"images": run_generator(latents, labels)}

    def label_specs(batch):
        return [tf.TensorSpec((batch,), tf.int32, name="labels")] if conditional else []

    serving_signature = [
        tf.TensorSpec((batch_size, latent_dim), tf.float32, name="latents"),
        *label_specs(batch_size),
    ]
    sample_signature = [
        tf.TensorSpec((), tf.int32, name="n"),
        tf.TensorSpec((), tf.int64, name="seed"),
        *label_specs(None),
    ]
    module = tf.Module(name="generator_module")
    with remapper_off() if isolate_generator else contextlib.nullcontext():
        module.serving_default = tf.function(
            serving_default, input_signature=serving_signature, autograph=False
        ).get_concrete_function()
        module.sample = tf.function(
            sample, input_signature=sample_signature, autograph=False
        ).get_concrete_function()
    # The TF variables the functions read: tracking these (rather than the
    # Keras variables wrapping them) lets the TFLite converter freeze them.
    variables = {id(v): v for f in (module.serving_default, module.sample) for v in f.variables}
    module.generator_variables = list(variables.values())
    return module
