"""Differentiable image transforms with their random values as arguments.

Every function here takes a batch of images `(batch, H, W, C)` (any channel
count unless said otherwise) and per-example values, shape `(batch,)`, that
say what to do to each example; it draws nothing. The augmentation layers
(`DiffAugment`, `AdaptiveAugmentation`) draw those values from the model's
seed generator and call these functions, so a test can read the draws and
compare with a reference. All of them are written with `keras.ops`, run
inside a compiled step on TensorFlow and JAX and are differentiable in the
images; geometric ones move pixels by whole pixels (a gather), so a value is
moved, never interpolated.
"""

import keras
from keras import ops

PADDINGS = ("zeros", "reflect")
CONTRAST_CENTERS = ("mean", "zero")


def per_example(values, images):
    """Reshapes per-example values `(batch,)` to `(batch, 1, 1, 1)` in the images' dtype.

    Args:
        values: tensor `(batch,)`, numeric or boolean.
        images: tensor `(batch, H, W, C)`, whose dtype the result takes
            (booleans stay boolean).

    Returns:
        Tensor `(batch, 1, 1, 1)`.

    Example:
        >>> tuple(per_example(keras.ops.ones((4,)), keras.ops.zeros((4, 8, 8, 3))).shape)
        (4, 1, 1, 1)
    """
    values = ops.reshape(values, (-1, 1, 1, 1))
    if keras.backend.standardize_dtype(values.dtype) == "bool":
        return values
    return ops.cast(values, images.dtype)


def uniform_integers(uniform, low, high):
    """Maps uniform draws in `[0, 1)` to integers uniform in `{low, ..., high}`.

    Args:
        uniform: float tensor of draws in `[0, 1)`, any shape.
        low: smallest integer (Python int).
        high: largest integer (Python int), `>= low`.

    Returns:
        int32 tensor of the shape of `uniform`.

    Example:
        >>> keras.ops.convert_to_numpy(uniform_integers(keras.ops.array([0.0, 0.5, 0.99]), -2, 2))
        array([-2,  0,  2], dtype=int32)
    """
    if high < low:
        raise ValueError(f"uniform_integers needs low <= high; received low={low}, high={high}.")
    count = high - low + 1
    values = ops.floor(ops.cast(uniform, "float32") * count)
    return ops.cast(ops.clip(values, 0, count - 1), "int32") + low


def brightness(images, offset):
    """Adds a per-example offset to every pixel and channel: `x + b`.

    Args:
        images: tensor `(batch, H, W, C)`, values about `[-1, 1]`.
        offset: tensor `(batch,)`, e.g. DiffAugment's U(-0.5, 0.5).

    Returns:
        Tensor of the images' shape and dtype.

    Example:
        >>> float(brightness(keras.ops.zeros((1, 2, 2, 1)), keras.ops.array([0.25]))[0, 0, 0, 0])
        0.25

    Reference:
        Zhao et al., "Differentiable Augmentation for Data-Efficient GAN
        Training", NeurIPS 2020.
    """
    return images + per_example(offset, images)


def saturation(images, factor):
    """Scales each pixel's colour around its mean over the channels: `(x - m) s + m`.

    For RGB images this is a saturation change (s = 0 is grey, s = 1 the
    image); it mixes channels, so the augmentation layers apply it only when
    `C == 3`. On one channel it is the identity.

    Args:
        images: tensor `(batch, H, W, C)`.
        factor: tensor `(batch,)`, e.g. DiffAugment's U(0, 2).

    Returns:
        Tensor of the images' shape and dtype.

    Example:
        >>> pixel = keras.ops.reshape(keras.ops.array([0.0, 0.5, 1.0]), (1, 1, 1, 3))
        >>> keras.ops.convert_to_numpy(saturation(pixel, keras.ops.array([0.0])))[0, 0, 0]
        array([0.5, 0.5, 0.5], dtype=float32)

    Reference:
        Zhao et al., "Differentiable Augmentation for Data-Efficient GAN
        Training", NeurIPS 2020.
    """
    mean = ops.mean(images, axis=-1, keepdims=True)
    return (images - mean) * per_example(factor, images) + mean


def contrast(images, factor, center="mean"):
    """Scales each image around a centre: `(x - c) f + c`.

    Args:
        images: tensor `(batch, H, W, C)`.
        factor: tensor `(batch,)`, e.g. DiffAugment's U(0.5, 1.5).
        center: `"mean"` (default, DiffAugment): each image's mean over
            height, width and channels; `"zero"` (ADA): the middle of
            `[-1, 1]`, so `x f`.

    Returns:
        Tensor of the images' shape and dtype.

    Example:
        >>> images = keras.ops.reshape(keras.ops.array([0.0, 1.0]), (1, 1, 2, 1))
        >>> keras.ops.convert_to_numpy(contrast(images, keras.ops.array([2.0])))[0, 0, :, 0]
        array([-0.5,  1.5], dtype=float32)

    Reference:
        Zhao et al., "Differentiable Augmentation for Data-Efficient GAN
        Training", NeurIPS 2020; Karras et al., "Training Generative
        Adversarial Networks with Limited Data", NeurIPS 2020.
    """
    if center not in CONTRAST_CENTERS:
        raise ValueError(f"center must be one of {CONTRAST_CENTERS}; received center={center!r}.")
    factor = per_example(factor, images)
    if center == "zero":
        return images * factor
    mean = ops.mean(images, axis=(1, 2, 3), keepdims=True)
    return (images - mean) * factor + mean


def _shifted_indices(size, shift, padding):
    """Source index of each output position along one axis, and whether it lies inside."""
    source = ops.arange(size, dtype="int32")[None, :] - ops.reshape(ops.cast(shift, "int32"), (-1, 1))
    inside = ops.logical_and(source >= 0, source < size)
    if padding == "reflect":
        source = ops.where(source < 0, -source, source)
        source = ops.where(source > size - 1, 2 * (size - 1) - source, source)
        inside = ops.ones_like(inside)
    return ops.clip(source, 0, size - 1), inside


def translate(images, rows, cols, padding="zeros"):
    """Shifts each image by whole pixels: down by `rows[i]`, right by `cols[i]`.

    Output pixel `(y, x)` of example `i` is input pixel `(y - rows[i],
    x - cols[i])`; positions that come from outside the image are zero
    (`padding="zeros"`, DiffAugment; NumPy's `roll` with the wrapped part
    zeroed) or the image mirrored at its border without repeating the edge
    (`"reflect"`, ADA; NumPy's `pad(..., mode="reflect")`). Shifts must be
    smaller than the side for `"reflect"`.

    Args:
        images: tensor `(batch, H, W, C)`.
        rows: int tensor `(batch,)`, vertical shifts (positive: down).
        cols: int tensor `(batch,)`, horizontal shifts (positive: right).
        padding: `"zeros"` (default) or `"reflect"`.

    Returns:
        Tensor of the images' shape and dtype; its gradient routes each
        output pixel's gradient to the pixel it came from.

    Example:
        >>> images = keras.ops.reshape(keras.ops.arange(4, dtype="float32"), (1, 1, 4, 1))
        >>> moved = translate(images, keras.ops.array([0]), keras.ops.array([1]))
        >>> keras.ops.convert_to_numpy(moved)[0, 0, :, 0]
        array([0., 0., 1., 2.], dtype=float32)

    Reference:
        Zhao et al., "Differentiable Augmentation for Data-Efficient GAN
        Training", NeurIPS 2020.
    """
    if padding not in PADDINGS:
        raise ValueError(f"padding must be one of {PADDINGS}; received padding={padding!r}.")
    height, width = images.shape[1], images.shape[2]
    row_source, row_inside = _shifted_indices(height, rows, padding)
    col_source, col_inside = _shifted_indices(width, cols, padding)
    moved = ops.take_along_axis(images, row_source[:, :, None, None], axis=1)
    moved = ops.take_along_axis(moved, col_source[:, None, :, None], axis=2)
    inside = ops.logical_and(row_inside[:, :, None, None], col_inside[:, None, :, None])
    return ops.where(inside, moved, ops.zeros_like(moved))


def flip_horizontal(images, flip):
    """Mirrors the examples where `flip` is true left to right.

    Args:
        images: tensor `(batch, H, W, C)`.
        flip: bool tensor `(batch,)`.

    Returns:
        Tensor of the images' shape and dtype.

    Example:
        >>> images = keras.ops.reshape(keras.ops.arange(3, dtype="float32"), (1, 1, 3, 1))
        >>> keras.ops.convert_to_numpy(flip_horizontal(images, keras.ops.array([True])))[0, 0, :, 0]
        array([2., 1., 0.], dtype=float32)
    """
    return ops.where(per_example(flip, images), ops.flip(images, axis=2), images)


def rotate90(images, turns):
    """Rotates each square image counter-clockwise by `turns[i]` quarter turns.

    As NumPy's `rot90(image, k, axes=(0, 1))`.

    Args:
        images: tensor `(batch, H, H, C)` (square).
        turns: int tensor `(batch,)` in `{0, 1, 2, 3}`.

    Returns:
        Tensor of the images' shape and dtype.

    Example:
        >>> images = keras.ops.reshape(keras.ops.arange(4, dtype="float32"), (1, 2, 2, 1))
        >>> keras.ops.convert_to_numpy(rotate90(images, keras.ops.array([1])))[0, :, :, 0]
        array([[1., 3.],
               [0., 2.]], dtype=float32)
    """
    if images.shape[1] != images.shape[2]:
        raise ValueError(
            f"rotate90 needs square images; received shape {tuple(images.shape)}. "
            "Leave out the 90-degree rotations for non-square images."
        )
    transposed = ops.transpose(images, (0, 2, 1, 3))
    candidates = (
        images,
        ops.flip(transposed, axis=1),
        ops.flip(ops.flip(images, axis=1), axis=2),
        ops.flip(transposed, axis=2),
    )
    turns = ops.reshape(ops.cast(turns, "int32"), (-1, 1, 1, 1))
    rotated = candidates[0]
    for count, candidate in enumerate(candidates[1:], start=1):
        rotated = ops.where(turns == count, candidate, rotated)
    return rotated


def cutout(images, top, left, size):
    """Zeroes a `size` rectangle per example, clipped where it leaves the image.

    Example `i` loses rows `top[i] .. top[i] + size[0] - 1` and columns
    `left[i] .. left[i] + size[1] - 1` that lie inside the image (a negative
    `top` or `left` cuts the square at the border, as in DiffAugment).

    Args:
        images: tensor `(batch, H, W, C)`.
        top: int tensor `(batch,)`, first row of the square.
        left: int tensor `(batch,)`, first column of the square.
        size: `(height, width)` of the square, Python ints `>= 1`.

    Returns:
        Tensor of the images' shape and dtype.

    Example:
        >>> holes = cutout(keras.ops.ones((1, 4, 4, 1)), keras.ops.array([1]), keras.ops.array([1]), (2, 2))
        >>> int(keras.ops.sum(holes == 0))
        4

    Reference:
        DeVries & Taylor, "Improved Regularization of Convolutional Neural
        Networks with Cutout", 2017; used by DiffAugment (Zhao et al. 2020).
    """
    height, width = images.shape[1], images.shape[2]

    def inside(length, start, extent):
        position = ops.arange(length, dtype="int32")[None, :]
        start = ops.reshape(ops.cast(start, "int32"), (-1, 1))
        return ops.logical_and(position >= start, position < start + extent)

    rows = inside(height, top, size[0])
    cols = inside(width, left, size[1])
    hole = ops.logical_and(rows[:, :, None, None], cols[:, None, :, None])
    return ops.where(hole, ops.zeros_like(images), images)


def check_images(images, who):
    """Checks that `images` has a static shape `(batch, H, W, C)` before augmenting it.

    Args:
        images: the tensor passed to `augment`.
        who: the augmentation's class name, for the error message.

    Returns:
        `(H, W, C)` as Python ints.

    Example:
        >>> check_images(keras.ops.zeros((2, 8, 8, 3)), "DiffAugment")
        (8, 8, 3)
    """
    shape = tuple(images.shape)
    if len(shape) != 4 or any(side is None for side in shape[1:]):
        raise ValueError(
            f"{who} augments images of shape (batch, H, W, C) with known H, W and C; "
            f"received shape {shape}. Pass a 4-D batch of images."
        )
    return shape[1], shape[2], shape[3]


def draw_uniform(gan, batch_size, count, dtype="float32"):
    """`count` U[0, 1) draws per example from the model's seed generator, shape `(batch, count)`.

    Args:
        gan: a kerasgan model (`random_per_example`).
        batch_size: int or scalar int tensor.
        count: draws per example (Python int).
        dtype: dtype of the result. Defaults to float32.

    Returns:
        Tensor `(batch_size, count)`.

    Example:
        >>> tuple(draw_uniform(kerasgan.DCGAN(latent_dim=8, seed=0), 4, 3).shape)
        (4, 3)
    """
    return ops.cast(gan.random_per_example(keras.random.uniform, batch_size, (count,)), dtype)
