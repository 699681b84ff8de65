"""The three terms of neural style transfer, as pure functions of feature maps and images.

Every function takes and returns tensors through `keras.ops` only, so it
runs eagerly, inside `tf.function` and under `jax.jit`, and differentiates
on TensorFlow and JAX alike.
"""

from keras import ops


def gram_matrix(features):
    """The Gram matrix of feature maps, normalised by the number of positions.

    For feature maps `F` of shape `(batch, h, w, c)` it returns
    `G[b, i, j] = sum_{y, x} F[b, y, x, i] * F[b, y, x, j] / (h * w)`: the
    channels' second moments over the image, which keep what the features
    respond to and discard where. Dividing by the positions (not by the
    paper's `4 N^2 M^2` at loss time) makes images of different sizes
    comparable: a style image may be larger or smaller than the content.

    Args:
        features: tensor `(batch, h, w, c)`, any float dtype.

    Returns:
        Float32 tensor `(batch, c, c)`, symmetric.

    Example:
        >>> import numpy as np
        >>> features = np.ones((1, 4, 4, 2), dtype="float32")
        >>> ops.convert_to_numpy(gram_matrix(features))[0]
        array([[1., 1.],
               [1., 1.]], dtype=float32)

    Reference:
        Gatys, Ecker, Bethge, "Image Style Transfer Using Convolutional
        Neural Networks", CVPR 2016, eq. 3.
    """
    features = ops.cast(features, "float32")
    shape = ops.shape(features)
    positions = ops.cast(shape[1] * shape[2], "float32")
    return ops.einsum("byxi,byxj->bij", features, features) / positions


def content_loss(features, target):
    """Mean squared difference between two sets of feature maps.

    The paper's content loss, `1/2 sum (F - P)^2`, divided by the number of
    entries (and without the 1/2) so that its size does not grow with the
    image.

    Args:
        features: tensor `(batch, h, w, c)`: the features of the image being
            optimised.
        target: tensor of the same shape: the content image's features.

    Returns:
        Float32 scalar, 0 when `features == target`.

    Example:
        >>> import numpy as np
        >>> f = np.ones((1, 2, 2, 3), dtype="float32")
        >>> float(content_loss(f, 3 * f))
        4.0

    Reference:
        Gatys, Ecker, Bethge, "Image Style Transfer Using Convolutional
        Neural Networks", CVPR 2016, eq. 1.
    """
    features = ops.cast(features, "float32")
    return ops.mean(ops.square(features - ops.cast(target, "float32")))


def style_loss(features, target_gram):
    """Mean squared difference between the Gram matrix of `features` and a target Gram matrix.

    With Gram matrices normalised by the positions (`gram_matrix`), this is
    the paper's per-layer style term `E_l` times 4: `E_l = 1/(4 N^2 M^2)
    sum (G_raw - A_raw)^2 = 1/4 * mean((G - A)^2)`.

    Args:
        features: tensor `(batch, h, w, c)`: the features of the image being
            optimised.
        target_gram: tensor `(batch, c, c)` (or `(1, c, c)`, broadcast): the
            style image's `gram_matrix` at the same layer.

    Returns:
        Float32 scalar.

    Example:
        >>> import numpy as np
        >>> f = np.ones((1, 2, 2, 3), dtype="float32")
        >>> float(style_loss(f, gram_matrix(f)))
        0.0

    Reference:
        Gatys, Ecker, Bethge, "Image Style Transfer Using Convolutional
        Neural Networks", CVPR 2016, eq. 4.
    """
    return ops.mean(ops.square(gram_matrix(features) - ops.cast(target_gram, "float32")))


def total_variation_loss(images):
    """Mean squared difference between neighbouring pixels, down and across.

    `mean((x[:, 1:, :] - x[:, :-1, :])^2) + mean((x[:, :, 1:] - x[:, :, :-1])^2)`:
    a smoothness prior that suppresses the high-frequency noise the feature
    losses leave behind (it is not in the CVPR paper; Johnson et al. and
    most later implementations add it).

    Args:
        images: tensor `(batch, H, W, C)` with `H, W >= 2`, e.g. in `[-1, 1]`.

    Returns:
        Float32 scalar, 0 for a constant image.

    Example:
        >>> import numpy as np
        >>> stripes = np.tile([[-1.0], [1.0]], (2, 4))[None, :, :, None]
        >>> float(total_variation_loss(stripes))  # rows alternate -1, 1: steps of 2 down, none across
        4.0

    Reference:
        Mahendran, Vedaldi, "Understanding Deep Image Representations by
        Inverting Them", CVPR 2015 (the total variation prior).
    """
    images = ops.cast(images, "float32")
    down = images[:, 1:, :, :] - images[:, :-1, :, :]
    across = images[:, :, 1:, :] - images[:, :, :-1, :]
    return ops.mean(ops.square(down)) + ops.mean(ops.square(across))


__all__ = ["content_loss", "gram_matrix", "style_loss", "total_variation_loss"]
