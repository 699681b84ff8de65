"""Conditional phases (lazy, start/stop, a step-dependent repeat) on two replicas train like one device.

Under MirroredStrategy the host decides which updates each step runs and
runs a step compiled for them (`TensorFlowGANTrainer.make_train_function`);
the JAX side, `keras.distribution.DataParallel`, is in
`tests/backend/test_shared_lazy_distribution.py`.
"""

import dataclasses

import keras
import numpy as np
import pytest

import kerasgan
from kerasgan.losses import R1Penalty
from kerasgan.models import Schedule
from kerasgan.models.gates import SkipWhileAhead
from tests.backend.agreement import TINY, half_size
from tests.distribute.replicas import two_replica_strategy
from tests.gan_test_case import make_dataset

GLOBAL_BATCH = 16


@pytest.fixture(scope="module")
def strategy():
    return two_replica_strategy()


def scheduled_dcgan(changes=None, **kwargs):
    """A tiny 14x14 DCGAN whose phases take `changes[name]` fields."""

    class ScheduledDCGAN(kerasgan.DCGAN):
        def phases(self):
            return [dataclasses.replace(p, **(changes or {}).get(p.name, {})) for p in super().phases()]

    return ScheduledDCGAN(**TINY, **kwargs)


class Iterations(keras.callbacks.Callback):
    """Keeps each batch's logs and the optimizers' update counts after it."""

    def __init__(self):
        super().__init__()
        self.logs, self.counts = [], []

    def on_train_batch_end(self, batch, logs=None):
        self.logs.append(dict(logs))
        optimizers = self.model.d_optimizer, self.model.g_optimizer
        self.counts.append(tuple(int(optimizer.iterations.numpy()) for optimizer in optimizers))


def _compiled(build, **compile_kwargs):
    gan = build()
    # SGD: an update is proportional to its gradient, so a loss summed
    # instead of averaged over replicas would show in the weights.
    gan.compile(
        d_optimizer=keras.optimizers.SGD(1e-2, momentum=0.9),
        g_optimizer=keras.optimizers.SGD(1e-2, momentum=0.9),
        **compile_kwargs,
    )
    return gan


def _fit(gan, data):
    callback = Iterations()
    history = gan.fit(data, epochs=1, verbose=0, shuffle=False, callbacks=[callback])
    return history.history, callback


def _compare(build, images, strategy, **compile_kwargs):
    """Trains `build()` four steps on one device and on two replicas from the same weights; both agree."""
    data = make_dataset(images, batch_size=GLOBAL_BATCH).take(4)
    # Seeded: the weights (and so which updates a gate skips) must not depend on
    # the tests that ran before in this process.
    keras.utils.set_random_seed(0)
    single = _compiled(build, **compile_kwargs)
    with strategy.scope():
        mirrored = _compiled(build, **compile_kwargs)
    initial = single.get_weights()
    mirrored.set_weights(initial)
    single_logs, single_steps = _fit(single, data)
    mirrored_logs, mirrored_steps = _fit(mirrored, data)
    assert sorted(mirrored_logs) == sorted(single_logs)
    for name, values in single_logs.items():
        np.testing.assert_allclose(mirrored_logs[name], values, rtol=1e-4, atol=1e-6, err_msg=name)
    moved = 0.0
    for before, a, b in zip(initial, single.get_weights(), mirrored.get_weights()):
        np.testing.assert_allclose(b, a, atol=1e-4, err_msg=a.shape)
        moved = max(moved, float(np.max(np.abs(a - before), initial=0.0)))
    assert moved > 1e-3, "the steps did not change the weights, so the comparison shows nothing"
    return single_steps, mirrored_steps, mirrored_logs


def test_lazy_r1_on_two_replicas_matches_one_device(strategy, fashion_mnist_sample):
    def build():
        return kerasgan.DCGAN(regularizers=[R1Penalty(5.0, every=2)], **TINY)

    single, mirrored, logs = _compare(build, half_size(fashion_mnist_sample[0]), strategy)
    # The lazy critic update runs at steps 0 and 2 only: (critic, generator) updates after each step.
    assert single.counts == mirrored.counts == [(2, 1), (3, 2), (5, 3), (6, 4)]
    assert logs["r1"][-1] > 0


def test_scheduled_critic_repeat_and_start_on_two_replicas_match_one_device(strategy, fashion_mnist_sample):
    def build():
        return scheduled_dcgan(
            {"discriminator": {"repeat": Schedule([(0, 2), (1, 1)])}, "generator": {"start": 1}}
        )

    single, mirrored, _ = _compare(build, half_size(fashion_mnist_sample[0]), strategy)
    # Two critic updates at step 0, then one; the generator from step 1 (two compiled steps).
    assert single.counts == mirrored.counts == [(2, 0), (3, 1), (4, 2), (5, 3)]
    logged = [entry["discriminator_updates"] for entry in mirrored.logs]
    np.testing.assert_allclose(logged, [2.0, 3 / 2, 4 / 3, 5 / 4])


@pytest.mark.slow
def test_lazy_phases_with_steps_per_execution_on_two_replicas(strategy, fashion_mnist_sample):
    def build():
        return kerasgan.DCGAN(regularizers=[R1Penalty(5.0, every=2)], **TINY)

    single, mirrored, _ = _compare(build, half_size(fashion_mnist_sample[0]), strategy, steps_per_execution=3)
    # Four batches in calls of three and one: counted after each call.
    assert single.counts == mirrored.counts == [(5, 3), (6, 4)]


@pytest.mark.slow
def test_lazy_phase_resumes_its_count_in_a_second_fit_on_two_replicas(strategy, fashion_mnist_sample):
    images = half_size(fashion_mnist_sample[0])
    with strategy.scope():
        gan = kerasgan.DCGAN(regularizers=[R1Penalty(5.0, every=2)], **TINY)
        gan.compile()
    gan.fit(make_dataset(images, batch_size=GLOBAL_BATCH).take(3), epochs=1, verbose=0, shuffle=False)
    assert int(gan.d_optimizer.iterations.numpy()) == 3 + 2
    # Steps 3 and 4: a lazy update at step 4 only.
    gan.fit(make_dataset(images, batch_size=GLOBAL_BATCH).take(2), epochs=1, verbose=0, shuffle=False)
    assert int(gan.d_optimizer.iterations.numpy()) == 5 + 2 + 1
    assert gan.completed_steps() == 5


@pytest.mark.parametrize(
    "variant, threshold",
    [
        ("dcgan", 1.35),
        pytest.param("wgan", -1e-4, marks=pytest.mark.slow),
    ],
    ids=["dcgan", "wgan_clipping_after_each_update"],
)
def test_a_gate_on_two_replicas_decides_as_one_device(variant, threshold, strategy, fashion_mnist_sample):
    # The gate reads the critic's loss over the global batch, so both replicas
    # skip the same updates, those one device skips.
    def build():
        gates = {"discriminator": SkipWhileAhead("d_loss", below=threshold)}
        if variant == "wgan":
            return kerasgan.WGAN(gates=gates, n_critic=2, **TINY)
        return kerasgan.DCGAN(gates=gates, **TINY)

    single, mirrored, logs = _compare(build, half_size(fashion_mnist_sample[0]), strategy)
    assert single.counts == mirrored.counts
    assert 0 < logs["discriminator_skipped"][-1] < 1, (
        "the gate should have applied some updates and skipped others"
    )


ONE_REPLICA_SCRIPT = """
import json, sys
import numpy as np
import tensorflow as tf
import kerasgan
from kerasgan.losses import R1Penalty
from kerasgan.models.gates import SkipWhileAhead

images = np.load(sys.argv[1])
strategy = tf.distribute.MirroredStrategy()
assert strategy.num_replicas_in_sync == 1
with strategy.scope():
    gan = kerasgan.DCGAN(
        image_shape=images.shape[1:], latent_dim=8, regularizers=[R1Penalty(5.0, every=2)],
        gates={"discriminator": SkipWhileAhead("d_accuracy", above=0.0)}, seed=0,
    )
    gan.compile()
history = gan.fit(tf.data.Dataset.from_tensor_slices(images).batch(8), epochs=1, verbose=0)
print(json.dumps({
    "logs": {k: float(v[-1]) for k, v in history.history.items()},
    "d_iterations": int(gan.d_optimizer.iterations.numpy()),
    "g_iterations": int(gan.g_optimizer.iterations.numpy()),
}))
"""


def test_a_lazy_and_a_gated_phase_train_under_a_one_replica_mirrored_strategy(tmp_path, fashion_mnist_sample):
    # One device under MirroredStrategy: its updates still go through the
    # strategy's merge_call, which no tf.cond may hold (the docs' example
    # failed so). A fresh process, so that its strategy is its only one.
    import json
    import subprocess
    import sys

    images, _ = fashion_mnist_sample
    path = tmp_path / "images.npy"
    np.save(path, half_size(images[:32]))
    script = tmp_path / "one_replica.py"
    script.write_text(ONE_REPLICA_SCRIPT)
    result = subprocess.run([sys.executable, str(script), str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert all(np.isfinite(value) for value in report["logs"].values()), report
    # The gate (accuracy above 0) skips every adversarial discriminator
    # update; the lazy R1 phase updates the discriminator on 2 of the 4
    # steps, and the generator trains at each.
    assert report["d_iterations"] == 2 and report["g_iterations"] == 4, report
    assert report["logs"]["discriminator_skipped"] == 1.0, report
