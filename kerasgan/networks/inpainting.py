"""The context encoder: an encoder-decoder that fills the missing region of an image.

Images are in `[-1, 1]`; masks are 1 where a pixel is missing, 0 where known.
"""

import keras

from kerasgan.networks.image_translation import _conv
from kerasgan.utils.validation import validate_image_shape, validate_positive_int


def _default_downsamplings(height, width):
    """Halvings of both sides that stay exact and leave at least 4x4 (2 for 28x28, 5 for 128x128)."""
    steps = 0
    while height % 2 == 0 and width % 2 == 0 and min(height, width) // 2 >= 4:
        height, width, steps = height // 2, width // 2, steps + 1
    return steps


def build_context_encoder(
    image_shape,
    base_filters=64,
    num_downsamplings=None,
    name="generator",
    synchronized_batch_norm=False,
):
    """Builds a context-encoder generator: image with its hole and mask in, image out.

    Input: the image with its missing pixels filled with a constant and the
    mask as one more channel, `(H, W, C + 1)`. Encoder:
    `num_downsamplings` blocks of Conv2D(4x4, stride 2) → batch norm (not on
    the first) → LeakyReLU(0.2), the filters doubling from `base_filters`
    up to `8 * base_filters`. Bottleneck: the paper's channel-wise fully
    connected layer (each feature map of `h * w` units connected to a map
    of the same size, no connections between channels; a
    `keras.layers.EinsumDense`) → LeakyReLU, then a 1x1 convolution that
    mixes the channels → ReLU. Decoder: Conv2DTranspose(4x4, stride 2) →
    batch norm → ReLU, the filters halving, and a last one to `C` channels
    with tanh. Batch norm has momentum 0.9 (Torch's 0.1, as in the
    authors' code). There are no skip connections: everything the decoder knows
    of the context passes through the bottleneck, as in the paper.

    Args:
        image_shape: `(H, W, C)` of the images (the network takes `C + 1`
            channels); `H` and `W` divisible by `2**num_downsamplings`.
        base_filters: filters of the first encoder block. Defaults to 64.
        num_downsamplings: number of stride-2 blocks. Defaults to as many as
            halve both sides exactly down to no less than 4x4 (2 for
            28x28: a 7x7 bottleneck; 5 for 128x128, the paper's 4x4).
        name: model name. Defaults to `"generator"`.
        synchronized_batch_norm: whether batch norm takes its statistics
            over the global batch of all replicas training in sync. Defaults
            to False; a model built under a multi-replica strategy passes True.

    Returns:
        A functional `keras.Model`: input `"images_and_masks"`
        `(batch, H, W, C + 1)` → float32 images `(batch, H, W, C)` in `[-1, 1]`.

    Raises:
        ValueError: a bad argument, or sides that cannot be halved
            `num_downsamplings` times; the message says what to pass.

    Example:
        >>> encoder = build_context_encoder((28, 28, 1), base_filters=8)
        >>> encoder.input_shape, encoder.output_shape
        ((None, 28, 28, 2), (None, 28, 28, 1))

    Reference:
        Pathak et al., "Context Encoders: Feature Learning by Inpainting",
        CVPR 2016.
    """
    height, width, channels = validate_image_shape(image_shape)
    base_filters = validate_positive_int(base_filters, "base_filters")
    if num_downsamplings is None:
        num_downsamplings = _default_downsamplings(height, width)
        if num_downsamplings == 0:
            raise ValueError(
                f"build_context_encoder halves the image at least once, so it needs an even height and "
                f"width of at least 8; received image_shape {(height, width, channels)}. Resize or pad "
                "the images."
            )
    num_downsamplings = validate_positive_int(num_downsamplings, "num_downsamplings")
    factor = 2**num_downsamplings
    if height % factor or width % factor:
        raise ValueError(
            f"build_context_encoder with num_downsamplings={num_downsamplings} needs a height and width "
            f"divisible by {factor}; received image_shape {(height, width, channels)}. Pass a smaller "
            "num_downsamplings, or resize the images."
        )
    filters = [base_filters * min(2**i, 8) for i in range(num_downsamplings)]

    # Momentum 0.9: Torch's default 0.1 in the authors' code, so the moving statistics that
    # inference uses follow training within tens of steps (Keras's default 0.99 takes hundreds).
    def bn(name):
        return keras.layers.BatchNormalization(momentum=0.9, name=name, synchronized=synchronized_batch_norm)

    inputs = keras.Input((height, width, channels + 1), name="images_and_masks")
    x = inputs
    for i, num_filters in enumerate(filters):
        x = _conv(num_filters, 4, 2, f"down{i}", use_bias=i == 0)(x)
        if i > 0:
            x = bn(f"down{i}_norm")(x)
        x = keras.layers.LeakyReLU(0.2, name=f"down{i}_act")(x)
    rows, cols, depth = height // factor, width // factor, filters[-1]
    x = keras.layers.Reshape((rows * cols, depth), name="flatten_maps")(x)
    x = keras.layers.EinsumDense(
        "bpc,pqc->bqc", output_shape=(rows * cols, depth), bias_axes="qc", name="channel_wise_dense"
    )(x)
    x = keras.layers.LeakyReLU(0.2, name="channel_wise_act")(x)
    x = keras.layers.Reshape((rows, cols, depth), name="unflatten_maps")(x)
    x = _conv(depth, 1, 1, "mix_channels")(x)
    x = keras.layers.ReLU(name="mix_channels_act")(x)
    for i in range(num_downsamplings - 2, -1, -1):
        x = _conv(filters[i], 4, 2, f"up{i}", use_bias=False, transpose=True)(x)
        x = bn(f"up{i}_norm")(x)
        x = keras.layers.ReLU(name=f"up{i}_act")(x)
    x = _conv(channels, 4, 2, "to_image", transpose=True)(x)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)
    return keras.Model(inputs, outputs, name=name)
