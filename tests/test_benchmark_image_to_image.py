"""The image-to-image benchmarks keep running: their scores and baselines, and a tiny run of each script.

The scores and baselines of `benchmarks/restoration_common.py` and
`benchmarks/inpainting_quality.py` are checked on images whose answer is
known. Each script's `main` then runs once at a budget of a few steps and a
few dozen images and must write a JSON with its command and finite figures;
those runs trace whole GANs, a minute or more each on 2 shared cores, so they
are marked slow (`python -m pytest -m slow tests/test_benchmark_image_to_image.py`).
"""

import json
import math
import os
import sys

import numpy as np
import pytest

BENCHMARKS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "benchmarks")
SCRIPTS = ("restoration_common", "srgan_quality", "inpainting_quality", "pix2pix_quality")
SCRIPTS += ("cyclegan_quality", "image_to_image_speed")


@pytest.fixture(scope="module")
def scripts():
    """The benchmark modules, imported from `benchmarks/`: `{name: module}`."""
    import importlib

    sys.path.insert(0, BENCHMARKS)
    try:
        yield {name: importlib.import_module(name) for name in SCRIPTS}
    finally:
        sys.path.remove(BENCHMARKS)


def _finite_numbers(tree):
    """Every int and float in a nested JSON value (bools left out)."""
    if isinstance(tree, dict):
        return [x for value in tree.values() for x in _finite_numbers(value)]
    if isinstance(tree, list):
        return [x for value in tree for x in _finite_numbers(value)]
    return [tree] if isinstance(tree, (int, float)) and not isinstance(tree, bool) else []


# ------------------------------------------------------------------ scores and baselines (fast)


def test_psnr_is_that_of_the_mean_squared_error_in_the_mask_only(scripts):
    common = scripts["restoration_common"]
    references = np.zeros((2, 8, 8, 1), "float32")
    images = references + 0.2  # MSE 0.04 everywhere: 10 log10(4 / 0.04) = 20 dB
    assert common.psnr(images, references) == pytest.approx(20.0)
    masks = np.zeros((2, 8, 8, 1), "float32")
    masks[:, 2:4, 2:4] = 1.0
    images[:, 2:4, 2:4] = 0.02  # MSE 4e-4 inside the mask: 40 dB there
    assert common.psnr(images, references, masks) == pytest.approx(40.0)
    assert common.psnr(images, references) < 21.0


def test_ssim_is_one_for_identical_images_and_falls_with_noise(scripts):
    common = scripts["restoration_common"]
    images = np.random.default_rng(0).uniform(-1, 1, (3, 28, 28, 1)).astype("float32")
    noisy = np.clip(images + np.random.default_rng(1).normal(0, 0.3, images.shape), -1, 1).astype("float32")
    assert common.ssim(images, images) == pytest.approx(1.0, abs=1e-5)
    assert common.ssim(noisy, images) < 0.95


def test_fid_and_classifier_share_read_the_garment_of_a_padded_image(scripts, fashion_mnist_sample):
    common = scripts["restoration_common"]
    images, labels = fashion_mnist_sample
    padded = np.pad(images, ((0, 0), (2, 2), (2, 2), (0, 0)), constant_values=-1.0)
    assert np.array_equal(common.centre_crop(padded), images)
    sneakers = images[labels == common.SNEAKER]
    assert (
        common.share_of_class(np.pad(sneakers, ((0, 0), (2, 2), (2, 2), (0, 0)), constant_values=-1.0), 7)
        > 0.8
    )
    assert common.fid(padded[:64], images[:64]) == pytest.approx(0.0, abs=1e-3)
    assert common.fid(images[:64], images[64:128]) > 1.0


def test_the_benchmark_hole_is_the_one_inpainting_gan_trains_on(scripts):
    from kerasgan.models.masks import CentreMask

    masks = scripts["inpainting_quality"].centre_masks(3)
    expected = CentreMask().sample(3, (28, 28), lambda count: None)
    assert np.array_equal(masks, np.asarray(expected)) and masks.sum() == 3 * 14 * 14


def test_the_fill_baselines_keep_known_pixels_and_fill_the_hole(scripts):
    inpainting = scripts["inpainting_quality"]
    rows, cols = np.meshgrid(np.arange(28), np.arange(28), indexing="ij")
    ramp = ((rows + 2 * cols) / 81.0 - 1.0)[None, :, :, None].astype("float32")  # linear, so harmonic
    masks = inpainting.centre_masks(1)
    filled = inpainting.diffusion_fill(np.where(masks > 0.5, 0.0, ramp), masks, iterations=1000)
    np.testing.assert_allclose(filled, ramp, atol=1e-3)  # the harmonic fill of a plane is the plane
    assert np.array_equal(filled[masks < 0.5], ramp[masks < 0.5])
    mean_image = np.full((28, 28, 1), 0.25, "float32")
    by_mean = inpainting.mean_fill(ramp, masks, mean_image)
    assert np.all(by_mean[masks > 0.5] == 0.25) and np.array_equal(by_mean[masks < 0.5], ramp[masks < 0.5])


def test_unpaired_batches_shuffle_each_domain_on_its_own(scripts):
    common = scripts["restoration_common"]
    values = np.arange(64, dtype="float32")
    paired = next(iter(common.training_dataset((values, values), 16, seed=0)))
    unpaired = next(iter(common.training_dataset((values, values), 16, seed=0, unpaired=True)))
    assert np.array_equal(paired[0], paired[1])
    assert not np.array_equal(unpaired[0], unpaired[1])
    assert not np.array_equal(paired[0], np.arange(16))  # shuffled at all


def test_a_speed_ratio_is_the_median_of_per_round_ratios_to_the_dcgan(scripts):
    speed = scripts["image_to_image_speed"]
    pairs = [(50.0, 100.0), (100.0, 100.0), (300.0, 200.0)]  # (row, dcgan) images/s per round
    rounds = [{"pix2pix": {"images_per_second": a}, "dcgan": {"images_per_second": b}} for a, b in pairs]
    figures = speed.summary(rounds, "pix2pix")
    assert figures["ratio"] == 1.0 and figures["ratio_spread"] == [0.5, 1.5]  # median(ratios), not 100 / 100
    assert figures["images_per_second"] == 100.0 and figures["dcgan_images_per_second"] == 100.0


def test_the_before_after_panel_is_the_models_translation_panel_with_the_synthetic_labels(scripts, tmp_path):
    from PIL import Image

    import kerasgan
    from kerasgan.callbacks.sample_grid import translation_panel
    from kerasgan.images import read_png_metadata

    common = scripts["restoration_common"]
    model = kerasgan.InpaintingGAN(image_shape=(28, 28, 1), base_filters=4, seed=0)
    images = np.random.default_rng(0).uniform(-1, 1, (10, 28, 28, 1)).astype("float32")
    masks = scripts["inpainting_quality"].centre_masks(10)
    assert common.write_panel(None, model, {"images": images, "masks": masks}, images) is None
    path = common.write_panel(str(tmp_path / "panel.png"), model, {"images": images, "masks": masks}, images)
    expected = translation_panel(model, {"images": images[:8], "masks": masks[:8]}, targets=images[:8])
    np.testing.assert_array_equal(np.asarray(Image.open(path)), expected[..., 0])  # 3 rows of the first 8
    metadata = read_png_metadata(path)
    assert metadata["Synthetic"] == "true" and metadata["Model"].startswith("InpaintingGAN")
    assert "Command" in metadata


def test_bad_budgets_are_refused(scripts):
    for name in ("srgan_quality", "inpainting_quality", "pix2pix_quality", "cyclegan_quality"):
        with pytest.raises(SystemExit):
            scripts[name].parse_args(["--steps" if name != "srgan_quality" else "--gan-steps", "0"])
    with pytest.raises(SystemExit):
        scripts["image_to_image_speed"].parse_args(["--rows", "no_such_model"])


# ------------------------------------------------------------------ one tiny run of each script (slow)

TINY = ["--batch-size", "8", "--train-limit", "32", "--test-limit", "16"]


def _run(module, arguments, tmp_path):
    out = str(tmp_path / "result.json")
    module.main(arguments + ["--out", out])
    with open(out) as file:
        report = json.load(file)
    assert report["command"].startswith("python") and report["machine"]["cpu_count"] >= 1
    numbers = _finite_numbers(report)
    assert numbers and all(math.isfinite(x) for x in numbers)
    return report


@pytest.mark.slow
def test_srgan_quality_scores_every_arm(scripts, tmp_path):
    report = _run(
        scripts["srgan_quality"],
        ["--scales", "2", "--warmup-steps", "2", "--gan-steps", "2"] + TINY,
        tmp_path,
    )
    scale = report["scales"]["x2"]
    assert set(scale["arms"]) == set(scripts["srgan_quality"].ARMS)
    for figures in scale["arms"].values():
        assert set(figures) == {"psnr", "ssim", "fid"}
    assert scale["training"]["gan"]["last_logs"]["d_loss"] > 0  # the critic ran after the warm-up
    assert scale["training"]["pixel_only_same_steps"]["last_logs"]["d_loss"] == 0  # the control did not


@pytest.mark.slow
def test_inpainting_quality_keeps_known_pixels_and_scores_every_arm(scripts, tmp_path):
    report = _run(
        scripts["inpainting_quality"],
        ["--steps", "2", "--diffusion-iterations", "5", "--panel", str(tmp_path / "panel.png")] + TINY,
        tmp_path,
    )
    assert report["panel"] == str(tmp_path / "panel.png") and os.path.exists(report["panel"])
    assert report["known_pixels_unchanged"] is True
    assert set(report["arms"]) == {"zero_fill", "mean_fill", "diffusion_fill", "inpainting_gan"}
    assert set(report["targets"]) == {"psnr_hole_above_mean_fill", "psnr_hole_above_diffusion_fill"}


@pytest.mark.slow
def test_pix2pix_quality_scores_three_arms(scripts, tmp_path):
    report = _run(scripts["pix2pix_quality"], ["--steps", "2"] + TINY, tmp_path)
    assert set(report["arms"]) == {"untrained", "pix2pix", "l1_only_unet"}
    assert (
        report["training"]["l1_only_unet"]["steps"] == 2
        and "loss" in report["training"]["l1_only_unet"]["last_logs"]
    )


@pytest.mark.slow
def test_cyclegan_quality_reports_shares_in_0_1(scripts, tmp_path):
    report = _run(scripts["cyclegan_quality"], ["--steps", "2"] + TINY, tmp_path)
    for key in ("a2b_as_sandal", "round_trip_as_sneaker", "b2a_as_sneaker", "round_trip_as_sandal"):
        assert 0.0 <= report["trained"][key] <= 1.0
    assert report["reference"]["real_sneakers_as_sneaker"] > 0.5


@pytest.mark.slow
def test_image_to_image_speed_times_a_row_beside_the_dcgan(scripts, tmp_path):
    arguments = ["--rows", "inpainting", "--rounds", "1", "--steps", "2", "--batch-size", "8"]
    report = _run(scripts["image_to_image_speed"], arguments, tmp_path)
    assert set(report["rows"]) == {"inpainting"} and report["rows"]["inpainting"]["ratio"] > 0
