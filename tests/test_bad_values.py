"""Zero or negative counts are refused with the name the user typed, never replaced."""

import pytest

import kerasgan
from kerasgan import runs
from kerasgan.cli import main
from tests.gan_test_case import tiny_train_arguments


@pytest.mark.parametrize(
    "arguments, flag",
    [
        (["train", "dcgan", "--out", "x", "--epochs", "0"], "--epochs"),
        (["train", "dcgan", "--out", "x", "--epochs", "-3"], "--epochs"),
        (["train", "dcgan", "--out", "x", "--batch-size", "0"], "--batch-size"),
        (["train", "dcgan", "--out", "x", "--latent-dim", "0"], "--latent-dim"),
        (["evaluate", "runs/x", "--n", "0"], "--n"),
        (["sample", "runs/x", "--n", "-1"], "--n"),
    ],
)
def test_cli_names_the_flag_of_a_bad_count(arguments, flag, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(arguments)
    assert exit_info.value.code == 2
    assert f"argument {flag}" in capsys.readouterr().err
    assert not (tmp_path / "x").exists(), "nothing is written for a refused command"


def test_python_api_refuses_zero_counts(tmp_path):
    with pytest.raises(ValueError, match="epochs"):
        runs.train("dcgan", str(tmp_path / "run"), epochs=0, limit=64, batch_size=32)
    assert not (tmp_path / "run").exists()
    gan = kerasgan.DCGAN(latent_dim=4)
    with pytest.raises(ValueError, match="batch_size"):
        gan.generate(3, batch_size=0)
    with pytest.raises(ValueError, match="num_samples"):
        gan.generate(0)


def test_os_errors_end_the_cli_with_one_line_naming_the_path(tmp_path, capsys):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the run folder should go")
    status = main(tiny_train_arguments(blocker / "run"))
    error = capsys.readouterr().err.strip().splitlines()
    assert status == 1
    assert len(error) == 1 and "Traceback" not in error[0]
    assert str(blocker) in error[0] and "Not a directory" in error[0]
