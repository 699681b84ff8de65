"""Tests for `kerasgan.data.load` / `load_arrays` on offline MNIST-style files."""

import gzip
import os

import numpy as np
import pytest

import kerasgan
from kerasgan.data import named_datasets, read_idx

FASHION_DIR = "/usr/share/datasets/fashion-mnist"
pytestmark = pytest.mark.skipif(
    not os.path.isdir(FASHION_DIR),
    reason="needs the Debian package dataset-fashion-mnist",
)


@pytest.fixture(autouse=True)
def no_data_dir_env(monkeypatch):
    """Tests start without KERASGAN_DATA_DIR, whatever the shell has."""
    monkeypatch.delenv("KERASGAN_DATA_DIR", raising=False)


def _fashion(kind, split="train", limit=None):
    prefix = "train" if split == "train" else "t10k"
    suffix = "images-idx3" if kind == "images" else "labels-idx1"
    return read_idx(f"{FASHION_DIR}/{prefix}-{suffix}-ubyte.gz", limit=limit)


def _write_idx(path, array):
    """Writes a uint8 array as an IDX file, gzipped when `path` ends in .gz."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def _write_small_copy(folder, count=40):
    """Writes an altered copy (inverted images, labels + 1 mod 10) of the
    first `count` training examples; returns (images, labels) written."""
    folder.mkdir(parents=True, exist_ok=True)
    images = 255 - _fashion("images", limit=count)
    labels = (_fashion("labels", limit=count) + 1) % 10
    _write_idx(folder / "train-images-idx3-ubyte", images)
    _write_idx(folder / "train-labels-idx1-ubyte.gz", labels)
    return images, labels


def test_available_lists_the_named_data_sets():
    assert kerasgan.data.available() == (
        "mnist",
        "fashion_mnist",
        "cifar10",
        "celeb_a",
        "fashion_mnist_edges",
        "fashion_mnist_sneaker_sandal",
        "fashion_mnist_shirt_tshirt",
        "fashion_mnist_sr2",
        "fashion_mnist_sr4",
        "fashion_mnist_masked",
        "horse2zebra",
        "apple2orange",
        "summer2winter_yosemite",
        "monet2photo",
        "div2k_x2",
        "div2k_x4",
        "stacked_fashion_mnist",
    )


def test_name_spelling_is_forgiving():
    images, _ = kerasgan.data.load_arrays("Fashion-MNIST", "test", limit=2)
    assert images.shape == (2, 28, 28, 1)


def test_images_only_shape_dtype_and_range():
    ds = kerasgan.data.load("fashion_mnist", batch_size=16, limit=64, seed=0)
    assert ds.element_spec.shape == (16, 28, 28, 1)
    images = next(iter(ds)).numpy()
    assert images.dtype == np.float32
    assert images.min() == -1.0 and 0.9 < images.max() <= 1.0


def test_with_labels_unshuffled_matches_the_files():
    ds = kerasgan.data.load("fashion_mnist", batch_size=16, limit=32, with_labels=True, shuffle=False)
    images, labels = next(iter(ds))
    assert labels.dtype.name == "int32"
    np.testing.assert_array_equal(labels, _fashion("labels", limit=16))
    expected = _fashion("images", limit=16)[..., None] / 127.5 - 1.0
    np.testing.assert_allclose(images, expected, atol=1e-6)


def test_image_size_resizes_and_keeps_the_range():
    ds = kerasgan.data.load("fashion_mnist", batch_size=8, limit=8, image_size=(32, 40))
    images = next(iter(ds)).numpy()
    assert images.shape == (8, 32, 40, 1)
    assert images.min() >= -1.0 and images.max() <= 1.0


@pytest.mark.parametrize("drop_remainder, expected", [(True, 48), (False, 50)])
def test_limit_takes_the_first_examples(drop_remainder, expected):
    ds = kerasgan.data.load("fashion_mnist", batch_size=16, limit=50, drop_remainder=drop_remainder)
    assert sum(int(batch.shape[0]) for batch in ds) == expected


def test_seed_gives_reproducible_order():
    def first_labels(seed):
        ds = kerasgan.data.load("fashion_mnist", batch_size=32, limit=256, with_labels=True, seed=seed)
        return next(iter(ds))[1].numpy()

    np.testing.assert_array_equal(first_labels(3), first_labels(3))
    assert not np.array_equal(first_labels(3), first_labels(4))


def test_split_sizes():
    ds = kerasgan.data.load(
        "fashion_mnist",
        split="test",
        batch_size=2500,
        shuffle=False,
        drop_remainder=False,
    )
    assert sum(int(batch.shape[0]) for batch in ds) == 10000
    images, labels = kerasgan.data.load_arrays("fashion_mnist", split="train")
    assert images.shape == (60000, 28, 28, 1) and images.dtype == np.uint8
    assert labels.shape == (60000,) and labels.dtype == np.int64


@pytest.mark.parametrize("folder", ["fashion_mnist", "fashion-mnist"])
def test_kerasgan_data_dir_is_used_first(tmp_path, monkeypatch, folder):
    images, labels = _write_small_copy(tmp_path / folder)
    monkeypatch.setenv("KERASGAN_DATA_DIR", str(tmp_path))
    x, y = kerasgan.data.load_arrays("fashion_mnist")
    np.testing.assert_array_equal(x[..., 0], images)
    np.testing.assert_array_equal(y, labels)
    ds = kerasgan.data.load("fashion_mnist", batch_size=40, with_labels=True, shuffle=False)
    np.testing.assert_array_equal(next(iter(ds))[1], labels)


def test_data_dir_argument_comes_before_the_env(tmp_path, monkeypatch):
    mine, _ = _write_small_copy(tmp_path / "mine", count=12)
    _write_small_copy(tmp_path / "env" / "mnist", count=20)
    monkeypatch.setenv("KERASGAN_DATA_DIR", str(tmp_path / "env"))
    assert kerasgan.data.load_arrays("mnist")[0].shape[0] == 20
    x, _ = kerasgan.data.load_arrays("mnist", data_dir=tmp_path / "mine")
    np.testing.assert_array_equal(x[..., 0], mine)


def test_keras_cache_mnist_npz(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KERAS_HOME", raising=False)
    cache = tmp_path / ".keras" / "datasets"
    cache.mkdir(parents=True)
    x = np.full((5, 28, 28), 7, np.uint8)
    np.savez(cache / "mnist.npz", x_train=x, y_train=np.arange(5), x_test=x[:2], y_test=np.arange(2))
    images, labels = kerasgan.data.load_arrays("mnist", split="test")
    assert images.shape == (2, 28, 28, 1) and labels.tolist() == [0, 1]


def test_missing_labels_file_raises(tmp_path):
    _write_idx(tmp_path / "t10k-images-idx3-ubyte", np.zeros((3, 28, 28)))
    with pytest.raises(ValueError, match="no matching labels file"):
        kerasgan.data.load_arrays("mnist", split="test", data_dir=tmp_path)


def test_unknown_name_raises_without_the_network(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("tensorflow-datasets must not be touched")

    monkeypatch.setattr(named_datasets, "tfds_examples", fail)
    with pytest.raises(ValueError, match="name 'imagenet'.*fashion_mnist"):
        kerasgan.data.load("imagenet")
    with pytest.raises(ValueError, match="Unknown data set name"):
        kerasgan.data.load_arrays("cifar100")


def test_missing_data_with_download_false_says_what_to_do(tmp_path, monkeypatch):
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("KERASGAN_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KERAS_HOME", raising=False)
    with pytest.raises(ValueError) as info:
        kerasgan.data.load("mnist", download=False, data_dir=tmp_path / "empty")
    message = str(info.value)
    for advice in ("dataset-fashion-mnist", "KERASGAN_DATA_DIR", "download=True"):
        assert advice in message
    assert str(tmp_path / "empty" / "mnist") in message  # where it looked


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"split": "valid"}, r"\['train', 'test'\]; received split='valid'"),
        ({"batch_size": 0}, "batch_size=0"),
        ({"limit": -3}, "limit=-3"),
        ({"image_size": 32}, "image_size=32"),
        ({"seed": "x"}, "seed='x'"),
        ({"limit": 10, "batch_size": 32}, "fewer than batch_size=32"),
    ],
)
def test_bad_arguments_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        kerasgan.data.load("fashion_mnist", **kwargs)


def test_celeb_a_has_no_labels():
    with pytest.raises(ValueError, match="no class labels"):
        kerasgan.data.load("celeb_a", with_labels=True)
