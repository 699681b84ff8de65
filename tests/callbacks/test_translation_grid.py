"""SampleGrid on image-to-image models: fixed sources over their translations (and targets), one row each."""

import os

import numpy as np
import pytest

import kerasgan
from kerasgan.callbacks import SampleGrid
from kerasgan.callbacks.sample_grid import translation_panel
from kerasgan.images import make_grid, read_png_metadata
from tests.image_runs import panel_row, written_grid

SIDE, PADDING = 32, 2


@pytest.fixture(scope="module")
def pairs(fashion_mnist_sample):
    images = np.pad(fashion_mnist_sample[0][:5], ((0, 0), (2, 2), (2, 2), (0, 0)), constant_values=-1.0)
    return kerasgan.data.translation_sets.edge_map(images).numpy(), images


def test_paired_grid_shows_sources_translations_and_targets(pairs, tmp_path):
    sources, targets = pairs
    model = kerasgan.Pix2Pix(image_shape=(SIDE, SIDE, 1), base_filters=4, seed=0)
    path, grid = written_grid(model, tmp_path, "runs/edges", images=sources, targets=targets)
    assert grid.shape == (3 * SIDE + 4 * PADDING, 5 * SIDE + 6 * PADDING)
    expected_rows = [sources, model.translate(sources), targets]
    for index, row in enumerate(expected_rows):
        np.testing.assert_array_equal(panel_row(grid, index), make_grid(row, num_rows=1)[..., 0])
    np.testing.assert_array_equal(grid, translation_panel(model, sources, targets=targets)[..., 0])
    metadata = read_png_metadata(path)
    assert (metadata["Synthetic"], metadata["Run"], metadata["Epoch"]) == ("true", "runs/edges", "1")
    assert metadata["Model"].startswith("Pix2Pix")
    assert os.path.exists(os.path.join(tmp_path, "latest.png"))


def test_unpaired_grid_translates_in_the_chosen_direction(pairs, tmp_path):
    _, images = pairs
    model = kerasgan.CycleGAN(image_shape=(SIDE, SIDE, 1), base_filters=4, num_residual_blocks=1, seed=0)
    _, grid = written_grid(model, tmp_path, "runs/edges", images=images, direction="b2a")
    assert grid.shape[0] == 2 * SIDE + 3 * PADDING
    np.testing.assert_array_equal(
        panel_row(grid, 1), make_grid(model.translate(images, "b2a"), num_rows=1)[..., 0]
    )
    assert not np.array_equal(
        panel_row(grid, 1), make_grid(model.translate(images, "a2b"), num_rows=1)[..., 0]
    )


def test_targets_must_match_the_images(pairs):
    sources, targets = pairs
    with pytest.raises(ValueError, match="received 4 targets and 5 images"):
        SampleGrid("samples", images=sources, targets=targets[:4])
    with pytest.raises(ValueError, match="no images="):
        SampleGrid("samples", targets=targets)
