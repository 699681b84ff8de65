"""Training data for kerasgan: named data sets, NumPy arrays, image folders.

Every loader returns a `tf.data.Dataset` of float32 images in `[-1, 1]`,
shape `(batch, H, W, C)` (grayscale has C=1), optionally with int32 labels;
the image-to-image sets yield pairs of such batches: paired sets
`(sources, targets)` (edges, low resolution and holes made from
Fashion-MNIST in `translation_sets`, `degradations`; DIV2K in
`tfds_translation`) and unpaired sets `(images_a, images_b)` (two
Fashion-MNIST classes; CycleGAN's photographs). `photos.load_image` reads
the photographs and textures that scikit-image ships, for style transfer
(the `kerasgan[images]` extra).

Example:
    >>> import kerasgan
    >>> ds = kerasgan.data.load("fashion_mnist", batch_size=64, limit=256)
    >>> images = next(iter(ds))
    >>> images.shape, float(images.numpy().min()) >= -1.0
    (TensorShape([64, 28, 28, 1]), True)
"""

from kerasgan.data import degradations, photos, tfds_translation, translation_sets
from kerasgan.data.catalog import available
from kerasgan.data.directory import from_directory
from kerasgan.data.idx import read_idx
from kerasgan.data.named_datasets import load, load_arrays
from kerasgan.data.numpy_input import from_numpy

__all__ = [
    "available",
    "degradations",
    "from_directory",
    "from_numpy",
    "load",
    "load_arrays",
    "photos",
    "read_idx",
    "tfds_translation",
    "translation_sets",
]
