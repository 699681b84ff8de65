"""A JPEG whose header is sound but whose data is cut short is named, and skipped with a warning."""

import numpy as np
import pytest
from PIL import Image

import kerasgan


@pytest.fixture
def folder_with_cut_jpeg(tmp_path, fashion_mnist_sample):
    """Four Fashion-MNIST garments as JPEG files, the last one cut after its header."""
    pixels = ((fashion_mnist_sample[0][:4, :, :, 0] + 1.0) * 127.5).round().astype(np.uint8)
    for index, garment in enumerate(pixels):
        Image.fromarray(garment).save(tmp_path / f"garment{index}.jpg", quality=95)
    cut = tmp_path / "garment3.jpg"
    data = cut.read_bytes()
    start_of_scan = data.index(b"\xff\xda")
    cut.write_bytes(data[: start_of_scan + (len(data) - start_of_scan) // 2])
    with Image.open(cut) as image:
        assert image.format == "JPEG" and image.size == (28, 28)  # the header still reads
    return tmp_path


def test_a_cut_jpeg_is_named(folder_with_cut_jpeg):
    with pytest.raises(ValueError, match=r"(?s)cannot read 1 of 4 files.*garment3\.jpg \(damaged.*truncated"):
        kerasgan.data.from_directory(folder_with_cut_jpeg, (28, 28), batch_size=2, color_mode="grayscale")


def test_skip_corrupt_warns_about_a_cut_jpeg_and_keeps_the_rest(folder_with_cut_jpeg):
    with pytest.warns(UserWarning, match=r"skips 1 unreadable files:\n.*garment3\.jpg"):
        dataset = kerasgan.data.from_directory(
            folder_with_cut_jpeg, (28, 28), batch_size=2, color_mode="grayscale", shuffle=False,
            drop_remainder=False, skip_corrupt=True,
        )  # fmt: skip
    images = np.concatenate([batch.numpy() for batch in dataset])
    assert images.shape == (3, 28, 28, 1)
