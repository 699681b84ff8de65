"""Restoration run folders: srgan and inpainting train, resume, sample, evaluate and draw panels."""

import json
import os

import keras
import numpy as np
import pytest
from PIL import Image

import kerasgan
from kerasgan import cli, runs
from kerasgan.images import read_png_metadata
from tests.image_runs import (
    assert_rows,
    assert_same_state,
    held_out,
    read_state,
    resumed_from_the_shell,
    shell_arguments,
    trained_from_the_shell,
)

SIDE = 28
SRGAN = dict(
    dataset="fashion_mnist_sr2",
    batch_size=16,
    limit=64,
    base_filters=4,
    residual_blocks=1,
    warmup_steps=6,  # 4 steps an epoch: the resumed second epoch crosses from the warm-up to the GAN
    seed=0,
    precision="float32",
    verbose=0,
)
INPAINTING = dict(
    dataset="fashion_mnist",
    batch_size=16,
    limit=64,
    base_filters=4,
    mask="rectangles",
    seed=0,
    precision="float32",
    verbose=0,
)


def enlarged(low_res, scale):
    """Nearest-neighbour enlargement: every pixel becomes a `scale` x `scale` block."""
    return low_res.repeat(scale, axis=1).repeat(scale, axis=2)


def grey_holes(images, masks):
    return np.where(masks > 0.5, 0.0, images)


def write_png(path, pixels):
    """Writes uint8 pixels `(H, W)` or `(H, W, 3)` with Pillow, as a user's own file."""
    Image.fromarray(np.asarray(pixels, np.uint8)).save(path)
    return str(path)


def as_uint8(images):
    return np.round((images[..., 0] + 1.0) * 127.5).astype(np.uint8)


@pytest.fixture(scope="module")
def srgan_run(tmp_path_factory):
    return trained_from_the_shell(tmp_path_factory, "srgan", SRGAN)


@pytest.fixture(scope="module")
def inpainting_run(tmp_path_factory):
    return trained_from_the_shell(tmp_path_factory, "inpainting", INPAINTING)


def test_srgan_trains_from_the_shell_into_a_run_folder(srgan_run, capsys):
    state = read_state(srgan_run)
    assert (state["epochs_completed"], state["steps_completed"]) == (1, 4)
    assert (state["settings"]["warmup_steps"], state["settings"]["residual_blocks"]) == (6, 1)
    model = runs.load_run_model(srgan_run)
    assert isinstance(model, kerasgan.SRGAN) and model.is_compiled
    assert (model.scale, model.image_shape, model.low_res_shape) == (2, (28, 28, 1), (14, 14, 1))
    assert (model.warmup_steps, model.num_residual_blocks, model.base_filters) == (6, 1, 4)
    # Grayscale data: the offline Fashion-MNIST features, not VGG19's ImageNet ones.
    assert model.perceptual_loss.network.name.startswith("fashion_mnist")
    assert int(model.g_optimizer.iterations) == 4 and int(model.d_optimizer.iterations) == 0  # all warm-up

    # The epoch's picture: low-res inputs enlarged to 28x28, the upscaled images, the originals.
    picture = os.path.join(srgan_run, "samples", "epoch_001.png")
    low_res, high_res = held_out("fashion_mnist_sr2", 8)
    assert_rows(Image.open(picture), [enlarged(low_res, 2), model.upscale(low_res), high_res], side=SIDE)
    assert read_png_metadata(picture)["Synthetic"] == "true"

    # --warmup-steps is part of the run: resuming without it, or with another count, is refused.
    for changed in ({k: v for k, v in SRGAN.items() if k != "warmup_steps"}, dict(SRGAN, warmup_steps=2)):
        arguments = shell_arguments("srgan", srgan_run, changed, epochs=2) + ["--resume"]
        assert cli.main(arguments) == 1
        assert "made with settings" in capsys.readouterr().err
    assert read_state(srgan_run) == state


@pytest.mark.slow  # three SRGAN compilations with the perceptual network, about 2 minutes here
def test_srgan_resumes_across_the_warm_up_to_the_weights_of_an_uninterrupted_run(srgan_run, tmp_path):
    resumed, reference = resumed_from_the_shell("srgan", srgan_run, SRGAN, tmp_path)
    run_dir = tmp_path / "run"
    assert read_state(run_dir)["steps_completed"] == resumed.completed_steps() == 8
    for model in (resumed, reference):  # 6 warm-up steps, then 2 of the GAN
        assert (int(model.g_optimizer.iterations), int(model.d_optimizer.iterations)) == (8, 2)
    assert_same_state(resumed, reference)


def test_srgan_sample_evaluate_and_upscale_from_the_shell(srgan_run, inpainting_run, tmp_path, capsys):
    model = runs.load_run_model(srgan_run)
    low_res, high_res = held_out("fashion_mnist_sr2", 24)

    panel = str(tmp_path / "sample.png")
    assert cli.main(["sample", str(srgan_run), "--n", "4", "--out", panel]) == 0
    assert_rows(Image.open(panel), [enlarged(low_res[:4], 2), model.upscale(low_res[:4]), high_res[:4]], SIDE)

    report_path = str(tmp_path / "evaluation.json")
    assert cli.main(["evaluate", str(srgan_run), "--n", "24", "--json", report_path]) == 0
    with open(report_path) as f:
        report = json.load(f)
    difference = model.upscale(low_res) - high_res
    mse = np.square(difference).mean(axis=(1, 2, 3))
    assert (report["split"], report["num_samples"], sorted(report["scores"])) == ("test", 24, ["l1", "psnr"])
    assert all(np.isfinite(value) for value in report["scores"].values())
    assert report["scores"]["l1"] == pytest.approx(np.abs(difference).mean(), rel=1e-5)
    assert report["scores"]["psnr"] == pytest.approx(np.mean(10 * np.log10(4 / mse)), rel=1e-5)

    # upscale without --input: the held-out panel, with the synthetic-image metadata.
    upscaled = str(tmp_path / "upscaled.png")
    assert cli.main(["upscale", str(srgan_run), "--n", "3", "--out", upscaled]) == 0
    assert_rows(
        Image.open(upscaled), [enlarged(low_res[:3], 2), model.upscale(low_res[:3]), high_res[:3]], SIDE
    )
    metadata = read_png_metadata(upscaled)
    assert (metadata["Synthetic"], metadata["Scale"], metadata["Dataset"]) == (
        "true",
        "2",
        "fashion_mnist_sr2",
    )

    # upscale --input: the user's files, read at the model's 14x14 input (one RGB, one grayscale).
    gray = write_png(tmp_path / "gray.png", as_uint8(low_res[0]))
    rgb = write_png(tmp_path / "rgb.png", np.repeat(as_uint8(low_res[1])[..., None], 3, axis=-1))
    read = runs.read_images([gray, rgb], model.low_res_shape)
    np.testing.assert_allclose(read, low_res[:2], atol=1 / 127.5)  # no resize: the pixels, rounded
    assert cli.main(["upscale", str(srgan_run), "--input", gray, rgb, "--out", upscaled]) == 0
    assert_rows(Image.open(upscaled), [enlarged(read, 2), model.upscale(read)], SIDE)
    assert read_png_metadata(upscaled)["Inputs"] == f"{gray}, {rgb}"

    refusals = [
        (["upscale", str(inpainting_run), "--out", upscaled], "needs a run of srgan; the run in"),
        (["inpaint", str(srgan_run), "--out", upscaled], "needs a run of inpainting; the run in"),
        (["upscale", str(srgan_run), "--input", gray, "--n", "2", "--out", upscaled], "Drop one of them"),
        (
            ["upscale", str(srgan_run), "--input", str(tmp_path / "none.png"), "--out", upscaled],
            "does not exist",
        ),
        (["upscale", str(srgan_run), "--out", str(tmp_path / "panel.jpg")], "ending in '.png'"),
    ]
    for arguments, message in refusals:
        assert cli.main(arguments) == 1, arguments
        assert message in capsys.readouterr().err


def test_inpainting_trains_from_the_shell_with_its_own_masks(inpainting_run, capsys):
    state = read_state(inpainting_run)
    assert (state["epochs_completed"], state["steps_completed"], state["settings"]["mask"]) == (
        1,
        4,
        "rectangles",
    )
    model = runs.load_run_model(inpainting_run)
    assert isinstance(model, kerasgan.InpaintingGAN) and model.image_shape == (28, 28, 1)
    assert isinstance(model.mask_sampler, kerasgan.models.RectangleMask)

    # The epoch's picture: held-out images with the sampler's seed-0 holes grey, completions, originals.
    (images,) = held_out("fashion_mnist", 8)
    masks = keras.ops.convert_to_numpy(model.mask_sampler(8, (28, 28), seed=0))
    assert 0 < masks.sum() < masks.size
    completed = model.inpaint(images, masks)
    np.testing.assert_array_equal(completed[masks[..., 0] == 0], images[masks[..., 0] == 0])
    picture = os.path.join(inpainting_run, "samples", "epoch_001.png")
    assert_rows(Image.open(picture), [grey_holes(images, masks), completed, images], side=SIDE)

    for changed in ({k: v for k, v in INPAINTING.items() if k != "mask"}, dict(INPAINTING, mask="strokes")):
        assert cli.main(shell_arguments("inpainting", inpainting_run, changed, epochs=2) + ["--resume"]) == 1
        assert "made with settings" in capsys.readouterr().err
    assert read_state(inpainting_run) == state


@pytest.mark.slow  # three InpaintingGAN compilations, about a minute here
def test_inpainting_resumes_to_the_weights_of_an_uninterrupted_run(inpainting_run, tmp_path):
    resumed, reference = resumed_from_the_shell("inpainting", inpainting_run, INPAINTING, tmp_path)
    run_dir = tmp_path / "run"
    assert read_state(run_dir)["steps_completed"] == resumed.completed_steps() == 8
    assert_same_state(resumed, reference)  # the seed generator's state, so the masks, included
    assert cli.main(shell_arguments("inpainting", run_dir, INPAINTING) + ["--overwrite"]) == 0
    assert read_state(run_dir)["steps_completed"] == 4


def test_inpainting_sample_evaluate_and_inpaint_from_the_shell(inpainting_run, tmp_path, capsys):
    model = runs.load_run_model(inpainting_run)
    (images,) = held_out("fashion_mnist", 24)

    panel = str(tmp_path / "sample.png")
    assert cli.main(["sample", str(inpainting_run), "--n", "4", "--seed", "3", "--out", panel]) == 0
    masks = keras.ops.convert_to_numpy(model.mask_sampler(4, (28, 28), seed=3))
    expected = [grey_holes(images[:4], masks), model.inpaint(images[:4], masks), images[:4]]
    assert_rows(Image.open(panel), expected, side=SIDE)

    # evaluate scores the missing pixels of the seed-0 holes only.
    report_path = str(tmp_path / "evaluation.json")
    assert cli.main(["evaluate", str(inpainting_run), "--n", "24", "--json", report_path]) == 0
    with open(report_path) as f:
        report = json.load(f)
    masks = keras.ops.convert_to_numpy(model.mask_sampler(24, (28, 28), seed=0))
    error = model.inpaint(images, masks) - images
    missing = masks.sum(axis=(1, 2, 3))
    l1 = np.abs(error).sum(axis=(1, 2, 3)) / missing
    psnr = 10 * np.log10(4 / (np.square(error).sum(axis=(1, 2, 3)) / missing))
    assert (report["dataset"], report["split"], report["seed"]) == ("fashion_mnist", "test", 0)
    assert all(np.isfinite(value) for value in report["scores"].values())
    assert report["scores"]["l1"] == pytest.approx(l1.mean(), rel=1e-5)
    assert report["scores"]["psnr"] == pytest.approx(psnr.mean(), rel=1e-5)
    assert report["scores"]["l1"] > np.abs(error).mean()  # the known pixels (error 0) are not counted

    # inpaint without --mask: a centre hole of half each side.
    completed_panel = str(tmp_path / "completed.png")
    assert cli.main(["inpaint", str(inpainting_run), "--n", "3", "--out", completed_panel]) == 0
    centre = np.zeros((3, 28, 28, 1), "float32")
    centre[:, 7:21, 7:21] = 1.0
    expected = [grey_holes(images[:3], centre), model.inpaint(images[:3], centre), images[:3]]
    assert_rows(Image.open(completed_panel), expected, side=SIDE)
    metadata = read_png_metadata(completed_panel)
    assert (metadata["Synthetic"], metadata["Masks"], metadata["Model"][:13]) == (
        "true",
        "centre",
        "InpaintingGAN",
    )

    # inpaint --input --mask: the user's images and a 56x56 mask (white = missing), resized to 28x28.
    inputs = [write_png(tmp_path / f"garment{i}.png", as_uint8(images[i])) for i in range(3)]
    mask = np.zeros((56, 56), np.uint8)
    mask[:, :28] = 255  # the left half is missing
    mask_path = write_png(tmp_path / "mask.png", mask)
    command = ["inpaint", str(inpainting_run), "--input", *inputs, "--out", completed_panel]
    assert cli.main(command + ["--mask", mask_path]) == 0
    given = runs.read_images(inputs, model.image_shape)
    left = np.zeros((3, 28, 28, 1), "float32")
    left[:, :, :14] = 1.0
    assert_rows(
        Image.open(completed_panel), [grey_holes(given, left), model.inpaint(given, left), given], SIDE
    )

    grey_mask, corrupt = mask.copy(), tmp_path / "corrupt.png"
    grey_mask[0, 0] = 128
    corrupt.write_bytes(b"not a png file")
    refusals = [
        (["--mask", write_png(tmp_path / "grey.png", grey_mask)], "other grey levels (128 to 128)"),
        (["--mask", mask_path, mask_path], "received 2 masks (--mask) for 3 images"),
        (["--mask", str(corrupt)], "cannot be read as an image"),
        (["--mask", str(tmp_path / "missing.png")], "does not exist"),
    ]
    for extra, message in refusals:
        assert cli.main(command + extra) == 1, extra
        assert message in capsys.readouterr().err


def test_restoration_variants_refuse_data_and_options_that_do_not_fit(tmp_path, capsys):
    run_dir = str(tmp_path / "run")
    tiny = dict(epochs=1, limit=16, batch_size=8, verbose=0)
    cases = [
        (
            "srgan",
            dict(dataset="fashion_mnist_edges"),
            "not a super-resolution set.*learns from: \\['fashion_mnist_sr2', 'fashion_mnist_sr4', "
            "'div2k_x2', 'div2k_x4'\\]",
        ),
        (
            "pix2pix",
            dict(dataset="fashion_mnist_sr2"),
            "sources of \\(14, 14, 1\\) with targets of \\(28, 28, 1\\).*\\['fashion_mnist_edges', "
            "'fashion_mnist_masked'\\]. Image-to-image variants that learn from 'fashion_mnist_sr2': "
            "\\['srgan'\\]",
        ),
        (
            "cyclegan",
            dict(dataset="fashion_mnist_sr4"),
            "Image-to-image variants that learn from .*\\['srgan'\\]",
        ),
        (
            "inpainting",
            dict(dataset="fashion_mnist_masked"),
            "draws its own masks.*\\['mnist', 'fashion_mnist', 'cifar10', 'celeb_a', "
            "'stacked_fashion_mnist'\\]",
        ),
        (
            "pix2pix",
            dict(dataset="fashion_mnist_edges", warmup_steps=5),
            "variants that take it are \\['srgan'\\]",
        ),
        (
            "srgan",
            dict(dataset="fashion_mnist_sr2", mask="centre"),
            "variants that take it are \\['inpainting'\\]",
        ),
        ("srgan", dict(dataset="fashion_mnist_sr2", warmup_steps=-1), "warmup_steps must be an integer >= 0"),
        ("inpainting", dict(mask="squares"), "Unknown mask 'squares' \\(--mask\\)"),
    ]
    for variant, options, message in cases:
        with pytest.raises(ValueError, match=message):
            runs.train(variant, run_dir, **tiny, **options)
    assert not os.path.exists(run_dir)
    for flags in (["--warmup-steps", "-1"], ["--mask", "squares"]):
        with pytest.raises(SystemExit):
            cli.main(["train", "srgan", "--out", run_dir, *flags])
    assert "--warmup-steps: must be an integer >= 0" in capsys.readouterr().err
