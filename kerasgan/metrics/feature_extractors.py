"""Networks that map images in `[-1, 1]` to feature vectors or class logits.

Two named extractors serve every metric: `"inception_v3"` (Keras's ImageNet
InceptionV3, see `build_inception_v3_extractor`) and `"fashion_mnist"` (the
small CNN kerasgan ships, see `build_fashion_mnist_extractor`). Both accept
any image size and 1 or 3 channels through an `ImageAdapter` layer.
"""

import functools

import keras

from kerasgan.metrics import fashion_mnist_classifier as fmc

# The size of each output of each named extractor.
NAMED_EXTRACTORS = {
    "inception_v3": {"features": 2048, "logits": 1000},
    "fashion_mnist": {"features": fmc.NUM_FEATURES, "logits": fmc.NUM_CLASSES},
}
OUTPUTS = ("features", "logits")
INCEPTION_V3_SIZE = 299
# ITU-R BT.601 luma weights, to turn RGB images into grayscale.
_LUMA = (0.299, 0.587, 0.114)


@keras.saving.register_keras_serializable(package="kerasgan")
class ImageAdapter(keras.layers.Layer):
    """Resizes a batch of images and converts its channels for a network.

    Bilinear resizing without antialiasing to `(height, width)`, then
    1 channel -> 3 by repeating it, or 3 -> 1 with the ITU-R BT.601 luma
    weights. Values are left as they are, so images in `[-1, 1]` stay (up to
    resampling) in `[-1, 1]`. The channel count must be known when the layer
    is called (it always is for arrays, and for `tf.data` batches).

    Args:
        height: output height in pixels.
        width: output width in pixels.
        channels: output channels, 1 or 3.

    Returns:
        Called on images of shape `(batch, H, W, 1 or 3)`, returns images of
        shape `(batch, height, width, channels)`.

    Example:
        >>> import numpy as np
        >>> ImageAdapter(299, 299, 3)(np.zeros((2, 28, 28, 1))).shape
        TensorShape([2, 299, 299, 3])
    """

    def __init__(self, height, width, channels, **kwargs):
        super().__init__(**kwargs)
        if channels not in (1, 3):
            raise ValueError(f"ImageAdapter converts to 1 or 3 channels; received channels={channels}.")
        self.height, self.width, self.channels = int(height), int(width), int(channels)

    def call(self, images):
        images = keras.ops.cast(images, self.compute_dtype)
        in_channels = images.shape[-1]
        if in_channels not in (1, 3):
            raise ValueError(
                f"{self.name} expects images with 1 or 3 channels; received shape {tuple(images.shape)}."
            )
        if in_channels == 1 and self.channels == 3:
            images = keras.ops.repeat(images, 3, axis=-1)
        elif in_channels == 3 and self.channels == 1:
            luma = keras.ops.convert_to_tensor(_LUMA, dtype=images.dtype)
            images = keras.ops.sum(images * luma, axis=-1, keepdims=True)
        if tuple(images.shape[1:3]) != (self.height, self.width):
            images = keras.ops.image.resize(images, (self.height, self.width), interpolation="bilinear")
        return images

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.height, self.width, self.channels)

    def get_config(self):
        config = super().get_config()
        config.update(height=self.height, width=self.width, channels=self.channels)
        return config


def _check_output(output):
    if output not in OUTPUTS:
        raise ValueError(f"output must be one of {OUTPUTS}; received output={output!r}.")


def _with_adapter(network, image_shape, name):
    inputs = keras.Input(shape=(None, None, None), name="images")
    x = ImageAdapter(*image_shape, name="image_adapter")(inputs)
    return keras.Model(inputs, network(x), name=name)


def build_inception_v3_extractor(weights="imagenet", output="features"):
    """Builds Keras's ImageNet InceptionV3 as an extractor for images in `[-1, 1]`.

    Wraps `keras.applications.InceptionV3`, not the 2015 TensorFlow Inception
    graph that published FID / Inception Score figures come from: scores
    computed with it are comparable with each other, not with papers.
    Images of any size with 1 or 3 channels are resized bilinearly to
    299x299 and grayscale is repeated to RGB. No value mapping is needed:
    `keras.applications.inception_v3.preprocess_input` maps `[0, 255]` to
    `[-1, 1]`, which is exactly the range kerasgan images are in.

    Args:
        weights: `"imagenet"` (default; downloaded by Keras on first use, or
            read from `~/.keras/models`), `None` for random weights (tests),
            or the path of an InceptionV3 weights file.
        output: `"features"` (default) for the 2048-d average-pooled last
            block (FID, KID, precision/recall), or `"logits"` for the 1000
            ImageNet class scores before the softmax (Inception Score).

    Returns:
        A `keras.Model` from images `(batch, H, W, 1 or 3)` to float32
        `(batch, 2048)` features or `(batch, 1000)` logits.

    Example:
        >>> import numpy as np
        >>> model = build_inception_v3_extractor(weights=None)
        >>> model(np.zeros((4, 28, 28, 1))).shape
        TensorShape([4, 2048])

    Reference:
        Szegedy et al., "Rethinking the Inception Architecture for Computer
        Vision", CVPR 2016. https://arxiv.org/abs/1512.00567
    """
    _check_output(output)
    top = output == "logits"
    try:
        network = keras.applications.InceptionV3(
            include_top=top,
            weights=weights,
            input_shape=(INCEPTION_V3_SIZE, INCEPTION_V3_SIZE, 3),
            pooling=None if top else "avg",
            classifier_activation=None,
        )
    except Exception as err:  # Keras raises a bare Exception on failed downloads.
        if weights != "imagenet":
            raise
        raise RuntimeError(
            "Could not load the ImageNet weights of InceptionV3 (no network "
            "access?). Put the Keras weights file in ~/.keras/models, pass "
            "weights='/path/to/weights.h5', or use "
            "feature_extractor='fashion_mnist' for Fashion-MNIST-like data."
        ) from err
    size = (INCEPTION_V3_SIZE, INCEPTION_V3_SIZE, 3)
    return _with_adapter(network, size, f"inception_v3_{output}")


def build_fashion_mnist_extractor(output="features", weights_path=None):
    """Builds the shipped Fashion-MNIST classifier as an extractor.

    Images of any size with 1 or 3 channels are resized bilinearly to 28x28
    and RGB is converted to grayscale. Scores from it say which of two
    models is closer to Fashion-MNIST; they mean nothing outside kerasgan.

    Args:
        output: `"features"` (default) for the 128-d penultimate layer, or
            `"logits"` for the 10 class scores before the softmax.
        weights_path: weights file; defaults to the one shipped with kerasgan.

    Returns:
        A `keras.Model` from images `(batch, H, W, 1 or 3)` to float32
        `(batch, 128)` features or `(batch, 10)` logits.

    Example:
        >>> build_fashion_mnist_extractor(output="logits").output_shape
        (None, 10)
    """
    _check_output(output)
    classifier = fmc.load_fashion_mnist_classifier(weights_path)
    layer = fmc.FEATURE_LAYER if output == "features" else fmc.LOGITS_LAYER
    trunk = keras.Model(classifier.input, classifier.get_layer(layer).output)
    return _with_adapter(trunk, fmc.IMAGE_SHAPE, f"fashion_mnist_{output}")


@functools.cache
def _named_extractor(name, output):
    if name == "inception_v3":
        return build_inception_v3_extractor(output=output)
    return build_fashion_mnist_extractor(output=output)


def check_extractor(identifier):
    """Raises a `ValueError` unless `identifier` names an extractor or is a `keras.Model`.

    Args:
        identifier: what a metric's `feature_extractor` argument received.

    Example:
        >>> check_extractor("fashion_mnist")
    """
    if not isinstance(identifier, keras.Model) and identifier not in NAMED_EXTRACTORS:
        raise ValueError(
            f"feature_extractor must be one of {tuple(NAMED_EXTRACTORS)} or a "
            f"keras.Model; received {identifier!r}."
        )


def get_feature_extractor(identifier="inception_v3", output="features"):
    """Returns the network a metric runs on images.

    Named extractors are built once per process and cached, so several
    metrics share one InceptionV3.

    Args:
        identifier: `"inception_v3"` (default), `"fashion_mnist"`, or a
            `keras.Model` (returned unchanged) that maps images in `[-1, 1]`
            to vectors of shape `(batch, num_features)`.
        output: `"features"` (default) or `"logits"`; for named extractors.

    Returns:
        A `keras.Model`.

    Example:
        >>> get_feature_extractor("fashion_mnist").output_shape
        (None, 128)
    """
    _check_output(output)
    check_extractor(identifier)
    if isinstance(identifier, keras.Model):
        return identifier
    return _named_extractor(identifier, output)


def feature_size(identifier, output="features"):
    """The length of the vectors an extractor returns, without building it.

    Args:
        identifier: an extractor name, or a functional or `Sequential`
            `keras.Model` whose output shape is `(batch, num_features)`.
        output: `"features"` (default) or `"logits"`; for named extractors.

    Returns:
        An int.

    Example:
        >>> feature_size("inception_v3")
        2048
    """
    _check_output(output)
    check_extractor(identifier)
    if not isinstance(identifier, keras.Model):
        return NAMED_EXTRACTORS[identifier][output]
    try:
        shape = tuple(identifier.output_shape)
    except (AttributeError, ValueError):
        shape = None
    if shape is None or len(shape) != 2 or shape[1] is None:
        raise ValueError(
            f"The feature extractor {identifier.name!r} must map images to "
            "vectors of a known size, shape (batch, num_features); its output "
            f"shape is {shape}. Use a functional or Sequential model ending "
            "in a pooling, Flatten or Dense layer."
        )
    return int(shape[1])
