"""On real data FID orders real < 1-epoch DCGAN < noise (shipped extractor)."""

import numpy as np
import pytest

import kerasgan
from kerasgan.metrics import FrechetInceptionDistance

NUM = 2000


def _fid(real, fake):
    metric = FrechetInceptionDistance(feature_extractor="fashion_mnist")
    metric.update_state(real=real, fake=fake)
    return float(metric.result())


@pytest.mark.slow
def test_fid_orders_real_dcgan_noise():
    train, _ = kerasgan.data.load_arrays("fashion_mnist", split="train", limit=NUM)
    test, _ = kerasgan.data.load_arrays("fashion_mnist", split="test", limit=NUM)
    train = train.astype("float32") / 127.5 - 1
    test = test.astype("float32") / 127.5 - 1
    gan = kerasgan.DCGAN(image_shape=(28, 28, 1), seed=0)
    gan.compile()
    gan.fit(kerasgan.data.load("fashion_mnist", batch_size=128, seed=0), epochs=1, verbose=0)
    noise = np.random.default_rng(0).uniform(-1, 1, size=test.shape).astype("float32")
    real_real = _fid(train, test)
    real_dcgan = _fid(test, gan.generate(NUM, seed=0))
    real_noise = _fid(test, noise)
    assert real_real < real_dcgan < real_noise, (real_real, real_dcgan, real_noise)
