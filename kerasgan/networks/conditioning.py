"""Network inputs, with class labels joined in for conditional models.

Conditional generators concatenate a learned label embedding to the latent
vector; conditional discriminators append a learned per-class plane to the
image as an extra channel (Mirza & Osindero, "Conditional Generative
Adversarial Nets", 2014).
"""

import math

import keras


def generator_inputs(latent_dim, num_classes=None, embedding_dim=50):
    """Creates generator inputs and the tensor the body starts from.

    Args:
        latent_dim: size of the latent vector.
        num_classes: None, or the number of classes for a conditional model.
        embedding_dim: size of the label embedding. Defaults to 50.

    Returns:
        `(inputs, features)`: `inputs` is the latent `keras.Input` or the list
        `[latents, labels]`; `features` is `(batch, latent_dim [+ embedding_dim])`.

    Example:
        >>> inputs, x = generator_inputs(100, num_classes=10)
    """
    latents = keras.Input((latent_dim,), name="latents")
    if num_classes is None:
        return latents, latents
    labels = keras.Input((), dtype="int32", name="labels")
    embedded = keras.layers.Embedding(num_classes, embedding_dim, name="label_embedding")(labels)
    return [latents, labels], keras.layers.Concatenate()([latents, embedded])


def discriminator_inputs(image_shape, num_classes=None):
    """Creates discriminator inputs and the tensor the body starts from.

    Args:
        image_shape: `(H, W, C)` of the images.
        num_classes: None, or the number of classes for a conditional model.

    Returns:
        `(inputs, features)`: `inputs` is the image `keras.Input` or the list
        `[images, labels]`; `features` has shape `(batch, H, W, C [+ 1])`.

    Example:
        >>> inputs, x = discriminator_inputs((28, 28, 1), num_classes=10)
    """
    images = keras.Input(image_shape, name="images")
    if num_classes is None:
        return images, images
    labels = keras.Input((), dtype="int32", name="labels")
    height, width = image_shape[0], image_shape[1]
    plane = keras.layers.Embedding(num_classes, math.prod((height, width)), name="label_plane")(labels)
    plane = keras.layers.Reshape((height, width, 1))(plane)
    return [images, labels], keras.layers.Concatenate()([images, plane])
