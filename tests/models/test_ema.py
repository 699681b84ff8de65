"""The EMA generator follows its formula, is used for sampling and is saved."""

import keras
import numpy as np
import pytest

import kerasgan
from tests.gan_test_case import make_dataset, run_save_load_check

TINY = {"image_shape": (28, 28, 1), "latent_dim": 8, "seed": 0}


def _assert_averaged(gan, before, decay):
    """The EMA generator is `decay * before + (1 - decay) * now` (its non-trainable weights copied)."""
    trainable_ids = {id(v) for v in gan.generator.trainable_variables}
    averaged = iter(
        decay * b + (1 - decay) * v.numpy() for b, v in zip(before, gan.generator.trainable_variables)
    )
    for ema_var, var in zip(gan.ema_generator.variables, gan.generator.variables):
        expected = next(averaged) if id(var) in trainable_ids else var.numpy()
        np.testing.assert_allclose(ema_var.numpy(), expected, rtol=1e-6, atol=1e-7)


def test_ema_update_formula(fashion_mnist_sample):
    gan = kerasgan.DCGAN(ema_decay=0.75, ema_warmup=False, **TINY)
    gan.compile()
    before = [v.numpy() for v in gan.generator.trainable_variables]
    for ema_weight, weight in zip(gan.ema_generator.get_weights(), gan.generator.get_weights()):
        np.testing.assert_array_equal(ema_weight, weight)
    gan.generator_step(16)
    _assert_averaged(gan, before, 0.75)


def test_the_warm_up_decay_is_min_of_the_decay_and_one_plus_t_over_ten_plus_t():
    gan = kerasgan.DCGAN(ema_decay=0.75, **TINY)
    assert gan.ema_warmup is True  # the default
    gan.compile()

    def averaged_weights():
        trainable_ids = {id(v) for v in gan.generator.trainable_variables}
        pairs = zip(gan.ema_generator.variables, gan.generator.variables)
        return [ema.numpy() for ema, var in pairs if id(var) in trainable_ids]

    for step in range(1, 4):
        before = averaged_weights()
        gan.generator_step(16)
        assert int(gan.g_optimizer.iterations) == step
        _assert_averaged(gan, before, min(0.75, (1 + step) / (10 + step)))  # 2/11, 3/12, 4/13
    gan.g_optimizer.iterations.assign(100)  # (1 + 101) / (10 + 101) = 0.92 > 0.75: the decay holds
    before = averaged_weights()
    gan.generator_step(16)
    _assert_averaged(gan, before, 0.75)


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
    assert loaded.ema_decay == 0.9 and loaded.ema_warmup is True
    assert (
        kerasgan.DCGAN.from_config(
            kerasgan.DCGAN(ema_decay=0.9, ema_warmup=False, **TINY).get_config()
        ).ema_warmup
        is False
    )
    for a, b in zip(gan.ema_generator.variables, loaded.ema_generator.variables):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


def test_bad_decay_is_refused():
    with pytest.raises(ValueError, match="ema_decay"):
        kerasgan.DCGAN(ema_decay=1.0, **TINY)
