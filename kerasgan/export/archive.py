"""What every kerasgan export shares: Keras's exporters, exact inference, input checks.

A SavedModel is written by `keras.export.ExportArchive` with the endpoints
a task defines (`sample`, `serving_default`); ONNX and LiteRT files by
Keras's `Model.export(format=...)` on a small functional model whose output
is named `images`. Every export is written under a temporary name and moved
into place when complete, so `path` never holds half an export.

Exactness: Grappler's remapper fuses MatMul + BiasAdd + activation into one
oneDNN kernel whose rounding differs from the unfused ops that Keras runs
eagerly (up to ~2e-7). In a SavedModel the network therefore runs in a
nested function that is never inlined (`_noinline`, a TensorFlow function
attribute) and whose call is traced with the remapper off; that setting is
recorded in the SavedModel, so served images equal eager Keras bit for bit.
"""

import json
import os
import shutil
import tempfile

import keras
import tensorflow as tf

from kerasgan.export.float32 import float32_copy

METADATA_FILE = os.path.join("assets.extra", "kerasgan.json")
FORMATS = {"tf_saved_model": "SavedModel", "litert": "LiteRT file", "onnx": "ONNX file"}
_ONNX_HINT = "pip install tf2onnx onnx (and onnxruntime to run the file)"


def check_free_output(path, kind, folder=False):
    """Raises unless nothing lives at `path`, so an export never overwrites work.

    Args:
        path: the file or folder an export will write.
        kind: what will be written there, for the message, e.g.
            `"SavedModel"` or `"TFLite file"`.
        folder: True when the export writes a folder: an existing empty
            folder is then accepted. Defaults to False.

    Returns:
        `path` as a string.

    Raises:
        ValueError: something already exists at `path`.

    Example:
        >>> check_free_output("exported/new_model", "SavedModel", folder=True)
        'exported/new_model'
    """
    path = os.fspath(path)
    empty_folder = folder and os.path.isdir(path) and not os.listdir(path)
    if os.path.lexists(path) and not empty_folder:
        raise ValueError(
            f"Cannot write the {kind} to {path!r}: something already exists "
            "there. Choose a new path, or delete the old one first."
        )
    return path


def start_export(path, format):
    """Checks the backend, `format` and that nothing lives at `path`; returns `path` as a string."""
    backend = keras.backend.backend()
    if backend != "tensorflow":
        raise RuntimeError(
            f"kerasgan exports are written with TensorFlow, and this process runs Keras on "
            f"{backend!r}. Save the model (model.save('model.keras')), then export it from a "
            "process started with KERAS_BACKEND=tensorflow: a .keras file trained on any "
            "backend loads there (keras.saving.load_model)."
        )
    if format not in FORMATS:
        raise ValueError(f"format must be one of {sorted(FORMATS)}; received format={format!r}.")
    return check_free_output(path, FORMATS[format], folder=format == "tf_saved_model")


def exact_inference(network):
    """The network in inference mode, float32 out, in a never-inlined function.

    Args:
        network: a built Keras model.

    Returns:
        A `tf.function` of the network's inputs; called from an endpoint of
        `write_saved_model`, it serves `network(inputs, training=False)` bit
        for bit.
    """

    @tf.function(autograph=False, experimental_attributes={"_noinline": True})
    def run(inputs):
        return tf.cast(network(inputs, training=False), tf.float32)

    return run


def checked(tensor, name, shape, endpoint):
    """Returns `tensor` after an in-graph check that it has `shape`.

    The check runs in the exported function, so a server that feeds the
    SavedModel directly gets the same message as Python code.

    Args:
        tensor: an endpoint's input.
        name: its name, for the message (e.g. `"latents"`).
        shape: the expected shape; `None` entries match any size (batch).
        endpoint: the endpoint's name, for the message.

    Returns:
        `tensor` with the static shape `shape`.

    Example:
        >>> checked(tf.zeros((2, 8)), "latents", (None, 8), "serving_default").shape
        TensorShape([2, 8])
    """
    wanted = tf.constant([-1 if size is None else size for size in shape], tf.int32)
    received = tf.shape(tensor)
    # Padded with `wanted` so that comparing stays valid at any rank.
    sizes = tf.concat([received, wanted], axis=0)[: len(shape)]
    matches = tf.logical_and(
        tf.equal(tf.size(received), len(shape)),
        tf.reduce_all(tf.logical_or(wanted < 0, tf.equal(sizes, wanted))),
    )
    described = ", ".join("batch" if size is None else str(size) for size in shape)
    described = f"({described}{',' if len(shape) == 1 else ''})"
    expects = f"{endpoint} expects {name} of shape {described}; received shape"
    check = tf.debugging.Assert(matches, [expects, received], summarize=16)
    with tf.control_dependencies([check]):
        return tf.ensure_shape(tensor, shape)


def check_labels(labels, num_classes, count, endpoint, advice):
    """In-graph checks that labels have shape `(count,)` and hold class ids.

    Args:
        labels: an endpoint's int32 labels input.
        num_classes: the model's number of classes.
        count: the number of images, a scalar tensor.
        endpoint: the endpoint's name, for the messages.
        advice: what to do when the count is wrong.

    Returns:
        `labels`, to be used after the checks.
    """
    labels = checked(labels, "labels", (None,), endpoint)
    in_range = tf.reduce_all(tf.logical_and(labels >= 0, labels < num_classes))
    expects = f"{endpoint} expects labels in [0, {num_classes}); received labels from"
    received = [f"{endpoint}: {advice} Received", tf.size(labels), "labels for", count, "images"]
    checks = [
        tf.debugging.Assert(tf.size(labels) == count, received),
        tf.debugging.Assert(in_range, [expects, tf.reduce_min(labels), "to", tf.reduce_max(labels)]),
    ]
    with tf.control_dependencies(checks):
        return tf.identity(labels)


def write_saved_model(path, network, endpoints, metadata):
    """Writes a SavedModel with `keras.export.ExportArchive` and kerasgan's description.

    Args:
        path: the folder to create (checked free by the caller).
        network: the Keras model the endpoints run; its variables are saved.
        endpoints: `{name: (function, input_signature)}`, `serving_default`
            first; the functions are traced with the remapper off.
        metadata: JSON-serializable dict written to `assets.extra/kerasgan.json`.

    Returns:
        `path`.
    """
    archive = keras.export.ExportArchive()
    archive.track(network)
    for name, (function, signature) in endpoints.items():
        archive.add_endpoint(name, function, input_signature=signature)

    def write(target):
        # Tracing happens here; the nested calls record the remapper setting.
        remapping = tf.config.optimizer.get_experimental_options().get("remapping", True)
        tf.config.optimizer.set_experimental_options({"remapping": False})
        try:
            archive.write_out(target, verbose=False)
        finally:
            tf.config.optimizer.set_experimental_options({"remapping": remapping})
        file = os.path.join(target, METADATA_FILE)
        os.makedirs(os.path.dirname(file))
        with open(file, "w") as f:
            json.dump(metadata, f, indent=2)

    return _write_then_move(path, write)


def write_keras_format(path, network, inputs, format, translation=None):
    """Writes `network` with Keras's `Model.export(format=...)`: one `images` output.

    The file computes in float32 whatever precision `network` trained in
    (`float32_copy`): the standard LiteRT interpreter and ONNX Runtime have
    no bfloat16 or float16 kernels for most ops.

    Args:
        path: the file to create (checked free by the caller).
        network: a built Keras model taking `inputs` in the same order.
        inputs: list of `tf.TensorSpec` with names (`latents`, `labels`,
            `images`); a None batch size stays dynamic.
        format: `"litert"` or `"onnx"`.
        translation: None (the file computes `network`), or a task's
            `unchecked_translation(generator, inputs)`: the file computes it
            on a dict of the named inputs, with `network` as the generator.

    Returns:
        `path`.

    Raises:
        ImportError: `format="onnx"` without the tf2onnx and onnx packages.
    """
    if format == "onnx":
        try:
            import onnx  # noqa: F401
            import tf2onnx  # noqa: F401
        except ImportError as error:
            raise ImportError(
                f"format='onnx' needs the tf2onnx and onnx packages ({error}). Install them: {_ONNX_HINT}."
            ) from error
    network = float32_copy(network)
    symbolic = [keras.Input(s.shape[1:], s.shape[0], s.dtype.name, name=s.name) for s in inputs]
    if translation is None:
        outputs = network(symbolic if len(symbolic) > 1 else symbolic[0], training=False)
    else:
        outputs = _Translation(network, translation, [s.name for s in inputs])(symbolic)
    model = keras.Model(symbolic, {"images": keras.ops.cast(outputs, "float32")})
    signature = [inputs] if len(inputs) > 1 else inputs
    extension = ".tflite" if format == "litert" else ".onnx"
    return _write_then_move(
        path,
        lambda target: model.export(target, format=format, verbose=False, input_signature=signature),
        extension,
    )


def _write_then_move(path, write, extension=""):
    """Calls `write(target)` in a temporary folder beside `path`, then moves it to `path`."""
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    folder = tempfile.mkdtemp(prefix=".tmp-", suffix="-" + os.path.basename(path), dir=parent)
    try:
        target = os.path.join(folder, "export" + extension)
        write(target)
        os.replace(target, path)  # also onto an empty folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return path


def describe_model(gan, network):
    """The versions, the model's class and name, and the exported network's name."""
    from kerasgan.version import __version__

    return {
        "kerasgan_version": __version__,
        "tensorflow_version": tf.__version__,
        "keras_version": keras.__version__,
        "model_class": type(gan).__name__,
        "model_name": gan.name,
        "generator": network.name,
    }


def read_export_metadata(path):
    """Reads the description kerasgan wrote into an exported SavedModel folder.

    Args:
        path: the SavedModel folder.

    Returns:
        The dict written at export: versions, shapes and signatures.

    Raises:
        ValueError: the folder holds no kerasgan description.

    Example:
        >>> read_export_metadata("exported/dcgan")["latent_dim"]  # doctest: +SKIP
        100
    """
    file = os.path.join(path, METADATA_FILE)
    if not os.path.isfile(file):
        raise ValueError(
            f"{os.fspath(path)!r} holds no {METADATA_FILE}: it was not written by "
            "kerasgan's export. Export the model again."
        )
    with open(file) as f:
        return json.load(f)


class _Translation(keras.layers.Layer):
    """A task's translation of named inputs, with `network` as its generator, as one layer to export."""

    def __init__(self, network, translation, names, **kwargs):
        super().__init__(name="translation", **kwargs)
        self.network = network
        self.translation = translation
        self.names = list(names)

    def call(self, inputs):
        named = dict(zip(self.names, inputs))
        return self.translation(lambda images: self.network(images, training=False), named)
