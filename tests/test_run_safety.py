"""A run folder is never lost: no silent overwrite, one training process at a time."""

import hashlib
import os

import pytest

from kerasgan import runs
from kerasgan.cli import main
from kerasgan.utils.run_lock import RunLock
from tests.gan_test_case import tiny_train_arguments

RUN = dict(epochs=1, batch_size=32, limit=64, latent_dim=8, seed=0, verbose=0, precision="float32")


def _contents(folder):
    """{relative path: SHA-256} of every file under `folder`."""
    found = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return found


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory):
    run_dir = str(tmp_path_factory.mktemp("run"))
    runs.train("dcgan", run_dir, **RUN)
    return run_dir


def test_a_second_process_on_a_locked_folder_is_refused_and_touches_nothing(trained_run):
    before = _contents(trained_run)
    with RunLock(trained_run):  # stands for a process training there
        with pytest.raises(ValueError, match="Another process is training"):
            runs.train("dcgan", trained_run, resume=True, **RUN)
        with pytest.raises(ValueError, match="Another process is training"):
            runs.train("dcgan", trained_run, overwrite=True, **RUN)
    assert _contents(trained_run) == before
    runs.train("dcgan", trained_run, resume=True, **RUN)  # free again once released


def test_model_without_run_state_is_never_overwritten(trained_run, tmp_path, capsys):
    folder = tmp_path / "orphan"
    folder.mkdir()
    with open(os.path.join(trained_run, "model.keras"), "rb") as f:
        (folder / "model.keras").write_bytes(f.read())
    before = _contents(folder)
    arguments = tiny_train_arguments(folder, seed=0)
    assert main(arguments) == 1
    assert main(arguments + ["--resume"]) == 1
    message = capsys.readouterr().err
    assert "would overwrite that model" in message and "--overwrite" in message
    assert "delete" not in message.lower()
    assert _contents(folder) == before
    assert main(arguments + ["--overwrite"]) == 0
    assert os.path.exists(folder / "run.json")


def test_existing_run_needs_resume_or_overwrite(trained_run):
    with pytest.raises(ValueError, match="--overwrite"):
        runs.train("dcgan", trained_run, **RUN)
    with pytest.raises(ValueError, match="not both"):
        runs.train("dcgan", trained_run, resume=True, overwrite=True, **RUN)


def test_resume_of_a_folder_without_a_run_says_so(tmp_path):
    with pytest.raises(ValueError, match="holds no run to continue"):
        runs.train("dcgan", str(tmp_path / "empty"), resume=True, **RUN)


def test_resume_refuses_a_model_of_another_class(trained_run, tmp_path):
    import json
    import shutil

    folder = str(tmp_path / "mixed")
    shutil.copytree(trained_run, folder)
    with open(os.path.join(folder, "run.json")) as f:
        state = json.load(f)
    state["settings"]["variant"] = "lsgan"  # run.json says LSGAN, model.keras holds a DCGAN
    with open(os.path.join(folder, "run.json"), "w") as f:
        json.dump(state, f)
    with pytest.raises(ValueError, match="holds a DCGAN"):
        runs.train("lsgan", folder, resume=True, **RUN)
