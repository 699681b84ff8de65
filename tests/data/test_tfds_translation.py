"""The tensorflow-datasets image-to-image sets (cycle_gan, div2k), offline.

`tfds.testing.mock_data(as_dataset_fn=...)` stands in for the downloaded
files with synthetic examples in each data set's own format (`{"image",
"label"}` for cycle_gan, `{"lr", "hr"}` for div2k), so the real
`tfds.load` call and kerasgan's mapping of examples to batches run without
a network.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

import kerasgan
from kerasgan.data import tfds_translation
from kerasgan.data.catalog import CYCLE_GAN_SETS, get_spec

tfds = pytest.importorskip("tensorflow_datasets")


def _cycle_gan_examples(requested, sizes=(12, 10)):
    """A mock `_as_dataset`: domain A image i is filled with i, domain B image i with 100 + i."""

    def as_dataset(self, split, **kwargs):
        requested.append((self.builder_config.name, split))
        half = split.split("[")[0][-1]
        count, base = (sizes[0], 0) if half == "A" else (sizes[1], 100)
        images = np.stack([np.full((256, 256, 3), base + i, np.uint8) for i in range(count)])
        labels = np.full(count, "AB".index(half), np.int64)
        return tf.data.Dataset.from_tensor_slices({"image": images, "label": labels})

    return as_dataset


def _values(images):
    """The uint8 value each constant image was filled with."""
    return [int(round((float(image.mean()) + 1.0) * 127.5)) for image in images]


def test_cycle_gan_sets_are_unpaired_256x256_photographs():
    for name in CYCLE_GAN_SETS:
        spec = get_spec(name)
        assert spec.tfds_name == f"cycle_gan/{name}" and spec.pairing == "unpaired"
        assert spec.image_shape == (256, 256, 3) and name in kerasgan.data.available()


@pytest.mark.parametrize("split", ["train", "test"])
def test_cycle_gan_domains_come_from_their_own_tfds_splits(split):
    requested = []
    with tfds.testing.mock_data(as_dataset_fn=_cycle_gan_examples(requested)):
        ds = kerasgan.data.load("horse2zebra", split, batch_size=4, seed=0, image_size=(32, 32))
        batches = list(ds)
    assert sorted(requested) == [("horse2zebra", f"{split}A"), ("horse2zebra", f"{split}B")]
    assert len(batches) == 2  # the smaller domain (10 images) fills 2 batches of 4
    for a, b in batches:
        assert a.shape == b.shape == (4, 32, 32, 3) and a.dtype == b.dtype == tf.float32
        assert -1.0 <= float(tf.reduce_min(a)) and float(tf.reduce_max(b)) <= 1.0
    seen_a = [v for a, _ in batches for v in _values(a.numpy())]
    seen_b = [v for _, b in batches for v in _values(b.numpy())]
    assert set(seen_a) <= set(range(12)) and set(seen_b) <= set(range(100, 110))
    assert len(set(seen_a)) == len(set(seen_b)) == 8  # no image twice in an epoch
    assert seen_a != sorted(seen_a) or seen_b != sorted(seen_b)  # shuffled


def test_cycle_gan_limit_counts_each_domain_and_the_default_size_is_256():
    with tfds.testing.mock_data(as_dataset_fn=_cycle_gan_examples([])):
        ds = kerasgan.data.load("monet2photo", batch_size=2, limit=4, shuffle=False)
        batches = list(ds)
        with pytest.raises(ValueError, match="with limit=3 holds 3 examples, fewer than batch_size=4"):
            kerasgan.data.load("apple2orange", batch_size=4, limit=3)
    assert len(batches) == 2 and batches[0][0].shape == (2, 256, 256, 3)
    assert [_values(a.numpy()) for a, _ in batches] == [[0, 1], [2, 3]]
    assert [_values(b.numpy()) for _, b in batches] == [[100, 101], [102, 103]]


def test_domain_image_scales_and_resizes_one_example():
    image = tf.constant(np.arange(6 * 4 * 3).reshape(6, 4, 3).astype(np.uint8) * 3)
    same = tfds_translation.domain_image(image, (6, 4)).numpy()
    np.testing.assert_allclose(same, image.numpy() / 127.5 - 1.0, atol=1e-6)
    resized = tfds_translation.domain_image(image, (3, 2))
    assert resized.shape == (3, 2, 3) and resized.dtype == tf.float32


def _div2k_examples(scale, count=6, low_size=(30, 40)):
    """A mock `_as_dataset` of {"lr", "hr"}: random low-resolution images and their blocky originals."""
    rng = np.random.default_rng(0)
    lows = rng.integers(0, 256, (count, *low_size, 3), dtype=np.uint8)
    highs = np.repeat(np.repeat(lows, scale, axis=1), scale, axis=2)

    def as_dataset(self, split, **kwargs):
        assert self.builder_config.name == f"bicubic_x{scale}" and split.startswith(("train", "validation"))
        return tf.data.Dataset.from_tensor_slices({"lr": lows, "hr": highs})

    return as_dataset, lows


def _check_crops(low_res, high_res, lows, scale):
    """Each low-resolution crop is a window of one of the images, and the high-resolution crop its blow-up."""
    low_res = np.round((low_res + 1.0) * 127.5).astype(np.uint8)
    high_res = np.round((high_res + 1.0) * 127.5).astype(np.uint8)
    np.testing.assert_array_equal(high_res[:, ::scale, ::scale], low_res)
    np.testing.assert_array_equal(np.repeat(np.repeat(low_res, scale, 1), scale, 2), high_res)
    corners = []
    for crop in low_res:
        height, width = crop.shape[:2]
        found = [
            (i, top, left)
            for i, low in enumerate(lows)
            for top in range(low.shape[0] - height + 1)
            for left in range(low.shape[1] - width + 1)
            if np.array_equal(low[top : top + height, left : left + width], crop)
        ]
        assert len(found) == 1
        corners.append(found[0])
    return corners


@pytest.mark.parametrize("name, scale", [("div2k_x2", 2), ("div2k_x4", 4)])
def test_div2k_yields_matching_random_crops(name, scale):
    spec = get_spec(name)
    assert (spec.tfds_name, spec.scale, spec.image_shape) == (f"div2k/bicubic_x{scale}", scale, (96, 96, 3))
    assert spec.source_shape == (96 // scale, 96 // scale, 3) and spec.task == "super_resolution"
    as_dataset, lows = _div2k_examples(scale)
    with tfds.testing.mock_data(as_dataset_fn=as_dataset):
        ds = kerasgan.data.load(name, batch_size=3, seed=1, image_size=(16, 24))
        epochs = [list(ds) for _ in range(2)]
    corners = []
    for batches in epochs:
        assert len(batches) == 2
        for low_res, high_res in batches:
            assert low_res.shape == (3, 16 // scale, 24 // scale, 3) and high_res.shape == (3, 16, 24, 3)
            assert low_res.dtype == high_res.dtype == tf.float32
            assert float(tf.reduce_min(low_res)) >= -1.0 and float(tf.reduce_max(high_res)) <= 1.0
        low = np.concatenate([b[0].numpy() for b in batches])
        corners.append(_check_crops(low, np.concatenate([b[1].numpy() for b in batches]), lows, scale))
    assert sorted(i for i, _, _ in corners[0]) == list(range(6))  # each image once an epoch
    assert sorted(corners[0]) != sorted(corners[1])  # new crops every epoch


def test_div2k_default_crops_and_seeded_repeats():
    as_dataset, lows = _div2k_examples(4)

    def first_epoch():
        keras.utils.set_random_seed(3)
        return [b.numpy() for batch in kerasgan.data.load("div2k_x4", batch_size=2, seed=7) for b in batch]

    with tfds.testing.mock_data(as_dataset_fn=as_dataset):
        first, again = first_epoch(), first_epoch()
    assert first[0].shape == (2, 24, 24, 3) and first[1].shape == (2, 96, 96, 3)
    for one, other in zip(first, again):
        np.testing.assert_array_equal(one, other)


def test_div2k_runs_hold_out_the_validation_split_with_the_same_crops_every_time():
    """div2k has no test split: a run's pictures and scores read fixed crops of its validation images."""
    from kerasgan.runs.translation import held_examples, held_split

    as_dataset, lows = _div2k_examples(2, count=5, low_size=(50, 60))
    splits = []

    def recording(self, split, **kwargs):
        splits.append(split)
        return as_dataset(self, split, **kwargs)

    assert held_split(get_spec("div2k_x2")) == "validation"
    with tfds.testing.mock_data(as_dataset_fn=recording):
        low_res, high_res = held_examples("div2k_x2", 4)
        again, _ = held_examples("div2k_x2", 4)
        with pytest.raises(ValueError, match="'div2k_x2' 'validation' holds 5 held-out examples"):
            held_examples("div2k_x2", 6)
    assert splits and all(split.startswith("validation") for split in splits)
    assert low_res.shape == (4, 48, 48, 3) and high_res.shape == (4, 96, 96, 3)
    np.testing.assert_array_equal(low_res, again)  # seeded crops: the same examples every call
    corners = _check_crops(low_res, high_res, lows, 2)
    assert [i for i, _, _ in corners] == [0, 1, 2, 3]  # the first images, in file order


def test_random_crop_pair_covers_the_image_and_refuses_a_crop_too_large():
    high = tf.reshape(tf.range(20 * 12 * 1, dtype=tf.int32), (20, 12, 1))
    low = high[::2, ::2]
    seeds = tf.data.Dataset.range(300).map(lambda seed: tf.stack([seed, 0]))
    crops = seeds.map(lambda seed: tfds_translation.random_crop_pair(low, high, 2, (8, 8), seed))
    corners = set()
    for low_crop, high_crop in crops.as_numpy_iterator():
        np.testing.assert_array_equal(high_crop[::2, ::2], low_crop)
        corners.add((int(low_crop[0, 0, 0]) // 12, int(low_crop[0, 0, 0]) % 12))
    rows, columns = {r for r, _ in corners}, {c for _, c in corners}
    assert rows == {0, 2, 4, 6, 8, 10, 12} and columns == {0, 2, 4}  # every place the crop fits
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not fit in the images"):
        tfds_translation.random_crop_pair(low, high, 2, (8, 16), tf.constant([0, 0]))


def test_offline_failures_give_the_tfds_hint(tmp_path):
    for name in ("horse2zebra", "div2k_x4"):
        with pytest.raises(ValueError) as info:
            kerasgan.data.load(name, batch_size=4, download=False, data_dir=tmp_path)
        message = str(info.value)
        assert f"tensorflow-datasets could not load {name!r}" in message
        assert "run once with download=True on a machine with internet" in message
        assert isinstance(info.value.__cause__, Exception)


def test_bad_requests_are_refused_before_any_download():
    with pytest.raises(ValueError, match="splits \\['train', 'validation'\\]; received split='test'"):
        kerasgan.data.load("div2k_x2", split="test")
    with pytest.raises(ValueError, match="by 4, which does not divide image_size=\\(30, 32\\)"):
        kerasgan.data.load("div2k_x4", image_size=(30, 32))
    for name in ("horse2zebra", "div2k_x4"):
        with pytest.raises(ValueError, match="has no class labels; received with_labels=True"):
            kerasgan.data.load(name, with_labels=True)
        with pytest.raises(ValueError, match=f"kerasgan.data.load\\('{name}'\\) for its batches"):
            kerasgan.data.load_arrays(name)
