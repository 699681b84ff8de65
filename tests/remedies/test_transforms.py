"""The pure transforms against NumPy, given the same per-example values, on real images."""

import keras
import numpy as np
import pytest
from keras import ops

from kerasgan.remedies import transforms
from tests.remedies.helpers import (
    as_rgb,
    numpy_contrast,
    numpy_cutout_mask,
    numpy_saturation,
    numpy_translate,
)

pytestmark = pytest.mark.jax


@pytest.mark.parametrize("padding", ["zeros", "reflect"])
def test_translate_moves_whole_pixels_as_numpy_does(images, padding):
    images = as_rgb(images[:9])
    rows = np.array([-4, -3, -1, 0, 0, 1, 2, 4, 3], "int32")
    cols = np.array([0, 4, -2, 0, 3, -4, 1, 2, -3], "int32")
    moved = ops.convert_to_numpy(transforms.translate(images, rows, cols, padding))
    expected = np.stack([numpy_translate(i, r, c, padding) for i, r, c in zip(images, rows, cols)])
    np.testing.assert_array_equal(moved, expected)
    assert not np.array_equal(moved[1], images[1])


def test_cutout_zeroes_exactly_the_square_and_nothing_else(images):
    tops = np.array([0, 5, -7, 21, 21, -20], "int32")
    lefts = np.array([0, 9, 3, -2, 21, 0], "int32")
    cut = ops.convert_to_numpy(transforms.cutout(images[:6], tops, lefts, (14, 14)))
    for index, (top, left) in enumerate(zip(tops, lefts)):
        mask = numpy_cutout_mask((28, 28), top, left, (14, 14))
        assert np.all(cut[index][mask] == 0)
        np.testing.assert_array_equal(cut[index][~mask], images[index][~mask])
    # Fully inside: 14 x 14 pixels; cut at the border: what is left inside.
    assert [
        int(numpy_cutout_mask((28, 28), top, left, (14, 14)).sum()) for top, left in zip(tops, lefts)
    ] == [
        196,
        196,
        98,
        84,
        49,
        0,
    ]


def test_rotations_and_flips_match_numpy(images):
    images = as_rgb(images[:8])
    turns = np.array([0, 1, 2, 3, 3, 2, 1, 0], "int32")
    flips = np.array([True, False, True, False, False, True, True, False])
    rotated = ops.convert_to_numpy(transforms.rotate90(images, turns))
    flipped = ops.convert_to_numpy(transforms.flip_horizontal(images, flips))
    for index in range(8):
        np.testing.assert_array_equal(rotated[index], np.rot90(images[index], turns[index], axes=(0, 1)))
        expected = images[index][:, ::-1] if flips[index] else images[index]
        np.testing.assert_array_equal(flipped[index], expected)


def test_colour_transforms_match_numpy(images):
    images = as_rgb(images[:4])
    values = np.array([0.0, 0.3, 1.7, -0.4], "float32")
    checks = [
        (transforms.brightness(images, values), [i + v for i, v in zip(images, values)]),
        (transforms.saturation(images, values), [numpy_saturation(i, v) for i, v in zip(images, values)]),
        (transforms.contrast(images, values), [numpy_contrast(i, v) for i, v in zip(images, values)]),
        (
            transforms.contrast(images, values, center="zero"),
            [numpy_contrast(i, v, "zero") for i, v in zip(images, values)],
        ),
    ]
    for result, expected in checks:
        np.testing.assert_allclose(ops.convert_to_numpy(result), np.stack(expected), atol=1e-6)


def test_saturation_of_one_channel_is_the_identity(images):
    out = transforms.saturation(images[:2], np.array([0.0, 2.0], "float32"))
    np.testing.assert_allclose(ops.convert_to_numpy(out), images[:2], atol=1e-7)


def test_uniform_integers_cover_their_range_evenly():
    uniform = np.linspace(0.0, 1.0, 9000, endpoint=False, dtype="float32")
    integers = ops.convert_to_numpy(transforms.uniform_integers(uniform, -4, 4))
    values, counts = np.unique(integers, return_counts=True)
    assert values.tolist() == list(range(-4, 5))
    assert counts.tolist() == [1000] * 9
    top = ops.convert_to_numpy(transforms.uniform_integers(np.array([np.nextafter(1, 0)], "float32"), 0, 3))
    assert top.tolist() == [3]


def test_transforms_keep_a_bfloat16_dtype(images):
    images = ops.cast(images[:2], "bfloat16")
    shifts = np.array([1, -1], "int32")
    outputs = [
        transforms.translate(images, shifts, shifts),
        transforms.cutout(images, shifts, shifts, (3, 3)),
        transforms.rotate90(images, shifts + 1),
        transforms.brightness(images, np.array([0.1, 0.2], "float32")),
        transforms.contrast(images, np.array([0.5, 1.5], "float32")),
    ]
    assert [keras.backend.standardize_dtype(out.dtype) for out in outputs] == ["bfloat16"] * 5


def test_bad_arguments_say_what_to_do(images):
    with pytest.raises(ValueError, match="padding must be one of"):
        transforms.translate(images[:1], [0], [0], padding="wrap")
    with pytest.raises(ValueError, match="square images; received shape"):
        transforms.rotate90(images[:1, :, :14], [1])
    with pytest.raises(ValueError, match="center must be one of"):
        transforms.contrast(images[:1], [1.0], center="median")
    with pytest.raises(ValueError, match=r"\(batch, H, W, C\).*received shape \(28, 28\)"):
        transforms.check_images(images[0, :, :, 0], "DiffAugment")
