"""Photographs and textures from scikit-image's bundled images (the kerasgan[images] extra)."""

import sys

import numpy as np
import pytest

from kerasgan.data import photos
from tests.optional import require

COLOUR = ("astronaut", "chelsea", "coffee", "rocket")
TEXTURES = ("brick", "grass", "gravel")
# (height, width) of each image as scikit-image ships it.
SIZES = {"astronaut": (512, 512), "chelsea": (300, 451), "coffee": (400, 600), "rocket": (427, 640)}


def test_the_names_include_the_photographs_and_textures_of_the_issue():
    names = photos.photo_names()
    assert set(COLOUR + TEXTURES) <= set(names) and list(names) == sorted(names)


@pytest.mark.parametrize("name", COLOUR)
def test_colour_photographs_load_at_their_own_size_in_range(name):
    skimage_data = require("skimage.data", "images")
    image = photos.load_image(name)
    assert image.shape == (*SIZES[name], 3) and image.dtype == np.float32
    assert image.min() >= -1.0 and image.max() <= 1.0
    np.testing.assert_allclose(image, getattr(skimage_data, name)() / 127.5 - 1.0, atol=1e-6)


@pytest.mark.parametrize("name", TEXTURES)
def test_grayscale_textures_are_repeated_over_three_channels(name):
    require("skimage", "images")
    image = photos.load_image(name, size=(64, 48))
    assert image.shape == (64, 48, 3) and image.dtype == np.float32
    assert image.min() >= -1.0 and image.max() <= 1.0 and image.std() > 0.05
    np.testing.assert_array_equal(image[..., 0], image[..., 2])


def test_resizing_is_antialiased():
    """Shrunk 8 times, each pixel is close to the mean of its 8x8 block, closer than one pixel of it."""
    require("skimage", "images")
    big = photos.load_image("brick")
    small = photos.load_image("brick", size=(64, 64))
    blocks = big.reshape(64, 8, 64, 8, 3).mean(axis=(1, 3))
    assert np.abs(small - blocks).mean() < 0.04  # without antialiasing: 0.06
    assert np.abs(small - big[::8, ::8]).mean() > np.abs(small - blocks).mean()


def test_bad_names_and_sizes_are_refused():
    with pytest.raises(ValueError, match="Unknown image name 'lena'. Pass one of \\['astronaut'"):
        photos.load_image("lena")
    with pytest.raises(ValueError, match="image_size must be a pair"):
        photos.load_image("astronaut", size=(0, 32))


def test_a_missing_scikit_image_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "skimage", None)
    monkeypatch.setitem(sys.modules, "skimage.data", None)
    with pytest.raises(ModuleNotFoundError, match=r'pip install "kerasgan\[images\]"') as info:
        photos.load_image("astronaut")
    assert info.value.name == "skimage" and isinstance(info.value, ImportError)
