"""Corrupt or foreign checkpoint files are refused with a ValueError that says what to do."""

import os
import shutil
import zipfile

import keras
import pytest

import kerasgan
from kerasgan import runs

RUN = dict(epochs=1, batch_size=32, limit=64, latent_dim=8, seed=0, verbose=0, precision="float32")


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    run_dir = str(tmp_path_factory.mktemp("finished") / "run")
    runs.train("dcgan", run_dir, **RUN)
    return run_dir


@pytest.fixture
def run_copy(finished_run, tmp_path):
    run_dir = str(tmp_path / "run")
    shutil.copytree(finished_run, run_dir)
    return run_dir


def model_path(run_dir):
    return os.path.join(run_dir, "model.keras")


def assert_refused(run_dir, match):
    """Loading and resuming both fail with the same clear message."""
    with pytest.raises(ValueError, match=match):
        runs.load_run_model(run_dir)
    with pytest.raises(ValueError, match=match):
        runs.train("dcgan", run_dir, resume=True, **dict(RUN, epochs=2))


def test_truncated_model_file(run_copy):
    data = open(model_path(run_copy), "rb").read()
    with open(model_path(run_copy), "wb") as f:
        f.write(data[: len(data) // 2])
    assert_refused(run_copy, r"model.keras is not a Keras file .*truncated.*Delete it and train again")


def test_zip_that_is_not_a_keras_file(run_copy):
    with zipfile.ZipFile(model_path(run_copy), "w") as archive:
        archive.writestr("notes.txt", "not a model")
    assert_refused(run_copy, r"Cannot load .*model.keras: it is corrupt or was not written by kerasgan")


def test_keras_file_of_a_plain_model(run_copy):
    plain = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    plain.compile(optimizer="adam", loss="mse")
    plain.save(model_path(run_copy))
    assert_refused(run_copy, r"holds a Sequential, not a kerasgan GAN")


def test_gan_saved_without_optimizers(run_copy):
    kerasgan.DCGAN(latent_dim=8).save(model_path(run_copy))
    assert_refused(run_copy, r"without its optimizers, so its training cannot continue")


@pytest.mark.parametrize(
    "text",
    ["{not json", '{"settings": {}}', '{"epochs_completed": 1, "settings": []}', "[1, 2]"],
)
def test_corrupt_run_json(run_copy, text):
    with open(os.path.join(run_copy, "run.json"), "w") as f:
        f.write(text)
    assert_refused(run_copy, r"run.json is corrupt .*may still be intact.*--overwrite")
