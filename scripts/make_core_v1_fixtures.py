"""Writes the reference runs that prove the core redesign changed no variant.

Run once with the pre-redesign core (commit 88a4e76) to write
`tests/fixtures/core_v1/`: for each of the six original variants, a fingerprint of
the weights after a seeded 3-step run and after a 4th step, and for two of them the
`.keras` file saved after step 3. `tests/models/test_core_v1_fixtures.py`
replays the same runs with today's code and compares.

    python scripts/make_core_v1_fixtures.py tests/fixtures/core_v1

With `--compare`, replays the runs with today's code instead and prints, per
variant, how many variables are bit-identical (same SHA-256) to the fixtures:

    python scripts/make_core_v1_fixtures.py --compare tests/fixtures/core_v1
"""

import hashlib
import os
import sys

import keras
import numpy as np

import kerasgan
from kerasgan.data.idx import read_idx

FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
TINY = {"image_shape": (28, 28, 1), "latent_dim": 8, "seed": 1}
VARIANTS = {
    "gan": lambda: kerasgan.GAN(**TINY),
    "dcgan": lambda: kerasgan.DCGAN(**TINY),
    "conditional_gan": lambda: kerasgan.ConditionalGAN(num_classes=10, **TINY),
    "wgan": lambda: kerasgan.WGAN(**TINY),
    "wgan_gp": lambda: kerasgan.WGANGP(**TINY),
    "lsgan": lambda: kerasgan.LSGAN(**TINY),
}
SAVED = ("dcgan", "wgan_gp")
BATCH_SIZE = 32


def sample():
    images = read_idx(os.path.join(FASHION_MNIST_DIR, "train-images-idx3-ubyte.gz"), limit=128)
    labels = read_idx(os.path.join(FASHION_MNIST_DIR, "train-labels-idx1-ubyte.gz"), limit=128)
    images = images[:128, :, :, None].astype("float32") / 127.5 - 1.0
    return images, labels[:128].astype("int32")


def batches(gan, images, labels, start, stop):
    """Batches start..stop-1 (fixed order) as tuples for train_on_batch."""
    for index in range(start, stop):
        part = slice(index * BATCH_SIZE, (index + 1) * BATCH_SIZE)
        yield images[part] if gan.num_classes is None else (images[part], labels[part])


def train(gan, images, labels, start, stop):
    for batch in batches(gan, images, labels, start, stop):
        if isinstance(batch, tuple):
            gan.train_on_batch(*batch)
        else:
            gan.train_on_batch(batch)


def fingerprint(gan):
    """A small record of every generator and discriminator variable, in order.

    Per variable: its float64 sum and sum of squares, its first 16 values,
    and the SHA-256 of its bytes (bit-identity on the same host).
    """
    arrays = {}
    for network_name in ("generator", "discriminator"):
        for index, variable in enumerate(getattr(gan, network_name).variables):
            value = variable.numpy()
            key = f"{network_name}/{index:03d}"
            flat = value.astype("float64").ravel()
            arrays[f"{key}/stats"] = np.array([flat.sum(), np.square(flat).sum()])
            arrays[f"{key}/head"] = value.ravel()[:16]
            arrays[f"{key}/sha256"] = np.array(hashlib.sha256(value.tobytes()).hexdigest())
    return arrays


def reference_run(variant, images, labels):
    keras.utils.set_random_seed(0)
    gan = VARIANTS[variant]()
    gan.compile()
    train(gan, images, labels, 0, 3)
    return gan


def main(folder):
    os.makedirs(folder, exist_ok=True)
    images, labels = sample()
    for variant in VARIANTS:
        gan = reference_run(variant, images, labels)
        after_3 = fingerprint(gan)
        if variant in SAVED:
            gan.save(os.path.join(folder, f"{variant}.keras"))
        train(gan, images, labels, 3, 4)
        after_4 = fingerprint(gan)
        np.savez_compressed(
            os.path.join(folder, f"{variant}_weights.npz"),
            **{f"step3/{k}": v for k, v in after_3.items()},
            **{f"step4/{k}": v for k, v in after_4.items()},
        )
        print(variant, "done")


def compare(folder):
    images, labels = sample()
    for variant in VARIANTS:
        reference = np.load(os.path.join(folder, f"{variant}_weights.npz"))
        gan = reference_run(variant, images, labels)
        counts = {"step3": _identical(gan, reference, "step3")}
        train(gan, images, labels, 3, 4)
        counts["step4"] = _identical(gan, reference, "step4")
        line = ", ".join(f"{step}: {same}/{total} bit-identical" for step, (same, total) in counts.items())
        if variant in SAVED:
            loaded = keras.saving.load_model(os.path.join(folder, f"{variant}.keras"))
            train(loaded, images, labels, 3, 4)
            same, total = _identical(loaded, reference, "step4")
            line += f"; old .keras file loaded and resumed to step 4: {same}/{total}"
        print(f"{variant}: {line}")


def _identical(gan, reference, prefix):
    hashes = {k: v for k, v in fingerprint(gan).items() if k.endswith("/sha256")}
    same = sum(str(v) == str(reference[f"{prefix}/{k}"]) for k, v in hashes.items())
    return same, len(hashes)


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        compare(sys.argv[2])
    else:
        main(sys.argv[1])
