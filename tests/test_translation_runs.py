"""Image-to-image run folders: pix2pix and cyclegan train, resume, sample, evaluate and export."""

import json
import os
import shutil

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image, ImageDraw

import kerasgan
from kerasgan import cli, runs
from kerasgan.images import read_png_metadata
from kerasgan.utils.run_lock import RunLock
from tests.image_runs import (
    assert_rows,
    assert_same_state,
    held_out,
    read_state,
    resumed_from_the_shell,
    shell_arguments,
    trained_from_the_shell,
)

PIX2PIX = dict(
    dataset="fashion_mnist_edges",
    batch_size=8,
    limit=16,
    base_filters=4,
    seed=0,
    d_learning_rate=1e-3,
    g_learning_rate=5e-4,
    precision="float32",
    verbose=0,
)
CYCLEGAN = dict(
    dataset="fashion_mnist_sneaker_sandal",
    batch_size=4,
    limit=8,
    base_filters=4,
    residual_blocks=1,
    seed=0,
    precision="float32",
    verbose=0,
)


@pytest.fixture(scope="module")
def pix2pix_run(tmp_path_factory):
    return trained_from_the_shell(tmp_path_factory, "pix2pix", PIX2PIX)


def test_pix2pix_trains_from_the_shell_into_a_run_folder(pix2pix_run, capsys):
    state = read_state(pix2pix_run)
    assert (state["epochs_completed"], state["steps_completed"]) == (1, 2)
    assert state["kerasgan_version"] == kerasgan.__version__
    assert state["settings"]["variant"] == "pix2pix" and state["settings"]["base_filters"] == 4
    model = runs.load_run_model(pix2pix_run)
    assert isinstance(model, kerasgan.Pix2Pix) and model.is_compiled
    assert (model.image_shape, model.base_filters) == ((32, 32, 1), 4)
    assert float(model.d_optimizer.learning_rate) == pytest.approx(1e-3)
    assert float(model.g_optimizer.learning_rate) == pytest.approx(5e-4)
    for name in ("log.csv", "losses.png", "samples/latest.png"):
        assert os.path.exists(os.path.join(pix2pix_run, name)), name

    # The epoch's picture: the first 8 held-out sources, the model's translations, the targets.
    picture = os.path.join(pix2pix_run, "samples", "epoch_001.png")
    sources, targets = held_out("fashion_mnist_edges", 8)
    assert_rows(Image.open(picture), [sources, model.translate(sources), targets])
    metadata = read_png_metadata(picture)
    assert (metadata["Synthetic"], metadata["Epoch"], metadata["Run"]) == ("true", "1", str(pix2pix_run))

    assert cli.main(shell_arguments("pix2pix", pix2pix_run, PIX2PIX)) == 1  # never overwritten
    assert "--resume" in capsys.readouterr().err
    with RunLock(pix2pix_run), pytest.raises(ValueError, match="Another process is training"):
        runs.train("pix2pix", pix2pix_run, resume=True, epochs=2, **PIX2PIX)
    with pytest.raises(ValueError, match="made with settings"):
        runs.train("pix2pix", pix2pix_run, resume=True, epochs=2, **dict(PIX2PIX, base_filters=8))
    assert read_state(pix2pix_run) == state


def test_pix2pix_resumes_to_the_weights_of_an_uninterrupted_run(pix2pix_run, tmp_path):
    reference = runs.train("pix2pix", str(tmp_path / "reference"), epochs=2, **PIX2PIX)
    run_dir = shutil.copytree(pix2pix_run, tmp_path / "run")
    tf.random.set_seed(None)  # a new process starts without a global seed
    resumed = runs.train("pix2pix", str(run_dir), resume=True, epochs=2, **PIX2PIX)
    assert resumed.completed_steps() == reference.completed_steps() == 4
    for slot in resumed.optimizer_slots():
        assert int(getattr(resumed, slot).iterations) == int(getattr(reference, slot).iterations) == 4
    assert_same_state(resumed, reference)
    with open(os.path.join(run_dir, "log.csv")) as f:
        assert len(f.read().strip().splitlines()) == 3  # header + 2 epochs


def test_pix2pix_sample_evaluate_and_export_from_the_shell(pix2pix_run, tmp_path, capsys):
    model = runs.load_run_model(pix2pix_run)
    sources, targets = held_out("fashion_mnist_edges", 24)

    panel = str(tmp_path / "panel.png")
    assert cli.main(["sample", str(pix2pix_run), "--n", "4", "--out", panel]) == 0
    assert_rows(Image.open(panel), [sources[:4], model.translate(sources[:4]), targets[:4]])
    assert read_png_metadata(panel)["Direction"] == "a2b"
    assert cli.main(["sample", str(pix2pix_run), "--labels", "3", "--out", panel]) == 1
    assert "takes none" in capsys.readouterr().err

    report_path = str(tmp_path / "evaluation.json")
    assert cli.main(["evaluate", str(pix2pix_run), "--n", "24", "--json", report_path]) == 0
    with open(report_path) as f:
        report = json.load(f)
    difference = model.translate(sources) - targets
    mse = np.square(difference).mean(axis=(1, 2, 3))
    assert report["scores"]["l1"] == pytest.approx(np.abs(difference).mean(), rel=1e-5)
    assert report["scores"]["psnr"] == pytest.approx(np.mean(10 * np.log10(4 / mse)), rel=1e-5)
    assert (report["split"], report["direction"], report["num_samples"]) == ("test", "a2b", 24)
    assert cli.main(["evaluate", str(pix2pix_run), "--n", "24", "--metrics", "fid"]) == 1
    assert "scored with ['l1', 'psnr']" in capsys.readouterr().err

    exported = str(tmp_path / "translator")
    assert cli.main(["export", str(pix2pix_run), "--out", exported]) == 0
    assert "(signatures serving_default)" in capsys.readouterr().out
    served = tf.saved_model.load(exported).signatures["serving_default"](images=tf.constant(sources[:3]))
    np.testing.assert_array_equal(served["images"].numpy(), model.translate(sources[:3]))
    assert cli.main(["export", str(pix2pix_run), "--out", str(tmp_path / "other"), "--direction", "b2a"]) == 1
    assert "directions ['a2b']" in capsys.readouterr().err


def test_pix2pix_translate_draws_panels_of_held_out_examples_and_of_given_files(
    pix2pix_run, tmp_path, capsys
):
    model = runs.load_run_model(pix2pix_run)
    sources, targets = held_out("fashion_mnist_edges", 3)
    panel = str(tmp_path / "translated.png")
    assert cli.main(["translate", str(pix2pix_run), "--n", "3", "--out", panel]) == 0
    assert_rows(Image.open(panel), [sources, model.translate(sources), targets])
    metadata = read_png_metadata(panel)
    assert (metadata["Synthetic"], metadata["Direction"], metadata["Dataset"]) == (
        "true",
        "a2b",
        "fashion_mnist_edges",
    )

    # A 64x64 RGB drawing of white outlines, read as the model's 32x32 grayscale source.
    drawing = Image.new("RGB", (64, 64), "black")
    ImageDraw.Draw(drawing).rectangle((16, 8, 47, 55), outline="white", width=4)
    path = str(tmp_path / "outline.png")
    drawing.save(path)
    source = runs.read_images([path], model.image_shape)
    assert source.shape == (1, 32, 32, 1)
    assert (source[0, 16, 8:10, 0] > 0.8).all() and source[0, 0, 0, 0] == source[0, 16, 16, 0] == -1.0
    assert cli.main(["translate", str(pix2pix_run), "--input", path, "--out", panel]) == 0
    assert_rows(Image.open(panel), [source, model.translate(source)])
    assert read_png_metadata(panel)["Inputs"] == path
    corrupt = tmp_path / "corrupt.png"
    corrupt.write_bytes(b"\x89PNG not really")
    for extra, message in (
        (["--direction", "b2a"], "directions ['a2b']"),
        (["--input", str(corrupt)], "cannot be read as an image"),
    ):
        assert cli.main(["translate", str(pix2pix_run), "--out", panel, *extra]) == 1
        assert message in capsys.readouterr().err


def test_image_to_image_variants_refuse_data_and_options_that_do_not_fit(tmp_path):
    run_dir = str(tmp_path / "run")
    cases = [
        ("pix2pix", dict(dataset="fashion_mnist_sneaker_sandal"), "is unpaired"),
        ("cyclegan", dict(dataset="fashion_mnist"), "yields single images"),
        ("dcgan", dict(dataset="fashion_mnist_edges"), "generates images from latents"),
        ("pix2pix", dict(dataset="fashion_mnist_edges", latent_dim=8), "has no latent vector"),
        (
            "pix2pix",
            dict(dataset="fashion_mnist_edges", residual_blocks=2),
            "variants that take it are \\['cyclegan', 'srgan'\\]",
        ),
        (
            "dcgan",
            dict(base_filters=8),
            "variants that take it are "
            "\\['cyclegan', 'inpainting', 'pix2pix', 'projection_gan', 'r3gan', 'sngan', 'srgan'\\]",
        ),
    ]
    for variant, options, message in cases:
        with pytest.raises(ValueError, match=message):
            runs.train(variant, run_dir, epochs=1, limit=16, batch_size=8, verbose=0, **options)
    assert not os.path.exists(run_dir)


@pytest.fixture(scope="module")
def cyclegan_run(tmp_path_factory):
    return trained_from_the_shell(tmp_path_factory, "cyclegan", CYCLEGAN)


@pytest.mark.slow  # CycleGAN's four networks take 20-40 s to compile here
def test_cyclegan_trains_samples_and_exports_from_the_shell(cyclegan_run, tmp_path, capsys):
    model = runs.load_run_model(cyclegan_run)
    assert isinstance(model, kerasgan.CycleGAN) and model.num_residual_blocks == 1
    assert read_state(cyclegan_run)["settings"]["residual_blocks"] == 1
    sneakers, sandals = held_out("fashion_mnist_sneaker_sandal", 8)
    assert_rows(
        Image.open(os.path.join(cyclegan_run, "samples", "epoch_001.png")),
        [sneakers, model.translate(sneakers)],
    )

    panel = str(tmp_path / "b2a.png")
    assert cli.main(["sample", str(cyclegan_run), "--n", "4", "--out", panel, "--direction", "b2a"]) == 0
    assert_rows(Image.open(panel), [sandals[:4], model.translate(sandals[:4], direction="b2a")])
    assert cli.main(["evaluate", str(cyclegan_run), "--n", "8"]) == 1
    assert "is unpaired: no translation has a target" in capsys.readouterr().err

    exported = str(tmp_path / "b2a")
    assert cli.main(["export", str(cyclegan_run), "--out", exported, "--direction", "b2a"]) == 0
    served = tf.saved_model.load(exported).signatures["serving_default"](images=tf.constant(sandals[:2]))
    np.testing.assert_array_equal(served["images"].numpy(), model.translate(sandals[:2], direction="b2a"))


@pytest.mark.slow  # three CycleGAN compilations
def test_cyclegan_resumes_from_the_shell_to_the_weights_of_an_uninterrupted_run(cyclegan_run, tmp_path):
    resumed, reference = resumed_from_the_shell("cyclegan", cyclegan_run, CYCLEGAN, tmp_path)
    run_dir = tmp_path / "run"
    assert read_state(run_dir)["steps_completed"] == resumed.completed_steps() == 4
    assert_same_state(resumed, reference)
    for pool, expected in zip(resumed.pools, reference.pools):
        np.testing.assert_array_equal(pool.images.numpy(), expected.images.numpy())
    assert cli.main(shell_arguments("cyclegan", run_dir, CYCLEGAN) + ["--overwrite"]) == 0
    assert read_state(run_dir)["steps_completed"] == 2
