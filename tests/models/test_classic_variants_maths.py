"""The classic variants compute their papers' step, bit for bit, on whatever CPU runs the test.

kerasgan's `train_on_batch` and the hand-written step of
`tests/models/reference_steps.py` start from twins (same seed, so the same
weights and the same random draws) and train on the same real batches; after
every step each generator and discriminator weight, batch-norm statistics
included, must be identical. Both run here, on the same host, so the check
does not depend on which kernels oneDNN picks for this CPU (the cross-host
fixtures in `test_core_v1_fixtures.py` guard the same runs with a measured
tolerance instead).

Both steps run with TensorFlow's graph optimizer (Grappler) off. Its
rewrites (fusing a convolution with its bias and activation into one oneDNN
kernel, folding arithmetic) depend on the graph around each op, so two
graphs of the same maths round differently (up to 1e-4 after two DCGAN
steps here); with the rewrites off each graph runs exactly the ops written,
and kerasgan's step and the reference agree bit for bit (as they do
eagerly).
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from scripts.make_core_v1_fixtures import BATCH_SIZE, VARIANTS, sample
from tests.models.reference_steps import PAPERS, ReferenceStep

# Five critic updates per step (and WGAN-GP's double backward pass) make
# these the slow ones; they share every code path but the clipping hook and
# the penalty with the others, which their own tests check.
SLOW = ("wgan", "wgan_gp")
STEPS = 3


@pytest.fixture(scope="module")
def data():
    return sample()


@pytest.fixture(autouse=True)
def graph_rewrites_off():
    previous = tf.config.optimizer.get_experimental_options().get("disable_meta_optimizer", False)
    tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
    yield
    tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": previous})


def twins(variant):
    """Two models of `variant` with the same initial weights and seed."""
    models = []
    for _ in range(2):
        keras.utils.set_random_seed(0)  # the initializers draw from Keras's global seed
        models.append(VARIANTS[variant]())
    return models


def _weights(gan):
    return [v.numpy() for network in (gan.generator, gan.discriminator) for v in network.variables]


@pytest.mark.parametrize(
    "variant", [pytest.param(v, marks=pytest.mark.slow) if v in SLOW else v for v in sorted(PAPERS)]
)
def test_kerasgan_step_equals_the_hand_written_step(variant, data):
    images, labels = data
    gan, twin = twins(variant)
    gan.compile()
    reference = ReferenceStep(variant, twin)
    for before, twin_before in zip(_weights(gan), _weights(twin)):
        np.testing.assert_array_equal(before, twin_before)
    start = _weights(gan)
    for step in range(STEPS):
        part = slice(step * BATCH_SIZE, (step + 1) * BATCH_SIZE)
        batch_images, batch_labels = images[part], labels[part]
        if gan.num_classes is None:
            gan.train_on_batch(batch_images)
        else:
            gan.train_on_batch(batch_images, batch_labels)
        reference.step(tf.constant(batch_images), tf.constant(batch_labels))
        for index, (ours, theirs) in enumerate(zip(_weights(gan), _weights(twin))):
            assert np.array_equal(ours, theirs), (
                f"step {step + 1}, variable {index}: largest difference {np.abs(ours - theirs).max():.3g}"
            )
    assert sum(not np.array_equal(a, b) for a, b in zip(start, _weights(gan))) > len(start) // 2


def test_the_comparison_sees_a_changed_formula(data, monkeypatch):
    """A reference whose loss differs slightly from the paper's is told apart."""
    from tests.models import reference_steps

    images, labels = data
    gan, twin = twins("gan")
    gan.compile()
    original = reference_steps.generator_loss
    monkeypatch.setattr(reference_steps, "generator_loss", lambda kind, fake: 1.0001 * original(kind, fake))
    ReferenceStep("gan", twin).step(tf.constant(images[:BATCH_SIZE]), tf.constant(labels[:BATCH_SIZE]))
    gan.train_on_batch(images[:BATCH_SIZE])
    assert any(not np.array_equal(a, b) for a, b in zip(_weights(gan), _weights(twin)))
