"""Tests for `kerasgan.data.from_numpy`: range handling and its errors."""

import numpy as np
import pytest

import kerasgan


def _first(ds):
    return next(iter(ds))


def _ramp(shape, low, high):
    """Values spread evenly from `low` to `high` over an array of `shape`."""
    return np.linspace(low, high, int(np.prod(shape)), dtype=np.float32).reshape(shape)


def test_uint8_grayscale_gets_a_channel_axis_and_full_range():
    x = np.zeros((8, 6, 5), np.uint8)
    x[:4] = 255
    images = _first(kerasgan.data.from_numpy(x, batch_size=8, shuffle=False)).numpy()
    assert images.shape == (8, 6, 5, 1) and images.dtype == np.float32
    assert np.all(images[:4] == 1.0) and np.all(images[4:] == -1.0)


@pytest.mark.parametrize("low, high", [(0, 1), (-1, 1), (0, 255), (-0.5, 2)])
def test_float_value_range_maps_to_minus_one_one(low, high):
    x = _ramp((4, 3, 3, 3), low, high)
    ds = kerasgan.data.from_numpy(x, batch_size=4, value_range=(low, high), shuffle=False)
    images = _first(ds).numpy()
    assert images.min() == pytest.approx(-1.0) and images.max() == pytest.approx(1.0)
    np.testing.assert_allclose(images, (x - low) / (high - low) * 2 - 1, atol=1e-5)


def test_negative_floats_in_minus_one_one_need_no_value_range():
    x = _ramp((4, 2, 2), -1, 0.5)
    images = _first(kerasgan.data.from_numpy(x, batch_size=4, shuffle=False))
    np.testing.assert_allclose(images.numpy()[..., 0], x, atol=1e-6)


def test_labels_resize_and_seed():
    x = np.random.default_rng(0).integers(0, 256, (32, 8, 8, 3), dtype=np.uint8)
    y = np.arange(32).reshape(32, 1)
    ds = kerasgan.data.from_numpy(x, y, batch_size=16, image_size=(4, 6), seed=1)
    images, labels = _first(ds)
    assert images.shape == (16, 4, 6, 3) and labels.dtype.name == "int32"
    assert images.numpy().min() >= -1 and images.numpy().max() <= 1
    again = _first(kerasgan.data.from_numpy(x, y, batch_size=16, seed=1))[1]
    np.testing.assert_array_equal(labels, again)
    other = _first(kerasgan.data.from_numpy(x, y, batch_size=16, seed=2))[1]
    assert not np.array_equal(labels, other)
    # The pairing of images and labels survives the shuffle.
    first_image = _first(kerasgan.data.from_numpy(x, y, batch_size=16, seed=1))[0]
    np.testing.assert_allclose(first_image[0], x[labels[0]] / 127.5 - 1, atol=1e-6)


@pytest.mark.parametrize(
    "x, kwargs, message",
    [
        (np.zeros((4, 8), np.uint8), {}, r"received shape \(4, 8\)"),
        (np.zeros((4, 3, 8, 8), np.uint8), {}, "Channels-first"),
        (np.zeros((4, 8, 8, 2), np.uint8), {}, "C in 1, 3 or 4"),
        (np.zeros((4, 8, 8), np.uint8), {"value_range": (0, 1)}, "uint8 images"),
        (_ramp((4, 8, 8), 0, 1), {}, r"values in \[0, 1\] and no value_range"),
        (_ramp((4, 8, 8), -2, 2), {}, "no value_range"),
        (_ramp((4, 8, 8), 0, 255), {"value_range": (0, 1)}, r"=\(0.0, 1.0\)"),
        (_ramp((4, 8, 8), -1, 1), {"value_range": (0, 1)}, "outside value_range"),
        (_ramp((4, 8, 8), 0, 1), {"value_range": (1, 0)}, "low < high"),
        (_ramp((4, 8, 8), 0, 1), {"value_range": 1}, "value_range=1"),
        (np.zeros((4, 8, 8), bool), {}, "dtype bool"),
        (np.zeros((0, 8, 8), np.uint8), {}, "holds no examples"),
        (np.zeros((4, 8, 8), np.uint8), {"batch_size": 8}, "fewer than batch_size=8"),
        (np.zeros((4, 8, 8), np.uint8), {"image_size": (0, 4)}, "image_size"),
    ],
)
def test_bad_images_raise(x, kwargs, message):
    kwargs.setdefault("batch_size", 2)
    with pytest.raises(ValueError, match=message):
        kerasgan.data.from_numpy(x, **kwargs)


def test_nan_raises_even_with_value_range():
    x = _ramp((4, 8, 8), 0, 1)
    x[2, 3, 3] = np.nan
    with pytest.raises(ValueError, match="1 NaN or infinite"):
        kerasgan.data.from_numpy(x, value_range=(0, 1), batch_size=2)


@pytest.mark.parametrize(
    "y, message",
    [
        (np.arange(3), "4 images but 3 labels"),
        (np.zeros(4, np.float32), "integer class labels"),
        (np.eye(4, dtype=np.int32), "one-hot"),
    ],
)
def test_bad_labels_raise(y, message):
    with pytest.raises(ValueError, match=message):
        kerasgan.data.from_numpy(np.zeros((4, 8, 8), np.uint8), y, batch_size=2)
