"""A batch holding NaN or infinite values is refused as such, on both backends (the shared subset)."""

import keras
import numpy as np
import pytest

import kerasgan
from tests.backend.agreement import TINY, half_size
from tests.gan_test_case import make_dataset

pytestmark = pytest.mark.jax


def test_a_batch_holding_nan_says_so_and_trains_nothing(fashion_mnist_sample):
    images = half_size(fashion_mnist_sample[0][:64])
    images[40, 3, 3, 0] = np.nan
    images[50, 0, :2, 0] = np.inf
    keras.utils.set_random_seed(0)
    gan = kerasgan.DCGAN(**TINY)
    gan.compile()
    message = r"A batch holds 1 NaN value and 2 infinite values.*np\.isnan.*\(1 NaN value and 2 infinite "
    with pytest.raises(
        kerasgan.BadBatchError, match=message + r"values; the finite ones from -1 to [\d.]+\)"
    ):
        gan.fit(make_dataset(images), epochs=1, verbose=0)
    assert int(gan.train_steps) == 1  # the first batch's update, not the bad one's
