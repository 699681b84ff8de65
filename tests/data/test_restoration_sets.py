"""The Fashion-MNIST restoration sets (low resolution, holes) and the shirt/T-shirt domains, on real data."""

import numpy as np
import pytest
import tensorflow as tf

import kerasgan
from kerasgan.data import degradations
from kerasgan.data.catalog import get_spec
from tests.data.test_translation_sets import (  # noqa: F401 (the skip mark and the autouse fixture)
    _domain_index,
    _fashion,
    _padded,
    no_data_dir_env,
    pytestmark,
)

SHIRT, TSHIRT = 6, 0


def _block_mean(images, scale):
    """NumPy reference of area downsampling: the mean of each scale x scale block."""
    n, h, w, c = images.shape
    return images.reshape(n, h // scale, scale, w // scale, scale, c).mean(axis=(2, 4))


def _pairs(name, **options):
    ds = kerasgan.data.load(name, **{"batch_size": 8, "limit": 16, **options})
    batches = list(ds)
    return tuple(np.concatenate([batch[i].numpy() for batch in batches]) for i in (0, 1))


@pytest.mark.parametrize("name, scale", [("fashion_mnist_sr2", 2), ("fashion_mnist_sr4", 4)])
def test_super_resolution_targets_are_the_garments_and_sources_their_block_means(name, scale):
    spec = get_spec(name)
    assert (spec.task, spec.pairing, spec.scale) == ("super_resolution", "paired", scale)
    assert spec.image_shape == (28, 28, 1) and spec.source_shape == (28 // scale, 28 // scale, 1)
    sources, targets = _pairs(name, split="test", shuffle=False)
    images, _ = _fashion("test")
    assert sources.dtype == targets.dtype == np.float32
    assert sources.shape == (16, *spec.source_shape) and targets.shape == (16, 28, 28, 1)
    np.testing.assert_allclose(targets, images[:16, :, :, None] / 127.5 - 1.0, atol=1e-6)  # not padded
    np.testing.assert_allclose(sources, _block_mean(targets, scale), atol=1e-6)
    assert sources.min() >= -1.0 and sources.max() <= 1.0 and sources.std() > 0.1
    # What the docs say: tf.image.resize(method="area") makes the same images at an integer factor.
    area = tf.image.resize(targets, spec.source_shape[:2], method="area").numpy()
    np.testing.assert_allclose(sources, area, atol=1e-5)


def test_shuffled_and_resized_super_resolution_pairs_still_correspond():
    sources, targets = _pairs("fashion_mnist_sr4", seed=2, image_size=(32, 32))
    assert sources.shape == (16, 8, 8, 1) and targets.shape == (16, 32, 32, 1)
    np.testing.assert_allclose(sources, _block_mean(targets, 4), atol=1e-6)
    assert not np.allclose(sources[0], _block_mean(targets[1:2], 4)[0], atol=1e-3)
    with pytest.raises(ValueError, match="by 4, which does not divide image_size=\\(30, 30\\).*\\(28, 28\\)"):
        kerasgan.data.load("fashion_mnist_sr4", batch_size=4, limit=8, image_size=(30, 30))


def test_area_downsample_refuses_a_scale_that_does_not_divide():
    images = tf.random.uniform((2, 6, 6, 3), -1.0, 1.0)
    np.testing.assert_allclose(
        degradations.area_downsample(images, 3), _block_mean(images.numpy(), 3), atol=1e-6
    )
    with pytest.raises(ValueError, match="scale=4 divides; received images of shape \\(2, 6, 6, 3\\)"):
        degradations.area_downsample(images, 4)
    with pytest.raises(ValueError, match="scale"):
        degradations.area_downsample(images, 0)
    with pytest.raises(ValueError, match="'fashion_mnist_sr2' has no hole"):
        degradations.hole_mask(get_spec("fashion_mnist_sr2"))


def test_masked_sources_are_the_targets_with_the_centre_14x14_of_the_garment_set_to_grey():
    spec = get_spec("fashion_mnist_masked")
    assert (spec.task, spec.hole, spec.image_shape, spec.source_shape) == (
        "inpainting", (9, 9, 14, 14), (32, 32, 1), (32, 32, 1)
    )  # fmt: skip
    sources, targets = _pairs("fashion_mnist_masked", split="test", shuffle=False)
    images, _ = _fashion("test")
    np.testing.assert_allclose(targets, _padded(images[:16]), atol=1e-6)
    hole = np.zeros((32, 32), bool)
    hole[9:23, 9:23] = True
    assert hole[2:30, 2:30][7:21, 7:21].all() and hole.sum() == 14 * 14  # the garment's centre 14x14
    np.testing.assert_array_equal(degradations.hole_mask(spec).numpy()[0, :, :, 0], hole.astype("float32"))
    assert (sources[:, hole] == 0.0).all()
    np.testing.assert_array_equal(sources[:, ~hole], targets[:, ~hole])  # exactly the target outside
    assert (targets[:, hole] != 0.0).any()  # there was something to hide


def test_a_resized_masked_set_cuts_the_resized_hole():
    sources, targets = _pairs("fashion_mnist_masked", seed=1, image_size=(48, 40))
    mask = degradations.hole_mask(get_spec("fashion_mnist_masked"), (48, 40)).numpy()[0, :, :, 0] == 1.0
    assert sources.shape == targets.shape == (16, 48, 40, 1)
    assert abs(mask.mean() - 196 / 1024) < 0.02 and mask[24, 20] and not mask[0, 0]
    assert (sources[:, mask] == 0.0).all()
    np.testing.assert_array_equal(sources[:, ~mask], targets[:, ~mask])


def test_shirt_tshirt_domains_hold_shirts_and_tshirts():
    images, labels = _fashion("train")
    shirts, tshirts = images[labels == SHIRT][:12], images[labels == TSHIRT][:12]
    spec = get_spec("fashion_mnist_shirt_tshirt")
    assert (spec.pairing, spec.domain_classes, spec.image_shape) == ("unpaired", (SHIRT, TSHIRT), (32, 32, 1))
    ds = kerasgan.data.load("fashion_mnist_shirt_tshirt", batch_size=4, limit=12, seed=0)
    a = np.concatenate([a.numpy() for a, _ in ds])
    b = np.concatenate([b.numpy() for _, b in ds])
    assert a.shape == b.shape == (12, 32, 32, 1) and a.dtype == np.float32
    assert a.min() >= -1.0 and b.max() <= 1.0
    assert sorted(_domain_index(a, shirts)) == sorted(_domain_index(b, tshirts)) == list(range(12))
    assert _domain_index(a, tshirts) == [-1] * 12  # no T-shirt among the shirts


@pytest.mark.parametrize("name", ["fashion_mnist_sr2", "fashion_mnist_masked", "fashion_mnist_shirt_tshirt"])
def test_bad_requests_get_the_usual_errors(name):
    with pytest.raises(ValueError, match="has no class labels; received with_labels=True"):
        kerasgan.data.load(name, batch_size=4, limit=8, with_labels=True)
    with pytest.raises(ValueError, match="splits \\['train', 'test'\\]; received split='validation'"):
        kerasgan.data.load(name, split="validation")
    with pytest.raises(ValueError, match="limit"):
        kerasgan.data.load(name, batch_size=4, limit=0)
    with pytest.raises(ValueError, match="fewer than batch_size=16"):
        kerasgan.data.load(name, batch_size=16, limit=8)
    with pytest.raises(ValueError, match="load_arrays\\('fashion_mnist'\\)"):
        kerasgan.data.load_arrays(name)
