"""What only the JAX backend can show: its sides of the cross-backend checks, several devices.

Run on JAX (`python3 -m pytest tests/backend --backend=jax`); skipped on
TensorFlow. The agreement and export tests write what JAX computed to
`$KERASGAN_JAX_OUTPUT` (a folder) when it is set: the default suite's
`test_jax_subset.py` sets it and compares with TensorFlow there.
"""

import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

import kerasgan
from kerasgan.losses import R1Penalty
from tests.backend.agreement import CASES, half_size, step_results
from tests.backend.agreement import TINY as SMALL
from tests.gan_test_case import make_dataset
from tests.models.test_variants import TINY

pytestmark = [
    pytest.mark.jax,
    pytest.mark.skipif(
        keras.backend.backend() != "jax",
        reason="runs on JAX: python3 -m pytest tests/backend --backend=jax",
    ),
]

EXPORT_LATENTS = 7


def output_folder(tmp_path):
    """Where the TensorFlow side reads the JAX results: `$KERASGAN_JAX_OUTPUT`, else `tmp_path`."""
    folder = os.environ.get("KERASGAN_JAX_OUTPUT")
    return Path(folder) if folder else tmp_path


@pytest.mark.parametrize("case", sorted(CASES))
def test_agreement_step_on_jax(case, fashion_mnist_sample, tmp_path):
    results = step_results(case, *fashion_mnist_sample)
    for name, value in results.items():
        assert np.isfinite(value).all(), name
    np.savez(output_folder(tmp_path) / f"agreement_{case}.npz", **results)


def _trained_dcgan(images, **kwargs):
    # 14x14 images (Fashion-MNIST halved), which compile about twice as fast
    # as 28x28; SGD: an update is linear in its gradient. (Adam divides each
    # gradient by its magnitude, so a gradient that is zero up to rounding,
    # as for a bias just before batch norm, moves its weight by a
    # rounding-dependent amount up to the learning rate.) The export and the
    # one-device side of the data-parallel test share this program, compiled
    # once with the persistent compilation cache that test_jax_subset.py sets.
    keras.utils.set_random_seed(0)
    gan = kerasgan.DCGAN(**SMALL, **kwargs)
    gan.compile(
        d_optimizer=keras.optimizers.SGD(1e-3, momentum=0.9),
        g_optimizer=keras.optimizers.SGD(1e-3, momentum=0.9),
    )
    history = gan.fit(make_dataset(half_size(images)).take(2), epochs=1, verbose=0)
    return gan, history.history


def test_generator_trained_on_jax_for_export(fashion_mnist_sample, tmp_path):
    """Trains two steps and saves: TensorFlow loads and exports the file (test_jax_subset.py)."""
    gan, _ = _trained_dcgan(fashion_mnist_sample[0])
    folder = output_folder(tmp_path)
    gan.save(folder / "trained_on_jax.keras")
    latents = np.random.default_rng(0).normal(size=(EXPORT_LATENTS, gan.latent_dim)).astype("float32")
    generated = keras.ops.convert_to_numpy(gan.generator(latents, training=False))
    assert np.isfinite(generated).all()
    np.savez(folder / "trained_on_jax.npz", latents=latents, images=generated)


def _on_two_devices(test_name):
    """Runs a test of this file again in a process with two CPU devices."""
    flags = f"{os.environ.get('XLA_FLAGS', '')} --xla_force_host_platform_device_count=2"
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            f"{__file__}::{test_name}",
            "--backend=jax",
            "-q",
            "-p",
            "no:cacheprovider",
            "-n",
            "0",
            "-m",
            "jax",
        ],
        env=dict(os.environ, XLA_FLAGS=flags.strip()),
        capture_output=True,
        text=True,
    )
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]


def _check_data_parallel(images, **kwargs):
    import jax

    one, one_logs = _trained_dcgan(images, **kwargs)
    with keras.distribution.DataParallel(devices=jax.devices()[:2]).scope():
        two, two_logs = _trained_dcgan(images, **kwargs)
    assert sorted(one_logs) == sorted(two_logs)
    for name in one_logs:
        np.testing.assert_allclose(two_logs[name], one_logs[name], rtol=1e-5, err_msg=name)
    # Sums over the batch are split in two and added in another order.
    for a, b in zip(one.variables, two.variables):
        expected = a.numpy()
        tolerance = 1e-6 + 1e-5 * float(np.abs(expected).max(initial=0.0))
        np.testing.assert_allclose(b.numpy(), expected, rtol=0, atol=tolerance, err_msg=a.path)


def test_data_parallel_on_two_devices_takes_the_one_device_step(fashion_mnist_sample):
    """`keras.distribution.DataParallel` over two CPU devices trains as one device does.

    Needs two devices; without them the test runs itself again with
    `XLA_FLAGS=--xla_force_host_platform_device_count=2`.
    """
    import jax

    if len(jax.devices()) < 2:
        _on_two_devices("test_data_parallel_on_two_devices_takes_the_one_device_step")
        return
    _check_data_parallel(fashion_mnist_sample[0])


@pytest.mark.slow
def test_data_parallel_runs_lazy_regularizers(fashion_mnist_sample):
    """Lazy phases (here R1 every 2 steps) on two devices, as on one."""
    import jax

    if len(jax.devices()) < 2:
        _on_two_devices("test_data_parallel_runs_lazy_regularizers")
        return
    _check_data_parallel(fashion_mnist_sample[0], regularizers=[R1Penalty(5.0, every=2)])


def test_penalty_gradient_through_batch_norm_is_exact(fashion_mnist_sample):
    """R1 through a batch-norm critic: a bias just before batch norm gets no gradient.

    Batch norm in training mode subtracts the batch mean, so that bias
    cancels and every derivative with respect to it is zero, second
    derivatives included. JAX computes that (the update is zero up to
    rounding). TensorFlow's `tf.nn.moments` stops the gradient through the
    mean, exact for first derivatives only: the same update there is as
    large as the kernel's (measured: bias 1.07, kernel 97 with SGD(1)).
    """
    images, _ = fashion_mnist_sample
    gan = kerasgan.DCGAN(regularizers=[R1Penalty(5.0, every=2)], **TINY)
    gan.compile(d_optimizer=keras.optimizers.SGD(1.0))
    layers = {layer.name: layer for layer in gan.discriminator.layers}
    assert isinstance(layers["down1_norm"], keras.layers.BatchNormalization)
    bias, kernel = layers["down1"].bias, layers["down1"].kernel
    before = bias.numpy(), kernel.numpy()
    batch = gan.unpack_batch(keras.ops.convert_to_tensor(images[:16]))
    terms = gan.run_phase(gan.phase_named("discriminator_reg"), batch)
    assert float(terms["r1"]) > 0
    kernel_step = np.abs(kernel.numpy() - before[1]).max()
    assert kernel_step > 1e-3
    assert np.abs(bias.numpy() - before[0]).max() < 1e-5 * kernel_step
