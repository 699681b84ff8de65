"""Under `jit_compile=True` bad batches are still refused, whatever feeds `fit()`.

XLA drops `tf.debugging.Assert`, so these checks run before the compiled step.
"""

import keras
import numpy as np
import pytest

import kerasgan
from tests.gan_test_case import make_dataset
from tests.models.test_variants import TINY

RANGE_ERROR = r"in \[-1, 1\]"


def _jit_gan(cls=kerasgan.DCGAN, **options):
    gan = cls(**TINY, **options)
    gan.compile(jit_compile=True)
    assert gan.jit_compile is True
    return gan


def _unchanged(gan, before):
    return all(np.array_equal(a, np.asarray(b)) for a, b in zip(before, gan.weights))


def test_xla_refuses_images_outside_range_from_a_dataset(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = _jit_gan()
    before = [np.asarray(w) for w in gan.weights]
    with pytest.raises(kerasgan.BadBatchError, match=RANGE_ERROR):
        gan.fit(make_dataset((images + 1) * 127.5).take(1), verbose=0)
    assert _unchanged(gan, before)


def test_xla_refuses_arrays_outside_range_before_training(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = _jit_gan()
    with pytest.raises(kerasgan.BadBatchError, match=RANGE_ERROR):
        gan.fit((images[:16] + 1) / 2 * 255, batch_size=8, epochs=1, verbose=0)
    with pytest.raises(kerasgan.BadBatchError, match=RANGE_ERROR):
        gan.train_on_batch(images[:8] * 3.0)


def test_xla_refuses_a_bad_batch_from_a_generator(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = _jit_gan()

    def batches():
        yield images[:8]
        yield images[8:16] * 255.0

    with pytest.raises(kerasgan.BadBatchError, match=RANGE_ERROR):
        gan.fit(batches(), epochs=1, verbose=0)


def test_xla_refuses_a_bad_batch_from_a_py_dataset(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = _jit_gan()

    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 2

        def __getitem__(self, index):
            return images[8 * index : 8 * (index + 1)] * (1.0 if index == 0 else 255.0)

    with pytest.raises(kerasgan.BadBatchError, match=RANGE_ERROR):
        gan.fit(Batches(), epochs=1, verbose=0)


def test_xla_refuses_labels_out_of_range(fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    gan = _jit_gan(kerasgan.ConditionalGAN, num_classes=5)
    with pytest.raises(kerasgan.BadBatchError, match="labels in"):
        gan.fit(make_dataset(images, labels).take(1), verbose=0)
    with pytest.raises(kerasgan.BadBatchError, match="labels in"):
        gan.fit(images[:16], labels[:16] + 10, batch_size=8, verbose=0)


@pytest.mark.slow  # long; run with -m slow (suite time)
def test_xla_still_trains_on_good_data_of_every_kind(fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    gan = _jit_gan(kerasgan.ConditionalGAN, num_classes=10)
    gan.fit(make_dataset(images, labels).take(1), verbose=0)
    gan.fit(images[:16], labels[:16], batch_size=8, epochs=1, verbose=0)
    gan.fit(iter([(images[:8], labels[:8])]), epochs=1, verbose=0)
    logs = gan.train_on_batch(images[:8], labels[:8], return_dict=True)
    assert int(gan.g_optimizer.iterations) == 5
    assert all(np.isfinite(value) for value in logs.values())
