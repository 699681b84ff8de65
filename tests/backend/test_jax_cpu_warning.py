"""On JAX without a GPU or TPU, the first `fit()` of a process says TensorFlow trains far faster."""

import warnings

import keras
import pytest

import kerasgan
from tests.backend.agreement import TINY, half_size

pytestmark = [
    pytest.mark.jax,
    pytest.mark.skipif(
        keras.backend.backend() != "jax",
        reason="runs on JAX: python3 -m pytest tests/backend --backend=jax",
    ),
]


@pytest.fixture
def first_fit_of_the_process(monkeypatch):
    """Forgets that an earlier test of this process was warned already."""
    from kerasgan.backend import jax as jax_backend

    monkeypatch.setattr(jax_backend, "_WARNED_ABOUT_CPU", [])


@pytest.fixture
def tiny_fit(fashion_mnist_sample):
    """One `fit()` step of a tiny DCGAN on real images."""
    images = half_size(fashion_mnist_sample[0][:16])
    gan = kerasgan.DCGAN(**TINY)
    gan.compile()
    return lambda: gan.fit(images, batch_size=16, epochs=1, verbose=0)


def _cpu_warnings(fit):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit()
    return [w for w in caught if issubclass(w.category, kerasgan.JAXOnCPUWarning)]


def test_first_fit_on_cpu_warns_once_with_the_ratio_and_the_switch(first_fit_of_the_process, tiny_fit):
    from kerasgan.backend.jax import CPU_IMAGES_PER_SECOND as SPEED

    ratio = SPEED["tensorflow"] / SPEED["jax"]
    message = (
        rf"no GPU or TPU.*slower than on TensorFlow.*{SPEED['jax']} images/s on JAX against "
        rf"{SPEED['tensorflow']} on TensorFlow.*{ratio:.1f}x.*KERAS_BACKEND=tensorflow"
    )
    with pytest.warns(kerasgan.JAXOnCPUWarning, match=message) as record:
        tiny_fit()
    assert record[0].filename == __file__  # the warning points at the user's fit() call
    assert _cpu_warnings(tiny_fit) == []  # once per process


def test_the_warning_can_be_silenced(first_fit_of_the_process, tiny_fit):
    with warnings.catch_warnings():
        warnings.simplefilter("error", kerasgan.JAXOnCPUWarning)  # as the test suite's filter does
        warnings.filterwarnings("ignore", category=kerasgan.JAXOnCPUWarning)  # the user's filter wins
        tiny_fit()
