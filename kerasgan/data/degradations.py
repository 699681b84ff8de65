"""How the restoration sets make a source from its target: area downsampling, and a hole.

`"fashion_mnist_sr2"`, `"fashion_mnist_sr4"`, `"div2k_x2"` and `"div2k_x4"`
pair each high-resolution target with a low-resolution source;
`"fashion_mnist_masked"` pairs each garment with the same garment with a
hole in it. The functions here are TensorFlow ops that run in the tf.data
pipeline, and are public so that a model, a baseline or an evaluation can
make the same sources from its own images.
"""

import numpy as np
import tensorflow as tf

from kerasgan.utils.validation import validate_positive_int


def area_downsample(images, scale):
    """Area (box-average) downsampling by an integer factor.

    Each output pixel is the mean of one `scale` x `scale` block of input
    pixels, block `(i, j)` covering rows `i*scale ... i*scale + scale - 1`
    and the same columns, channel by channel: for an integer factor this is
    what `tf.image.resize(images, size, method="area")` computes, written
    as an average pooling with stride `scale`. A box average keeps the
    images in their value range and has no ringing, so it is the
    degradation of the Fashion-MNIST super-resolution sets (`div2k` ships
    its own bicubic low-resolution images).

    Args:
        images: float tensor `(batch, H, W, C)`, any value range; `H` and
            `W` must be multiples of `scale`.
        scale: positive int, the factor (2 or 4 for the named sets; 1
            returns the images unchanged, in float32).

    Returns:
        Float32 tensor `(batch, H // scale, W // scale, C)`.

    Raises:
        ValueError: if `scale` is not a positive int, or does not divide the
            height and width.

    Example:
        >>> import tensorflow as tf
        >>> images = tf.reshape(tf.range(16, dtype=tf.float32), (1, 4, 4, 1))
        >>> area_downsample(images, 2).numpy()[0, :, :, 0].tolist()
        [[2.5, 4.5], [10.5, 12.5]]
    """
    scale = validate_positive_int(scale, "scale")
    images = tf.cast(images, tf.float32)
    height, width = images.shape[1:3]
    if (height is not None and height % scale) or (width is not None and width % scale):
        raise ValueError(
            f"area_downsample needs a height and width that scale={scale} divides; received images of "
            f"shape {tuple(images.shape)}. Crop or resize them to a multiple of {scale} first."
        )
    if scale == 1:
        return images
    return tf.nn.avg_pool2d(images, ksize=scale, strides=scale, padding="VALID")


def high_res_size(spec, image_size=None):
    """The target size of a super-resolution set, checked against its scale.

    Args:
        spec: the `DatasetSpec` of a set with `task="super_resolution"`.
        image_size: None (the spec's own `image_shape`), or the
            `(height, width)` asked of `kerasgan.data.load`.

    Returns:
        `(height, width)` of the high-resolution targets; the sources are
        `(height // spec.scale, width // spec.scale)`.

    Raises:
        ValueError: if `spec.scale` does not divide the height or width.

    Example:
        >>> from kerasgan.data.catalog import get_spec
        >>> high_res_size(get_spec("fashion_mnist_sr4"), (32, 32))
        (32, 32)
    """
    height, width = image_size or spec.image_shape[:2]
    scale = spec.scale
    if height % scale or width % scale:
        nearest = (max(height // scale, 1) * scale, max(width // scale, 1) * scale)
        raise ValueError(
            f"Data set {spec.name!r} downsamples its targets by {scale}, which does not divide "
            f"image_size={(height, width)}. Pass an image_size whose height and width are multiples of "
            f"{scale}, e.g. {nearest}."
        )
    return height, width


def hole_mask(spec, image_size=None):
    """The mask of the hole that an inpainting set cuts from its sources.

    At the spec's own size the mask is 1 on the `spec.hole` box
    `(top, left, height, width)` and 0 elsewhere; for
    `"fashion_mnist_masked"` that is rows and columns 9 to 22 of the 32x32
    image, the centre 14x14 of the 28x28 garment. At another `image_size`
    it is that mask resized with nearest-neighbour sampling, so it stays 0
    or 1 and covers about the same share of the image.

    Args:
        spec: the `DatasetSpec` of a set with `task="inpainting"`.
        image_size: None (the spec's `image_shape`), or `(height, width)`.

    Returns:
        Float32 tensor `(1, height, width, 1)`, 1 where a pixel is missing:
        the mask format of `InpaintingGAN.inpaint`.

    Raises:
        ValueError: for a spec without a hole (not an inpainting set).

    Example:
        >>> from kerasgan.data.catalog import get_spec
        >>> mask = hole_mask(get_spec("fashion_mnist_masked")).numpy()
        >>> mask.shape, int(mask.sum()), float(mask[0, 9, 9, 0]), float(mask[0, 8, 9, 0])
        ((1, 32, 32, 1), 196, 1.0, 0.0)
    """
    if spec.hole is None:
        raise ValueError(
            f"Data set {spec.name!r} has no hole (its task is {spec.task!r}). Pass the spec of an "
            "inpainting set, e.g. get_spec('fashion_mnist_masked')."
        )
    top, left, hole_height, hole_width = spec.hole
    height, width = spec.image_shape[:2]
    mask = np.zeros((1, height, width, 1), np.float32)
    mask[:, top : top + hole_height, left : left + hole_width] = 1.0
    mask = tf.constant(mask)
    if image_size is not None and tuple(image_size) != (height, width):
        mask = tf.image.resize(mask, image_size, method="nearest")
    return mask


def cut_hole(images, masks):
    """Fills the masked pixels of images with 0, the mid-grey of `[-1, 1]`.

    Args:
        images: float tensor `(batch, H, W, C)` in `[-1, 1]`.
        masks: float tensor `(batch or 1, H, W, 1)`, 1 where a pixel is
            missing and 0 where it is known.

    Returns:
        Float32 tensor of the images' shape: 0 where `masks` is 1, the
        images' own values (exactly) elsewhere.

    Example:
        >>> import tensorflow as tf
        >>> images = -tf.ones((1, 2, 2, 1))
        >>> masks = tf.constant([[[[1.0], [0.0]], [[0.0], [0.0]]]])
        >>> cut_hole(images, masks).numpy()[0, :, :, 0].tolist()
        [[0.0, -1.0], [-1.0, -1.0]]
    """
    images = tf.cast(images, tf.float32)
    return tf.where(tf.cast(masks, tf.float32) > 0.5, tf.zeros_like(images), images)
