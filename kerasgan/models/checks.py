"""Checks of a GAN's networks, training batches and sampling labels.

Each check raises a `ValueError` that says what was received and what to
do; value ranges are checked inside the graph with `assert_in_range`.
"""

import keras
import numpy as np
from keras import ops

from kerasgan.backend import assert_in_range, assert_shape
from kerasgan.backend.errors import with_received_shape
from kerasgan.utils.validation import checked_image_range


def check_images(gan, images, image_shape=None, role="images", argument="image_shape"):
    """Checks a batch of training images against `gan.image_shape`.

    Sizes unknown while tracing (a step traced for batches of several
    shapes) are checked when the step runs, and the error names the shape
    the batch really had.

    Args:
        gan: the kerasgan model.
        images: tensor `(batch, H, W, C)`, float, values in `[-1, 1]`.
        image_shape: expected `(H, W, C)`; defaults to `gan.image_shape`.
        role: what the images are, for messages (`"images"`, `"source
            images"`, `"domain B images"`).
        argument: the constructor argument that sets `image_shape`, for
            messages. Defaults to `"image_shape"`.

    Returns:
        `images`, guarded by an in-graph shape and range check.

    Example:
        >>> images = check_images(gan, batch)  # doctest: +SKIP
    """
    name = type(gan).__name__
    image_shape = tuple(gan.image_shape if image_shape is None else image_shape)
    expected = "(batch, " + ", ".join(str(d) for d in image_shape) + ")"
    if images is None:
        raise ValueError(f"{name} needs {role} of shape {expected} in [-1, 1]; the batch has none.")
    message = (
        f"{name} expects {role} of shape {expected} in [-1, 1]; received shape (shape follows). "
        f"Resize your data (kerasgan.data.load(..., image_size=...)) or build the model with "
        f"{argument}=(image shape follows)."
    )
    shape = tuple(images.shape)
    if len(shape) != 4 or any(size not in (None, want) for size, want in zip(shape[1:], image_shape)):
        raise ValueError(with_received_shape(message, shape))
    if None in shape[1:]:
        images = assert_shape(images, (None, *image_shape), message)
    if not keras.backend.is_float_dtype(images.dtype):
        raise ValueError(
            f"{name} expects float {role} in [-1, 1]; received dtype "
            f"{keras.backend.standardize_dtype(images.dtype)}. Scale them, "
            "e.g. images / 127.5 - 1 for uint8 data, or use "
            "kerasgan.data.from_numpy(x)."
        )
    return checked_image_range(images, f"{name} expects {role}")


def check_labels(gan, labels):
    """Checks class labels of a conditional GAN's batch.

    Args:
        gan: the conditional `kerasgan.GAN`.
        labels: int tensor `(batch,)` or `(batch, 1)`, or None.

    Returns:
        int32 labels `(batch,)`, guarded by an in-graph range check.

    Example:
        >>> labels = check_labels(cgan, batch_labels)  # doctest: +SKIP
    """
    name = type(gan).__name__
    if labels is None:
        raise ValueError(
            f"{name} is conditional (num_classes={gan.num_classes}) and needs "
            "class labels, but the data holds images only. Pass a dataset of "
            "(images, labels), e.g. kerasgan.data.load(..., with_labels=True)."
        )
    if len(labels.shape) == 2 and labels.shape[-1] == 1:
        labels = ops.reshape(labels, (-1,))
    if len(labels.shape) != 1 or not keras.backend.is_int_dtype(labels.dtype):
        raise ValueError(
            f"{name} expects integer class ids of shape (batch,); received "
            f"labels of shape {tuple(labels.shape)} and dtype "
            f"{keras.backend.standardize_dtype(labels.dtype)}. Convert one-hot "
            "labels with argmax."
        )
    labels = assert_in_range(
        labels,
        0,
        gan.num_classes - 1,
        f"{name} expects labels in [0, {gan.num_classes - 1}] (min, max follow).",
    )
    return ops.cast(labels, "int32")


def check_networks(gan):
    """Checks that the networks fit `image_shape` and the conditioning.

    Args:
        gan: the `kerasgan.GAN` whose `generator`/`discriminator` are set.

    Returns:
        None.

    Example:
        >>> check_networks(gan)  # doctest: +SKIP
    """
    name = type(gan).__name__
    output_shape = _generator_output_shape(gan)
    if output_shape is not None and output_shape != gan.image_shape:
        raise ValueError(
            f"{name}(image_shape={gan.image_shape}) got a generator producing "
            f"images of shape {output_shape}. Build both networks for "
            f"image_shape={gan.image_shape}."
        )
    inputs = getattr(gan.discriminator, "inputs", None)
    image_input_shape = tuple(inputs[0].shape[1:]) if inputs else None
    if image_input_shape is not None and image_input_shape != gan.image_shape:
        raise ValueError(
            f"{name}(image_shape={gan.image_shape}) got a discriminator taking "
            f"images of shape {image_input_shape}. Build both networks for "
            f"image_shape={gan.image_shape}."
        )
    conditional = gan.num_classes is not None
    for network, takes_labels in (
        (gan.generator, conditional),
        (gan.discriminator, conditional and gan.discriminator_takes_labels),
    ):
        expected_inputs = 2 if takes_labels else 1
        network_inputs = getattr(network, "inputs", None)
        if network_inputs is not None and len(network_inputs) != expected_inputs:
            kind = "conditional" if gan.num_classes else "unconditional"
            raise ValueError(
                f"{name} is {kind} so its {network.name} must take "
                f"{expected_inputs} input(s); it takes {len(network_inputs)}. "
                "Build it with num_classes="
                f"{gan.num_classes} or pass num_classes to {name}."
            )


def _generator_output_shape(gan):
    """The generator's image shape: its `output_shape`, or one call for a subclassed model.

    A subclassed generator is called once on zero latents, which also
    builds its layers (Keras builds an unbuilt model from a training batch,
    which a generator cannot take). Returns None when that call fails; the
    images are then checked when they are first made.
    """
    generator = gan.generator
    if getattr(generator, "inputs", None):
        return tuple(generator.output_shape[1:])
    latents = ops.zeros((2, gan.latent_dim))
    inputs = latents if gan.num_classes is None else [latents, ops.zeros((2,), dtype="int32")]
    try:
        images = generator(inputs, training=False)
    except Exception:  # noqa: BLE001 (any failure of user code: fall back to the first real call)
        return None
    return tuple(images.shape[1:])


def prepare_labels(gan, labels, num_samples):
    """Turns `generate()`'s `labels` argument into int32 class ids.

    Args:
        gan: the `kerasgan.GAN`.
        labels: None, one class id, or `num_samples` class ids.
        num_samples: number of samples requested.

    Returns:
        int32 NumPy array `(num_samples,)`, or None for unconditional models.

    Example:
        >>> prepare_labels(cgan, 7, 4)  # doctest: +SKIP
        array([7, 7, 7, 7], dtype=int32)
    """
    name = type(gan).__name__
    if gan.num_classes is None:
        if labels is not None:
            raise ValueError(
                f"{name} is unconditional; generate() takes no labels. Build a "
                "conditional model (num_classes=...) to generate by class."
            )
        return None
    if labels is None:
        raise ValueError(
            f"{name} is conditional: pass labels=, one class id in "
            f"[0, {gan.num_classes - 1}] or one per sample."
        )
    labels = np.asarray(labels)
    if labels.ndim == 0:
        labels = np.full((num_samples,), labels)
    if labels.shape != (num_samples,) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"labels must be an integer or {num_samples} integer class ids; "
            f"received shape {labels.shape} and dtype {labels.dtype}."
        )
    if labels.min() < 0 or labels.max() >= gan.num_classes:
        raise ValueError(
            f"labels must lie in [0, {gan.num_classes - 1}]; received values "
            f"from {labels.min()} to {labels.max()}."
        )
    return labels.astype("int32")
