"""On JAX, kerasgan's models train in a Python that has no TensorFlow.

GPU machines with JAX often have no TensorFlow (ours for the GPU benchmark
has none). A child process on JAX makes every `tensorflow*` import fail, as
a missing package does, trains a DCGAN for two steps on real Fashion-MNIST
images passed as a NumPy array, and checks that the TensorFlow-built parts
(`kerasgan.data`, ...) answer with an install hint instead of a traceback
from deep inside.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.backend.agreement import half_size

pytest.importorskip("jax", reason="the dev extra installs jax (pip install -e '.[dev]')")

REPOSITORY = Path(__file__).resolve().parents[2]

CHILD = """
import importlib.abc, json, sys

class NoTensorFlow(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("tensorflow", "tensorflow_datasets", "tf_keras"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

sys.meta_path.insert(0, NoTensorFlow())

import keras
import numpy as np
import kerasgan

images = np.load(sys.argv[1])
gan = kerasgan.DCGAN(image_shape=images.shape[1:], latent_dim=8, seed=0)
gan.compile()
before = {net: [w.copy() for w in getattr(gan, net).get_weights()] for net in ("generator", "discriminator")}
history = gan.fit(images, batch_size=16, epochs=1, steps_per_epoch=2, verbose=0).history
changed = {
    net: any(not np.array_equal(a, b) for a, b in zip(before[net], getattr(gan, net).get_weights()))
    for net in before
}
try:
    kerasgan.data.load
    data_error = None
except ModuleNotFoundError as error:
    data_error = str(error)
print(json.dumps({
    "history": {key: [float(v) for v in values] for key, values in history.items()},
    "changed": changed,
    "samples": np.asarray(gan.generate(4, seed=0)).tolist(),
    "data_error": data_error,
    "tensorflow_modules": sorted(m for m in sys.modules if m.split(".")[0] == "tensorflow"),
}))
"""


@pytest.fixture(scope="module")
def child_result(fashion_mnist_sample, tmp_path_factory):
    folder = tmp_path_factory.mktemp("no_tensorflow")
    np.save(folder / "images.npy", half_size(fashion_mnist_sample[0][:32]))
    environment = dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu", TF_CPP_MIN_LOG_LEVEL="3")
    process = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder / "images.npy")],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert process.returncode == 0, process.stderr[-4000:]
    return json.loads(process.stdout.strip().splitlines()[-1])


def test_dcgan_trains_on_jax_without_tensorflow(child_result):
    assert child_result["tensorflow_modules"] == []
    losses = child_result["history"]
    assert set(losses) >= {"d_loss", "g_loss"}
    assert all(np.isfinite(value) for values in losses.values() for value in values)
    assert child_result["changed"] == {"generator": True, "discriminator": True}
    samples = np.asarray(child_result["samples"])
    assert samples.shape == (4, 14, 14, 1)
    assert np.isfinite(samples).all() and np.abs(samples).max() <= 1.0


def test_tensorflow_parts_say_what_to_install(child_result):
    message = child_result["data_error"]
    assert message is not None, "kerasgan.data imported without TensorFlow"
    assert "kerasgan.data" in message and "pip install tensorflow" in message
