"""Shared fixtures (one tiny real Fashion-MNIST sample) and the backend the tests run on.

The suite runs on TensorFlow. `--backend=jax` (or `KERAS_BACKEND=jax`)
runs the shared subset, the tests marked `jax` (`tests/backend/`), on JAX
instead; every other test is deselected there. Keras reads its backend once,
when it is first imported, so this file imports Keras only after the option
is read.
"""

import os
import shutil
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402

BACKENDS = ("tensorflow", "jax")
FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
SAMPLE_SIZE = 256


@pytest.fixture(scope="session")
def fashion_mnist_sample():
    """First 256 Fashion-MNIST training images in [-1, 1] and their labels.

    Returns:
        `(images float32 (256, 28, 28, 1), labels int32 (256,))`.
    """
    from kerasgan.data.idx import read_idx

    images = read_idx(os.path.join(FASHION_MNIST_DIR, "train-images-idx3-ubyte.gz"), limit=SAMPLE_SIZE)
    labels = read_idx(os.path.join(FASHION_MNIST_DIR, "train-labels-idx1-ubyte.gz"), limit=SAMPLE_SIZE)
    images = images[:SAMPLE_SIZE, :, :, None].astype("float32") / 127.5 - 1.0
    return images, labels[:SAMPLE_SIZE].astype("int32")


# /proc/cpuinfo of a CPU without bfloat16 units (see kerasgan.utils.precision).
NO_BFLOAT16_UNITS = "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\n"


@pytest.fixture(autouse=True)
def same_random_state_in_every_test():
    """Every test starts from one global random state (Python, NumPy, the backend).

    Models built without a seed draw their weights from it, so a test's
    figures (a tolerance, a margin, which updates a gate skips) do not depend
    on which tests ran before it in its pytest-xdist worker.
    """
    import keras

    keras.utils.set_random_seed(0)


@pytest.fixture(autouse=True)
def precision_auto_is_float32(monkeypatch):
    """`precision="auto"` resolves as on a CPU without bfloat16 units, in every test.

    `auto` picks mixed_bfloat16 on CPUs with AMX or AVX512-BF16 units, so a
    test that trains with the default would test another path on each kind
    of host. Tests of `auto` itself patch `read_cpuinfo` again; tests of
    the bfloat16 path force it (`precision="mixed_bfloat16"`), on every host.
    """
    from kerasgan.utils import precision

    real = precision.read_cpuinfo

    def read_cpuinfo(path=precision.CPUINFO_PATH):
        return NO_BFLOAT16_UNITS if path == precision.CPUINFO_PATH else real(path)

    monkeypatch.setattr(precision, "read_cpuinfo", read_cpuinfo)


def pytest_addoption(parser):
    parser.addoption(
        "--backend",
        choices=BACKENDS,
        default=None,
        help="Keras backend to test (default: $KERAS_BACKEND, else tensorflow). On jax only "
        "the shared subset (tests marked jax, in tests/backend) runs.",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "jax: the shared subset, which also runs on JAX (python3 -m pytest tests/backend --backend=jax)",
    )
    backend = config.getoption("backend")
    if backend is not None:
        _use_backend(backend)
    _two_logical_cpus()


def _use_backend(backend):
    if "keras" in sys.modules:
        import keras

        if keras.backend.backend() != backend:
            raise pytest.UsageError(
                f"--backend={backend}, but Keras was imported with the {keras.backend.backend()!r} "
                f"backend already. Run with KERAS_BACKEND={backend} instead."
            )
    os.environ["KERAS_BACKEND"] = backend


def _two_logical_cpus():
    # Two logical CPU devices, so that MirroredStrategy tests run on any
    # machine. This must happen before TensorFlow initialises its devices
    # (importing TensorFlow imports Keras, so after the backend is chosen);
    # other tests still place their ops on the first device.
    import tensorflow as tf

    tf.config.set_logical_device_configuration(
        tf.config.list_physical_devices("CPU")[0],
        [tf.config.LogicalDeviceConfiguration()] * 2,
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Selects the run's tests: on JAX the shared subset; on TensorFlow starts the JAX child early.

    Runs after the marks and `-k` have deselected what they deselect. On
    TensorFlow, when a selected test reads the JAX child's results
    (`jax_side`), the child starts now, in the background, and those tests
    move to the end of the run, so the JAX run and the TensorFlow tests
    share the machine's cores instead of taking turns.
    """
    import keras

    if keras.backend.backend() != "tensorflow":
        shared = [item for item in items if item.get_closest_marker("jax") is not None]
        config.hook.pytest_deselected(items=[item for item in items if item not in shared])
        items[:] = shared
        return
    waiting = [item for item in items if "jax_side" in getattr(item, "fixturenames", ())]
    if not waiting or config.option.collectonly or hasattr(config, "workerinput"):
        return  # under pytest-xdist one worker runs the child itself, beside the other worker
    items[:] = [item for item in items if item not in waiting] + waiting
    from tests.backend import test_jax_subset

    folder = tempfile.mkdtemp(prefix="kerasgan-jax-side-")
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    config.add_cleanup(test_jax_subset.stop_background)  # runs first: cleanups run last-in first-out
    test_jax_subset.start_in_background(folder)
