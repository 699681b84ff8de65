"""Image-to-image networks of pix2pix and CycleGAN.

A U-Net and a ResNet generator mapping images to images of the same size, and
the PatchGAN discriminator that scores overlapping patches instead of whole
images. All images are in `[-1, 1]`.
"""

import keras

from kerasgan.utils.validation import validate_image_shape, validate_positive_int

_NORMALIZATIONS = ("batch", "instance", None)


def instance_normalization(channels, name=None):
    """Returns an instance-normalization layer for `channels` channels.

    Group normalization with one group per channel: each channel of each
    example is normalized over height and width, then scaled by `gamma` and
    shifted by `beta` (one per channel). Epsilon 1e-5, as in CycleGAN's code.

    Args:
        channels: number of channels of the input (the last axis).
        name: layer name. Defaults to None (Keras picks one).

    Returns:
        A `keras.layers.GroupNormalization` with `groups=channels`.

    Example:
        >>> layer = instance_normalization(8)
        >>> layer.groups
        8

    Reference:
        Ulyanov et al., "Instance Normalization: The Missing Ingredient for
        Fast Stylization", arXiv:1607.08022, 2016.
    """
    channels = validate_positive_int(channels, "channels")
    return keras.layers.GroupNormalization(groups=channels, epsilon=1e-5, name=name)


def _batch_normalization(name, synchronized=False):
    return keras.layers.BatchNormalization(name=name, synchronized=synchronized)


def _normalization(kind, channels, name, synchronized=False):
    if kind == "batch":
        return _batch_normalization(name, synchronized)
    if kind == "instance":
        return instance_normalization(channels, name=name)
    return keras.layers.Identity(name=name)


def _check_normalization(normalization):
    if normalization not in _NORMALIZATIONS:
        raise ValueError(
            f"normalization must be one of {_NORMALIZATIONS}; received "
            f"{normalization!r}. Use 'batch' (pix2pix) or 'instance' (CycleGAN)."
        )


def _num_halvings(height, width):
    """How many times both sides can be halved exactly (at least 1)."""
    steps = 0
    while height % 2 == 0 and width % 2 == 0:
        height, width, steps = height // 2, width // 2, steps + 1
    return max(steps, 1)


def _check_divisible(image_shape, num_downsamplings, builder):
    height, width, _ = image_shape
    factor = 2**num_downsamplings
    if height % factor or width % factor:
        examples = ", ".join(str(factor * k) for k in (1, 2, 3, 4))
        hint = ", or pass a smaller num_downsamplings" if num_downsamplings > 1 else ""
        raise ValueError(
            f"{builder} with num_downsamplings={num_downsamplings} needs a height "
            f"and width divisible by 2**{num_downsamplings} = {factor} ({examples}, "
            f"...); received image_shape {tuple(image_shape)}. Resize or crop your "
            f"images{hint}."
        )


def _conv(filters, kernel_size, strides, name, use_bias=True, transpose=False):
    layer = keras.layers.Conv2DTranspose if transpose else keras.layers.Conv2D
    return layer(
        filters,
        kernel_size,
        strides=strides,
        padding="same",
        use_bias=use_bias,
        kernel_initializer=keras.initializers.RandomNormal(stddev=0.02),
        name=name,
    )


def build_unet_generator(
    image_shape,
    output_channels=None,
    base_filters=64,
    num_downsamplings=None,
    name="generator",
    synchronized_batch_norm=False,
):
    """Builds the pix2pix U-Net generator.

    Encoder: `num_downsamplings` blocks of Conv2D(4x4, stride 2) → batch norm →
    LeakyReLU(0.2), the filters doubling from `base_filters` up to
    `8 * base_filters`. Batch norm is left out on the first block, and on the
    innermost block as in the authors' code (at 1x1 with batch size 1 it would
    zero the bottleneck). Decoder: Conv2DTranspose(4x4, stride 2) → batch norm
    → Dropout(0.5) on the first three blocks → ReLU, each concatenated with the
    encoder output of the same size; a last Conv2DTranspose to
    `output_channels` with tanh. For 256x256 images and the defaults this is
    the paper's C64-C128-C256-C512-C512-C512-C512-C512 encoder. Dropout is the
    generator's noise; it is active only when called with `training=True`.

    Args:
        image_shape: `(H, W, C)`; `H` and `W` divisible by
            `2**num_downsamplings`.
        output_channels: channels of the output images. Defaults to `C`.
        base_filters: filters of the first encoder block. Defaults to 64.
        num_downsamplings: number of stride-2 blocks. Defaults to as many as
            `H` and `W` can be halved (8 for 256x256, down to 1x1; 2 for 28x28).
        name: model name. Defaults to `"generator"`.
        synchronized_batch_norm: whether batch norm takes its statistics
            over the global batch of all replicas training in sync. Defaults
            to False; a model built under a multi-replica strategy passes True.

    Returns:
        A functional `keras.Model`: input `"images"` `(batch, H, W, C)` in
        `[-1, 1]` → float32 images `(batch, H, W, output_channels)` in `[-1, 1]`.

    Example:
        >>> generator = build_unet_generator((32, 32, 3), output_channels=1, base_filters=8)
        >>> generator.output_shape
        (None, 32, 32, 1)

    Reference:
        Isola et al., "Image-to-Image Translation with Conditional Adversarial
        Networks", CVPR 2017.
    """
    image_shape = validate_image_shape(image_shape)
    output_channels = validate_positive_int(output_channels or image_shape[-1], "output_channels")
    base_filters = validate_positive_int(base_filters, "base_filters")
    if num_downsamplings is None:
        num_downsamplings = _num_halvings(*image_shape[:2])
    validate_positive_int(num_downsamplings, "num_downsamplings")
    _check_divisible(image_shape, num_downsamplings, "build_unet_generator")
    filters = [base_filters * min(2**i, 8) for i in range(num_downsamplings)]

    inputs = keras.Input(image_shape, name="images")
    x, skips = inputs, []
    for i, width in enumerate(filters):
        normalized = 0 < i < num_downsamplings - 1
        x = _conv(width, 4, 2, f"down{i}", use_bias=not normalized)(x)
        if normalized:
            x = _batch_normalization(f"down{i}_norm", synchronized_batch_norm)(x)
        x = keras.layers.LeakyReLU(0.2, name=f"down{i}_act")(x)
        skips.append(x)
    for step, i in enumerate(range(num_downsamplings - 2, -1, -1)):
        x = _conv(filters[i], 4, 2, f"up{i}", use_bias=False, transpose=True)(x)
        x = _batch_normalization(f"up{i}_norm", synchronized_batch_norm)(x)
        if step < 3:
            x = keras.layers.Dropout(0.5, name=f"up{i}_dropout")(x)
        x = keras.layers.ReLU(name=f"up{i}_act")(x)
        x = keras.layers.Concatenate(name=f"up{i}_skip")([x, skips[i]])
    x = _conv(output_channels, 4, 2, "to_image", transpose=True)(x)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)
    return keras.Model(inputs, outputs, name=name)


def build_patchgan_discriminator(
    image_shape,
    condition_shape=None,
    base_filters=64,
    num_layers=3,
    normalization="batch",
    name="discriminator",
    synchronized_batch_norm=False,
):
    """Builds the PatchGAN discriminator of pix2pix and CycleGAN.

    Conv2D(4x4) layers with LeakyReLU(0.2): `num_layers` with stride 2 (no
    normalization on the first), one with stride 1, then a stride-1 layer to
    one logit per patch. Filters double from `base_filters` up to
    `8 * base_filters`. With `num_layers=3` this is the 70x70 PatchGAN
    C64-C128-C256-C512. Padding is "same", so an image of side `S` gives
    `ceil(S / 2**num_layers)` patches per side.

    Args:
        image_shape: `(H, W, C)` of the scored images; `H` and `W` at least
            `2**num_layers`.
        condition_shape: None (CycleGAN), or `(H, W, C')` of the input image
            that conditions the score (pix2pix). Its height and width must
            match `image_shape`; the two are concatenated along channels.
        base_filters: filters of the first layer. Defaults to 64.
        num_layers: number of stride-2 layers. Defaults to 3.
        normalization: `"batch"` (default, pix2pix), `"instance"` (CycleGAN)
            or None.
        name: model name. Defaults to `"discriminator"`.
        synchronized_batch_norm: whether batch norm (with
            `normalization="batch"`) takes its statistics over the global
            batch of all replicas training in sync. Defaults to False.

    Returns:
        A functional `keras.Model`: input `"images"` `(batch, H, W, C)` in
        `[-1, 1]`, or inputs `["condition", "images"]` when `condition_shape`
        is given → float32 logits `(batch, h, w, 1)`, one per patch.

    Example:
        >>> critic = build_patchgan_discriminator((32, 32, 3), base_filters=8)
        >>> critic.output_shape
        (None, 4, 4, 1)

    Reference:
        Isola et al., "Image-to-Image Translation with Conditional Adversarial
        Networks", CVPR 2017.
    """
    image_shape = validate_image_shape(image_shape)
    base_filters = validate_positive_int(base_filters, "base_filters")
    num_layers = validate_positive_int(num_layers, "num_layers")
    _check_normalization(normalization)
    if min(image_shape[:2]) < 2**num_layers:
        raise ValueError(
            f"A PatchGAN with num_layers={num_layers} needs a height and width of "
            f"at least 2**{num_layers} = {2**num_layers}; received image_shape "
            f"{image_shape}. Pass a smaller num_layers or larger images."
        )
    images = keras.Input(image_shape, name="images")
    if condition_shape is None:
        inputs, x = images, images
    else:
        condition_shape = validate_image_shape(condition_shape)
        if condition_shape[:2] != image_shape[:2]:
            raise ValueError(
                f"condition_shape {condition_shape} must have the height and width "
                f"of image_shape {image_shape}; only the channels may differ. "
                "Resize the condition images."
            )
        condition = keras.Input(condition_shape, name="condition")
        inputs = [condition, images]
        x = keras.layers.Concatenate(name="pair")(inputs)

    for i in range(num_layers + 1):
        width = base_filters * min(2**i, 8)
        normalized = i > 0 and normalization is not None
        x = _conv(width, 4, 2 if i < num_layers else 1, f"conv{i}", use_bias=not normalized)(x)
        if i > 0:
            x = _normalization(normalization, width, f"conv{i}_norm", synchronized_batch_norm)(x)
        x = keras.layers.LeakyReLU(0.2, name=f"conv{i}_act")(x)
    x = _conv(1, 4, 1, "logits_conv")(x)
    outputs = keras.layers.Activation("linear", dtype="float32", name="logits")(x)
    return keras.Model(inputs, outputs, name=name)


def _residual_block(x, filters, name):
    y = _conv(filters, 3, 1, f"{name}_conv1", use_bias=False)(x)
    y = instance_normalization(filters, name=f"{name}_norm1")(y)
    y = keras.layers.ReLU(name=f"{name}_act")(y)
    y = _conv(filters, 3, 1, f"{name}_conv2", use_bias=False)(y)
    y = instance_normalization(filters, name=f"{name}_norm2")(y)
    return keras.layers.Add(name=f"{name}_add")([x, y])


def build_resnet_generator(
    image_shape,
    output_channels=None,
    base_filters=64,
    num_residual_blocks=6,
    num_downsamplings=2,
    name="generator",
):
    """Builds the CycleGAN ResNet generator.

    7x7 convolution → instance norm → ReLU; `num_downsamplings` stride-2 3x3
    convolutions doubling the filters; `num_residual_blocks` residual blocks
    (3x3 conv → instance norm → ReLU → 3x3 conv → instance norm, added to the
    block input); `num_downsamplings` stride-2 3x3 transposed convolutions
    halving the filters; a 7x7 convolution to `output_channels` with tanh.
    The defaults give the paper's c7s1-64,d128,d256,R256x6,u128,u64,c7s1-3
    network for 128x128 images (use 9 blocks for 256x256). The paper's
    reflection padding is replaced by zero ("same") padding.

    Args:
        image_shape: `(H, W, C)`; `H` and `W` divisible by
            `2**num_downsamplings`.
        output_channels: channels of the output images. Defaults to `C`.
        base_filters: filters of the first convolution. Defaults to 64.
        num_residual_blocks: number of residual blocks. Defaults to 6.
        num_downsamplings: number of stride-2 convolutions (and of
            upsamplings). Defaults to 2.
        name: model name. Defaults to `"generator"`.

    Returns:
        A functional `keras.Model`: input `"images"` `(batch, H, W, C)` in
        `[-1, 1]` → float32 images `(batch, H, W, output_channels)` in `[-1, 1]`.

    Example:
        >>> generator = build_resnet_generator((32, 32, 3), base_filters=8, num_residual_blocks=2)
        >>> generator.output_shape
        (None, 32, 32, 3)

    Reference:
        Zhu et al., "Unpaired Image-to-Image Translation using Cycle-Consistent
        Adversarial Networks", ICCV 2017; Johnson et al., "Perceptual Losses
        for Real-Time Style Transfer and Super-Resolution", ECCV 2016.
    """
    image_shape = validate_image_shape(image_shape)
    output_channels = validate_positive_int(output_channels or image_shape[-1], "output_channels")
    filters = validate_positive_int(base_filters, "base_filters")
    validate_positive_int(num_residual_blocks, "num_residual_blocks")
    validate_positive_int(num_downsamplings, "num_downsamplings")
    _check_divisible(image_shape, num_downsamplings, "build_resnet_generator")

    inputs = keras.Input(image_shape, name="images")
    x = _conv(filters, 7, 1, "stem", use_bias=False)(inputs)
    x = instance_normalization(filters, name="stem_norm")(x)
    x = keras.layers.ReLU(name="stem_act")(x)
    for i in range(num_downsamplings):
        filters *= 2
        x = _conv(filters, 3, 2, f"down{i}", use_bias=False)(x)
        x = instance_normalization(filters, name=f"down{i}_norm")(x)
        x = keras.layers.ReLU(name=f"down{i}_act")(x)
    for i in range(num_residual_blocks):
        x = _residual_block(x, filters, f"res{i}")
    for i in range(num_downsamplings):
        filters //= 2
        x = _conv(filters, 3, 2, f"up{i}", use_bias=False, transpose=True)(x)
        x = instance_normalization(filters, name=f"up{i}_norm")(x)
        x = keras.layers.ReLU(name=f"up{i}_act")(x)
    x = _conv(output_channels, 7, 1, "to_image")(x)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)
    return keras.Model(inputs, outputs, name=name)
