"""Deep convolutional networks following the DCGAN architecture guidelines.

Strided (transposed) convolutions instead of pooling, batch norm, ReLU in the
generator with a tanh output, LeakyReLU(0.2) in the discriminator.
"""

import keras

from kerasgan.networks.conditioning import discriminator_inputs, generator_inputs
from kerasgan.networks.layers import LayerNormalization, MinibatchStandardDeviation
from kerasgan.utils.validation import (
    validate_image_shape,
    validate_num_classes,
    validate_positive_int,
)

_NORMALIZATIONS = ("batch", "layer", None)


def dcgan_layout(image_shape):
    """Returns `(base_size, num_upsamplings)` so that `base_size * 2**n` is the side.

    The side must be square and of the form `4 * 2**n` (8, 16, 32, 64, 128, ...)
    or `7 * 2**n` (14, 28, 56, ...), with `n >= 1`.

    Args:
        image_shape: `(H, W, C)`.

    Returns:
        Tuple `(base_size, num_upsamplings)`, e.g. `(7, 2)` for 28x28 and
        `(4, 4)` for 64x64.

    Example:
        >>> dcgan_layout((64, 64, 3))
        (4, 4)
    """
    height, width, _ = validate_image_shape(image_shape)
    if height == width:
        for base in (4, 7):
            size, steps = height, 0
            while size > base and size % 2 == 0:
                size, steps = size // 2, steps + 1
            if size == base and steps >= 1:
                return base, steps
    raise ValueError(
        "DCGAN networks need square images whose side is 4 or 7 times a power "
        f"of two (8, 14, 16, 28, 32, 64, 128, ...); received image_shape "
        f"{tuple(image_shape)}. Resize your data (kerasgan.data.load(..., "
        "image_size=(32, 32))) or pass networks of your own."
    )


def default_base_filters(image_shape):
    """Default width of the last generator block: 64 up to 32x32, else 128.

    At 64x64 this gives the paper's Dense→4x4x1024→512→256→128→C generator.

    Args:
        image_shape: `(H, W, C)`.

    Returns:
        int.

    Example:
        >>> default_base_filters((64, 64, 3))
        128
    """
    return 64 if max(image_shape[:2]) <= 32 else 128


def _normalization(kind, name, synchronized=False):
    if kind == "batch":
        return keras.layers.BatchNormalization(name=name, synchronized=synchronized)
    if kind == "layer":
        return LayerNormalization(axis=(-3, -2, -1), name=name)
    return keras.layers.Identity(name=name)


def _check_normalization(normalization):
    if normalization not in _NORMALIZATIONS:
        raise ValueError(f"normalization must be one of {_NORMALIZATIONS}; received {normalization!r}.")


def build_dcgan_generator(
    image_shape,
    latent_dim,
    base_filters=None,
    kernel_size=5,
    normalization="batch",
    num_classes=None,
    name="generator",
    synchronized_batch_norm=False,
):
    """Builds a DCGAN generator for any supported resolution and channel count.

    Dense → `base x base x F` → transposed convolutions with stride 2 halving
    the filters at each step → `C` channels with tanh. `F = base_filters *
    2**(n-1)` for `n` upsamplings: 28x28 gives Dense→7x7x128→64→C, 64x64 gives
    Dense→4x4x1024→512→256→128→C.

    Args:
        image_shape: `(H, W, C)`; see `dcgan_layout` for supported sides.
        latent_dim: size of the latent vector.
        base_filters: filters of the last hidden block. Defaults to
            `default_base_filters(image_shape)`.
        kernel_size: convolution kernel size. Defaults to 5.
        normalization: `"batch"` (default), `"layer"` or None.
        num_classes: None, or the number of classes (adds a `labels` input).
        name: model name. Defaults to `"generator"`.
        synchronized_batch_norm: whether batch norm takes its statistics
            over the global batch of all replicas training in sync (as one
            device would) rather than each replica's own. Defaults to False;
            a model built under a multi-replica strategy passes True.

    Returns:
        A functional `keras.Model`: latents `(batch, latent_dim)` (and labels
        `(batch,)`) → float32 images `(batch, H, W, C)` in `[-1, 1]`.

    Example:
        >>> generator = build_dcgan_generator((64, 64, 3), latent_dim=100)
        >>> generator.output_shape
        (None, 64, 64, 3)

    Reference:
        Radford et al., "Unsupervised Representation Learning with Deep
        Convolutional Generative Adversarial Networks", ICLR 2016.
    """
    base, steps = dcgan_layout(image_shape)
    validate_positive_int(latent_dim, "latent_dim")
    validate_num_classes(num_classes)
    _check_normalization(normalization)
    base_filters = validate_positive_int(base_filters or default_base_filters(image_shape), "base_filters")
    filters = base_filters * 2 ** (steps - 1)
    inputs, x = generator_inputs(latent_dim, num_classes)
    x = keras.layers.Dense(base * base * filters, use_bias=normalization is None, name="project")(x)
    x = keras.layers.Reshape((base, base, filters))(x)
    x = _normalization(normalization, "project_norm", synchronized_batch_norm)(x)
    x = keras.layers.ReLU()(x)
    for step in range(1, steps):
        filters //= 2
        x = keras.layers.Conv2DTranspose(
            filters,
            kernel_size,
            strides=2,
            padding="same",
            use_bias=normalization is None,
            name=f"up{step}",
        )(x)
        x = _normalization(normalization, f"up{step}_norm", synchronized_batch_norm)(x)
        x = keras.layers.ReLU()(x)
    x = keras.layers.Conv2DTranspose(
        image_shape[-1], kernel_size, strides=2, padding="same", name="to_image"
    )(x)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)
    return keras.Model(inputs, outputs, name=name)


def build_dcgan_discriminator(
    image_shape,
    base_filters=None,
    kernel_size=5,
    normalization="batch",
    num_classes=None,
    name="discriminator",
    num_aux_classes=None,
    minibatch_stddev=False,
    synchronized_batch_norm=False,
    code_outputs=None,
):
    """Builds a DCGAN discriminator mirroring `build_dcgan_generator`.

    Strided convolutions doubling the filters down to the base resolution
    (no normalization on the first), LeakyReLU(0.2), then one dense logit.
    With `minibatch_stddev` a `MinibatchStandardDeviation` layer (groups of
    4, one feature map) comes after the last convolution block, before the
    dense head, as ProGAN puts it before its last block: batches must then
    be a multiple of 4 (or smaller than 4).

    Args:
        image_shape: `(H, W, C)`; see `dcgan_layout` for supported sides.
        base_filters: filters of the first convolution. Defaults to
            `default_base_filters(image_shape)`.
        kernel_size: convolution kernel size. Defaults to 5.
        normalization: `"batch"` (default), `"layer"` (for gradient-penalty
            critics, which must not mix examples in a batch) or None.
        num_classes: None, or the number of classes (adds a `labels` input).
        name: model name. Defaults to `"discriminator"`.
        num_aux_classes: None, or the number of classes of an auxiliary
            classifier head (ACGAN): the model then also returns class logits.
        minibatch_stddev: whether to append the minibatch standard
            deviation feature map before the head. Defaults to False.
        synchronized_batch_norm: whether batch norm takes its statistics
            over the global batch of all replicas training in sync. Defaults
            to False; a model built under a multi-replica strategy passes True.
        code_outputs: None, or `(num_categories, num_continuous)` for
            InfoGAN's Q head on the shared body: a dense layer of 128 units
            (batch norm when `normalization="batch"`, LeakyReLU(0.2)), then
            the logits of a categorical code with `num_categories >= 2`
            values and the means of `num_continuous >= 0` continuous codes.

    Returns:
        A functional `keras.Model`: images `(batch, H, W, C)` (and labels) →
        float32 logits `(batch, 1)`, and with `num_aux_classes` also class
        logits `(batch, num_aux_classes)`; with `code_outputs` then also the
        category logits `(batch, num_categories)` and, for
        `num_continuous > 0`, the continuous means `(batch, num_continuous)`.

    Example:
        >>> critic = build_dcgan_discriminator((32, 32, 3), normalization="layer")
        >>> progan_like = build_dcgan_discriminator((28, 28, 1), minibatch_stddev=True)
        >>> infogan_like = build_dcgan_discriminator((28, 28, 1), code_outputs=(10, 2))
        >>> [tuple(output.shape) for output in infogan_like.outputs]
        [(None, 1), (None, 10), (None, 2)]

    Reference:
        Radford et al., "Unsupervised Representation Learning with Deep
        Convolutional Generative Adversarial Networks", ICLR 2016; Karras et
        al., "Progressive Growing of GANs for Improved Quality, Stability,
        and Variation", ICLR 2018 (minibatch standard deviation); Chen et
        al., "InfoGAN: Interpretable Representation Learning by Information
        Maximizing Generative Adversarial Nets", NeurIPS 2016 (the Q head).
    """
    _, steps = dcgan_layout(image_shape)
    validate_num_classes(num_classes)
    _check_normalization(normalization)
    filters = validate_positive_int(base_filters or default_base_filters(image_shape), "base_filters")
    inputs, x = discriminator_inputs(image_shape, num_classes)
    for step in range(steps):
        x = keras.layers.Conv2D(filters, kernel_size, strides=2, padding="same", name=f"down{step}")(x)
        if step > 0:
            x = _normalization(normalization, f"down{step}_norm", synchronized_batch_norm)(x)
        x = keras.layers.LeakyReLU(0.2)(x)
        filters *= 2
    if minibatch_stddev:
        x = MinibatchStandardDeviation(name="minibatch_stddev")(x)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(1, dtype="float32", name="logits")(x)
    if num_aux_classes is not None:
        validate_num_classes(num_aux_classes)
        classes = keras.layers.Dense(num_aux_classes, dtype="float32", name="class_logits")(x)
        outputs = [outputs, classes]
    if code_outputs is not None:
        outputs = (outputs if isinstance(outputs, list) else [outputs]) + _code_head(
            x, code_outputs, normalization, synchronized_batch_norm
        )
    return keras.Model(inputs, outputs, name=name)


def _code_head(features, code_outputs, normalization, synchronized):
    """InfoGAN's Q head: `[category logits, continuous means]` (the means only for continuous codes)."""
    if not isinstance(code_outputs, (tuple, list)) or len(code_outputs) != 2:
        raise ValueError(
            "code_outputs must be (num_categories, num_continuous), e.g. (10, 2) for InfoGAN on "
            f"MNIST; received {code_outputs!r}."
        )
    num_categories = validate_positive_int(code_outputs[0], "num_categories", minimum=2)
    num_continuous = validate_positive_int(code_outputs[1], "num_continuous", minimum=0)
    x = keras.layers.Dense(128, use_bias=normalization != "batch", name="q_hidden")(features)
    if normalization == "batch":
        x = keras.layers.BatchNormalization(name="q_hidden_norm", synchronized=synchronized)(x)
    x = keras.layers.LeakyReLU(0.2)(x)
    heads = [keras.layers.Dense(num_categories, dtype="float32", name="q_category_logits")(x)]
    if num_continuous:
        heads.append(keras.layers.Dense(num_continuous, dtype="float32", name="q_continuous_means")(x))
    return heads
