"""RunCheckpoint saves every N steps, never saves NaN weights, and cleans up after a kill."""

import json
import os

import numpy as np
import pytest

import kerasgan
from kerasgan.callbacks import RunCheckpoint
from kerasgan.runs import load_run_model
from tests.gan_test_case import make_dataset


@pytest.fixture
def gan():
    model = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=8, seed=0)
    model.compile()
    return model


def saved_steps(run_dir):
    with open(os.path.join(run_dir, "run.json")) as f:
        state = json.load(f)
    return state["epochs_completed"], state["steps_completed"]


class RecordSaves(RunCheckpoint):
    """RunCheckpoint that also records the step of every checkpoint written."""

    def save(self, epochs_completed, logs=None):
        written = super().save(epochs_completed, logs)
        if written:
            self.saved_at = getattr(self, "saved_at", []) + [self.last_saved_step]
        return written


def test_saves_every_n_steps_and_at_epoch_ends(gan, fashion_mnist_sample, tmp_path):
    images, _ = fashion_mnist_sample
    checkpoint = RecordSaves(tmp_path, {"variant": "dcgan"}, save_every_steps=2)
    gan.fit(make_dataset(images[:96]), epochs=2, verbose=0, callbacks=[checkpoint])  # 3 steps/epoch
    assert checkpoint.saved_at == [2, 3, 4, 6, 6]
    assert saved_steps(tmp_path) == (2, 6)
    restored = load_run_model(tmp_path)
    assert int(restored.g_optimizer.iterations) == 6
    np.testing.assert_array_equal(restored.seed_generator.state.numpy(), gan.seed_generator.state.numpy())


def test_non_finite_weights_are_never_saved(gan, fashion_mnist_sample, tmp_path):
    images, _ = fashion_mnist_sample
    checkpoint = RunCheckpoint(tmp_path, save_every_steps=1)
    gan.fit(make_dataset(images[:32]), epochs=1, verbose=0, callbacks=[checkpoint])
    before = (tmp_path / "model.keras").read_bytes()
    kernel = gan.generator.get_layer("project").kernel
    kernel.assign(np.full(kernel.shape, np.nan, "float32"))
    assert checkpoint.save(1, {"d_loss": 0.5, "g_loss": 0.7}) is False  # finite logs, NaN weights
    assert (tmp_path / "model.keras").read_bytes() == before
    assert saved_steps(tmp_path) == (1, 1)


def test_temporaries_of_a_killed_save_are_removed(gan, fashion_mnist_sample, tmp_path):
    images, _ = fashion_mnist_sample
    stale = tmp_path / ".tmp-0123abcd-model.keras"
    stale.write_bytes(b"half a zip")
    unrelated = tmp_path / "notes.txt"
    unrelated.write_text("kept")
    gan.fit(make_dataset(images[:32]), epochs=1, verbose=0, callbacks=[RunCheckpoint(tmp_path)])
    assert sorted(os.listdir(tmp_path)) == ["model.keras", "notes.txt", "run.json"]


def test_save_every_steps_is_validated(tmp_path):
    with pytest.raises(ValueError, match="save_every_steps"):
        RunCheckpoint(tmp_path, save_every_steps=0)
