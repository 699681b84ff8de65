"""`fit` on data that yields no batch is an error that says so, on both backends (the shared subset)."""

import numpy as np
import pytest
import tensorflow as tf

import kerasgan
from tests.backend.agreement import TINY, half_size
from tests.gan_test_case import make_dataset, weights_of

pytestmark = pytest.mark.jax


@pytest.fixture
def images(fashion_mnist_sample):
    return half_size(fashion_mnist_sample[0][:16])


def _compiled_dcgan():
    gan = kerasgan.DCGAN(**TINY)
    gan.compile()
    return gan


def _refused_and_untouched(gan, data, message, **fit_arguments):
    """`fit` raises `message`, and every variable is still there, as it was (on JAX too)."""
    before = weights_of(gan)
    with pytest.raises(ValueError, match=message):
        gan.fit(data, epochs=1, verbose=0, **fit_arguments)
    assert gan.completed_steps() == 0
    for old, new in zip(before, weights_of(gan)):
        np.testing.assert_array_equal(old, new)


def test_a_data_set_smaller_than_one_batch_is_refused_before_training(images):
    empty = make_dataset(images, batch_size=32)  # 16 images, drop_remainder=True: no batch
    _refused_and_untouched(
        _compiled_dcgan(), empty, r"received a tf.data.Dataset that holds no batch.*drop_remainder"
    )


def test_data_that_turns_out_empty_is_refused_after_the_epoch(images):
    filtered = make_dataset(images, batch_size=8).filter(lambda batch: tf.reduce_min(batch) > 1.0)
    message = r"received a tf.data.Dataset that yielded no batch \(epochs began and no training step ran\)"
    _refused_and_untouched(_compiled_dcgan(), filtered, message + ".*filter")


def test_a_fit_with_no_epoch_left_to_run_is_not_refused(images):
    gan = _compiled_dcgan()
    history = gan.fit(make_dataset(images, batch_size=8), epochs=1, initial_epoch=1, verbose=0)
    assert history.epoch == [] and gan.completed_steps() == 0
    gan.fit(images, batch_size=8, epochs=1, verbose=0)
    assert gan.completed_steps() == 2
