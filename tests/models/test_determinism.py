"""`keras.utils.set_random_seed` makes a CPU training run bit-for-bit repeatable.

Each run happens in its own Python process, as two real runs would. On CPU no
`tf.config.experimental.enable_op_determinism()` is needed: the runs below
agree without it.
"""

import os
import subprocess
import sys

import pytest

# Seeds everything, builds a GAN with seed=None, trains on a shuffled
# pipeline with seed=None, and prints a digest of every model and optimizer
# variable before and after training.
SCRIPT = """
import hashlib, sys
import keras, numpy as np, kerasgan

def digest(gan):
    state = hashlib.sha256()
    for variable in gan.variables + gan.d_optimizer.variables + gan.g_optimizer.variables:
        state.update(np.ascontiguousarray(variable.numpy()).tobytes())
    return state.hexdigest()

keras.utils.set_random_seed(int(sys.argv[1]))
variant = kerasgan.VARIANTS[sys.argv[2]]
options = {"num_classes": 10} if variant.requires_labels else {}
data = kerasgan.data.load("fashion_mnist", batch_size=32, limit=96,
                          with_labels=variant.requires_labels)
gan = variant(latent_dim=8, **options)
gan.compile()
before = digest(gan)
gan.fit(data, epochs=2, verbose=0)
print(before, digest(gan))
"""


def run_digests(*jobs):
    """Runs `SCRIPT` once per `(seed, variant)` job, in parallel processes."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(seed), variant],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed, variant in jobs
    ]
    digests = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err[-2000:]
        digests.append(tuple(out.strip().splitlines()[-1].split()))
    return digests


def test_same_seed_gives_bit_identical_weights():
    (start, end), (start_again, end_again) = run_digests((7, "dcgan"), (7, "dcgan"))
    assert start != end  # training changed the model
    assert (start, end) == (start_again, end_again)


@pytest.mark.slow
def test_another_seed_gives_other_weights():
    (start, end), (other_start, other_end) = run_digests((7, "dcgan"), (8, "dcgan"))
    assert start != other_start and end != other_end


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["gan", "conditional_gan", "wgan", "wgan_gp", "lsgan"])
def test_every_variant_is_repeatable(variant):
    first, second = run_digests((7, variant), (7, variant))
    assert first == second
