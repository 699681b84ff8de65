"""On the PyTorch backend kerasgan imports, builds, samples and says it cannot train yet."""

import os
import subprocess
import sys

from tests.optional import require

require("torch", "torch")

SCRIPT = """
import numpy as np
import keras
assert keras.backend.backend() == "torch"
import kerasgan, kerasgan.data, kerasgan.metrics
gan = kerasgan.DCGAN(latent_dim=8, seed=0)
gan.compile()
images = gan.generate(3, seed=0)
assert images.shape == (3, 28, 28, 1) and np.abs(images).max() <= 1
cgan = kerasgan.CycleGAN(image_shape=(8, 8, 1), base_filters=2, num_residual_blocks=1)
assert cgan.translate(np.zeros((2, 8, 8, 1), "float32"), direction="b2a").shape == (2, 8, 8, 1)
try:
    gan.fit(np.zeros((4, 28, 28, 1), "float32"), batch_size=2, verbose=0)
except NotImplementedError as error:
    print("REFUSED:", error)
"""


def test_torch_backend_imports_samples_and_refuses_training():
    env = dict(os.environ, KERAS_BACKEND="torch", TF_CPP_MIN_LOG_LEVEL="3")
    process = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env)
    assert process.returncode == 0, process.stderr[-3000:]
    assert "REFUSED: kerasgan cannot train on the 'torch' Keras backend yet" in process.stdout
    assert "KERAS_BACKEND=tensorflow" in process.stdout
