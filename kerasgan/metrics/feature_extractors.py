"""Networks that map images in `[-1, 1]` to feature vectors or class probabilities.

Two named extractors are available to every metric:

- `"inception_v3"`: InceptionV3 trained on ImageNet, the network of the
  published FID / KID / IS numbers. Features are its 2048-d average-pooled
  last block; probabilities are its 1000-way softmax.
- `"fashion_mnist"`: the small CNN kerasgan trains and ships
  (`fashion_mnist_classifier.py`). Features are its 128-d penultimate layer;
  probabilities its 10-way softmax. Meaningful for Fashion-MNIST-like data,
  and fast on a CPU.

Both accept any image size and 1 or 3 channels: an `ImageAdapter` layer
resizes bilinearly to the network's input size and converts the channels.
"""

import functools

import keras

from kerasgan.metrics import fashion_mnist_classifier as fmc

OUTPUTS = ("features", "probabilities")
NAMED_EXTRACTORS = ("inception_v3", "fashion_mnist")
INCEPTION_V3_SIZE = 299
# ITU-R BT.601 luma weights, to turn RGB images into grayscale.
_LUMA = (0.299, 0.587, 0.114)


@keras.saving.register_keras_serializable(package="kerasgan")
class ImageAdapter(keras.layers.Layer):
    """Resizes a batch of images and converts its channels for a network.

    Bilinear resizing (no antialiasing, as in the reference FID code) to
    `(height, width)`, then 1 channel -> 3 by repeating it, or 3 -> 1 with
    the ITU-R BT.601 luma weights. Values are left as they are, so images in
    `[-1, 1]` stay (up to resampling) in `[-1, 1]`. The channel count must be
    known when the layer runs (always the case when called eagerly).

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
            raise ValueError(
                f"ImageAdapter converts to 1 or 3 channels; received "
                f"channels={channels}."
            )
        self.height = int(height)
        self.width = int(width)
        self.channels = int(channels)

    def call(self, images):
        images = keras.ops.cast(images, self.compute_dtype)
        in_channels = images.shape[-1]
        if in_channels not in (1, 3):
            raise ValueError(
                f"{self.name} expects images with 1 or 3 channels; received "
                f"shape {tuple(images.shape)}."
            )
        if in_channels == 1 and self.channels == 3:
            images = keras.ops.repeat(images, 3, axis=-1)
        elif in_channels == 3 and self.channels == 1:
            luma = keras.ops.convert_to_tensor(_LUMA, dtype=images.dtype)
            images = keras.ops.sum(images * luma, axis=-1, keepdims=True)
        if tuple(images.shape[1:3]) != (self.height, self.width):
            images = keras.ops.image.resize(
                images, (self.height, self.width), interpolation="bilinear"
            )
        return images

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.height, self.width, self.channels)

    def get_config(self):
        config = super().get_config()
        config.update(
            height=self.height, width=self.width, channels=self.channels
        )
        return config


def _check_output(output):
    if output not in OUTPUTS:
        raise ValueError(
            f"output must be one of {OUTPUTS}; received output={output!r}."
        )


def _with_adapter(network, height, width, channels, name):
    inputs = keras.Input(shape=(None, None, None), name="images")
    x = ImageAdapter(height, width, channels, name="image_adapter")(inputs)
    return keras.Model(inputs, network(x), name=name)


def build_inception_v3_extractor(weights="imagenet", output="features"):
    """Builds InceptionV3 as a feature extractor for images in `[-1, 1]`.

    Images of any size with 1 or 3 channels are resized bilinearly to
    299x299 and grayscale is repeated to RGB. No value mapping is needed:
    `keras.applications.inception_v3.preprocess_input` maps `[0, 255]` to
    `[-1, 1]`, which is exactly the range kerasgan images are in.

    Args:
        weights: `"imagenet"` (default; downloaded by Keras on first use, or
            read from `~/.keras/models`), `None` for random weights (tests),
            or the path of an InceptionV3 weights file.
        output: `"features"` for the 2048-d average-pooled features of the
            last block (FID, KID, precision/recall), or `"probabilities"` for
            the 1000-way ImageNet softmax (Inception Score).

    Returns:
        A `keras.Model` mapping images of shape `(batch, H, W, 1 or 3)` in
        `[-1, 1]` to float32 `(batch, 2048)` features or `(batch, 1000)`
        probabilities.

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
    top = output == "probabilities"
    try:
        network = keras.applications.InceptionV3(
            include_top=top,
            weights=weights,
            input_shape=(INCEPTION_V3_SIZE, INCEPTION_V3_SIZE, 3),
            pooling=None if top else "avg",
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
    size = INCEPTION_V3_SIZE
    return _with_adapter(network, size, size, 3, f"inception_v3_{output}")


def build_fashion_mnist_extractor(output="features", weights_path=None):
    """Builds the shipped Fashion-MNIST classifier as a feature extractor.

    Images of any size with 1 or 3 channels are resized bilinearly to 28x28
    and RGB is converted to grayscale.

    Args:
        output: `"features"` for the 128-d penultimate layer, or
            `"probabilities"` for the 10 class probabilities.
        weights_path: weights file; defaults to the one shipped with kerasgan.

    Returns:
        A `keras.Model` mapping images of shape `(batch, H, W, 1 or 3)` in
        `[-1, 1]` to float32 `(batch, 128)` features or `(batch, 10)`
        probabilities.

    Example:
        >>> import numpy as np
        >>> model = build_fashion_mnist_extractor()
        >>> model(np.zeros((4, 28, 28, 1))).shape
        TensorShape([4, 128])
    """
    _check_output(output)
    classifier = fmc.load_fashion_mnist_classifier(weights_path)
    if output == "features":
        layer = classifier.get_layer(fmc.FEATURE_LAYER)
        classifier = keras.Model(
            classifier.input, layer.output, name="fashion_mnist_trunk"
        )
    height, width, channels = fmc.IMAGE_SHAPE
    return _with_adapter(
        classifier, height, width, channels, f"fashion_mnist_{output}"
    )


@functools.lru_cache(maxsize=None)
def _named_extractor(name, output):
    if name == "inception_v3":
        return build_inception_v3_extractor(output=output)
    return build_fashion_mnist_extractor(output=output)


def get_feature_extractor(identifier="inception_v3", output="features"):
    """Returns the network a metric runs on images.

    Named extractors are built once per process and cached, so several
    metrics share one InceptionV3.

    Args:
        identifier: `"inception_v3"`, `"fashion_mnist"`, or a `keras.Model`
            (returned unchanged) that maps images in `[-1, 1]` to vectors of
            shape `(batch, num_features)`.
        output: `"features"` or `"probabilities"` (for named extractors).

    Returns:
        A `keras.Model`.

    Example:
        >>> get_feature_extractor("fashion_mnist").output_shape
        (None, 128)
    """
    _check_output(output)
    if isinstance(identifier, keras.Model):
        return identifier
    if identifier not in NAMED_EXTRACTORS:
        raise ValueError(
            f"feature_extractor must be one of {NAMED_EXTRACTORS} or a "
            f"keras.Model; received {identifier!r}."
        )
    return _named_extractor(identifier, output)
