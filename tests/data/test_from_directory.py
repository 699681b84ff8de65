"""Tests for `kerasgan.data.from_directory` on PNG files written to tmp_path."""

import keras
import numpy as np
import pytest

import kerasgan


@pytest.fixture
def image_folder(tmp_path):
    """Three white and three black RGB images of mixed sizes, one subfolder,
    plus a text file that must be ignored."""
    folder = tmp_path / "images"
    (folder / "sub").mkdir(parents=True)
    for i in range(3):
        white = np.full((10 + i, 12, 3), 255, np.uint8)
        black = np.zeros((9, 7 + i, 3), np.uint8)
        keras.utils.save_img(folder / f"white{i}.png", white, scale=False)
        keras.utils.save_img(folder / "sub" / f"black{i}.PNG", black, scale=False)
    (folder / "notes.txt").write_text("not an image")
    return folder


def test_rgb_images_are_resized_and_scaled(image_folder):
    ds = kerasgan.data.from_directory(image_folder, image_size=(8, 6), batch_size=6)
    assert ds.element_spec.shape == (6, 8, 6, 3)
    images = next(iter(ds)).numpy()
    assert images.dtype == np.float32
    means = np.sort(images.mean(axis=(1, 2, 3)))
    np.testing.assert_allclose(means, [-1, -1, -1, 1, 1, 1], atol=1e-6)


def test_grayscale_unshuffled_and_drop_remainder(image_folder):
    ds = kerasgan.data.from_directory(
        image_folder, image_size=(5, 5), batch_size=4, color_mode="grayscale",
        shuffle=False, drop_remainder=False,
    )
    batches = [batch.numpy() for batch in ds]
    assert [b.shape for b in batches] == [(4, 5, 5, 1), (2, 5, 5, 1)]
    # Sorted paths: sub/black0..2 come before white0..2.
    assert batches[0][0].max() == -1.0 and batches[1][-1].min() == 1.0


@pytest.mark.parametrize(
    "color_mode, channels", [("grayscale", 1), ("rgb", 3), ("rgba", 4)]
)
def test_every_format_in_every_color_mode(tmp_path, color_mode, channels):
    gray = np.full((6, 6, 3), 204, np.uint8)  # 204 maps to 0.6
    for extension in ("png", "jpg", "bmp", "gif"):
        keras.utils.save_img(tmp_path / f"gray.{extension}", gray, scale=False)
    ds = kerasgan.data.from_directory(
        tmp_path, image_size=(3, 3), batch_size=4, color_mode=color_mode
    )
    images = next(iter(ds)).numpy()
    assert images.shape == (4, 3, 3, channels)
    np.testing.assert_allclose(images[..., :3], 0.6, atol=0.02)
    if channels == 4:
        np.testing.assert_array_equal(images[..., 3], 1.0)  # opaque


def test_rgba_keeps_the_png_alpha(tmp_path):
    image = np.zeros((4, 4, 4), np.uint8)  # fully transparent black
    keras.utils.save_img(tmp_path / "clear.png", image, scale=False)
    ds = kerasgan.data.from_directory(tmp_path, (4, 4), batch_size=1, color_mode="rgba")
    np.testing.assert_array_equal(next(iter(ds)).numpy(), -1.0)


def test_seed_gives_reproducible_order(image_folder):
    def order(seed):
        ds = kerasgan.data.from_directory(image_folder, (4, 4), batch_size=6, seed=seed)
        return next(iter(ds)).numpy().mean(axis=(1, 2, 3))

    np.testing.assert_array_equal(order(5), order(5))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"color_mode": "cmyk"}, "color_mode='cmyk'"),
        ({"batch_size": 7}, "6 examples, fewer than batch_size=7"),
        ({"image_size": None}, "image_size=None"),
    ],
)
def test_bad_arguments_raise(image_folder, kwargs, message):
    kwargs = {"image_size": (8, 8), "batch_size": 2, **kwargs}
    with pytest.raises(ValueError, match=message):
        kerasgan.data.from_directory(image_folder, **kwargs)


def test_missing_folder_and_file_path_raise(tmp_path, image_folder):
    with pytest.raises(ValueError, match="does not exist"):
        kerasgan.data.from_directory(tmp_path / "nowhere", image_size=(8, 8))
    with pytest.raises(ValueError, match="is a file, not a folder"):
        kerasgan.data.from_directory(image_folder / "white0.png", image_size=(8, 8))


def test_folder_without_images_raises(tmp_path):
    (tmp_path / "readme.md").write_text("no images here")
    with pytest.raises(ValueError, match="No image files"):
        kerasgan.data.from_directory(tmp_path, image_size=(8, 8))
