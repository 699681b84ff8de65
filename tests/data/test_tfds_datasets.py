"""Tests for the tensorflow-datasets path (cifar10, celeb_a), offline.

`tfds.testing.mock_data` replaces the downloaded files with random examples
built from each data set's feature spec, so kerasgan's real `tfds.load`
code runs without a network.
"""

import numpy as np
import pytest
import tensorflow as tf

import kerasgan

tfds = pytest.importorskip("tensorflow_datasets")


@pytest.fixture
def mock_tfds():
    with tfds.testing.mock_data(num_examples=24, policy=tfds.testing.MockPolicy.USE_CODE):
        yield


def _check_images(images, shape):
    images = images.numpy()
    assert images.shape == shape and images.dtype == np.float32
    assert images.min() >= -1.0 and images.max() <= 1.0


def test_cifar10_with_labels(mock_tfds):
    ds = kerasgan.data.load("cifar10", batch_size=8, with_labels=True, seed=0)
    images, labels = next(iter(ds))
    _check_images(images, (8, 32, 32, 3))
    assert labels.dtype == tf.int32
    assert 0 <= labels.numpy().min() and labels.numpy().max() < 10
    assert sum(1 for _ in ds) == 3  # 24 mocked examples


def test_cifar10_limit_resize_and_arrays(mock_tfds):
    ds = kerasgan.data.load("cifar10", "test", batch_size=4, limit=10, image_size=(16, 16))
    assert [tuple(b.shape) for b in ds] == [(4, 16, 16, 3)] * 2
    images, labels = kerasgan.data.load_arrays("cifar10", "test", limit=10)
    assert images.shape == (10, 32, 32, 3) and images.dtype == np.uint8
    assert labels.shape == (10,) and labels.dtype == np.int64


@pytest.mark.parametrize("split", ["train", "validation", "test"])
def test_celeb_a_splits_and_image_size(mock_tfds, split):
    ds = kerasgan.data.load("celeb_a", split, batch_size=4, limit=4, image_size=(32, 32))
    _check_images(next(iter(ds)), (4, 32, 32, 3))


def test_celeb_a_crops_the_face_box():
    """An image white inside kerasgan's crop box and black outside it comes
    out all white at the default 64x64: the crop takes exactly that box."""
    top, left, height, width = 51, 19, 140, 140
    image = np.zeros((218, 178, 3), np.uint8)
    image[top : top + height, left : left + width] = 255

    def as_dataset(self, *args, **kwargs):
        return tf.data.Dataset.from_tensors({"image": image}).repeat(4)

    with tfds.testing.mock_data(as_dataset_fn=as_dataset):
        images = next(iter(kerasgan.data.load("celeb_a", batch_size=4)))
        arrays, labels = kerasgan.data.load_arrays("celeb_a", limit=3)
    assert images.shape == (4, 64, 64, 3)
    np.testing.assert_allclose(images.numpy(), 1.0, atol=1e-6)
    assert arrays.shape == (3, 64, 64, 3) and np.all(arrays == 255)
    assert labels.tolist() == [-1, -1, -1]


def test_tfds_failure_is_wrapped_with_advice(tmp_path):
    with pytest.raises(ValueError) as info:
        kerasgan.data.load("cifar10", download=False, data_dir=tmp_path)
    message = str(info.value)
    assert "tensorflow-datasets could not load 'cifar10'" in message
    assert "download=True" in message
    assert isinstance(info.value.__cause__, Exception)
