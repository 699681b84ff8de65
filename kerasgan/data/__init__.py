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

from kerasgan.data.catalog import available
from kerasgan.data.idx import read_idx
from kerasgan.utils.lazy import lazy_attributes

# The parts built on tf.data, imported on first use, so that the catalog
# (which the models read) imports without TensorFlow.
_LAZY = {
    "degradations": ("kerasgan.data.degradations", None),
    "photos": ("kerasgan.data.photos", None),
    "tfds_translation": ("kerasgan.data.tfds_translation", None),
    "translation_sets": ("kerasgan.data.translation_sets", None),
    "from_directory": ("kerasgan.data.directory", "from_directory"),
    "load": ("kerasgan.data.named_datasets", "load"),
    "load_arrays": ("kerasgan.data.named_datasets", "load_arrays"),
    "from_numpy": ("kerasgan.data.numpy_input", "from_numpy"),
}


__getattr__, __dir__ = lazy_attributes("kerasgan.data", _LAZY, globals())


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
