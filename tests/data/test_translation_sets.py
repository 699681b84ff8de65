"""The image-to-image sets built from Fashion-MNIST: edge maps of their garments, and two unpaired classes."""

import os

import keras
import numpy as np
import pytest

import kerasgan
from kerasgan.data import read_idx

FASHION_DIR = "/usr/share/datasets/fashion-mnist"
pytestmark = pytest.mark.skipif(
    not os.path.isdir(FASHION_DIR), reason="needs the Debian package dataset-fashion-mnist"
)
SNEAKER, SANDAL = 7, 5


@pytest.fixture(autouse=True)
def no_data_dir_env(monkeypatch):
    monkeypatch.delenv("KERASGAN_DATA_DIR", raising=False)


def _fashion(split="train"):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(f"{FASHION_DIR}/{prefix}-images-idx3-ubyte.gz")
    labels = read_idx(f"{FASHION_DIR}/{prefix}-labels-idx1-ubyte.gz")
    return images, labels


def _padded(images):
    """uint8 (N, 28, 28) garments in [-1, 1], padded with two pixels of -1 on each side."""
    scaled = images.astype("float32") / 127.5 - 1.0
    return np.pad(scaled, ((0, 0), (2, 2), (2, 2)), constant_values=-1.0)[..., None]


def _sobel_edges(targets):
    """The edge map recomputed in NumPy: Sobel on [0, 1] with reflected borders, |g| / 2, to [-1, 1]."""
    unit = (targets[..., 0] + 1.0) / 2.0
    padded = np.pad(unit, ((0, 0), (1, 1), (1, 1)), mode="reflect")
    height, width = unit.shape[1:]

    def window(dy, dx):
        return padded[:, 1 + dy : 1 + dy + height, 1 + dx : 1 + dx + width]

    gy = (window(1, -1) + 2 * window(1, 0) + window(1, 1)) - (
        window(-1, -1) + 2 * window(-1, 0) + window(-1, 1)
    )
    gx = (window(-1, 1) + 2 * window(0, 1) + window(1, 1)) - (
        window(-1, -1) + 2 * window(0, -1) + window(1, -1)
    )
    magnitude = np.sqrt(gx**2 + gy**2)
    return (2.0 * np.minimum(magnitude / 2.0, 1.0) - 1.0)[..., None]


def test_the_sets_are_listed_and_have_no_labels():
    names = kerasgan.data.available()
    assert names[4:6] == ("fashion_mnist_edges", "fashion_mnist_sneaker_sandal")
    for name in names[4:6]:
        with pytest.raises(ValueError, match="has no class labels; received with_labels=True"):
            kerasgan.data.load(name, batch_size=4, limit=8, with_labels=True)
        with pytest.raises(ValueError, match="load_arrays\\('fashion_mnist'\\)"):
            kerasgan.data.load_arrays(name)


def test_edges_targets_are_the_padded_garments_in_file_order():
    ds = kerasgan.data.load("fashion_mnist_edges", "test", batch_size=8, limit=16, shuffle=False)
    assert [tuple(s.shape) for s in ds.element_spec] == [(8, 32, 32, 1), (8, 32, 32, 1)]
    targets = np.concatenate([t.numpy() for _, t in ds])
    images, _ = _fashion("test")
    np.testing.assert_allclose(targets, _padded(images[:16]), atol=1e-6)
    assert targets.dtype == np.float32


@pytest.mark.parametrize("image_size", [None, (48, 40)])
def test_each_source_is_the_edge_map_of_its_own_target(image_size):
    ds = kerasgan.data.load("fashion_mnist_edges", batch_size=16, limit=32, seed=3, image_size=image_size)
    for sources, targets in ds:
        sources, targets = sources.numpy(), targets.numpy()
        assert sources.shape == targets.shape == (16, *(image_size or (32, 32)), 1)
        assert sources.min() >= -1.0 and sources.max() <= 1.0
        assert targets.min() >= -1.0 and targets.max() <= 1.0
        np.testing.assert_allclose(sources, _sobel_edges(targets), atol=1e-5)
        # Outlines saturate, the background stays black, and no source is another's map.
        assert (sources == 1.0).any() and (sources[:, :2, :2] == -1.0).all()
        assert not np.allclose(sources[0], _sobel_edges(targets[1:2])[0], atol=1e-3)


def _domain_index(images, domain):
    """Index of each yielded image among `domain` (uint8 (N, 28, 28)), or -1 if not there."""
    garments = np.round((images[:, 2:30, 2:30, 0] + 1.0) * 127.5).astype("uint8")
    lookup = {image.tobytes(): i for i, image in enumerate(domain)}
    return [lookup.get(garment.tobytes(), -1) for garment in garments]


def test_unpaired_domains_hold_their_first_images_of_one_class_each():
    images, labels = _fashion("train")
    sneakers, sandals = images[labels == SNEAKER][:12], images[labels == SANDAL][:12]
    ds = kerasgan.data.load("fashion_mnist_sneaker_sandal", batch_size=4, limit=12, seed=0)
    batches = list(ds)
    assert len(batches) == 3
    a = np.concatenate([a.numpy() for a, _ in batches])
    b = np.concatenate([b.numpy() for _, b in batches])
    assert a.shape == b.shape == (12, 32, 32, 1) and a.min() >= -1.0 and b.max() <= 1.0
    assert (a[:, :2] == -1.0).all() and (b[:, :, -2:] == -1.0).all()  # the padding
    order_a, order_b = _domain_index(a, sneakers), _domain_index(b, sandals)
    assert sorted(order_a) == sorted(order_b) == list(range(12))  # each image once, and only its class
    assert order_a != order_b  # the domains are shuffled each on its own


def test_unpaired_combinations_change_between_epochs_and_repeat_under_the_same_seeds():
    images, labels = _fashion("test")
    sneakers, sandals = images[labels == SNEAKER][:16], images[labels == SANDAL][:16]

    def epochs(ds, count=2):
        pairs = []
        for _ in range(count):
            indices = [(_domain_index(a.numpy(), sneakers), _domain_index(b.numpy(), sandals)) for a, b in ds]
            pairs.append([pair for batch_a, batch_b in indices for pair in zip(batch_a, batch_b)])
        return pairs

    keras.utils.set_random_seed(1)
    first = epochs(kerasgan.data.load("fashion_mnist_sneaker_sandal", "test", batch_size=4, limit=16, seed=5))
    assert first[0] != first[1] and sorted(first[0]) != sorted(first[1])
    keras.utils.set_random_seed(1)
    again = epochs(kerasgan.data.load("fashion_mnist_sneaker_sandal", "test", batch_size=4, limit=16, seed=5))
    assert again == first  # what a resumed run relies on


def test_unpaired_limit_is_per_domain_and_errors_name_the_classes():
    ds = kerasgan.data.load("fashion_mnist_sneaker_sandal", "test", batch_size=5, limit=10, shuffle=False)
    assert len(list(ds)) == 2
    with pytest.raises(ValueError, match="10 of class 7, 10 of class 5.*fewer than batch_size=16"):
        kerasgan.data.load("fashion_mnist_sneaker_sandal", batch_size=16, limit=10)
    with pytest.raises(ValueError, match="limit"):
        kerasgan.data.load("fashion_mnist_edges", batch_size=4, limit=0)
    with pytest.raises(ValueError, match="splits"):
        kerasgan.data.load("fashion_mnist_edges", split="validation")
