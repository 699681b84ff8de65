"""Image-to-image data sets built from Fashion-MNIST: edges, low resolution, holes, two classes.

Every set loads offline wherever `"fashion_mnist"` does (the Debian package
`dataset-fashion-mnist`, `$KERASGAN_DATA_DIR`, ...), through
`kerasgan.data.load`. The paired sets yield `(sources, targets)`, each
target a garment and its source made from it with TensorFlow ops in the
pipeline:

- `"fashion_mnist_edges"`: the source is the garment's edge map
  (`edge_map`). Pix2Pix's task.
- `"fashion_mnist_sr2"`, `"fashion_mnist_sr4"`: the target is the 28x28
  garment (not padded: 2 and 4 divide 28) and the source its area
  downsampling by 2 (14x14) or 4 (7x7), each source pixel the mean of a
  2x2 or 4x4 block (`kerasgan.data.degradations.area_downsample`).
  Super-resolution's `(low_res, high_res)`.
- `"fashion_mnist_masked"`: the source is the garment with its centre
  14x14 (rows and columns 9 to 22 of the 32x32 image) set to 0, the grey
  half-way between the black background and white
  (`degradations.hole_mask`, `degradations.cut_hole`). Image completion.

The unpaired sets yield `(images_a, images_b)` of two classes, each domain
shuffled on its own, so that no image is tied to another (CycleGAN's task):
`"fashion_mnist_sneaker_sandal"`, sneakers (class 7) as domain A and
sandals (class 5) as B, and `"fashion_mnist_shirt_tshirt"`, shirts
(class 6) as A and T-shirts/tops (class 0) as B.

Apart from the super-resolution sets, the 28x28 garments are padded with two
pixels of background (-1, the black of Fashion-MNIST) on every side to
32x32: the pix2pix U-Net halves its input down to 1x1 only from a side that
is a power of two (at 28 it halves twice, to 7x7), and the CycleGAN
generator and the PatchGAN take 32 as well. `image_size` then resizes the
padded images (the targets of the super-resolution sets), before the
sources are made from them.
"""

import tensorflow as tf

from kerasgan.data.degradations import area_downsample, cut_hole, high_res_size, hole_mask
from kerasgan.data.pipeline import UINT8_RANGE, batch_and_finish, scale_and_resize
from kerasgan.utils.validation import validate_enough_examples

# A full-contrast step (black to white) gives a Sobel magnitude of 4 on images
# in [0, 1]; dividing by 2 keeps faint texture visible and saturates outlines.
EDGE_SCALE = 2.0


def edge_map(images):
    """Sobel edge map of images in `[-1, 1]`: the sources of `fashion_mnist_edges`.

    Maps the images to `[0, 1]`, takes the Sobel gradients of each channel
    (`tf.image.sobel_edges`, reflected borders), their magnitude
    `m = sqrt(dy^2 + dx^2)`, and returns `2 * min(m / EDGE_SCALE, 1) - 1`:
    -1 (black) where the image is flat, 1 (white) on an outline whose
    contrast is at least half the full range, shades of grey for fainter
    texture. The map has the shape of the images.

    Args:
        images: float tensor `(batch, H, W, C)` in `[-1, 1]`.

    Returns:
        Float32 tensor `(batch, H, W, C)` in `[-1, 1]`.

    Example:
        >>> import tensorflow as tf
        >>> square = tf.pad(tf.ones((1, 4, 4, 1)), [[0, 0], [2, 2], [2, 2], [0, 0]], constant_values=-1.0)
        >>> edges = edge_map(square).numpy()[0, :, :, 0]
        >>> float(edges[0, 0]), float(edges[2, 2]), float(edges[4, 4])  # flat, corner, inside
        (-1.0, 1.0, -1.0)
    """
    unit = (tf.cast(images, tf.float32) + 1.0) / 2.0
    gradients = tf.image.sobel_edges(unit)
    magnitude = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=-1))
    return 2.0 * tf.minimum(magnitude / EDGE_SCALE, 1.0) - 1.0


def garments(images, spec, image_size=None):
    """Scales uint8 garments to `[-1, 1]`, pads them to the spec's size and resizes them.

    Args:
        images: uint8 tensor `(batch, 28, 28, 1)`.
        spec: the `DatasetSpec` of a set from this module (its
            `image_shape` is the padded size, or 28x28 unpadded).
        image_size: None, or `(height, width)` to resize the padded images
            to (bilinear, antialiased).

    Returns:
        Float32 tensor `(batch, height, width, 1)` in `[-1, 1]`.

    Example:
        >>> from kerasgan.data.catalog import get_spec
        >>> batch = tf.zeros((2, 28, 28, 1), tf.uint8)
        >>> garments(batch, get_spec("fashion_mnist_edges")).shape
        TensorShape([2, 32, 32, 1])
    """
    scaled = scale_and_resize(images, UINT8_RANGE)
    height, width = spec.image_shape[:2]
    top, left = (height - scaled.shape[1]) // 2, (width - scaled.shape[2]) // 2
    bottom, right = height - scaled.shape[1] - top, width - scaled.shape[2] - left
    padded = tf.pad(scaled, [[0, 0], [top, bottom], [left, right], [0, 0]], constant_values=-1.0)
    return scale_and_resize(padded, (-1.0, 1.0), image_size)


def source_maker(spec, image_size=None):
    """The function that makes a paired set's sources from its targets.

    Args:
        spec: the `DatasetSpec` of a paired set (`pairing="paired"`).
        image_size: None, or the `(height, width)` of the targets.

    Returns:
        A function of a float32 batch of targets `(batch, H, W, C)` in
        `[-1, 1]` returning the sources, float32 in `[-1, 1]`:
        `area_downsample(targets, spec.scale)` (shape
        `(batch, H // scale, W // scale, C)`) for `task="super_resolution"`,
        the targets with `hole_mask(spec, image_size)` cut out for
        `task="inpainting"`, `edge_map(targets)` otherwise.

    Raises:
        ValueError: for a super-resolution set whose scale does not divide
            `image_size`.

    Example:
        >>> from kerasgan.data.catalog import get_spec
        >>> make_sources = source_maker(get_spec("fashion_mnist_sr2"))
        >>> make_sources(tf.zeros((2, 28, 28, 1))).shape
        TensorShape([2, 14, 14, 1])
    """
    if spec.task == "super_resolution":
        high_res_size(spec, image_size)
        return lambda targets: area_downsample(targets, spec.scale)
    if spec.task == "inpainting":
        masks = hole_mask(spec, image_size)
        return lambda targets: cut_hole(targets, masks)
    return edge_map


def paired_dataset(spec, images, source, batch_size, image_size, shuffle, seed, drop_remainder):
    """The `(sources, targets)` pipeline of a paired set built from Fashion-MNIST.

    Args:
        spec: the set's `DatasetSpec` (`pairing="paired"`).
        images: uint8 NumPy array `(N, 28, 28, 1)` of the garments.
        source: a short description of the data for error messages.
        batch_size, image_size, shuffle, seed, drop_remainder: as in
            `kerasgan.data.load`.

    Returns:
        A `tf.data.Dataset` of `(sources, targets)`, float32 in `[-1, 1]`:
        targets `(batch, height, width, 1)` (`spec.image_shape`, or
        `image_size`), sources made from them by `source_maker(spec,
        image_size)`, of `spec.source_shape` at the default size.

    Example:
        >>> import numpy as np
        >>> from kerasgan.data.catalog import get_spec
        >>> x = np.zeros((8, 28, 28, 1), np.uint8)
        >>> ds = paired_dataset(get_spec("fashion_mnist_edges"), x, "x", 4, None, True, 0, True)
        >>> [tuple(part.shape) for part in next(iter(ds))]
        [(4, 32, 32, 1), (4, 32, 32, 1)]
    """
    make_sources = source_maker(spec, image_size)
    validate_enough_examples(len(images), batch_size, drop_remainder, source)
    images = tf.constant(images)
    indices = tf.data.Dataset.range(int(images.shape[0]))
    if shuffle:
        indices = indices.shuffle(int(images.shape[0]), seed=seed)

    def pair(batch_indices):
        targets = garments(tf.gather(images, batch_indices), spec, image_size)
        return make_sources(targets), targets

    return batch_and_finish(indices, batch_size, drop_remainder, pair)


def domain_images(spec, images, labels, limit=None):
    """Splits a labelled split into the two domains of an unpaired set.

    Args:
        spec: the set's `DatasetSpec` (`pairing="unpaired"`).
        images: uint8 NumPy array `(N, 28, 28, 1)`.
        labels: int NumPy array `(N,)`.
        limit: None, or keep only the first `limit` images of each domain
            (in file order).

    Returns:
        `(images_a, images_b)`: the images of `spec.domain_classes[0]` and
        of `spec.domain_classes[1]`.

    Example:
        >>> import numpy as np
        >>> from kerasgan.data.catalog import get_spec
        >>> labels = np.array([7, 5, 0, 7])
        >>> a, b = domain_images(get_spec("fashion_mnist_sneaker_sandal"), np.zeros((4, 28, 28, 1)), labels)
        >>> len(a), len(b)
        (2, 1)
    """
    return tuple(images[labels == label][:limit] for label in spec.domain_classes)


def unpaired_dataset(spec, domains, source, batch_size, image_size, shuffle, seed, drop_remainder):
    """The `(images_a, images_b)` pipeline of an unpaired set, each domain shuffled on its own.

    An epoch has as many batches as the smaller domain fills. Domain A is
    shuffled with `seed`, domain B with `seed + 1`, so even a seeded run
    meets new combinations of A and B images every epoch.

    Args:
        spec: the set's `DatasetSpec` (`pairing="unpaired"`).
        domains: `(images_a, images_b)` uint8 NumPy arrays `(N, 28, 28, 1)`
            (from `domain_images`).
        source: a short description of the data for error messages.
        batch_size, image_size, shuffle, seed, drop_remainder: as in
            `kerasgan.data.load`.

    Returns:
        A `tf.data.Dataset` of `(images_a, images_b)`, both float32
        `(batch, height, width, 1)` in `[-1, 1]`.

    Example:
        >>> import numpy as np
        >>> from kerasgan.data.catalog import get_spec
        >>> a, b = np.zeros((8, 28, 28, 1), np.uint8), np.zeros((6, 28, 28, 1), np.uint8)
        >>> spec = get_spec("fashion_mnist_sneaker_sandal")
        >>> ds = unpaired_dataset(spec, (a, b), "x", 3, None, True, 0, True)
        >>> len(list(ds))
        2
    """
    sizes = [len(images) for images in domains]
    names = ", ".join(
        f"{len(images)} of class {label}" for images, label in zip(domains, spec.domain_classes)
    )
    validate_enough_examples(min(sizes), batch_size, drop_remainder, f"{source} ({names})")
    tensors = [tf.constant(images) for images in domains]
    streams = []
    for offset, size in enumerate(sizes):
        indices = tf.data.Dataset.range(size)
        if shuffle:
            indices = indices.shuffle(size, seed=None if seed is None else seed + offset)
        streams.append(indices)

    def gather(indices_a, indices_b):
        return tuple(
            garments(tf.gather(images, indices), spec, image_size)
            for images, indices in zip(tensors, (indices_a, indices_b))
        )

    return batch_and_finish(tf.data.Dataset.zip(tuple(streams)), batch_size, drop_remainder, gather)
