"""A run interrupted at any moment resumes to the same steps and the same weights.

The default tests interrupt in-process (an exception raised by a callback, as
a crash would); the slow test kills a real training process with SIGKILL.
"""

import json
import os
import signal
import subprocess
import sys
import time

import keras
import numpy as np
import pytest
import tensorflow as tf

import kerasgan
from kerasgan import runs
from kerasgan.utils.resume import completed_steps

# 4 steps per epoch; checkpoints at steps 3, 4 (epoch end), 6, 8 (epoch end).
RUN = dict(
    epochs=2,
    batch_size=32,
    limit=128,
    latent_dim=8,
    seed=0,
    verbose=0,
    save_every_steps=3,
    precision="float32",
)
STEPS = 8


class Crash(Exception):
    """Stands for a crash of the training process."""


class AtStep(keras.callbacks.Callback):
    """Calls `action(model)` once the model has taken `step` training steps."""

    def __init__(self, step, action):
        super().__init__()
        self.step = step
        self.action = action

    def on_train_batch_end(self, batch, logs=None):
        if completed_steps(self.model) == self.step:
            self.action(self.model)


def crash(model):
    raise Crash()


def state_of(gan):
    """Every variable of the model and of both optimizers, as arrays."""
    variables = gan.variables + gan.d_optimizer.variables + gan.g_optimizer.variables
    return [np.asarray(v.numpy()) for v in variables]


def assert_same_state(a, b):
    for x, y in zip(state_of(a), state_of(b), strict=True):
        np.testing.assert_array_equal(x, y)


def read_state(run_dir):
    with open(os.path.join(run_dir, "run.json")) as f:
        return json.load(f)


def no_temporaries(run_dir):
    return [name for name in os.listdir(run_dir) if name.startswith(".tmp-")] == []


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """The reference: the same run trained without interruption."""
    run_dir = str(tmp_path_factory.mktemp("reference"))
    return runs.train("dcgan", run_dir, **RUN)


def test_run_killed_mid_epoch_resumes_to_identical_weights(uninterrupted, tmp_path):
    run_dir = str(tmp_path)
    with pytest.raises(Crash):
        runs.train("dcgan", run_dir, callbacks=[AtStep(7, crash)], **RUN)
    state = read_state(run_dir)
    assert (state["epochs_completed"], state["steps_completed"]) == (1, 6)
    # As if also killed after model.keras was renamed but before run.json
    # was: the model file, at step 6, is the authority on progress.
    state.update(epochs_completed=0, steps_completed=3)
    with open(os.path.join(run_dir, "run.json"), "w") as f:
        json.dump(state, f)
    tf.random.set_seed(None)  # a new process starts without a global seed

    resumed = runs.train("dcgan", run_dir, resume=True, **RUN)

    assert completed_steps(uninterrupted) == STEPS
    assert int(resumed.g_optimizer.iterations) == int(uninterrupted.g_optimizer.iterations)
    assert int(resumed.d_optimizer.iterations) == int(uninterrupted.d_optimizer.iterations)
    assert_same_state(resumed, uninterrupted)
    assert read_state(run_dir)["steps_completed"] == STEPS
    with open(os.path.join(run_dir, "log.csv")) as f:
        assert len(f.read().strip().splitlines()) == 3  # header + 2 epochs
    assert no_temporaries(run_dir)

    again = runs.train("dcgan", run_dir, resume=True, **RUN)  # nothing left to do
    assert completed_steps(again) == STEPS


def _unshuffled_data():
    return kerasgan.data.load("fashion_mnist", batch_size=32, limit=128, shuffle=False)


def _fresh_gan():
    keras.utils.set_random_seed(0)
    gan = kerasgan.DCGAN(latent_dim=8, seed=0)
    gan.compile()
    return gan


def test_keras_backup_and_restore_resumes_a_gan_at_the_interrupted_epoch(tmp_path):
    """Keras's own callback suffices for fit(): it restores both networks, all
    optimizers, the step count and the seed state, and replays the
    interrupted epoch, so an unshuffled run ends exactly as an uninterrupted one."""
    reference = _fresh_gan()
    reference.fit(_unshuffled_data(), epochs=2, verbose=0)

    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    interrupted = _fresh_gan()
    with pytest.raises(Crash):
        interrupted.fit(_unshuffled_data(), epochs=2, verbose=0, callbacks=[backup, AtStep(7, crash)])

    resumed = _fresh_gan()  # a new process would start from fresh weights
    resumed.fit(_unshuffled_data(), epochs=2, verbose=0, callbacks=[backup])

    assert completed_steps(resumed) == completed_steps(reference) == STEPS
    assert int(resumed.d_optimizer.iterations) == int(reference.d_optimizer.iterations)
    assert_same_state(resumed, reference)


def _kill_after(process, run_dir, ready, timeout=120):
    """SIGKILLs `process` as soon as `ready(run.json contents)` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if ready(read_state(run_dir)):
                break
        except (OSError, ValueError):
            pass  # no checkpoint yet
        time.sleep(0.01)
    assert process.poll() is None, "training ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.mark.slow
def test_training_process_killed_with_sigkill_resumes_exactly(uninterrupted, tmp_path):
    run_dir = str(tmp_path / "run")
    script = (
        "import os; from kerasgan import runs; "
        f"runs.train('dcgan', {run_dir!r}, resume=os.path.exists({run_dir!r} + '/run.json'), **{RUN!r})"
    )
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")

    # First kill: right after the first mid-epoch checkpoint of epoch 2.
    process = subprocess.Popen([sys.executable, "-c", script], env=env, stderr=subprocess.DEVNULL)
    _kill_after(process, run_dir, lambda state: state["steps_completed"] == 6)
    runs.load_run_model(run_dir)  # the checkpoint left behind is complete
    # Second kill: at whatever moment the resumed process has reached.
    process = subprocess.Popen([sys.executable, "-c", script], env=env, stderr=subprocess.DEVNULL)
    time.sleep(6.0)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
        process.wait()
    runs.load_run_model(run_dir)

    resumed = runs.train("dcgan", run_dir, resume=True, **RUN)
    assert completed_steps(resumed) == STEPS
    assert_same_state(resumed, uninterrupted)
    assert no_temporaries(run_dir)
