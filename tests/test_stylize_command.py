"""`kerasgan stylize`: a style transfer of two images from the shell, written as a panel."""

import os

import numpy as np
import pytest
from PIL import Image

from kerasgan import cli
from kerasgan.images import read_png_metadata

pytest.importorskip("skimage", reason="the bundled photographs come with scikit-image (kerasgan[images])")


def test_stylizes_a_bundled_photo_with_a_texture_file_and_writes_the_panel(tmp_path, capsys):
    texture = tmp_path / "stripes.png"
    stripes = np.zeros((40, 40, 3), np.uint8)
    stripes[:, ::4] = 255
    Image.fromarray(stripes).save(texture)
    out = tmp_path / "panel.png"
    arguments = ["stylize", "--content", "astronaut", "--style", str(texture), "--steps", "3", "--size", "32"]
    assert cli.main(arguments + ["--feature-extractor", "fashion_mnist", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "over 3 steps" in printed and str(out) in printed
    first, last = (float(value) for value in printed.split("Loss ")[1].split(" over")[0].split(" -> "))
    assert last < first  # the transfer lowered its own loss
    panel = np.asarray(Image.open(out))
    assert panel.shape[0] >= 32 and panel.shape[1] >= 3 * 32 and panel.shape[2] == 3  # three tiles
    assert read_png_metadata(out)["Synthetic"] == "true"


def test_an_unknown_image_is_a_clear_error(tmp_path, capsys):
    out = tmp_path / "panel.png"
    arguments = ["stylize", "--content", "no_such_photo", "--style", "brick", "--out", str(out)]
    assert cli.main(arguments + ["--feature-extractor", "fashion_mnist"]) == 1
    error = capsys.readouterr().err
    assert "'no_such_photo' is neither an image file nor a bundled photograph" in error
    assert "astronaut" in error
    assert not os.path.exists(out)
