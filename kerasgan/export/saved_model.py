"""`export_generator`: a GAN's generator as a TensorFlow SavedModel.

The SavedModel holds the generator's weights and two signatures (see
`kerasgan.export.generator_module`); it loads with `tf.saved_model.load`
in a process that has never imported kerasgan. A JSON description of the
model is written next to it, in `assets.extra/kerasgan.json`.
"""

import json
import os
import shutil
import tempfile

import keras
import tensorflow as tf

from kerasgan.export.generator_module import (
    SAMPLE_BATCH_SIZE,
    build_generator_module,
    select_generator,
)
from kerasgan.export.paths import check_free_output
from kerasgan.utils.files import write_json_atomically

METADATA_FILE = os.path.join("assets.extra", "kerasgan.json")


def describe_model(gan, network):
    """The part of every export's description that names versions and the model.

    Args:
        gan: the kerasgan model being exported.
        network: the network written to the SavedModel.

    Returns:
        Dict with the kerasgan, TensorFlow and Keras versions, the model's
        class and name, and the exported network's name.
    """
    from kerasgan.version import __version__

    return {
        "kerasgan_version": __version__,
        "tensorflow_version": tf.__version__,
        "keras_version": keras.__version__,
        "model_class": type(gan).__name__,
        "model_name": gan.name,
        "generator": network.name,
    }


def export_metadata(gan, use_ema=True):
    """Describes an exported generator: versions, shapes and signatures.

    Args:
        gan: the `kerasgan.GAN` being exported.
        use_ema: whether `gan.ema_generator` is exported when it exists.

    Returns:
        JSON-serializable dict.

    Example:
        >>> export_metadata(kerasgan.GAN(latent_dim=8))["latent_dim"]
        8
    """
    def labels(size):
        return "" if gan.num_classes is None else f", labels int32 ({size},)"

    return {
        **describe_model(gan, select_generator(gan, use_ema)),
        "ema": select_generator(gan, use_ema) is gan.ema_generator,
        "latent_dim": gan.latent_dim,
        "num_classes": gan.num_classes,
        "image_shape": list(gan.image_shape),
        "sample_batch_size": SAMPLE_BATCH_SIZE,
        "signatures": {
            "serving_default": f"latents float32 (batch, {gan.latent_dim}){labels('batch')} "
            "-> images float32 (batch, H, W, C) in [-1, 1]",
            "sample": f"n int32, seed int64{labels('n')} -> images float32 "
            "(n, H, W, C), equal to GAN.generate(n, seed=seed)",
        },
    }


def read_export_metadata(path):
    """Reads the description `export_generator` wrote into a SavedModel folder.

    Args:
        path: the SavedModel folder.

    Returns:
        The dict of `export_metadata`.

    Raises:
        ValueError: the folder holds no kerasgan description.

    Example:
        >>> read_export_metadata("exported/dcgan")["latent_dim"]  # doctest: +SKIP
        100
    """
    file = os.path.join(path, METADATA_FILE)
    if not os.path.isfile(file):
        raise ValueError(
            f"{path!r} holds no {METADATA_FILE}: it was not written by "
            "kerasgan's export_generator. Export the model again."
        )
    with open(file) as f:
        return json.load(f)


def export_generator(gan, path, use_ema=True):
    """Writes a GAN's generator as a TensorFlow SavedModel that serves without kerasgan.

    Signatures (all outputs `{"images": float32 (batch, H, W, C) in [-1, 1]}`):

    - `serving_default(latents float32 (batch, latent_dim)[, labels int32
      (batch,)])`: the generator in inference mode on given latents.
    - `sample(n int32, seed int64[, labels int32 (n,)])`: equal, bit for bit
      on the same machine, to `gan.generate(n, seed=seed, labels=labels)`.

    `labels` exists for conditional models only. The folder is written
    under a temporary name and renamed when complete, so `path` never holds
    a half-written export. A model that was never trained exports too.

    Args:
        gan: a `kerasgan.GAN`.
        path: the folder to create; it must not exist or be empty.
        use_ema: export `gan.ema_generator` when the model keeps one (what
            `generate()` uses by default). Defaults to True.

    Returns:
        `path` as a string.

    Raises:
        ValueError: `path` exists and is not an empty folder.

    Example:
        >>> export_generator(gan, "exported/dcgan")  # doctest: +SKIP
        >>> served = tf.saved_model.load("exported/dcgan")  # doctest: +SKIP
        >>> sample = served.signatures["sample"]  # doctest: +SKIP
        >>> sample(n=tf.constant(16), seed=tf.constant(0, tf.int64))["images"]  # doctest: +SKIP
    """
    path = check_free_output(path, "SavedModel", folder=True)
    module = build_generator_module(gan, use_ema=use_ema)
    signatures = {"serving_default": module.serving_default, "sample": module.sample}
    return save_module_atomically(module, path, signatures, export_metadata(gan, use_ema))


def save_module_atomically(module, path, signatures, metadata):
    """Saves a `tf.Module` as a SavedModel with kerasgan's JSON description.

    The folder is written under a temporary name and renamed when complete,
    so `path` never holds a half-written export.

    Args:
        module: the `tf.Module` to save.
        path: the folder to create (checked free by the caller).
        signatures: dict of concrete functions.
        metadata: JSON-serializable dict written to `assets.extra/kerasgan.json`.

    Returns:
        `path`.
    """
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    tmp_path = tempfile.mkdtemp(prefix=".tmp-", suffix="-" + os.path.basename(path), dir=parent)
    try:
        tf.saved_model.save(module, tmp_path, signatures=signatures)
        write_json_atomically(os.path.join(tmp_path, METADATA_FILE), metadata)
        if os.path.isdir(path):
            os.rmdir(path)  # empty, as checked
        os.replace(tmp_path, path)
    except BaseException:
        shutil.rmtree(tmp_path, ignore_errors=True)
        raise
    return path
