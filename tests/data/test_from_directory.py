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
        image_folder,
        image_size=(5, 5),
        batch_size=4,
        color_mode="grayscale",
        shuffle=False,
        drop_remainder=False,
    )
    batches = [batch.numpy() for batch in ds]
    assert [b.shape for b in batches] == [(4, 5, 5, 1), (2, 5, 5, 1)]
    # Keras's order: the folder's own files (white0..2) before sub/ (black0..2).
    assert batches[0][0].min() == 1.0 and batches[1][-1].max() == -1.0


@pytest.mark.parametrize(
    "color_mode, channels, extensions",
    [
        ("grayscale", 1, ("png", "jpg", "bmp", "gif")),
        ("rgb", 3, ("png", "jpg", "bmp", "gif")),
        ("rgba", 4, ("png", "bmp")),  # TensorFlow decodes no alpha from JPEG or GIF
    ],
)
def test_every_format_in_every_color_mode(tmp_path, color_mode, channels, extensions):
    gray = np.full((6, 6, 3), 204, np.uint8)  # 204 maps to 0.6
    for extension in extensions:
        keras.utils.save_img(tmp_path / f"gray.{extension}", gray, scale=False)
    ds = kerasgan.data.from_directory(
        tmp_path, image_size=(3, 3), batch_size=len(extensions), color_mode=color_mode
    )
    images = next(iter(ds)).numpy()
    assert images.shape == (len(extensions), 3, 3, channels)
    np.testing.assert_allclose(images[..., :3], 0.6, atol=0.02)
    if channels == 4:
        np.testing.assert_array_equal(images[..., 3], 1.0)  # opaque


def test_rgba_keeps_the_png_alpha_and_names_files_without_alpha(tmp_path):
    image = np.zeros((4, 4, 4), np.uint8)  # fully transparent black
    keras.utils.save_img(tmp_path / "clear.png", image, scale=False)
    ds = kerasgan.data.from_directory(tmp_path, (4, 4), batch_size=1, color_mode="rgba")
    np.testing.assert_array_equal(next(iter(ds)).numpy(), -1.0)
    keras.utils.save_img(tmp_path / "photo.jpg", image[..., :3], scale=False)
    with pytest.raises(ValueError, match=r"photo.jpg \(JPEG has no alpha channel: use color_mode='rgb'"):
        kerasgan.data.from_directory(tmp_path, (4, 4), batch_size=1, color_mode="rgba")


@pytest.fixture
def damaged_folder(image_folder):
    """The six good images, then a PNG and a JPEG cut in half (headers whole), a web page named .jpg."""
    noise = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    for name in ("cut.png", "short.jpg"):
        keras.utils.save_img(image_folder / name, noise, scale=False)
        data = (image_folder / name).read_bytes()
        (image_folder / name).write_bytes(data[: len(data) // 2])
    (image_folder / "page.jpg").write_text("<html>not an image</html>")
    return image_folder


def test_unreadable_files_are_named(damaged_folder):
    with pytest.raises(ValueError, match="cannot read 3 of 9 files") as error:
        kerasgan.data.from_directory(damaged_folder, (4, 4), batch_size=2)
    message = str(error.value)
    assert "cut.png (damaged: OSError: Truncated File Read)" in message  # TensorFlow: "Invalid PNG data"
    assert "page.jpg (not an image, or its header is damaged)" in message
    assert "skip_corrupt=True" in message
    assert "short.jpg (damaged: OSError: image file is truncated" in message  # its header is sound


def test_skip_corrupt_warns_and_trains_on_the_rest(damaged_folder):
    with pytest.warns(UserWarning, match="skips 3 unreadable files") as record:
        ds = kerasgan.data.from_directory(
            damaged_folder,
            (4, 4),
            batch_size=4,
            shuffle=False,
            drop_remainder=False,
            skip_corrupt=True,
        )
    assert all(name in str(record[0].message) for name in ("cut.png", "page.jpg", "short.jpg"))
    images = np.concatenate([batch.numpy() for batch in ds])
    # The six good images.
    np.testing.assert_array_equal(np.sort(images.mean(axis=(1, 2, 3))), [-1, -1, -1, 1, 1, 1])


def test_with_labels_uses_one_class_per_subfolder(tmp_path):
    for name, value in (("boots", 0), ("shirts", 255)):
        (tmp_path / name).mkdir()
        for i in range(2):
            keras.utils.save_img(tmp_path / name / f"{i}.png", np.full((5, 5, 3), value), scale=False)
    keras.utils.save_img(tmp_path / "loose.png", np.full((5, 5, 3), 128, "uint8"), scale=False)
    ds = kerasgan.data.from_directory(tmp_path, (4, 4), batch_size=4, with_labels=True)
    images, labels = next(iter(ds))
    assert labels.dtype == "int32" and sorted(labels.numpy().tolist()) == [0, 0, 1, 1]
    np.testing.assert_array_equal(images.numpy().mean(axis=(1, 2, 3)), np.where(labels == 0, -1.0, 1.0))


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
        ({"interpolation": "cubic"}, "interpolation=cubic"),
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
    with pytest.raises(ValueError, match="No images found in directory"):
        kerasgan.data.from_directory(tmp_path, image_size=(8, 8))
