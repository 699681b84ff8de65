"""Training data for kerasgan: named data sets, NumPy arrays, image folders.

Every loader returns a `tf.data.Dataset` of float32 images in `[-1, 1]`,
shape `(batch, H, W, C)` (grayscale has C=1), optionally with int32 labels;
the image-to-image sets (`translation_sets`: `"fashion_mnist_edges"`,
`"fashion_mnist_sneaker_sandal"`) yield pairs of such batches.

Example:
    >>> import kerasgan
    >>> ds = kerasgan.data.load("fashion_mnist", batch_size=64, limit=256)
    >>> images = next(iter(ds))
    >>> images.shape, float(images.numpy().min()) >= -1.0
    (TensorShape([64, 28, 28, 1]), True)
"""

from kerasgan.data.catalog import available
from kerasgan.data.directory import from_directory
from kerasgan.data.idx import read_idx
from kerasgan.data.named_datasets import load, load_arrays
from kerasgan.data.numpy_input import from_numpy

__all__ = [
    "available",
    "from_directory",
    "from_numpy",
    "load",
    "load_arrays",
    "read_idx",
]
