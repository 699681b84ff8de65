"""Lazy and step-scheduled phases on two devices train as on one device, on both backends.

On JAX the two devices are `keras.distribution.DataParallel` over two CPU
devices (the JAX child of `test_jax_subset.py` has two; run alone, the test
runs itself again with `XLA_FLAGS=--xla_force_host_platform_device_count=2`),
on TensorFlow a `MirroredStrategy` over the two logical CPU devices of
`tests/conftest.py`. Marked `jax`; slow on TensorFlow, where
`tests/distribute/test_lazy_phases.py` covers the same path.
"""

import dataclasses
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

import kerasgan
from kerasgan.losses import R1Penalty
from kerasgan.models import Schedule
from tests.backend.agreement import TINY, half_size
from tests.gan_test_case import make_dataset

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])

GLOBAL_BATCH = 16


def two_device_scope():
    """The scope that trains on two devices on this backend; None on JAX with fewer than two."""
    if keras.backend.backend() == "jax":
        import jax

        devices = jax.devices()
        return keras.distribution.DataParallel(devices=devices[:2]).scope() if len(devices) >= 2 else None
    from tests.distribute.replicas import two_replica_strategy

    return two_replica_strategy().scope()


def lazy_dcgan():
    """A 14x14 DCGAN with R1 every 2 steps and two critic updates at step 0, then one."""

    class LazyDCGAN(kerasgan.DCGAN):
        def phases(self):
            critic, *others = super().phases()
            return [dataclasses.replace(critic, repeat=Schedule([(0, 2), (1, 1)])), *others]

    gan = LazyDCGAN(regularizers=[R1Penalty(5.0, every=2)], **TINY)
    # SGD: an update is proportional to its gradient, so a loss summed
    # instead of averaged over devices would show in the weights.
    gan.compile(
        d_optimizer=keras.optimizers.SGD(1e-2, momentum=0.9),
        g_optimizer=keras.optimizers.SGD(1e-2, momentum=0.9),
    )
    return gan


class Counts(keras.callbacks.Callback):
    """The (critic, generator) optimizer update counts after each batch."""

    def __init__(self):
        super().__init__()
        self.counts = []

    def on_train_batch_end(self, batch, logs=None):
        optimizers = self.model.d_optimizer, self.model.g_optimizer
        self.counts.append(tuple(int(optimizer.iterations.numpy()) for optimizer in optimizers))


def _fit(gan, data):
    counts = Counts()
    history = gan.fit(data, epochs=1, verbose=0, shuffle=False, callbacks=[counts])
    return history.history, counts.counts


def test_lazy_phases_on_two_devices_match_one_device(fashion_mnist_sample):
    scope = two_device_scope()
    if scope is None:
        _again_on_two_jax_devices("test_lazy_phases_on_two_devices_match_one_device")
        return
    data = make_dataset(half_size(fashion_mnist_sample[0]), batch_size=GLOBAL_BATCH).take(4)
    one = lazy_dcgan()
    with scope:
        two = lazy_dcgan()
    initial = one.get_weights()
    two.set_weights(initial)
    one_logs, one_counts = _fit(one, data)
    two_logs, two_counts = _fit(two, data)
    # Critic: 2 + R1 at step 0, 1 at step 1, 1 + R1 at step 2, 1 at step 3.
    assert one_counts == two_counts == [(3, 1), (4, 2), (6, 3), (7, 4)]
    assert sorted(two_logs) == sorted(one_logs)
    for name, values in one_logs.items():
        np.testing.assert_allclose(two_logs[name], values, rtol=1e-4, atol=1e-6, err_msg=name)
    np.testing.assert_allclose(two_logs["discriminator_updates"], [5 / 4])
    moved = 0.0
    for before, a, b in zip(initial, one.get_weights(), two.get_weights()):
        np.testing.assert_allclose(b, a, atol=1e-4, err_msg=a.shape)
        moved = max(moved, float(np.max(np.abs(a - before), initial=0.0)))
    assert moved > 1e-3, "the steps did not change the weights, so the comparison shows nothing"


def _again_on_two_jax_devices(test_name):
    """Runs a test of this file again on JAX with two CPU devices."""
    flags = f"{os.environ.get('XLA_FLAGS', '')} --xla_force_host_platform_device_count=2"
    process = subprocess.run(
        [sys.executable, "-m", "pytest", f"{__file__}::{test_name}", "--backend=jax", "-q"]
        + ["-p", "no:cacheprovider", "-n", "0", "-m", "jax"],
        env=dict(os.environ, XLA_FLAGS=flags.strip()),
        capture_output=True,
        text=True,
    )
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]
