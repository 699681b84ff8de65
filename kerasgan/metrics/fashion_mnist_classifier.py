"""The small Fashion-MNIST classifier that kerasgan trains and ships.

Inception features describe ImageNet photographs, not 28x28 grayscale clothes;
a classifier trained on Fashion-MNIST itself gives features (for FID, KID,
precision/recall) and class logits (for the Inception Score and per-class
accuracy) that mean something for this data set. Its scores are for
relative comparisons within kerasgan (which of two models is closer to
Fashion-MNIST), not for comparison with published figures. The weights ship
inside the package and `scripts/train_feature_extractor.py` re-trains them.
"""

import json
import os

import keras

FEATURE_LAYER = "features"
LOGITS_LAYER = "logits"
NUM_FEATURES = 128
NUM_CLASSES = 10
IMAGE_SHAPE = (28, 28, 1)

_HERE = os.path.dirname(os.path.abspath(__file__))
WEIGHTS_PATH = os.path.join(_HERE, "fashion_mnist_classifier.weights.h5")
METADATA_PATH = os.path.join(_HERE, "fashion_mnist_classifier.json")


def build_fashion_mnist_classifier():
    """Builds the (untrained) Fashion-MNIST classifier CNN.

    Two convolution blocks (32 and 64 filters, 3x3, ReLU, 2x2 max pooling),
    a 128-unit ReLU dense layer named `"features"` (the penultimate layer used
    as the feature space), dropout, a 10-unit dense layer named `"logits"` and
    a softmax named `"probabilities"`. About 0.42 M parameters (1.7 MB of
    float32 weights).

    Returns:
        A functional `keras.Model` mapping images of shape `(batch, 28, 28, 1)`
        in `[-1, 1]` to class probabilities of shape `(batch, 10)`.

    Example:
        >>> model = build_fashion_mnist_classifier()
        >>> model.output_shape
        (None, 10)
    """
    inputs = keras.Input(shape=IMAGE_SHAPE, name="images")
    x = inputs
    for filters in (32, 64):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(NUM_FEATURES, activation="relu", name=FEATURE_LAYER)(x)
    x = keras.layers.Dropout(0.3)(x)
    x = keras.layers.Dense(NUM_CLASSES, name=LOGITS_LAYER)(x)
    outputs = keras.layers.Softmax(name="probabilities")(x)
    return keras.Model(inputs, outputs, name="fashion_mnist_classifier")


def load_fashion_mnist_classifier(weights_path=None):
    """Builds the Fashion-MNIST classifier and loads its trained weights.

    Args:
        weights_path: a `.weights.h5` file written by
            `scripts/train_feature_extractor.py`. Defaults to the file shipped
            with kerasgan (`fashion_mnist_classifier.weights.h5`).

    Returns:
        The trained classifier (see `build_fashion_mnist_classifier`).

    Example:
        >>> model = load_fashion_mnist_classifier()
        >>> model.get_layer("features").units
        128
    """
    weights_path = weights_path or WEIGHTS_PATH
    model = build_fashion_mnist_classifier()
    try:
        model.load_weights(weights_path)
    except FileNotFoundError as err:
        raise FileNotFoundError(
            f"Fashion-MNIST classifier weights not found at {weights_path}. "
            "Re-install kerasgan, or run "
            "`python scripts/train_feature_extractor.py` to train them."
        ) from err
    return model


def load_fashion_mnist_classifier_metadata(metadata_path=None):
    """Reads the JSON written next to the shipped weights.

    Args:
        metadata_path: path of the JSON file; defaults to the shipped
            `fashion_mnist_classifier.json`.

    Returns:
        A dict with at least `"test_accuracy"` (measured on the 10,000 test
        images), `"epochs"` and `"seed"`.

    Example:
        >>> load_fashion_mnist_classifier_metadata()["test_accuracy"] >= 0.9
        True
    """
    with open(metadata_path or METADATA_PATH) as f:
        return json.load(f)
