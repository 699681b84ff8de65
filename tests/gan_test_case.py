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


def tiny_train_arguments(out, limit=64, batch_size=32, seed=None):
    """`kerasgan train` arguments of a one-epoch float32 DCGAN run that takes seconds."""
    arguments = ["train", "dcgan", "--out", str(out), "--epochs", "1", "--limit", str(limit)]
    arguments += ["--batch-size", str(batch_size), "--latent-dim", "8", "--precision", "float32"]
    return arguments + ([] if seed is None else ["--seed", str(seed)])


def make_dataset(images, labels=None, batch_size=32):
    """A plain tf.data pipeline of the kind users write themselves."""
    data = images if labels is None else (images, labels)
    return tf.data.Dataset.from_tensor_slices(data).batch(batch_size, drop_remainder=True)


def run_phase_isolation_check(gan, data):
    """Runs each phase once on one batch: it changes its networks and no other.

    For every phase of `gan.training_phases()` (lazy ones included): the
    trainable weights of each network it trains change; every variable of
    every other network (batch-norm statistics included) stays bit-identical;
    its terms are the declared ones and finite.

    Args:
        gan: a compiled kerasgan model.
        data: one batch as `fit()` would receive it.
    """
    batch = gan.unpack_batch(keras.tree.map_structure(keras.ops.convert_to_tensor, data))
    for phase in gan.training_phases():
        before = {name: weights_of(network) for name, network in gan.networks.items()}
        trained = {name: trainable_weights_of(gan.networks[name]) for name in phase.networks}
        terms = gan.run_phase(phase, batch)
        assert set(terms) == set(phase.terms), (phase.name, sorted(terms), phase.terms)
        for name, value in terms.items():
            assert np.isfinite(float(value)), f"{phase.name}: {name} = {float(value)}"
        for name, network in gan.networks.items():
            if name in phase.networks:
                assert changed(trained[name], trainable_weights_of(network)), (
                    f"phase {phase.name} left {name} as it was"
                )
            else:
                assert not changed(before[name], weights_of(network)), f"phase {phase.name} changed {name}"


def run_fit_check(gan, dataset, steps=2):
    """`fit` logs every declared term, finite, and changes every network."""
    before = {name: weights_of(network) for name, network in gan.networks.items()}
    history = gan.fit(dataset.take(steps), epochs=1, verbose=0)
    for name in gan.trackers:
        assert name in history.history, f"{name} not logged"
        assert np.isfinite(history.history[name]).all(), f"{name} not finite"
    for name, network in gan.networks.items():
        assert changed(before[name], weights_of(network)), f"fit left {name} as it was"
    return history


def run_training_check(gan, images, labels=None, batch_size=32, steps=2, compile_options=None):
    """Trains a few real steps and asserts what must hold for any latent GAN.

    - each phase changes its own networks and leaves every other network's
      variables (batch-norm statistics included) untouched;
    - `fit` logs finite values of every declared term and changes both networks;
    - `generate` returns the right shape, dtype and range.
    """
    gan.compile(**(compile_options or {}))
    first = images[:batch_size] if labels is None else (images[:batch_size], labels[:batch_size])
    run_phase_isolation_check(gan, first)
    history = run_fit_check(gan, make_dataset(images, labels, batch_size), steps)

    sample_labels = None if gan.num_classes is None else np.arange(5) % gan.num_classes
    samples = gan.generate(5, seed=0, labels=sample_labels)
    assert samples.shape == (5,) + tuple(gan.image_shape)
    assert samples.dtype == np.float32
    assert samples.min() >= -1.0 and samples.max() <= 1.0
    return history


def run_translation_training_check(gan, sources, targets, batch_size=4, steps=2):
    """The training check of an image-to-image model, on `(source, target)` batches.

    Phase isolation as in `run_training_check`, then `fit`, then
    `translate` in every direction: shape, dtype and range.
    """
    gan.compile()
    run_phase_isolation_check(gan, (sources[:batch_size], targets[:batch_size]))
    history = run_fit_check(gan, make_dataset(sources, targets, batch_size), steps)
    for direction in gan.directions:
        inputs = sources if direction == next(iter(gan.directions)) else targets
        outputs = gan.translate(inputs[:3], direction=direction)
        _, output_shape = gan.direction_shapes(direction)
        assert outputs.shape == (3,) + tuple(output_shape)
        assert outputs.dtype == np.float32
        assert outputs.min() >= -1.0 and outputs.max() <= 1.0
    return history


def run_serialization_check(gan):
    """get_config → from_config rebuilds the same class with the same config."""
    config = gan.get_config()
    clone = type(gan).from_config(config)
    assert type(clone) is type(gan)
    for name in gan.network_names:
        assert _layers_config(getattr(clone, name)) == _layers_config(getattr(gan, name)), name
    for key, value in config.items():
        if key not in gan.network_names + ("name",):
            assert clone.get_config()[key] == value, key
    return clone


def _layers_config(network):
    """A functional network's layer configs; a subclassed network's whole config."""
    config = keras.saving.serialize_keras_object(network)["config"]
    return config.get("layers", config)


def task_outputs(gan, images, labels=None):
    """What the model is for: `generate` samples, or `translate` in every direction."""
    if hasattr(gan, "generate"):
        sample_labels = None if gan.num_classes is None else np.arange(6) % gan.num_classes
        return [gan.generate(6, seed=3, labels=sample_labels)]
    first = next(iter(gan.directions))
    return [
        gan.translate((images if direction == first else labels)[:6], direction=direction)
        for direction in gan.directions
    ]


def run_save_load_check(gan, path, images, labels=None, batch_size=32, compile_options=None):
    """A `.keras` round trip gives identical outputs and resumes training exactly.

    Trains two steps, saves, loads; then trains the original and the loaded
    model one more identical step and requires identical weights: every
    optimizer's state, the seed generator, the step count and any
    regularizer or pool state must come back too. For image-to-image models
    `labels` holds the second image of each pair. `compile_options` go to
    `gan.compile`; with `run_eagerly=True` the loaded model runs eagerly too
    (a variant whose compiled step traces for long checks its compiled step
    elsewhere).
    """
    gan.compile(**(compile_options or {}))
    dataset = make_dataset(images, labels, batch_size)
    gan.fit(dataset.take(2), epochs=1, verbose=0)
    gan.save(path)
    loaded = keras.saving.load_model(path)
    loaded.run_eagerly = gan.run_eagerly
    assert type(loaded) is type(gan)
    for before, after in zip(task_outputs(gan, images, labels), task_outputs(loaded, images, labels)):
        np.testing.assert_array_equal(before, after)
    assert loaded.completed_steps() == gan.completed_steps() == 2
    assert len(loaded.variables) == len(gan.variables)
    for name in gan.optimizer_slots():
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
    gan,
    tmp_path,
    images,
    labels=None,
    use_ema=True,
    sample_cases=((1, 0), (5, 123)),
    compile_options=None,
    sampling_options=None,
):
    """Trains two steps, exports the generator, and serves it exactly in a fresh process.

    The SavedModel is loaded with `tf.saved_model.load` by a new Python
    process that never imports kerasgan (it asserts so). There,
    `serving_default` on fixed latents must equal the generator that
    `generate(use_ema=use_ema)` uses, and `sample(n, seed)` must equal
    `gan.generate(n, seed=seed)` for each `(n, seed)` of `sample_cases`,
    bit for bit. Conditional models get labels `0, 1, 2, ...` (mod classes).
    `compile_options` go to `gan.compile` (e.g. `run_eagerly=True`). Each
    `sample` call passes every sampling option of the variant
    (`GAN.sampling_options`), `sampling_options` or the defaults, to the
    served signature and to `generate`.

    Returns:
        Dict of the served images: `"serving_default"` and `"sample_<n>_<seed>"`.
    """
    gan.compile(**(compile_options or {}))
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
    options = gan.resolve_sampling_options(sampling_options or {})
    for n, seed in sample_cases:
        arguments = {"n": np.int32(n), "seed": np.int64(seed), "labels": class_ids(n)}
        arguments.update({name: np.float32(value) for name, value in options.items()})
        calls[f"sample_{n}_{seed}"] = ("sample", arguments)
        expected[f"sample_{n}_{seed}"] = gan.generate(
            n, seed=seed, labels=class_ids(n), use_ema=use_ema, **options
        )
    served = serve_in_fresh_process(path, calls, tmp_path)
    assert sorted(served) == sorted(expected)
    for name, images in expected.items():
        assert served[name].dtype == np.float32, name
        np.testing.assert_array_equal(served[name], images, err_msg=name)
    return served


def serve_in_fresh_process(path, calls, tmp_path):
    """Loads a SavedModel in a new Python process without kerasgan and serves calls.

    Args:
        path: the SavedModel folder.
        calls: `{name: (signature, {argument: NumPy value or None})}`.
        tmp_path: folder for the request and result files.

    Returns:
        `{name: served "images" as a NumPy array}`; the child asserts it
        never imported kerasgan.
    """
    import os
    import subprocess
    import sys

    request = {
        f"{name}:{signature}:{argument}": value
        for name, (signature, arguments) in calls.items()
        for argument, value in arguments.items()
        if value is not None
    }
    files = ("request.npz", "result.npz")
    np.savez(tmp_path / files[0], **request)
    environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    process = subprocess.run(
        [sys.executable, "-c", _SERVE_SCRIPT, path, *(str(tmp_path / name) for name in files)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=str(tmp_path),
    )
    assert process.returncode == 0, process.stderr[-3000:]
    return dict(np.load(tmp_path / files[1]))


_SERVE_SCRIPT = """
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


def run_translation_export_check(gan, tmp_path, sources, targets, batch_size=4):
    """Trains two steps, exports every direction, and serves each exactly in a fresh process."""
    gan.compile()
    gan.fit(make_dataset(sources, targets, batch_size).take(2), epochs=1, verbose=0)
    first = next(iter(gan.directions))
    for direction in gan.directions:
        inputs = (sources if direction == first else targets)[:5]
        path = gan.export_translator(str(tmp_path / f"export_{direction}"), direction=direction)
        served = serve_in_fresh_process(path, {"out": ("serving_default", {"images": inputs})}, tmp_path)
        np.testing.assert_array_equal(served["out"], gan.translate(inputs, direction=direction))
