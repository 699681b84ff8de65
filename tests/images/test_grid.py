"""Tests for kerasgan.images.make_grid."""

import numpy as np
import pytest

from kerasgan.images import make_grid


def _images(num_images=6, height=4, width=5, channels=1, value=0.0):
    return np.full((num_images, height, width, channels), value, "float32")


def test_square_layout_shape_and_dtype():
    grid = make_grid(_images(num_images=10, height=28, width=28))
    # 10 images -> 4 columns, 3 rows; 2 pixels of padding around every tile.
    assert grid.shape == (3 * 28 + 4 * 2, 4 * 28 + 5 * 2, 1)
    assert grid.dtype == np.uint8


def test_num_rows_sets_columns():
    grid = make_grid(_images(num_images=6, channels=3), num_rows=2, padding=1)
    assert grid.shape == (2 * 4 + 3, 3 * 5 + 4, 3)


def test_num_rows_that_the_images_fill_sooner_gives_fewer_rows():
    grid = make_grid(_images(num_images=4), num_rows=3, padding=0)
    assert grid.shape == (2 * 4, 2 * 5, 1)


def test_zero_padding_tiles_edge_to_edge():
    images = np.stack([_images(1, value=v)[0] for v in (-1.0, 1.0)])
    grid = make_grid(images, num_rows=1, padding=0)
    assert grid.shape == (4, 10, 1)
    np.testing.assert_array_equal(grid[:, :5], 0)
    np.testing.assert_array_equal(grid[:, 5:], 255)


def test_value_mapping():
    values = np.array([-1.0, -0.5, 0.0, 0.5, 1.0], "float32")
    grid = make_grid(values.reshape(1, 1, 5, 1), padding=0)
    np.testing.assert_array_equal(grid[0, :, 0], [0, 64, 128, 191, 255])


def test_padding_and_empty_cells_take_pad_value():
    grid = make_grid(_images(num_images=3, value=-1.0), padding=2, pad_value=0.0)
    # 3 images -> 2 x 2 grid; the fourth cell stays padding.
    assert grid.shape == (2 * 4 + 3 * 2, 2 * 5 + 3 * 2, 1)
    assert np.all(grid[:2] == 128)  # top border
    np.testing.assert_array_equal(grid[2:6, 2:7], 0)  # first tile
    np.testing.assert_array_equal(grid[8:12, 9:14], 128)  # empty cell


def test_tiles_in_row_major_order():
    images = np.linspace(-1, 1, 6, dtype="float32")[:, None, None, None]
    images = np.broadcast_to(images, (6, 2, 2, 3))
    grid = make_grid(images, num_rows=2, padding=1)
    corners = [grid[1 + r * 3, 1 + c * 3, 0] for r in range(2) for c in range(3)]
    assert corners == sorted(corners)
    assert corners[0] == 0 and corners[-1] == 255


def test_tiny_overshoot_is_clipped():
    grid = make_grid(_images(1, value=1.0 + 1e-6), padding=0)
    np.testing.assert_array_equal(grid, 255)


def test_accepts_tensors():
    import tensorflow as tf

    grid = make_grid(tf.zeros((2, 3, 3, 1)), padding=0)
    assert grid.shape == (3, 6, 1)


@pytest.mark.parametrize(
    "images, match",
    [
        (np.zeros((4, 4, 1), "float32"), r"shape \(N, H, W, C\).*\(4, 4, 1\)"),
        (np.zeros((2, 4, 4, 2), "float32"), r"1 \(grayscale\) or 3 \(RGB\)"),
        (np.zeros((2, 1, 4, 4), "float32"), r"channels-last"),
        (np.zeros((0, 4, 4, 1), "float32"), r"empty batch"),
        (np.zeros((2, 4, 4, 1), "uint8"), r"dtype uint8"),
        (np.full((2, 4, 4, 1), np.nan, "float32"), r"32 NaN or infinite"),
        (np.full((2, 4, 4, 1), np.inf, "float32"), r"NaN or infinite"),
        (np.full((2, 4, 4, 1), 2.0, "float32"), r"\[-1, 1\].*\[2, 2\]"),
        (np.full((2, 4, 4, 1), 0.5, "float32") - 1.6, r"\[-1.1, -1.1\]"),
    ],
)
def test_invalid_images(images, match):
    with pytest.raises(ValueError, match=match):
        make_grid(images)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"num_rows": 0}, "num_rows"),
        ({"num_rows": 7}, r"from 1 to the number of images \(6\)"),
        ({"num_rows": 2.0}, "num_rows"),
        ({"padding": -1}, "padding"),
        ({"padding": True}, "padding"),
        ({"pad_value": 2.0}, "pad_value"),
    ],
)
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_grid(_images(), **kwargs)
