"""Checks every GAN variant must pass; variant tests call these with tiny models."""

import keras
import numpy as np
import tensorflow as tf


def weights_of(network):
    """Copies of all of a network's variables (trainable and not)."""
    return [v.numpy() for v in network.variables]


def changed(before, after):
    """True when any variable differs."""
    return any(not np.array_equal(b, a) for b, a in zip(before, after))


def trainable_weights_of(network):
    return [v.numpy() for v in network.trainable_variables]


def make_dataset(images, labels=None, batch_size=32):
    """A plain tf.data pipeline of the kind users write themselves."""
    data = images if labels is None else (images, labels)
    return tf.data.Dataset.from_tensor_slices(data).batch(batch_size, drop_remainder=True)


def run_training_check(gan, images, labels=None, batch_size=32, steps=2, compile_options=None):
    """Trains a few real steps and asserts what must hold for any GAN.

    - the discriminator step changes the discriminator and leaves every
      generator variable (batch-norm statistics included) untouched;
    - the generator step changes the generator and leaves every discriminator
      variable untouched;
    - `fit` logs finite losses and changes both networks;
    - `generate` returns the right shape, dtype and range.
    """
    gan.compile(**(compile_options or {}))
    real = tf.constant(images[:batch_size])
    batch_labels = None if labels is None else tf.constant(labels[:batch_size])

    g_before, d_before = weights_of(gan.generator), trainable_weights_of(gan.discriminator)
    gan.discriminator_step(real, batch_labels)
    assert not changed(g_before, weights_of(gan.generator)), "D step changed G"
    assert changed(d_before, trainable_weights_of(gan.discriminator)), "D step left D as it was"

    d_before, g_before = weights_of(gan.discriminator), trainable_weights_of(gan.generator)
    gan.generator_step(batch_size, batch_labels)
    assert not changed(d_before, weights_of(gan.discriminator)), "G step changed D"
    assert changed(g_before, trainable_weights_of(gan.generator)), "G step left G as it was"

    g_before, d_before = weights_of(gan.generator), weights_of(gan.discriminator)
    history = gan.fit(
        make_dataset(images, labels, batch_size).take(steps), epochs=1, verbose=0
    )
    for name in ["d_loss", "g_loss"] + [r.name for r in gan.regularizers]:
        assert name in history.history, f"{name} not logged"
        assert np.isfinite(history.history[name]).all(), f"{name} not finite"
    assert changed(g_before, weights_of(gan.generator))
    assert changed(d_before, weights_of(gan.discriminator))

    sample_labels = None if gan.num_classes is None else np.arange(5) % gan.num_classes
    samples = gan.generate(5, seed=0, labels=sample_labels)
    assert samples.shape == (5,) + tuple(gan.image_shape)
    assert samples.dtype == np.float32
    assert samples.min() >= -1.0 and samples.max() <= 1.0
    return history


def run_serialization_check(gan):
    """get_config → from_config rebuilds the same class with the same config."""
    config = gan.get_config()
    clone = type(gan).from_config(config)
    assert type(clone) is type(gan)
    assert keras.saving.serialize_keras_object(clone.generator)["config"]["layers"] == (
        keras.saving.serialize_keras_object(gan.generator)["config"]["layers"]
    )
    for key, value in config.items():
        if key not in ("generator", "discriminator", "name"):
            assert clone.get_config()[key] == value, key
    return clone


def run_save_load_check(gan, path, images, labels=None, batch_size=32):
    """A `.keras` round trip gives identical samples and resumes training exactly.

    Trains two steps, saves, loads; then trains the original and the loaded
    model one more identical step and requires identical weights: the
    optimizer state and the seed generator must come back too.
    """
    gan.compile()
    dataset = make_dataset(images, labels, batch_size)
    gan.fit(dataset.take(2), epochs=1, verbose=0)
    gan.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded) is type(gan)
    sample_labels = None if gan.num_classes is None else np.arange(6) % gan.num_classes
    np.testing.assert_array_equal(
        gan.generate(6, seed=3, labels=sample_labels),
        loaded.generate(6, seed=3, labels=sample_labels),
    )
    for name in ("d_optimizer", "g_optimizer"):
        original, restored = getattr(gan, name), getattr(loaded, name)
        assert type(restored) is type(original)
        assert int(restored.iterations) == int(original.iterations) > 0
    step = dataset.skip(2).take(1)
    gan.fit(step, epochs=1, verbose=0)
    loaded.fit(step, epochs=1, verbose=0)
    for a, b in zip(gan.variables, loaded.variables):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)
    return loaded


def run_export_check(
    gan, tmp_path, images, labels=None, use_ema=True, sample_cases=((1, 0), (5, 123))
):
    """Trains two steps, exports the generator, and serves it exactly in a fresh process.

    The SavedModel is loaded with `tf.saved_model.load` by a new Python
    process that never imports kerasgan (it asserts so). There,
    `serving_default` on fixed latents must equal the generator that
    `generate(use_ema=use_ema)` uses, and `sample(n, seed)` must equal
    `gan.generate(n, seed=seed)` for each `(n, seed)` of `sample_cases`,
    bit for bit. Conditional models get labels `0, 1, 2, ...` (mod classes).

    Returns:
        Dict of the served images: `"serving_default"` and `"sample_<n>_<seed>"`.
    """
    import os
    import subprocess
    import sys

    gan.compile()
    dataset = make_dataset(images, labels, batch_size=32).take(2)
    gan.fit(dataset, epochs=1, verbose=0, shuffle=False)
    path = gan.export_generator(str(tmp_path / "saved_model"), use_ema=use_ema)

    def class_ids(n):
        return None if gan.num_classes is None else (np.arange(n) % gan.num_classes).astype("int32")

    latents = np.random.default_rng(0).normal(size=(7, gan.latent_dim)).astype("float32")
    generator = gan.ema_generator if use_ema and gan.ema_generator is not None else gan.generator
    inputs = latents if gan.num_classes is None else [latents, class_ids(7)]
    calls = {"serving_default": ("serving_default", {"latents": latents, "labels": class_ids(7)})}
    expected = {"serving_default": generator(inputs, training=False).numpy()}
    for n, seed in sample_cases:
        arguments = {"n": np.int32(n), "seed": np.int64(seed), "labels": class_ids(n)}
        calls[f"sample_{n}_{seed}"] = ("sample", arguments)
        expected[f"sample_{n}_{seed}"] = gan.generate(
            n, seed=seed, labels=class_ids(n), use_ema=use_ema
        )
    request = {
        f"{name}:{signature}:{argument}": value
        for name, (signature, arguments) in calls.items()
        for argument, value in arguments.items()
        if value is not None
    }
    files = ("request.npz", "result.npz")
    np.savez(tmp_path / files[0], **request)

    script = """
import sys
import numpy as np
import tensorflow as tf
path, request_file, result_file = sys.argv[1:]
served = tf.saved_model.load(path)
calls = {}
for key, value in np.load(request_file).items():
    name, signature, argument = key.split(":")
    calls.setdefault(name, (signature, {}))[1][argument] = tf.constant(value)
results = {
    name: served.signatures[signature](**arguments)["images"].numpy()
    for name, (signature, arguments) in calls.items()
}
assert "kerasgan" not in sys.modules, "loading the SavedModel imported kerasgan"
np.savez(result_file, **results)
"""
    environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    process = subprocess.run(
        [sys.executable, "-c", script, path, *(str(tmp_path / name) for name in files)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=str(tmp_path),
    )
    assert process.returncode == 0, process.stderr[-3000:]
    served = dict(np.load(tmp_path / files[1]))
    assert sorted(served) == sorted(expected)
    for name, images in expected.items():
        assert served[name].dtype == np.float32, name
        np.testing.assert_array_equal(served[name], images, err_msg=name)
    return served
