"""The networks of SRGAN: a residual generator with sub-pixel upsampling, and its critic.

The generator maps low-resolution images to images `scale` times larger in
height and width; the discriminator scores high-resolution images. All
images are in `[-1, 1]`.
"""

import numbers

import keras

from kerasgan.utils.validation import validate_image_shape, validate_positive_int


@keras.saving.register_keras_serializable(package="kerasgan")
class PixelShuffle(keras.layers.Layer):
    """Rearranges channels into space: the sub-pixel upsampling of ESPCN and SRGAN.

    Each group of `block_size**2` channels of a pixel becomes a
    `block_size x block_size` block of pixels (`keras.ops.depth_to_space`,
    channels last), so a convolution to `block_size**2 * C` channels
    followed by this layer upsamples by `block_size` with no
    checkerboard-prone transposed convolution.

    Args:
        block_size: the upsampling factor, at least 2. Defaults to 2.
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Input shape: `(batch, H, W, block_size**2 * C)`. Output shape:
    `(batch, block_size * H, block_size * W, C)`.

    Example:
        >>> import numpy as np
        >>> PixelShuffle(2)(np.arange(8, dtype="float32").reshape(1, 1, 2, 4)).shape
        TensorShape([1, 2, 4, 1])

    Reference:
        Shi et al., "Real-Time Single Image and Video Super-Resolution Using
        an Efficient Sub-Pixel Convolutional Neural Network", CVPR 2016.
    """

    def __init__(self, block_size=2, **kwargs):
        super().__init__(**kwargs)
        self.block_size = validate_positive_int(block_size, "block_size", minimum=2)

    def call(self, inputs):
        return keras.ops.depth_to_space(inputs, self.block_size, data_format="channels_last")

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        size = self.block_size

        def scaled(side):
            return None if side is None else side * size

        return (batch, scaled(height), scaled(width), None if channels is None else channels // size**2)

    def get_config(self):
        return {**super().get_config(), "block_size": self.block_size}


def validate_scale(scale):
    """Checks an upscaling factor: a power of two, at least 2 (2, 4, 8, ...).

    Args:
        scale: the factor by which height and width grow.

    Returns:
        `scale` as an int.

    Example:
        >>> validate_scale(4)
        4
    """
    if isinstance(scale, bool) or not isinstance(scale, numbers.Integral) or scale < 2 or scale & (scale - 1):
        raise ValueError(
            f"scale must be a power of two of at least 2 (2, 4 or 8): the generator doubles the "
            f"size log2(scale) times with sub-pixel upsampling; received scale={scale!r}."
        )
    return int(scale)


def _conv(filters, kernel_size, name, strides=1, use_bias=True):
    return keras.layers.Conv2D(
        filters, kernel_size, strides=strides, padding="same", use_bias=use_bias, name=name
    )


def _prelu(name):
    # One learned slope per channel, shared over the image, as in the paper.
    return keras.layers.PReLU(shared_axes=[1, 2], name=name)


def _batch_norm(name, synchronized):
    return keras.layers.BatchNormalization(name=name, synchronized=synchronized)


def build_srgan_generator(
    low_res_shape,
    scale=4,
    base_filters=64,
    num_residual_blocks=16,
    output_channels=None,
    name="generator",
    synchronized_batch_norm=False,
):
    """Builds the SRResNet generator of SRGAN.

    A 9x9 convolution with PReLU; `num_residual_blocks` residual blocks
    (3x3 conv → batch norm → PReLU → 3x3 conv → batch norm, added to the
    block's input); a 3x3 convolution and batch norm added to the output
    of the first convolution (the long skip); `log2(scale)` upsampling
    blocks (3x3 conv to `4 * base_filters` channels → `PixelShuffle(2)` →
    PReLU); a 9x9 convolution to `output_channels` with tanh. The defaults
    are the paper's B=16, k3n64s1 network.

    Args:
        low_res_shape: `(h, w, C)` of the low-resolution input images.
        scale: upscaling factor, a power of two (2, 4, 8). Defaults to 4.
        base_filters: filters of every convolution but the upsampling ones
            (which have four times as many). Defaults to 64.
        num_residual_blocks: number of residual blocks, at least 1.
            Defaults to 16.
        output_channels: channels of the output images. Defaults to `C`.
        name: model name. Defaults to `"generator"`.
        synchronized_batch_norm: whether batch norm takes its statistics
            over the global batch of all replicas training in sync.
            Defaults to False.

    Returns:
        A functional `keras.Model`: input `"images"` `(batch, h, w, C)` in
        `[-1, 1]` → float32 images `(batch, scale * h, scale * w,
        output_channels)` in `[-1, 1]`.

    Example:
        >>> generator = build_srgan_generator((7, 7, 1), scale=4, base_filters=8, num_residual_blocks=1)
        >>> generator.output_shape
        (None, 28, 28, 1)

    Reference:
        Ledig et al., "Photo-Realistic Single Image Super-Resolution Using a
        Generative Adversarial Network", CVPR 2017.
    """
    low_res_shape = validate_image_shape(low_res_shape)
    scale = validate_scale(scale)
    filters = validate_positive_int(base_filters, "base_filters")
    validate_positive_int(num_residual_blocks, "num_residual_blocks")
    output_channels = validate_positive_int(output_channels or low_res_shape[-1], "output_channels")

    inputs = keras.Input(low_res_shape, name="images")
    x = _conv(filters, 9, "stem")(inputs)
    stem = _prelu("stem_act")(x)
    x = stem
    for i in range(num_residual_blocks):
        y = _conv(filters, 3, f"res{i}_conv1", use_bias=False)(x)
        y = _batch_norm(f"res{i}_norm1", synchronized_batch_norm)(y)
        y = _prelu(f"res{i}_act")(y)
        y = _conv(filters, 3, f"res{i}_conv2", use_bias=False)(y)
        y = _batch_norm(f"res{i}_norm2", synchronized_batch_norm)(y)
        x = keras.layers.Add(name=f"res{i}_add")([x, y])
    x = _conv(filters, 3, "trunk_conv", use_bias=False)(x)
    x = _batch_norm("trunk_norm", synchronized_batch_norm)(x)
    x = keras.layers.Add(name="long_skip")([stem, x])
    for i in range(scale.bit_length() - 1):
        x = _conv(4 * filters, 3, f"up{i}_conv")(x)
        x = PixelShuffle(2, name=f"up{i}_shuffle")(x)
        x = _prelu(f"up{i}_act")(x)
    x = _conv(output_channels, 9, "to_image")(x)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)
    return keras.Model(inputs, outputs, name=name)


def build_srgan_discriminator(
    image_shape,
    base_filters=64,
    dense_units=1024,
    name="discriminator",
    synchronized_batch_norm=False,
):
    """Builds the SRGAN discriminator.

    Eight 3x3 convolutions with LeakyReLU(0.2), strides alternating 1 and
    2 (four halvings), the filters doubling every second layer from
    `base_filters` to `8 * base_filters`, batch norm on all but the first;
    then a dense layer of `dense_units` with LeakyReLU(0.2) and a dense
    layer to one logit. The defaults are the paper's k3n64 ... k3n512,
    Dense(1024) network (its sigmoid is in the loss here).

    Args:
        image_shape: `(H, W, C)` of the scored (high-resolution) images.
        base_filters: filters of the first two convolutions. Defaults to 64.
        dense_units: width of the hidden dense layer. Defaults to 1024.
        name: model name. Defaults to `"discriminator"`.
        synchronized_batch_norm: whether batch norm takes its statistics
            over the global batch of all replicas training in sync.
            Defaults to False.

    Returns:
        A functional `keras.Model`: input `"images"` `(batch, H, W, C)` in
        `[-1, 1]` → float32 logits `(batch, 1)`.

    Example:
        >>> critic = build_srgan_discriminator((28, 28, 1), base_filters=8, dense_units=16)
        >>> critic.output_shape
        (None, 1)

    Reference:
        Ledig et al., "Photo-Realistic Single Image Super-Resolution Using a
        Generative Adversarial Network", CVPR 2017.
    """
    image_shape = validate_image_shape(image_shape)
    base_filters = validate_positive_int(base_filters, "base_filters")
    dense_units = validate_positive_int(dense_units, "dense_units")

    inputs = keras.Input(image_shape, name="images")
    x = inputs
    for i in range(8):
        normalized = i > 0
        x = _conv(base_filters * 2 ** (i // 2), 3, f"conv{i}", strides=1 + i % 2, use_bias=not normalized)(x)
        if normalized:
            x = _batch_norm(f"conv{i}_norm", synchronized_batch_norm)(x)
        x = keras.layers.LeakyReLU(0.2, name=f"conv{i}_act")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    x = keras.layers.Dense(dense_units, name="dense")(x)
    x = keras.layers.LeakyReLU(0.2, name="dense_act")(x)
    x = keras.layers.Dense(1, name="logits_dense")(x)
    outputs = keras.layers.Activation("linear", dtype="float32", name="logits")(x)
    return keras.Model(inputs, outputs, name=name)
