"""The command line trains a tiny real run end to end, resumes it and samples."""

import json
import os

import pytest

from kerasgan import cli
from kerasgan.images import read_png_metadata
from tests.gan_test_case import tiny_train_arguments


def test_train_resume_and_sample(tmp_path, capsys):
    run = str(tmp_path / "run")
    args = tiny_train_arguments(run, limit=128, batch_size=64, seed=0)
    assert cli.main(args) == 0
    for name in ("model.keras", "run.json", "log.csv", "losses.png", "samples/epoch_001.png"):
        assert os.path.exists(os.path.join(run, name)), name
    assert "Synthetic" in read_png_metadata(os.path.join(run, "samples/epoch_001.png"))

    assert cli.main(args) == 1  # an existing run is never overwritten
    assert "--resume" in capsys.readouterr().err

    resumed = [a if a != "1" else "2" for a in args] + ["--resume"]
    assert cli.main(resumed) == 0
    with open(os.path.join(run, "run.json")) as f:
        assert json.load(f)["epochs_completed"] == 2
    with open(os.path.join(run, "log.csv")) as f:
        assert len(f.read().strip().splitlines()) == 3  # header + 2 epochs

    grid = str(tmp_path / "grid.png")
    assert cli.main(["sample", run, "--n", "16", "--out", grid]) == 0
    assert read_png_metadata(grid)["Run"] == run


def test_unknown_dataset_is_reported(tmp_path, capsys):
    assert cli.main(["train", "dcgan", "--dataset", "imagenett", "--out", str(tmp_path)]) == 1
    assert "imagenett" in capsys.readouterr().err


def test_sample_from_missing_run(tmp_path, capsys):
    assert cli.main(["sample", str(tmp_path / "nothing")]) == 1
    assert "Train first" in capsys.readouterr().err


def test_corrupt_model_file_is_reported(tmp_path, capsys):
    run = tmp_path / "run"
    run.mkdir()
    (run / "run.json").write_text(json.dumps({"epochs_completed": 1, "settings": {}}))
    (run / "model.keras").write_bytes(b"not a keras file")
    assert cli.main(["sample", str(run)]) == 1
    assert "corrupt" in capsys.readouterr().err


def test_unknown_variant_is_refused_by_the_parser():
    with pytest.raises(SystemExit):
        cli.main(["train", "stylegan9", "--out", "x"])


def test_panel_commands_refuse_a_latent_run_and_name_the_runs_they_take(tmp_path, capsys):
    run = str(tmp_path / "run")
    assert cli.main(tiny_train_arguments(run, limit=64, batch_size=32, seed=0)) == 0
    capsys.readouterr()
    out = str(tmp_path / "panel.png")
    expected = {
        "translate": "needs a run of cyclegan, inpainting, pix2pix, srgan; the run in",
        "upscale": "needs a run of srgan; the run in",
        "inpaint": "needs a run of inpainting; the run in",
    }
    for command, message in expected.items():
        assert cli.main([command, run, "--out", out]) == 1
        error = capsys.readouterr().err
        assert f"kerasgan {command}: error: " in error and message in error
        assert "is a 'dcgan' run (DCGAN). Draw its samples with `kerasgan sample`." in error
    assert not os.path.exists(out)
    assert cli.main(["upscale", str(tmp_path / "nothing"), "--out", out]) == 1
    assert "Train first" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["translate", run])  # --out is required
