"""Fully connected networks of the original GAN."""

import math

import keras

from kerasgan.networks.conditioning import discriminator_inputs, generator_inputs
from kerasgan.utils.validation import (
    validate_image_shape,
    validate_num_classes,
    validate_positive_int,
)


def build_mlp_generator(
    image_shape, latent_dim, hidden_units=(256, 512, 1024), num_classes=None, name="generator"
):
    """Builds a multilayer-perceptron generator.

    Dense layers with LeakyReLU(0.2), then a dense layer of `H*W*C` units with
    tanh, reshaped to the image.

    Args:
        image_shape: `(H, W, C)` of the generated images.
        latent_dim: size of the latent vector.
        hidden_units: widths of the hidden layers. Defaults to `(256, 512, 1024)`.
        num_classes: None, or the number of classes (adds a `labels` input).
        name: model name. Defaults to `"generator"`.

    Returns:
        A functional `keras.Model` mapping latents `(batch, latent_dim)`
        (and labels `(batch,)`) to images `(batch, H, W, C)` in `[-1, 1]`.

    Example:
        >>> generator = build_mlp_generator((28, 28, 1), latent_dim=64)

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
    """
    image_shape = validate_image_shape(image_shape)
    validate_positive_int(latent_dim, "latent_dim")
    validate_num_classes(num_classes)
    inputs, x = generator_inputs(latent_dim, num_classes)
    for units in hidden_units:
        x = keras.layers.Dense(validate_positive_int(units, "hidden_units"))(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Dense(math.prod(image_shape))(x)
    x = keras.layers.Activation("tanh", dtype="float32")(x)
    outputs = keras.layers.Reshape(image_shape, dtype="float32")(x)
    return keras.Model(inputs, outputs, name=name)


def build_mlp_discriminator(
    image_shape, hidden_units=(1024, 512, 256), dropout=0.0, num_classes=None, name="discriminator"
):
    """Builds a multilayer-perceptron discriminator.

    Flattened image, dense layers with LeakyReLU(0.2) and dropout, one logit.

    Args:
        image_shape: `(H, W, C)` of the input images.
        hidden_units: widths of the hidden layers. Defaults to `(1024, 512, 256)`.
        dropout: dropout rate after each hidden layer. Defaults to `0.0`:
            a dropout layer draws from its own seed generator, whose state
            Keras does not save, so a resumed run would not repeat exactly.
        num_classes: None, or the number of classes (adds a `labels` input).
        name: model name. Defaults to `"discriminator"`.

    Returns:
        A functional `keras.Model` mapping images `(batch, H, W, C)` (and
        labels) to float32 logits `(batch, 1)`.

    Example:
        >>> discriminator = build_mlp_discriminator((28, 28, 1))

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
    """
    image_shape = validate_image_shape(image_shape)
    validate_num_classes(num_classes)
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1); received {dropout!r}.")
    inputs, x = discriminator_inputs(image_shape, num_classes)
    x = keras.layers.Flatten()(x)
    for units in hidden_units:
        x = keras.layers.Dense(validate_positive_int(units, "hidden_units"))(x)
        x = keras.layers.LeakyReLU(0.2)(x)
        if dropout:
            x = keras.layers.Dropout(dropout)(x)
    outputs = keras.layers.Dense(1, dtype="float32", name="logits")(x)
    return keras.Model(inputs, outputs, name=name)
