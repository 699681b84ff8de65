"""Stacked Fashion-MNIST on either backend: a DCGAN of 28x28x3 stacks trains and its modes are counted.

Marked `jax`, so the JAX child of `test_jax_subset.py` runs it; on
TensorFlow `tests/test_stacked_modes.py` covers the same path, so here it is
slow.
"""

import keras
import numpy as np
import pytest

import kerasgan

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])


def test_a_dcgan_trains_on_stacks_and_its_modes_are_counted():
    keras.utils.set_random_seed(0)
    train = kerasgan.data.load("stacked_fashion_mnist", batch_size=16, limit=32, seed=0)
    gan = kerasgan.DCGAN(image_shape=(28, 28, 3), latent_dim=8, seed=0)
    gan.compile()
    before = [np.array(w) for w in gan.generator.get_weights()]
    history = gan.fit(train, epochs=1, verbose=0)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert any(not np.array_equal(a, b) for a, b in zip(before, gan.generator.get_weights(), strict=True))
    test = kerasgan.data.load("stacked_fashion_mnist", "test", batch_size=100, shuffle=False, limit=200)
    scores = kerasgan.evaluate(gan, test, metrics=("modes",), num_samples=200)
    assert 1 <= scores["modes"] <= 200 and 0 <= scores["modes_kl"] <= np.log(1000) + 1e-6
    assert 100 < scores["real_modes"] <= 200
