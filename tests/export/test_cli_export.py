"""`kerasgan export RUN --out PATH [--format FORMAT] [--tflite FILE]` exports a real training run.

The run trains in float32 and in mixed_bfloat16 whatever the host (the
`auto` precision picks bfloat16 on CPUs with bfloat16 units only), so both
paths are tested everywhere.
"""

import numpy as np
import pytest
import tensorflow as tf

from kerasgan import cli, runs
from kerasgan.export import read_export_metadata
from kerasgan.export.float32 import float32_copy

TINY_RUN = dict(epochs=1, batch_size=32, latent_dim=8, limit=64, seed=0, verbose=0)


def _tiny_run(tmp_path_factory, precision):
    """A one-epoch GAN run on 64 Fashion-MNIST images."""
    run = str(tmp_path_factory.mktemp("export_cli") / "run")
    runs.train("gan", run, precision=precision, **TINY_RUN)
    return run


@pytest.fixture(scope="module", params=["float32", "mixed_bfloat16"])
def run_dir(request, tmp_path_factory):
    return _tiny_run(tmp_path_factory, request.param)


@pytest.fixture(scope="module")
def float32_run_dir(tmp_path_factory):
    return _tiny_run(tmp_path_factory, "float32")


def _runs_in_the_standard_interpreter(path, gan):
    latents = np.random.default_rng(0).normal(size=(3, 8)).astype("float32")
    runner = tf.lite.Interpreter(model_path=path).get_signature_runner()
    expected = float32_copy(gan.generator)(latents, training=False).numpy()
    np.testing.assert_allclose(runner(latents=latents)["images"], expected, rtol=0, atol=1e-5)


def test_format_litert_writes_the_file_at_out(run_dir, tmp_path, capsys):
    out = str(tmp_path / "generator.tflite")
    assert cli.main(["export", run_dir, "--format", "litert", "--out", out]) == 0
    assert f"Wrote LiteRT file {out}" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generator.tflite"]
    _runs_in_the_standard_interpreter(out, runs.load_run_model(run_dir))


def test_format_and_tflite_together_and_unknown_formats_are_refused(float32_run_dir, tmp_path, capsys):
    out = str(tmp_path / "a.tflite")
    assert cli.main(["export", float32_run_dir, "--format", "litert", "--out", out, "--tflite", out]) == 1
    assert "Drop --tflite" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["export", float32_run_dir, "--format", "tflite", "--out", out])
    assert not list(tmp_path.iterdir())


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

    _runs_in_the_standard_interpreter(tflite, gan)


def test_taken_targets_are_refused_before_anything_is_written(float32_run_dir, tmp_path, capsys):
    run_dir = float32_run_dir
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
