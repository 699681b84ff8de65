"""Private helper: Fashion-MNIST arrays for the shipped classifier and its tests.

`kerasgan.data` owns the public data loaders; this module only reads the IDX
files directly so that the metrics do not depend on them.
"""

import os

import numpy as np

from kerasgan.data.idx import read_idx

DEFAULT_DATA_DIR = "/usr/share/datasets/fashion-mnist"

_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


def load_fashion_mnist(split, data_dir=None):
    """Reads one Fashion-MNIST split as images in `[-1, 1]` and integer labels.

    Args:
        split: `"train"` (60,000 images) or `"test"` (10,000 images).
        data_dir: folder holding the four gzip IDX files. Defaults to the
            environment variable `KERASGAN_FASHION_MNIST_DIR`, else
            `/usr/share/datasets/fashion-mnist`.

    Returns:
        A tuple `(images, labels)`: float32 images of shape `(N, 28, 28, 1)` in
        `[-1, 1]`, and int64 labels of shape `(N,)` in `[0, 9]`.
    """
    if split not in _FILES:
        raise ValueError(
            f"Fashion-MNIST has the splits 'train' and 'test'; received "
            f"split={split!r}."
        )
    data_dir = data_dir or os.environ.get(
        "KERASGAN_FASHION_MNIST_DIR", DEFAULT_DATA_DIR
    )
    image_file, label_file = (os.path.join(data_dir, f) for f in _FILES[split])
    for path in (image_file, label_file):
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"Fashion-MNIST file {path} not found. Install the Debian "
                "package dataset-fashion-mnist, or set "
                "KERASGAN_FASHION_MNIST_DIR to a folder with the IDX files."
            )
    images = read_idx(image_file).astype("float32") / 127.5 - 1.0
    labels = read_idx(label_file).astype("int64")
    return images[..., np.newaxis], labels
