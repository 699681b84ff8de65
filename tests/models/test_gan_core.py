"""Behaviour of the GAN base class shared by every variant."""

import re

import keras
import numpy as np
import pytest

import kerasgan
from tests.gan_test_case import make_dataset

TINY = {"image_shape": (28, 28, 1), "latent_dim": 8}


# In one process; tests/models/test_determinism.py checks the stronger case
# (two processes, every variable and optimizer slot), so this runs with the
# slow tests.
@pytest.mark.slow
def test_identically_seeded_runs_end_with_identical_weights(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    final = []
    for _ in range(2):
        keras.utils.set_random_seed(7)
        gan = kerasgan.DCGAN(seed=7, **TINY)
        gan.compile()
        gan.fit(make_dataset(images).take(3), epochs=1, verbose=0)
        final.append([v.numpy() for v in gan.variables])
    for a, b in zip(*final):
        np.testing.assert_array_equal(a, b)


def test_fit_with_user_pipeline_ignores_labels_for_unconditional(fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    gan = kerasgan.DCGAN(seed=0, **TINY)
    gan.compile()
    history = gan.fit(make_dataset(images, labels).take(2), epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"]).all()


def test_fit_accepts_numpy_arrays(fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    gan = kerasgan.ConditionalGAN(num_classes=10, seed=0, **TINY)
    gan.compile()
    history = gan.fit(images[:64], labels[:64], batch_size=32, epochs=1, verbose=0)
    assert np.isfinite(history.history["g_loss"]).all()


def test_conditional_model_without_labels_says_so(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = kerasgan.ConditionalGAN(num_classes=10, **TINY)
    gan.compile()
    with pytest.raises(ValueError, match="needs class labels"):
        gan.fit(make_dataset(images).take(1), verbose=0)
    with pytest.raises(ValueError, match="pass labels="):
        gan.generate(4)
    with pytest.raises(ValueError, match=r"\[0, 9\]"):
        gan.generate(2, labels=[3, 10])


def test_wrong_image_shape_names_shapes(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = kerasgan.DCGAN(image_shape=(32, 32, 1), latent_dim=8)
    gan.compile()
    with pytest.raises(ValueError, match=r"\(batch, 32, 32, 1\).*28, 28, 1\)"):
        gan.fit(make_dataset(images).take(1), verbose=0)


def test_uint8_images_are_refused(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    raw = ((images + 1) * 127.5).astype("uint8")
    gan = kerasgan.DCGAN(**TINY)
    gan.compile()
    with pytest.raises(ValueError, match="uint8"):
        gan.fit(make_dataset(raw).take(1), verbose=0)


def test_images_outside_range_are_refused(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = kerasgan.DCGAN(**TINY)
    gan.compile()
    with pytest.raises(kerasgan.BadBatchError, match=r"in \[-1, 1\]") as caught:
        gan.fit(make_dataset((images + 1) * 127.5).take(1), verbose=0)
    # kerasgan's one paragraph, with the values found, not TensorFlow's graph dump.
    message = str(caught.value)
    assert re.search(r"smallest [\d.e+-]+, largest 2[45]\d", message), message
    assert "Graph execution" not in message and "\n" not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_labels_out_of_range_are_refused(fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    gan = kerasgan.ConditionalGAN(num_classes=5, **TINY)
    gan.compile()
    with pytest.raises(kerasgan.BadBatchError, match="labels in"):
        gan.fit(make_dataset(images, labels).take(1), verbose=0)


def test_compile_refuses_a_loss_argument():
    gan = kerasgan.DCGAN(**TINY)
    with pytest.raises(ValueError, match="constructor"):
        gan.compile(loss="binary_crossentropy")


def test_mismatched_networks_are_refused():
    generator = kerasgan.networks.build_dcgan_generator((32, 32, 1), latent_dim=8)
    with pytest.raises(ValueError, match="generator producing"):
        kerasgan.DCGAN(generator=generator, **TINY)


def test_generate_is_reproducible_and_in_range():
    gan = kerasgan.DCGAN(**TINY)
    first, again, other = gan.generate(3, seed=1), gan.generate(3, seed=1), gan.generate(3, seed=2)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    assert first.shape == (3, 28, 28, 1) and np.abs(first).max() <= 1.0
