"""The frozen networks whose feature maps define content and style.

Two are named: `"vgg19"`, Keras's ImageNet VGG19 as in the paper (it needs
its weights, downloaded by Keras on first use), and `"fashion_mnist"`, the
convolutional layers of the Fashion-MNIST classifier kerasgan ships, made
fully convolutional so that it reads images of any size offline. Any other
functional or `Sequential` `keras.Model` works too; its layers are chosen
by name and it receives images in `[-1, 1]` as they are.
"""

import functools

import keras
from keras import ops

from kerasgan.metrics import fashion_mnist_classifier as fmc

VGG19_CONTENT_LAYERS = ("block4_conv2",)
VGG19_STYLE_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1")
FASHION_MNIST_CONTENT_LAYERS = ("conv2",)
FASHION_MNIST_STYLE_LAYERS = ("conv1", "conv2")
# name -> (default content layers, default style layers).
NAMED_FEATURE_NETWORKS = {
    "vgg19": (VGG19_CONTENT_LAYERS, VGG19_STYLE_LAYERS),
    "fashion_mnist": (FASHION_MNIST_CONTENT_LAYERS, FASHION_MNIST_STYLE_LAYERS),
}
# The ImageNet mean, in BGR order and [0, 255], that the caffe-trained VGG weights expect subtracted.
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)


@keras.saving.register_keras_serializable(package="kerasgan")
class CaffePreprocessing(keras.layers.Layer):
    """Maps images in `[-1, 1]` to the input the caffe-trained VGG weights expect.

    RGB in `[-1, 1]` becomes BGR in `[0, 255]` minus the ImageNet mean
    `CAFFE_MEAN_BGR`, as `keras.applications.vgg19.preprocess_input` does
    for `[0, 255]` RGB; grayscale is repeated to three channels first.

    Returns:
        Called on images `(batch, H, W, 1 or 3)` in `[-1, 1]`, returns
        `(batch, H, W, 3)` of the layer's compute dtype.

    Example:
        >>> import numpy as np
        >>> out = CaffePreprocessing()(np.ones((1, 2, 2, 3), dtype="float32"))
        >>> [round(float(v), 3) for v in ops.convert_to_numpy(out)[0, 0, 0]]
        [151.061, 138.221, 131.32]
    """

    def call(self, images):
        images = ops.cast(images, self.compute_dtype)
        if images.shape[-1] == 1:
            images = ops.repeat(images, 3, axis=-1)
        bgr = ops.flip((images + 1.0) * 127.5, axis=-1)
        return bgr - ops.convert_to_tensor(CAFFE_MEAN_BGR, dtype=bgr.dtype)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], 3)


@keras.saving.register_keras_serializable(package="kerasgan")
class ChannelsToBatch(keras.layers.Layer):
    """Folds the channels of a batch into the batch: `(B, H, W, C)` -> `(B * C, H, W, 1)`.

    Image `b`'s channel `c` becomes grayscale image `b * C + c`, so a
    network trained on grayscale images reads each colour channel of an RGB
    image separately.

    Returns:
        Called on images `(batch, H, W, C)`, returns `(batch * C, H, W, 1)`.

    Example:
        >>> import numpy as np
        >>> ChannelsToBatch()(np.zeros((2, 5, 7, 3), dtype="float32")).shape
        TensorShape([6, 5, 7, 1])
    """

    def call(self, images):
        shape = ops.shape(images)
        return ops.reshape(ops.transpose(images, (0, 3, 1, 2)), (-1, shape[1], shape[2], 1))

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        folded = None if batch is None or channels is None else batch * channels
        return (folded, height, width, 1)


def build_vgg19_features(weights="imagenet"):
    """Builds Keras's VGG19 convolutional layers for images in `[-1, 1]` of any size.

    A `CaffePreprocessing` layer in front maps `[-1, 1]` RGB to the BGR,
    mean-subtracted `[0, 255]` input of the original VGG weights; then come
    VGG19's 16 convolutions (`block1_conv1` ... `block5_conv4`) and its max
    poolings. The paper used average pooling and weights rescaled to unit
    mean activations; Keras's VGG19 has neither, which is one reason the
    loss weights here are taken relative to each target (see
    `kerasgan.style.transfer`).

    Args:
        weights: `"imagenet"` (default; downloaded by Keras on first use,
            about 80 MB, or read from `~/.keras/models`), `None` for random
            weights (tests), or the path of a VGG19 "notop" weights file.

    Returns:
        A functional `keras.Model` from images `(batch, H, W, 1 or 3)` in
        `[-1, 1]` to the last block's features `(batch, H/16, W/16, 512)`;
        its layers keep VGG19's names.

    Raises:
        RuntimeError: if the ImageNet weights cannot be downloaded or read.

    Example:
        >>> network = build_vgg19_features(weights=None)
        >>> network.get_layer("block4_conv2").output.shape
        (None, None, None, 512)

    Reference:
        Simonyan, Zisserman, "Very Deep Convolutional Networks for
        Large-Scale Image Recognition", ICLR 2015.
    """
    inputs = keras.Input(shape=(None, None, 3), name="images")
    preprocessed = CaffePreprocessing(name="caffe_preprocessing")(inputs)
    try:
        return keras.applications.VGG19(include_top=False, weights=weights, input_tensor=preprocessed)
    except Exception as err:  # Keras raises a bare Exception on failed downloads.
        if weights != "imagenet":
            raise
        raise RuntimeError(
            "Could not load the ImageNet weights of VGG19 (no network access?). Put the Keras file "
            "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5 in ~/.keras/models, pass "
            "feature_extractor=kerasgan.style.build_vgg19_features(weights='/path/to/weights.h5'), "
            "or use feature_extractor='fashion_mnist', the small offline network kerasgan ships."
        ) from err


def build_fashion_mnist_features(weights_path=None):
    """Builds the shipped Fashion-MNIST classifier's convolutions as a fully convolutional network.

    The two 3x3 ReLU convolutions of `kerasgan.metrics.fashion_mnist_classifier`
    (`conv1`, 32 filters, and `conv2`, 64 filters, each followed by a 2x2 max
    pooling, `pool1` and `pool2`), with their trained weights, without the
    dense layers, so any image size is accepted. The network was trained on
    28x28 grayscale clothes, so a `ChannelsToBatch` layer in front reads each
    colour channel as a grayscale image of its own: features of image `b`'s
    channel `c` are at batch position `b * C + c`. A `conv2` feature sees
    only 8x8 pixels, so the "style" it captures is fine texture and each
    channel's contrast, not painterly strokes: use it offline and in tests,
    and VGG19 for pictures.

    Args:
        weights_path: the classifier's `.weights.h5` file; defaults to the one
            shipped with kerasgan.

    Returns:
        A functional `keras.Model` from images `(batch, H, W, C)` in `[-1, 1]`
        to features `(batch * C, H/4, W/4, 64)`.

    Example:
        >>> import numpy as np
        >>> network = build_fashion_mnist_features()
        >>> network(np.zeros((1, 64, 48, 3), dtype="float32")).shape
        TensorShape([3, 16, 12, 64])
    """
    classifier = fmc.load_fashion_mnist_classifier(weights_path)
    trained = [layer for layer in classifier.layers if isinstance(layer, keras.layers.Conv2D)]
    inputs = keras.Input(shape=(None, None, None), name="images")
    x = ChannelsToBatch(name="channels_to_batch")(inputs)
    convolutions = []
    for index, source in enumerate(trained, start=1):
        convolution = keras.layers.Conv2D(
            source.filters, source.kernel_size, padding="same", activation="relu", name=f"conv{index}"
        )
        x = keras.layers.MaxPooling2D(2, name=f"pool{index}")(convolution(x))
        convolutions.append((convolution, source))
    network = keras.Model(inputs, x, name="fashion_mnist_features")
    for convolution, source in convolutions:
        for target, trained_value in zip(convolution.weights, source.weights):
            target.assign(trained_value.value)
    return network


@functools.cache
def _named_network(name):
    return build_vgg19_features() if name == "vgg19" else build_fashion_mnist_features()


def get_feature_network(identifier):
    """Returns the network `kerasgan.style.transfer` reads features from.

    Named networks are built once per process and cached.

    Args:
        identifier: `"vgg19"` (ImageNet weights, needs them downloaded once),
            `"fashion_mnist"` (offline, shipped), or a functional or
            `Sequential` `keras.Model` (returned unchanged) that takes images
            in `[-1, 1]`.

    Returns:
        A `keras.Model`.

    Raises:
        ValueError: for any other identifier.

    Example:
        >>> get_feature_network("fashion_mnist").name
        'fashion_mnist_features'
    """
    if isinstance(identifier, keras.Model):
        return identifier
    if isinstance(identifier, str) and identifier in NAMED_FEATURE_NETWORKS:
        return _named_network(identifier)
    raise ValueError(
        f"feature_extractor must be one of {tuple(NAMED_FEATURE_NETWORKS)} or a keras.Model; "
        f"received {identifier!r}."
    )


def layer_names(network):
    """The names of a network's layers that features can be read from (all but its inputs).

    Args:
        network: a `keras.Model`.

    Returns:
        A list of strings, in the network's order.

    Example:
        >>> layer_names(get_feature_network("fashion_mnist"))
        ['channels_to_batch', 'conv1', 'pool1', 'conv2', 'pool2']
    """
    return [layer.name for layer in network.layers if not isinstance(layer, keras.layers.InputLayer)]


def feature_taps(network, names):
    """A model that returns a network's outputs at the named layers.

    Args:
        network: a functional or `Sequential` `keras.Model` (built: a
            `Sequential` model needs an `Input` or one call first).
        names: layer names, e.g. `("block4_conv2", "block1_conv1")`.

    Returns:
        A `keras.Model` sharing `network`'s weights, from images to a list
        of feature maps, one per name, in the order of `names`.

    Raises:
        ValueError: if a name is not one of the network's layers (the error
            lists them), or the network has no symbolic inputs.

    Example:
        >>> taps = feature_taps(get_feature_network("fashion_mnist"), ["conv1", "conv2"])
        >>> [tuple(shape) for shape in taps.output_shape]
        [(None, None, None, 32), (None, None, None, 64)]
    """
    known = layer_names(network)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(
            f"The feature network {network.name!r} has no layer named {', '.join(map(repr, unknown))}; "
            f"its layers are {known}. Pass content_layers= and style_layers= from these names."
        )
    try:
        inputs = network.inputs[0] if len(network.inputs) == 1 else network.inputs
        outputs = [network.get_layer(name).output for name in names]
    except (AttributeError, ValueError) as err:
        raise ValueError(
            f"The feature network {network.name!r} has no symbolic inputs, so its layers' outputs "
            "cannot be read by name. Pass a functional keras.Model, or a Sequential model built "
            "with a keras.Input."
        ) from err
    return keras.Model(inputs, outputs, name=f"{network.name}_style_taps")
