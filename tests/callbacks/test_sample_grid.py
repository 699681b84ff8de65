"""Tests for kerasgan.callbacks.SampleGrid, with real kerasgan models."""

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

import kerasgan
from kerasgan.callbacks import SampleGrid
from kerasgan.data.idx import read_idx
from kerasgan.images import METADATA_KEYS, make_grid, read_png_metadata

FASHION_MNIST = "/usr/share/datasets/fashion-mnist/t10k-{}-idx{}-ubyte.gz"
NUM_IMAGES = 64
BATCH_SIZE = 32
LATENT_DIM = 8


@pytest.fixture(scope="module")
def fashion_mnist():
    """64 real Fashion-MNIST images in [-1, 1], (64, 28, 28, 1), and labels."""
    images = read_idx(FASHION_MNIST.format("images", 3))[:NUM_IMAGES]
    labels = read_idx(FASHION_MNIST.format("labels", 1))[:NUM_IMAGES]
    images = (images.astype("float32") / 127.5 - 1.0)[..., None]
    return images, labels.astype("int32")


def _pixels(path):
    with Image.open(path) as image:
        return np.asarray(image)


def test_unconditional_grid_every_epoch(tmp_path, fashion_mnist):
    images, _ = fashion_mnist
    model = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=LATENT_DIM, seed=0)
    model.compile()
    callback = SampleGrid(tmp_path / "samples", num_samples=16, seed=3)
    dataset = tf.data.Dataset.from_tensor_slices(images).batch(BATCH_SIZE)
    model.fit(dataset, epochs=2, callbacks=[callback], verbose=0, shuffle=False)

    names = sorted(p.name for p in (tmp_path / "samples").iterdir())
    assert names == ["epoch_001.png", "epoch_002.png", "latest.png"]
    assert callback.paths == [str(tmp_path / "samples" / name) for name in names[:2]]
    last = _pixels(callback.paths[-1])
    # 16 images -> 4 x 4 tiles of 28 pixels, 2 pixels of padding.
    assert last.shape == (4 * 28 + 5 * 2, 4 * 28 + 5 * 2)
    np.testing.assert_array_equal(_pixels(tmp_path / "samples/latest.png"), last)
    # The grid shows the fixed latent batch of seed 3.
    expected = make_grid(model.generate(16, seed=3))[..., 0]
    np.testing.assert_array_equal(last, expected)
    # Training changed the generator between the two grids.
    assert not np.array_equal(_pixels(callback.paths[0]), last)

    metadata = read_png_metadata(callback.paths[0])
    assert set(METADATA_KEYS) <= set(metadata)
    assert metadata["Synthetic"] == "true"
    assert metadata["Model"] == f"DCGAN {model.name!r}"
    assert metadata["Run"] == str(tmp_path / "samples")
    assert metadata["Epoch"] == "1"
    assert metadata["Seed"] == "3"


def test_conditional_grid_has_one_row_per_class(tmp_path, fashion_mnist):
    images, labels = fashion_mnist
    model = kerasgan.ConditionalGAN(num_classes=10, image_shape=(28, 28, 1), latent_dim=LATENT_DIM, seed=0)
    model.compile()
    callback = SampleGrid(tmp_path, num_samples=25, every=2, run="exp-7")
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    model.fit(dataset.batch(BATCH_SIZE), epochs=1, callbacks=[callback], verbose=0, shuffle=False)

    # every=2 but training stopped after epoch 1: on_train_end covers it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["epoch_001.png", "latest.png"]
    class_labels = callback.sample_labels()
    np.testing.assert_array_equal(class_labels, np.repeat(np.arange(10), 2))
    grid = _pixels(tmp_path / "epoch_001.png")
    # 10 rows (one per class) of 25 // 10 = 2 samples.
    assert grid.shape == (10 * 28 + 11 * 2, 2 * 28 + 3 * 2)
    expected = make_grid(model.generate(20, seed=0, labels=class_labels), num_rows=10)
    np.testing.assert_array_equal(grid, expected[..., 0])
    metadata = read_png_metadata(tmp_path / "epoch_001.png")
    assert metadata["Model"] == f"ConditionalGAN {model.name!r}"
    assert metadata["Run"] == "exp-7"


class _FakeGAN:
    """The public API SampleGrid relies on, with constant images."""

    name = "fake"

    def __init__(self, num_classes=None):
        self.num_classes = num_classes
        self.calls = []

    def generate(self, num_samples, seed=None, labels=None):
        self.calls.append((num_samples, seed, labels))
        return np.zeros((num_samples, 4, 4, 3), "float32")


def _run_epochs(callback, model, num_epochs):
    callback.set_model(model)
    callback.on_train_begin()
    for epoch in range(num_epochs):
        callback.on_epoch_end(epoch, {})
    callback.on_train_end()


def test_every_and_final_epoch(tmp_path):
    callback = SampleGrid(tmp_path, num_samples=4, every=3, seed=5, filename="step{epoch}.png")
    model = _FakeGAN()
    _run_epochs(callback, model, 7)
    assert [p.rsplit("/", 1)[-1] for p in callback.paths] == ["step3.png", "step6.png", "step7.png"]
    assert model.calls == [(4, 5, None)] * 3


def test_covered_final_epoch_is_not_written_twice(tmp_path):
    callback = SampleGrid(tmp_path, num_samples=4, every=2)
    _run_epochs(callback, _FakeGAN(), 4)
    assert len(callback.paths) == 2


def test_more_classes_than_samples_gives_one_per_class(tmp_path):
    callback = SampleGrid(tmp_path, num_samples=4)
    model = _FakeGAN(num_classes=6)
    _run_epochs(callback, model, 1)
    num_samples, _, labels = model.calls[0]
    assert num_samples == 6
    np.testing.assert_array_equal(labels, np.arange(6))
    assert _pixels(callback.paths[0]).shape == (6 * 4 + 7 * 2, 4 + 2 * 2, 3)


def test_rejects_models_without_the_gan_api(tmp_path):
    callback = SampleGrid(tmp_path)
    callback.set_model(object())
    with pytest.raises(TypeError, match="generate.*num_classes"):
        callback.on_train_begin()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"num_samples": 0}, "num_samples"),
        ({"every": 1.0}, "every"),
        ({"seed": None}, "integer seed"),
        ({"filename": "epoch_{step}.png"}, r"only\s+\{epoch\}"),
        ({"filename": "epoch_{epoch}.jpg"}, r"ending in '\.png'"),
        ({"filename": "sub/epoch_{epoch}.png"}, "no folders"),
        ({"filename": "latest.png"}, "writes that file itself"),
    ],
)
def test_invalid_arguments(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        SampleGrid(tmp_path, **kwargs)


def test_grids_are_written_as_tensorboard_images(tmp_path):
    import glob

    model = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=8)
    model.compile()
    callback = SampleGrid(tmp_path / "png", num_samples=4, tensorboard_dir=tmp_path / "tb")
    model.fit(
        np.zeros((32, 28, 28, 1), "float32"),
        epochs=1,
        batch_size=32,
        verbose=0,
        shuffle=False,
        callbacks=[callback],
    )
    events = glob.glob(str(tmp_path / "tb" / "events.out.tfevents.*"))
    assert events
    found = []
    for event in tf.compat.v1.train.summary_iterator(events[0]):
        for value in event.summary.value:
            found.append((value.tag, event.step))
            decoded = tf.io.decode_png(tf.make_ndarray(value.tensor)[2]).numpy()
            np.testing.assert_array_equal(decoded[..., 0], _pixels(callback.paths[-1]))
    assert found == [("samples", 1)]
