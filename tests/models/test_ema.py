"""The EMA generator follows its formula, is used for sampling and is saved."""

import keras
import numpy as np
import pytest

import kerasgan
from tests.gan_test_case import make_dataset, run_save_load_check

TINY = {"image_shape": (28, 28, 1), "latent_dim": 8, "seed": 0}


def test_ema_update_formula(fashion_mnist_sample):
    gan = kerasgan.DCGAN(ema_decay=0.75, **TINY)
    gan.compile()
    before = [v.numpy() for v in gan.generator.trainable_variables]
    for ema_weight, weight in zip(gan.ema_generator.get_weights(), gan.generator.get_weights()):
        np.testing.assert_array_equal(ema_weight, weight)
    gan.generator_step(16)
    after = [v.numpy() for v in gan.generator.trainable_variables]
    trainable_ids = {id(v) for v in gan.generator.trainable_variables}
    averaged = iter(0.75 * b + 0.25 * a for b, a in zip(before, after))
    for ema_var, var in zip(gan.ema_generator.variables, gan.generator.variables):
        expected = next(averaged) if id(var) in trainable_ids else var.numpy()
        np.testing.assert_allclose(ema_var.numpy(), expected, rtol=1e-6, atol=1e-7)


def test_generate_uses_ema_after_training(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = kerasgan.DCGAN(ema_decay=0.9, **TINY)
    gan.compile()
    gan.fit(make_dataset(images).take(3), verbose=0)
    ema_samples = gan.generate(4, seed=0)
    raw_samples = gan.generate(4, seed=0, use_ema=False)
    assert not np.allclose(ema_samples, raw_samples)
    expected = gan.ema_generator(keras.random.normal((4, 8), seed=0), training=False)
    np.testing.assert_allclose(ema_samples, keras.ops.convert_to_numpy(expected), atol=1e-6)


def test_ema_generator_is_saved(fashion_mnist_sample, tmp_path):
    images, _ = fashion_mnist_sample
    gan = kerasgan.DCGAN(ema_decay=0.9, **TINY)
    loaded = run_save_load_check(gan, str(tmp_path / "ema.keras"), images)
    assert loaded.ema_decay == 0.9
    for a, b in zip(gan.ema_generator.variables, loaded.ema_generator.variables):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


def test_bad_decay_is_refused():
    with pytest.raises(ValueError, match="ema_decay"):
        kerasgan.DCGAN(ema_decay=1.0, **TINY)
