"""Tests for kerasgan.images.save_png and read_png_metadata."""

import datetime
import importlib.metadata

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from kerasgan.images import METADATA_KEYS, build_png_metadata, make_grid, read_png_metadata, save_png


class _FakeModel:
    name = "dcgan_7"


@pytest.mark.parametrize("channels", [1, 3])
def test_round_trip_preserves_pixels_and_metadata(tmp_path, channels):
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (5, 6, 7, channels)).astype("float32")
    grid = make_grid(images)
    path = save_png(
        tmp_path / "nested" / "dir" / "grid.png",
        grid,
        model=_FakeModel(),
        run="runs/exp-1",
        extra={"Epoch": 3},
    )

    with Image.open(path) as image:
        assert image.mode == ("L" if channels == 1 else "RGB")
        pixels = np.asarray(image)
    np.testing.assert_array_equal(pixels.reshape(grid.shape), grid)

    metadata = read_png_metadata(path)
    assert set(METADATA_KEYS) <= set(metadata)
    assert metadata["Synthetic"] == "true"
    assert "not a real photograph" in metadata["Description"]
    assert metadata["Digital Source Type"].endswith("trainedAlgorithmicMedia")
    assert metadata["Model"] == "_FakeModel 'dcgan_7'"
    assert metadata["Run"] == "runs/exp-1"
    assert metadata["Epoch"] == "3"
    version = importlib.metadata.version("kerasgan")
    assert metadata["kerasgan Version"] == version
    assert metadata["Software"] == f"kerasgan {version}"
    created = datetime.datetime.fromisoformat(metadata["Creation Time"])
    age = datetime.datetime.now(datetime.timezone.utc) - created
    assert datetime.timedelta(0) <= age < datetime.timedelta(minutes=5)


def test_no_temporary_files_are_left(tmp_path):
    save_png(tmp_path / "a.png", np.zeros((4, 4), "uint8"))
    save_png(tmp_path / "a.png", np.full((4, 4), 9, "uint8"))
    assert [p.name for p in tmp_path.iterdir()] == ["a.png"]
    with Image.open(tmp_path / "a.png") as image:
        assert np.asarray(image)[0, 0] == 9


def test_missing_model_and_run_are_unknown(tmp_path):
    path = save_png(tmp_path / "a.png", np.zeros((4, 4, 3), "uint8"))
    metadata = read_png_metadata(path)
    assert metadata["Model"] == "unknown"
    assert metadata["Run"] == "unknown"


def test_figure_is_saved_with_the_same_keys(tmp_path):
    figure = Figure(figsize=(2, 2))
    figure.add_subplot().plot([1, 2, 3])
    path = save_png(tmp_path / "chart.png", figure, model="DCGAN", run=tmp_path, content="chart")
    metadata = read_png_metadata(path)
    assert set(METADATA_KEYS) <= set(metadata)
    assert metadata["Model"] == "DCGAN"
    assert metadata["Run"] == str(tmp_path)
    assert metadata["Digital Source Type"].endswith("dataDrivenMedia")
    assert metadata["Software"].startswith("kerasgan ")


def test_non_latin1_values_survive(tmp_path):
    path = save_png(tmp_path / "a.png", np.zeros((2, 2), "uint8"), run="runs/große-λ")
    assert read_png_metadata(path)["Run"] == "runs/große-λ"


@pytest.mark.parametrize(
    "image, match",
    [
        (np.zeros((4, 4), "float32"), "make_grid"),
        (np.zeros((2, 4, 4, 1), "uint8"), r"batch.*make_grid"),
        (np.zeros((4, 4, 2), "uint8"), r"\(4, 4, 2\)"),
        (np.zeros((0, 4), "uint8"), "empty"),
    ],
)
def test_invalid_images(tmp_path, image, match):
    with pytest.raises(ValueError, match=match):
        save_png(tmp_path / "a.png", image)
    assert not list(tmp_path.iterdir())


def test_path_must_end_in_png(tmp_path):
    with pytest.raises(ValueError, match=r"ending in '\.png'"):
        save_png(tmp_path / "a.jpg", np.zeros((2, 2), "uint8"))


@pytest.mark.parametrize(
    "extra, match",
    [
        ({"Synthetic": "false"}, "kerasgan sets it itself"),
        ({"": "x"}, "1 to 79"),
        ({"x" * 80: "x"}, "1 to 79"),
        ({" lead": "x"}, "1 to 79"),
        ({"λ": "x"}, "Latin-1"),
        ([("Epoch", 1)], "dict"),
    ],
)
def test_invalid_extra(extra, match):
    with pytest.raises(ValueError, match=match):
        build_png_metadata(extra=extra)


def test_unknown_content():
    with pytest.raises(ValueError, match="'sample'"):
        build_png_metadata(content="photo")


def test_read_rejects_other_formats(tmp_path):
    path = tmp_path / "a.gif"
    Image.new("L", (2, 2)).save(path, format="GIF")
    with pytest.raises(ValueError, match="GIF"):
        read_png_metadata(path)
