"""Perceptual (feature) loss: the distance of two images in a frozen network's feature maps."""

import copy

import keras
import numpy as np

from kerasgan.utils.validation import validate_image_shape, validate_positive_number

# The named feature networks, each with its default layer and feature scale.
# VGG19's features are scaled by 1/12.75, as in SRGAN, so that the loss has
# the magnitude of a pixel MSE.
FEATURE_NETWORKS = {
    "vgg19": {"layer": "block5_conv4", "feature_scale": 1.0 / 12.75},
    "fashion_mnist": {"layer": "conv2", "feature_scale": 1.0},
}
# The ImageNet channel means (BGR, in [0, 255]) that VGG's "caffe" preprocessing subtracts.
_VGG_BGR_MEANS = (103.939, 116.779, 123.68)
# ITU-R BT.601 luma weights, to turn RGB images into grayscale.
_LUMA = (0.299, 0.587, 0.114)


def perceptual_distance(features, target_features, feature_scale=1.0):
    """The mean squared difference of two batches of feature maps.

    `mean((feature_scale * (features - target_features))**2)` in float32,
    over every example, position and channel.

    Args:
        features: tensor `(batch, ...)`, e.g. `(batch, h, w, c)` feature maps.
        target_features: tensor of the same shape.
        feature_scale: factor applied to both before the difference.
            Defaults to 1.

    Returns:
        A float32 scalar, 0 for identical features.

    Example:
        >>> import numpy as np
        >>> float(perceptual_distance(np.ones((2, 3)), np.zeros((2, 3)), feature_scale=0.5))
        0.25
    """
    difference = keras.ops.cast(features, "float32") - keras.ops.cast(target_features, "float32")
    return keras.ops.mean(keras.ops.square(feature_scale * difference))


def _fixed_conv(kernel, bias, name):
    """A frozen 1x1 convolution: a per-pixel linear map of the channels, `kernel[in][out]`."""
    kernel = np.asarray(kernel, dtype="float32")
    layer = keras.layers.Conv2D(kernel.shape[1], 1, use_bias=bias is not None, trainable=False, name=name)
    layer.build((None, None, None, kernel.shape[0]))
    weights = [kernel[None, None]] + ([] if bias is None else [np.asarray(bias, dtype="float32")])
    layer.set_weights(weights)
    return layer


def _vgg19_features(image_shape, layer, weights):
    height, width, channels = image_shape
    # [-1, 1] RGB (or grayscale, repeated) -> [0, 255] BGR minus the ImageNet means.
    kernel = [[127.5 if out == 2 - c else 0.0 for out in range(3)] for c in range(3)]
    if channels == 1:
        kernel = [[127.5, 127.5, 127.5]]
    bias = [127.5 - mean for mean in _VGG_BGR_MEANS]
    try:
        vgg = keras.applications.VGG19(include_top=False, weights=weights, input_shape=(height, width, 3))
    except ValueError:  # a bad argument, not a failed download
        raise
    except Exception as error:  # Keras raises a bare Exception on failed downloads.
        if weights != "imagenet":
            raise
        raise RuntimeError(
            "Could not load the ImageNet weights of VGG19 for the perceptual loss (no network "
            "access?). Put vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5 in ~/.keras/models, "
            "pass perceptual_network='fashion_mnist' (shipped with kerasgan) or a keras.Model of "
            "your own, or turn the term off with perceptual_weight=0."
        ) from error
    trunk = keras.Model(vgg.input, vgg.get_layer(layer).output, name=f"vgg19_{layer}")
    inputs = keras.Input(image_shape, name="images")
    outputs = trunk(_fixed_conv(kernel, bias, "vgg19_preprocessing")(inputs))
    return keras.Model(inputs, outputs, name=f"vgg19_{layer}_features")


def _fashion_mnist_features(image_shape, layer):
    from kerasgan.metrics.fashion_mnist_classifier import load_fashion_mnist_classifier

    classifier = load_fashion_mnist_classifier()
    convolutions = [part for part in classifier.layers if isinstance(part, keras.layers.Conv2D)]
    names = [f"conv{i + 1}" for i in range(len(convolutions))]
    if layer not in names:
        raise ValueError(
            f"The fashion_mnist feature network's layers are {names} (its convolutions, ReLU "
            f"included); received layer={layer!r}."
        )
    inputs = keras.Input(image_shape, name="images")
    x = inputs
    if image_shape[-1] == 3:
        x = _fixed_conv([[w] for w in _LUMA], None, "to_grayscale")(x)
    # The classifier reads [-1, 1] images: its layers up to the chosen convolution, in order.
    last = classifier.layers.index(convolutions[names.index(layer)])
    for part in classifier.layers[1 : last + 1]:
        x = part(x)
    return keras.Model(inputs, x, name=f"fashion_mnist_{layer}_features")


def build_feature_network(name, image_shape, layer=None, weights="imagenet"):
    """Builds a named frozen feature network for images in `[-1, 1]`.

    - `"vgg19"`: Keras's ImageNet VGG19 up to `layer` (default
      `"block5_conv4"`, after its ReLU: SRGAN's VGG5,4). Images are mapped
      from `[-1, 1]` to VGG's input (`[0, 255]`, BGR, ImageNet means
      subtracted; grayscale repeated to three channels) by a frozen 1x1
      convolution in front. Needs height and width of at least 32.
    - `"fashion_mnist"`: the classifier kerasgan ships
      (`kerasgan.metrics.load_fashion_mnist_classifier`), up to its
      convolution `layer`: `"conv1"` (32 maps at full size) or `"conv2"`
      (default: 64 maps at half size). RGB is turned to grayscale with the
      BT.601 luma weights. Works offline.

    Every layer is frozen (`trainable=False`).

    Args:
        name: `"vgg19"` or `"fashion_mnist"`.
        image_shape: `(H, W, C)` of the images, `C` 1 or 3.
        layer: the layer whose output is the features; None for the
            network's default.
        weights: for VGG19: `"imagenet"` (default; downloaded by Keras on
            first use, or read from `~/.keras/models`), None for random
            weights, or a weights file.

    Returns:
        A functional `keras.Model` from images `(batch, H, W, C)` in
        `[-1, 1]` to feature maps `(batch, h, w, c)`.

    Example:
        >>> build_feature_network("fashion_mnist", (28, 28, 1)).output_shape
        (None, 14, 14, 64)
    """
    if name not in FEATURE_NETWORKS:
        raise ValueError(
            f"The named feature networks are {sorted(FEATURE_NETWORKS)}; received {name!r}. "
            "Pass a keras.Model of your own instead."
        )
    image_shape = validate_image_shape(image_shape)
    if image_shape[-1] not in (1, 3):
        raise ValueError(
            f"The {name} feature network reads images with 1 or 3 channels; received image_shape "
            f"{image_shape}. Pass a keras.Model of your own for other images."
        )
    layer = FEATURE_NETWORKS[name]["layer"] if layer is None else layer
    if name == "vgg19":
        if min(image_shape[:2]) < 32:
            raise ValueError(
                f"VGG19 needs images of at least 32x32; received image_shape {image_shape}. Use "
                "the 'fashion_mnist' feature network for small images, or a keras.Model of your own."
            )
        network = _vgg19_features(image_shape, layer, weights)
    else:
        network = _fashion_mnist_features(image_shape, layer)
    network.trainable = False
    return network


@keras.saving.register_keras_serializable(package="kerasgan")
class PerceptualLoss(keras.layers.Layer):
    """The perceptual (feature) loss of SRGAN with a pluggable, frozen feature network.

    Called on `(images, targets)`, returns `perceptual_distance` of the
    network's features of both (targets' features without gradient), with
    the network in inference mode. The network is frozen: its variables
    are non-trainable, so no optimizer ever holds them, and a model that
    owns this layer saves them in its `.keras` file, so it loads offline
    without downloading ImageNet weights again (80 MB for VGG19's sixteen
    convolutions, 75 KB for the Fashion-MNIST ones). For the same reason
    `get_config` stores the built network itself, never its name.

    Args:
        network: `"vgg19"` (default: the ImageNet VGG19, SRGAN's VGG5,4 loss),
            `"fashion_mnist"` (the classifier kerasgan ships; offline), or
            any `keras.Model` mapping images in `[-1, 1]` to features,
            which is frozen and used as it is.
        image_shape: `(H, W, C)` of the images, needed for a named network.
        layer: the layer of a named network whose output is the features;
            see `build_feature_network`. None for its default.
        weights: VGG19's weights (`"imagenet"`, None or a file).
        feature_scale: factor on the features before the difference, positive.
            None for the named network's (1/12.75 for VGG19, as in SRGAN;
            1 otherwise).
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Returns:
        Called on two image batches `(batch, H, W, C)` in `[-1, 1]`, a
        float32 scalar, 0 for identical images.

    Example:
        >>> import numpy as np
        >>> loss = PerceptualLoss("fashion_mnist", image_shape=(28, 28, 1))
        >>> images = np.zeros((2, 28, 28, 1), "float32")
        >>> float(loss(images, images)), float(loss(images, images + 0.5)) > 0
        (0.0, True)

    Reference:
        Johnson et al., "Perceptual Losses for Real-Time Style Transfer and
        Super-Resolution", ECCV 2016; Ledig et al., "Photo-Realistic Single
        Image Super-Resolution Using a Generative Adversarial Network", CVPR
        2017 (VGG5,4 and the 1/12.75 scale).
    """

    def __init__(
        self, network="vgg19", image_shape=None, layer=None, weights="imagenet", feature_scale=None, **kwargs
    ):
        kwargs.setdefault("trainable", False)
        super().__init__(**kwargs)
        if isinstance(network, dict):  # from get_config; deserializing would empty the caller's dict
            network = keras.saving.deserialize_keras_object(copy.deepcopy(network))
        if isinstance(network, str):
            if image_shape is None:
                raise ValueError(
                    f"PerceptualLoss({network!r}) builds its network for one image size: pass "
                    "image_shape=(H, W, C)."
                )
            named = FEATURE_NETWORKS.get(network, {})
            network = build_feature_network(network, image_shape, layer=layer, weights=weights)
            feature_scale = named.get("feature_scale", 1.0) if feature_scale is None else feature_scale
        elif not isinstance(network, keras.Model):
            raise ValueError(
                f"PerceptualLoss's network must be one of {sorted(FEATURE_NETWORKS)} or a keras.Model "
                f"mapping images in [-1, 1] to features; received {type(network).__name__}."
            )
        elif layer is not None:
            raise ValueError(
                "layer= chooses a layer of a named network; cut your keras.Model at the layer "
                "yourself, e.g. keras.Model(model.input, model.get_layer(name).output)."
            )
        network.trainable = False
        self.network = network
        self.feature_scale = validate_positive_number(
            1.0 if feature_scale is None else feature_scale, "feature_scale"
        )

    def call(self, images, targets):
        features = self.network(images, training=False)
        target_features = keras.ops.stop_gradient(self.network(targets, training=False))
        return perceptual_distance(features, target_features, self.feature_scale)

    def compute_output_shape(self, images_shape, targets_shape):
        return ()

    def get_config(self):
        return {
            **super().get_config(),
            "network": keras.saving.serialize_keras_object(self.network),
            "feature_scale": self.feature_scale,
        }
