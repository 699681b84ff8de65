"""The networks of a projection cGAN: a conditional-batch-norm generator and a projection critic.

The generator reads the class only through its conditional batch norms
(`ConditionalBatchNormalization`); the discriminator reads it only through
a projection: `logit = psi(phi(x)) + <embed(y), phi(x)>`, with every layer
spectrally normalised (Miyato & Koyama, "cGANs with Projection
Discriminator", ICLR 2018). Both follow the DCGAN layout of
`kerasgan.networks.dcgan_layout`, so they serve any side `4 * 2**n` or
`7 * 2**n` (28x28 Fashion-MNIST included) and any channel count.
"""

import keras

from kerasgan.networks.conditional_norm import ConditionalBatchNormalization
from kerasgan.networks.dcgan import dcgan_layout, default_base_filters
from kerasgan.networks.layers import MinibatchStandardDeviation
from kerasgan.networks.spectral import SpectralConv2D, SpectralDense, SpectralEmbedding
from kerasgan.utils.validation import validate_image_shape, validate_num_classes, validate_positive_int


def _check_num_classes(num_classes, who):
    if num_classes is None:
        raise ValueError(
            f"{who} is class-conditional and needs num_classes (e.g. 10 for Fashion-MNIST); received None."
        )
    return validate_num_classes(num_classes)


def build_projection_generator(
    image_shape,
    latent_dim,
    num_classes,
    base_filters=None,
    kernel_size=4,
    name="generator",
    synchronized_batch_norm=False,
):
    """Builds a class-conditional generator whose every batch norm is conditional.

    Dense → `base x base x F` → conditional batch norm → ReLU, then
    transposed convolutions with stride 2 halving the filters, each
    followed by a conditional batch norm and ReLU, and a last transposed
    convolution to `C` channels with tanh: 28x28 gives
    Dense→7x7x128→14x14x64→28x28xC. The labels enter only through the
    conditional batch norms (one scale and offset per class and layer); the
    latents alone feed the dense layer.

    Args:
        image_shape: `(H, W, C)`; see `kerasgan.networks.dcgan_layout`.
        latent_dim: size of the latent vector, at least 1.
        num_classes: number of classes (required), at least 2.
        base_filters: filters of the last hidden block. Defaults to
            `default_base_filters(image_shape)` (64 up to 32x32).
        kernel_size: transposed-convolution kernel size. Defaults to 4.
        name: model name. Defaults to `"generator"`.
        synchronized_batch_norm: batch statistics over all replicas training
            in sync. Defaults to False.

    Returns:
        A functional `keras.Model`: `[latents (batch, latent_dim), labels
        (batch,)]` → float32 images `(batch, H, W, C)` in `[-1, 1]`.

    Example:
        >>> generator = build_projection_generator((28, 28, 1), latent_dim=16, num_classes=10)
        >>> generator.output_shape
        (None, 28, 28, 1)

    Reference:
        Miyato & Koyama, "cGANs with Projection Discriminator", ICLR 2018;
        Radford et al., ICLR 2016 (the DCGAN layout).
    """
    image_shape = validate_image_shape(image_shape)
    base, steps = dcgan_layout(image_shape)
    validate_positive_int(latent_dim, "latent_dim")
    _check_num_classes(num_classes, "build_projection_generator")
    validate_positive_int(kernel_size, "kernel_size")
    filters = validate_positive_int(
        default_base_filters(image_shape) if base_filters is None else base_filters, "base_filters"
    )
    filters *= 2 ** (steps - 1)
    latents = keras.Input((latent_dim,), name="latents")
    labels = keras.Input((), dtype="int32", name="labels")

    def conditional_norm(x, layer_name):
        norm = ConditionalBatchNormalization(
            num_classes, synchronized=synchronized_batch_norm, name=layer_name
        )
        return keras.layers.ReLU()(norm([x, labels]))

    x = keras.layers.Dense(base * base * filters, use_bias=False, name="project")(latents)
    x = keras.layers.Reshape((base, base, filters))(x)
    x = conditional_norm(x, "project_norm")
    for step in range(1, steps):
        filters //= 2
        x = keras.layers.Conv2DTranspose(
            filters, kernel_size, strides=2, padding="same", use_bias=False, name=f"up{step}"
        )(x)
        x = conditional_norm(x, f"up{step}_norm")
    x = keras.layers.Conv2DTranspose(
        image_shape[-1], kernel_size, strides=2, padding="same", name="to_image"
    )(x)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)
    return keras.Model([latents, labels], outputs, name=name)


def build_projection_discriminator(
    image_shape,
    num_classes,
    base_filters=None,
    kernel_size=4,
    minibatch_stddev=False,
    name="discriminator",
):
    """Builds a spectrally normalised projection discriminator.

    `phi`: strided spectral-normalised convolutions doubling the filters
    down to the base resolution, with LeakyReLU(0.1), then a 3x3 spectral
    convolution of twice the filters, ReLU and a sum over the pixels (the
    `"features"` layer, `(batch, F')`). The logit is `psi(phi(x)) +
    <embed(y), phi(x)>`: `psi` a spectral-normalised dense layer (`"linear"`)
    and `embed` a spectral-normalised class embedding (`"class_embedding"`,
    `(num_classes, F')`). The class changes the logit only through the
    inner product.

    Args:
        image_shape: `(H, W, C)`; see `kerasgan.networks.dcgan_layout`.
        num_classes: number of classes (required), at least 2.
        base_filters: filters of the first convolution. Defaults to
            `default_base_filters(image_shape)` (64 up to 32x32).
        kernel_size: kernel size of the strided convolutions. Defaults to 4.
        minibatch_stddev: append a minibatch standard-deviation feature map
            before the last convolution (batches a multiple of 4). Defaults
            to False.
        name: model name. Defaults to `"discriminator"`.

    Returns:
        A functional `keras.Model`: `[images (batch, H, W, C), labels
        (batch,)]` → float32 logits `(batch, 1)`.

    Example:
        >>> critic = build_projection_discriminator((28, 28, 1), num_classes=10, base_filters=16)
        >>> critic.output_shape
        (None, 1)

    Reference:
        Miyato & Koyama, "cGANs with Projection Discriminator", ICLR 2018;
        Miyato et al., "Spectral Normalization for Generative Adversarial
        Networks", ICLR 2018.
    """
    image_shape = validate_image_shape(image_shape)
    base, steps = dcgan_layout(image_shape)
    _check_num_classes(num_classes, "build_projection_discriminator")
    validate_positive_int(kernel_size, "kernel_size")
    filters = validate_positive_int(
        default_base_filters(image_shape) if base_filters is None else base_filters, "base_filters"
    )
    images = keras.Input(image_shape, name="images")
    labels = keras.Input((), dtype="int32", name="labels")
    x = images
    for step in range(steps):
        x = SpectralConv2D(filters, kernel_size, strides=2, padding="same", name=f"down{step}")(x)
        x = keras.layers.LeakyReLU(0.1)(x)
        filters *= 2
    if minibatch_stddev:
        x = MinibatchStandardDeviation(name="minibatch_stddev")(x)
    x = SpectralConv2D(filters, 3, padding="same", name="last_conv")(x)
    x = keras.layers.ReLU()(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    features = keras.layers.Rescaling(float(base * base), name="features")(x)  # the sum over pixels
    linear = SpectralDense(1, name="linear")(features)
    embedded = SpectralEmbedding(num_classes, filters, name="class_embedding")(labels)
    projection = keras.layers.Dot(axes=1, name="projection")([embedded, features])
    logits = keras.layers.Add(dtype="float32", name="logits")([linear, projection])
    return keras.Model([images, labels], logits, name=name)
