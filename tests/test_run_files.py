"""A run folder whose files do not belong together is refused by every command, naming why."""

import hashlib
import json
import os
import shutil

import numpy as np
import pytest

import kerasgan
from kerasgan import runs
from kerasgan.cli import main
from tests.gan_test_case import tiny_train_arguments


def _digests(folder):
    """{file name: SHA-256} of the files directly in `folder`."""
    return {
        name: hashlib.sha256(open(os.path.join(folder, name), "rb").read()).hexdigest()
        for name in sorted(os.listdir(folder))
        if os.path.isfile(os.path.join(folder, name))
    }


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("finished") / "run"
    assert main(tiny_train_arguments(run_dir, seed=0) + ["--precision", "float32"]) == 0
    return run_dir


@pytest.fixture
def run_copy(finished_run, tmp_path):
    return shutil.copytree(finished_run, tmp_path / "run")


def _edit_state(run_dir, edit):
    path = os.path.join(run_dir, "run.json")
    with open(path) as f:
        state = json.load(f)
    edit(state)
    with open(path, "w") as f:
        json.dump(state, f)


def test_sample_and_evaluate_refuse_a_model_of_another_variant(run_copy, fashion_mnist_sample, capsys):
    other = kerasgan.LSGAN(latent_dim=8, seed=0)
    other.compile()
    other.train_on_batch(fashion_mnist_sample[0][:8])
    other.save(os.path.join(run_copy, "model.keras"))
    before = _digests(run_copy)
    grid = os.path.join(run_copy, "grid.png")
    assert main(["sample", str(run_copy), "--n", "4", "--out", grid]) == 1
    assert main(["evaluate", str(run_copy), "--n", "8"]) == 1
    errors = capsys.readouterr().err
    assert errors.count("holds a LSGAN in model.keras, but its run.json names 'dcgan' (DCGAN)") == 2
    assert "Traceback" not in errors
    assert _digests(run_copy) == before  # no grid, no evaluation.json, nothing changed


def test_resume_of_a_run_written_by_a_newer_kerasgan_says_to_upgrade(run_copy, capsys):
    def written_by_a_newer_version(state):
        state["kerasgan_version"] = "99.1.0"
        state["settings"]["setting_of_the_future"] = True

    _edit_state(run_copy, written_by_a_newer_version)
    before = _digests(run_copy)
    assert main(tiny_train_arguments(run_copy, seed=0) + ["--resume"]) == 1
    errors = capsys.readouterr().err
    assert "written by kerasgan 99.1.0, newer than this kerasgan" in errors
    assert "Upgrade kerasgan" in errors and "made with settings" not in errors
    assert "Traceback" not in errors
    assert _digests(run_copy) == before


def test_a_run_of_an_older_or_the_same_version_still_resumes(run_copy):
    with open(os.path.join(run_copy, "run.json")) as f:
        assert json.load(f)["kerasgan_version"] == kerasgan.__version__
    _edit_state(run_copy, lambda state: state.update(kerasgan_version="0.1.9"))
    assert main(tiny_train_arguments(run_copy, seed=0) + ["--epochs", "2", "--resume"]) == 0
    with open(os.path.join(run_copy, "run.json")) as f:
        state = json.load(f)
    assert state["epochs_completed"] == 2 and state["kerasgan_version"] == kerasgan.__version__
    assert np.isfinite(runs.load_run_model(run_copy).generate(2, seed=0)).all()
