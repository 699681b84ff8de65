"""Tests for the IDX reader, on the real Fashion-MNIST files."""

import gzip
import os

import numpy as np
import pytest

from kerasgan.data import read_idx

FASHION_DIR = "/usr/share/datasets/fashion-mnist"
pytestmark = pytest.mark.skipif(
    not os.path.isdir(FASHION_DIR),
    reason="needs the Debian package dataset-fashion-mnist",
)
TEST_IMAGES = os.path.join(FASHION_DIR, "t10k-images-idx3-ubyte.gz")
TEST_LABELS = os.path.join(FASHION_DIR, "t10k-labels-idx1-ubyte.gz")


def _raw_bytes(path):
    with gzip.open(path, "rb") as f:
        return f.read()


def test_reads_images_and_labels_with_the_header_shapes():
    images = read_idx(TEST_IMAGES)
    labels = read_idx(TEST_LABELS)
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10000,) and labels.dtype == np.uint8
    assert labels.min() == 0 and labels.max() == 9
    # The values match a plain byte-offset parse (16-byte header for 3 dims).
    expected = np.frombuffer(_raw_bytes(TEST_IMAGES), np.uint8, offset=16)
    np.testing.assert_array_equal(images.reshape(-1), expected)
    assert labels[:5].tolist() == [9, 2, 1, 1, 6]


def test_limit_reads_only_the_first_items():
    images = read_idx(TEST_IMAGES, limit=7)
    np.testing.assert_array_equal(images, read_idx(TEST_IMAGES)[:7])
    assert read_idx(TEST_LABELS, limit=20000).shape == (10000,)


def test_plain_file_and_big_endian_dtype(tmp_path):
    values = np.arange(-6, 6, dtype=">i4").reshape(3, 4)
    path = tmp_path / "values-idx2-int"
    path.write_bytes(bytes([0, 0, 0x0C, 2]) + b"\0\0\0\3\0\0\0\4" + values.tobytes())
    result = read_idx(path)
    assert result.dtype == np.int32 and result.dtype.isnative
    np.testing.assert_array_equal(result, values)


def test_truncated_file_raises(tmp_path):
    path = tmp_path / "t10k-images-idx3-ubyte"
    path.write_bytes(_raw_bytes(TEST_IMAGES)[:5000])
    with pytest.raises(ValueError, match="truncated"):
        read_idx(path)
    # A small limit only needs the bytes that are there.
    assert read_idx(path, limit=2).shape == (2, 28, 28)


def test_truncated_gzip_raises(tmp_path):
    path = tmp_path / "t10k-labels-idx1-ubyte.gz"
    with open(TEST_LABELS, "rb") as f:
        path.write_bytes(f.read()[:2000])
    with pytest.raises(ValueError, match="could not be read as an IDX file"):
        read_idx(path)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x1f\x8b\x08\x00garbage", "bad magic number"),
        (b"\0\0\x08\x03\0\0", "truncated inside its header"),
        (b"", "bad magic number"),
    ],
)
def test_corrupt_header_raises(tmp_path, content, message):
    path = tmp_path / "broken-idx3-ubyte"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        read_idx(path)


def test_bad_limit_raises():
    with pytest.raises(ValueError, match="received limit=0"):
        read_idx(TEST_LABELS, limit=0)
