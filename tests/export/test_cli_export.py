"""`kerasgan export RUN --out DIR [--tflite FILE]` exports a real training run."""

import numpy as np
import pytest
import tensorflow as tf

from kerasgan import cli, runs
from kerasgan.export import read_export_metadata


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """A one-epoch GAN run on 64 Fashion-MNIST images."""
    run = str(tmp_path_factory.mktemp("export_cli") / "run")
    runs.train("gan", run, epochs=1, batch_size=32, latent_dim=8, limit=64, seed=0, verbose=0)
    return run


def test_exports_saved_model_and_tflite(run_dir, tmp_path, capsys):
    out, tflite = str(tmp_path / "saved_model"), str(tmp_path / "generator.tflite")
    assert cli.main(["export", run_dir, "--out", out, "--tflite", tflite]) == 0
    printed = capsys.readouterr().out
    assert out in printed and tflite in printed

    gan = runs.load_run_model(run_dir)
    assert read_export_metadata(out)["model_class"] == "GAN"
    sample = tf.saved_model.load(out).signatures["sample"]
    served = sample(n=tf.constant(4), seed=tf.constant(0, tf.int64))["images"]
    np.testing.assert_array_equal(served, gan.generate(4, seed=0))

    latents = np.random.default_rng(0).normal(size=(3, 8)).astype("float32")
    runner = tf.lite.Interpreter(model_path=tflite).get_signature_runner()
    np.testing.assert_allclose(
        runner(latents=latents)["images"], gan.generator(latents).numpy(), rtol=0, atol=1e-5
    )


def test_taken_targets_are_refused_before_anything_is_written(run_dir, tmp_path, capsys):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "model.txt").write_text("keep")
    assert cli.main(["export", run_dir, "--out", str(taken)]) == 1
    assert "already exists" in capsys.readouterr().err

    existing_tflite = tmp_path / "old.tflite"
    existing_tflite.write_bytes(b"keep")
    fresh = tmp_path / "fresh"
    assert cli.main(["export", run_dir, "--out", str(fresh), "--tflite", str(existing_tflite)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert not fresh.exists()
    assert existing_tflite.read_bytes() == b"keep"


def test_missing_run_is_reported(tmp_path, capsys):
    assert cli.main(["export", str(tmp_path / "nothing"), "--out", str(tmp_path / "out")]) == 1
    assert "Train first" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_out_is_required():
    with pytest.raises(SystemExit):
        cli.main(["export", "runs/dcgan"])
