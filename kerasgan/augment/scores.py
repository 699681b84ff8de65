"""How much to trust a generated sample: a classifier's confidence or the discriminator's score."""

import keras
import numpy as np
from keras import ops

# Images per network call when scoring candidates.
CHUNK_SIZE = 256
# Probabilities may miss summing to 1 by float rounding (float16 softmax included).
SUM_TOLERANCE = 1e-2


def _in_chunks(function, *arrays):
    """Runs `function` on slices of `arrays` and concatenates its NumPy outputs."""
    outputs = []
    for start in range(0, len(arrays[0]), CHUNK_SIZE):
        chunk = [array[start : start + CHUNK_SIZE] for array in arrays]
        outputs.append(np.asarray(ops.convert_to_numpy(function(*chunk)), dtype="float32"))
    return np.concatenate(outputs)


def _single_output(outputs):
    """The classifier's one output tensor; a model with several outputs is refused by name."""
    if not keras.tree.is_nested(outputs):
        return outputs
    shapes = [tuple(ops.shape(output)) for output in keras.tree.flatten(outputs)]
    raise ValueError(
        f"The classifier must return one tensor of probabilities (batch, num_classes); it returned "
        f"{len(shapes)} outputs of shapes {shapes}. Pass a model with only the class output, e.g. "
        "keras.Model(classifier.inputs, classifier.outputs[0])."
    )


def classifier_confidence(classifier, images, labels, num_classes):
    """The probability a classifier gives each image's intended class.

    Calls `classifier(images, training=False)` in chunks and reads, for each
    image, the probability of its own label. The classifier must end in a
    softmax: its outputs are checked to be probabilities.

    Args:
        classifier: a Keras classifier (any callable on image batches)
            returning probabilities `(batch, num_classes)`.
        images: float32 NumPy array `(N, H, W, C)` in the range the
            classifier was trained on.
        labels: int NumPy array `(N,)`, the intended classes.
        num_classes: number of classes of the conditional model.

    Returns:
        float32 NumPy array `(N,)` in `[0, 1]`.

    Raises:
        ValueError: several outputs, outputs of the wrong shape, or that
            are not probabilities (logits, say).

    Example:
        >>> import keras, numpy as np
        >>> flat = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
        ...                          keras.layers.Dense(10, activation="softmax")])
        >>> classifier_confidence(flat, np.zeros((3, 28, 28, 1), "float32"), np.arange(3), 10).shape
        (3,)
    """
    probabilities = _in_chunks(lambda x: _single_output(classifier(x, training=False)), images)
    if probabilities.shape != (len(images), num_classes):
        raise ValueError(
            f"The classifier must return probabilities of shape (batch, {num_classes}), "
            f"one per class of the conditional model; it returned shape "
            f"{probabilities.shape[1:]} per batch of {len(images)}. Pass a classifier "
            f"trained on the same {num_classes} classes."
        )
    sums = probabilities.sum(axis=1)
    if (
        not np.isfinite(probabilities).all()
        or probabilities.min() < 0.0
        or np.abs(sums - 1.0).max() > SUM_TOLERANCE
    ):
        raise ValueError(
            "The classifier's outputs are not probabilities (values from "
            f"{probabilities.min():.3g} to {probabilities.max():.3g}, rows summing to "
            f"{sums.min():.3g}..{sums.max():.3g}); it probably returns logits. Add a "
            "softmax: keras.Sequential([classifier, keras.layers.Softmax()])."
        )
    return probabilities[np.arange(len(images)), labels]


def discriminator_scores(gan, images, labels):
    """The discriminator's adversarial logit for each generated image.

    Calls `gan.discriminate(images, labels, training=False)` in chunks
    (the class-conditional critic for `ConditionalGAN`, the real/fake head
    for `ACGAN`); higher means "looks more real".

    Args:
        gan: a conditional kerasgan model.
        images: float32 NumPy array `(N, *image_shape)` in `[-1, 1]`.
        labels: int NumPy array `(N,)`.

    Returns:
        float32 NumPy array `(N,)`.

    Example:
        >>> cgan = kerasgan.ConditionalGAN(num_classes=10, latent_dim=8)
        >>> labels = np.arange(4)
        >>> discriminator_scores(cgan, cgan.generate(4, seed=0, labels=labels), labels).shape
        (4,)
    """
    scores = _in_chunks(
        lambda x, y: gan.discriminate(x, ops.convert_to_tensor(y), training=False), images, labels
    )
    return scores.reshape(len(images))
