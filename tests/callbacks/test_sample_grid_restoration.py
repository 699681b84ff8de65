"""SampleGrid and translation_panel on restoration models: dict inputs, and rows that line up."""

import numpy as np
import pytest

import kerasgan
from kerasgan.callbacks import SampleGrid
from kerasgan.callbacks.sample_grid import translation_panel
from kerasgan.data.degradations import area_downsample
from kerasgan.images import make_grid, read_png_metadata
from tests.image_runs import panel_row, written_grid

SIDE, PADDING = 28, 2


@pytest.fixture(scope="module")
def garments(fashion_mnist_sample):
    return fashion_mnist_sample[0][:5]


def test_super_resolution_grid_enlarges_the_low_resolution_inputs_to_the_output_size(garments, tmp_path):
    low_res = area_downsample(garments, 2).numpy()
    model = kerasgan.SRGAN(
        scale=2, image_shape=(SIDE, SIDE, 1), base_filters=4, num_residual_blocks=1, dense_units=8,
        perceptual_weight=0, seed=0,
    )  # fmt: skip
    path, grid = written_grid(model, tmp_path, "runs/restore", images=low_res, targets=garments)
    assert grid.shape == (3 * SIDE + 4 * PADDING, 5 * SIDE + 6 * PADDING)
    first = panel_row(grid, 0, SIDE)
    # Each low-resolution pixel is a 2x2 block of the first row (nearest neighbour), tile by tile.
    for index, image in enumerate(low_res):
        left = PADDING + index * (SIDE + PADDING)
        tile = first[PADDING : PADDING + SIDE, left : left + SIDE]
        np.testing.assert_array_equal(tile[::2, ::2], tile[1::2, 1::2])
        np.testing.assert_array_equal(tile[::2, ::2], make_grid(image[None], padding=0)[..., 0])
    np.testing.assert_array_equal(
        panel_row(grid, 1, SIDE), make_grid(model.upscale(low_res), num_rows=1)[..., 0]
    )
    np.testing.assert_array_equal(panel_row(grid, 2, SIDE), make_grid(garments, num_rows=1)[..., 0])
    assert read_png_metadata(path)["Model"].startswith("SRGAN")


def test_inpainting_grid_takes_images_and_masks_and_shows_the_holes_grey(garments, tmp_path):
    model = kerasgan.InpaintingGAN(image_shape=(SIDE, SIDE, 1), base_filters=4, mask="rectangles", seed=0)
    inputs, targets = model.example_inputs(garments, seed=1)
    masks = inputs["masks"]
    assert masks.shape == (5, SIDE, SIDE, 1) and 0 < masks.sum() < masks.size
    np.testing.assert_array_equal(targets, garments)
    _, grid = written_grid(model, tmp_path, "runs/restore", images=inputs, targets=targets)
    assert grid.shape == (3 * SIDE + 4 * PADDING, 5 * SIDE + 6 * PADDING)
    holed = np.where(masks > 0.5, 0.0, garments)
    np.testing.assert_array_equal(panel_row(grid, 0, SIDE), make_grid(holed, num_rows=1)[..., 0])
    completed = model.inpaint(garments, masks)
    np.testing.assert_array_equal(panel_row(grid, 1, SIDE), make_grid(completed, num_rows=1)[..., 0])
    np.testing.assert_array_equal(panel_row(grid, 2, SIDE), make_grid(garments, num_rows=1)[..., 0])
    np.testing.assert_array_equal(grid, translation_panel(model, inputs, targets=targets)[..., 0])
    # The same seed draws the same masks; another seed other ones.
    np.testing.assert_array_equal(model.example_inputs(garments, seed=1)[0]["masks"], masks)
    assert not np.array_equal(model.example_inputs(garments, seed=2)[0]["masks"], masks)


def test_dict_inputs_are_checked_like_arrays(garments):
    model = kerasgan.InpaintingGAN(image_shape=(SIDE, SIDE, 1), base_filters=4, seed=0)
    inputs, _ = model.example_inputs(garments)
    with pytest.raises(ValueError, match="received 3 targets and 5 images"):
        SampleGrid("samples", images=inputs, targets=garments[:3])
    with pytest.raises(ValueError, match="takes a dict with the keys \\['images', 'masks'\\]"):
        translation_panel(model, garments)
