"""One worker of the MultiWorkerMirroredStrategy test (run as a subprocess).

Usage: python multi_worker_script.py OUT.npz   (TF_CONFIG set by the caller)
Trains a DCGAN and a WGAN-GP for a few steps and saves every weight.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import kerasgan  # noqa: E402
from kerasgan.data.idx import read_idx  # noqa: E402

GLOBAL_BATCH = 16
STEPS = 3


def main(out_path):
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    images = read_idx(
        "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", limit=GLOBAL_BATCH * STEPS
    )
    images = images[:, :, :, None].astype("float32") / 127.5 - 1.0
    data = tf.data.Dataset.from_tensor_slices(images).batch(GLOBAL_BATCH, drop_remainder=True)
    weights = {}
    for name, cls in (("dcgan", kerasgan.DCGAN), ("wgan_gp", kerasgan.WGANGP)):
        with strategy.scope():
            gan = cls(image_shape=(28, 28, 1), latent_dim=8, seed=1)
            gan.compile()
        history = gan.fit(data, epochs=1, verbose=0, shuffle=False).history
        weights.update({f"{name}/{i}": np.asarray(w) for i, w in enumerate(gan.weights)})
        weights[f"{name}/d_loss"] = np.asarray(history["d_loss"])
        weights[f"{name}/iterations"] = np.asarray(gan.g_optimizer.iterations)
    np.savez(out_path, **weights)


if __name__ == "__main__":
    main(sys.argv[1])
