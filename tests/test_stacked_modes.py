"""Stacked Fashion-MNIST and its mode coverage: the data set, the closed forms and the metric.

The stacks are three real garments per image with their classes' triple as
the mode; the metric counts the modes the shipped classifier finds in
samples and the KL divergence of their histogram from uniform.
"""

import json
import math

import numpy as np
import pytest

import kerasgan
from kerasgan.data import stacked
from kerasgan.metrics import StackedModeCoverage, mode_scores, stacked_modes


@pytest.fixture(scope="module")
def test_stacks():
    return kerasgan.data.load_arrays("stacked_fashion_mnist", "test", limit=2000)


def test_each_channel_is_a_garment_of_the_split_and_the_label_its_classes_mode(test_stacks):
    images, modes = test_stacks
    garments, classes = kerasgan.data.load_arrays("fashion_mnist", "test")
    indices = stacked.stack_indices("test", len(garments), limit=2000)
    assert images.shape == (2000, 28, 28, 3) and images.dtype == np.uint8
    for channel in range(3):
        np.testing.assert_array_equal(images[..., channel], garments[indices[:, channel], ..., 0])
    expected = 100 * classes[indices[:, 0]] + 10 * classes[indices[:, 1]] + classes[indices[:, 2]]
    np.testing.assert_array_equal(modes, expected)
    # A fixed draw: the same stacks in every call; train and test are different draws.
    again, _ = kerasgan.data.load_arrays("stacked_fashion_mnist", "test", limit=2000)
    np.testing.assert_array_equal(images, again)
    assert not np.array_equal(
        stacked.stack_indices("train", 10000, 50), stacked.stack_indices("test", 10000, 50)
    )
    assert len(stacked.stack_indices("test", len(garments))) == 26000


def test_the_pipeline_yields_scaled_stacks_with_their_modes(test_stacks):
    ds = kerasgan.data.load(
        "stacked_fashion_mnist", "test", batch_size=100, with_labels=True, shuffle=False, limit=200
    )
    images, labels = next(iter(ds))
    assert images.shape == (100, 28, 28, 3) and labels.dtype.name == "int32"
    np.testing.assert_allclose(images.numpy(), test_stacks[0][:100] / 127.5 - 1, atol=1e-6)
    np.testing.assert_array_equal(labels.numpy(), test_stacks[1][:100])
    assert kerasgan.data.catalog.get_spec("stacked_fashion_mnist").num_classes == 1000


def test_the_scores_match_their_closed_forms():
    assert mode_scores(np.arange(1000)) == {"modes": 1000, "modes_kl": 0.0}
    for k in (1, 10, 250):
        scores = mode_scores(np.repeat(np.arange(k) * 3, 7))
        assert scores["modes"] == k
        assert scores["modes_kl"] == pytest.approx(math.log(1000 / k))
    # Two modes at 3:1: p log(p * 1000) summed.
    expected = 0.75 * math.log(750) + 0.25 * math.log(250)
    assert mode_scores([5, 5, 5, 9])["modes_kl"] == pytest.approx(expected)
    with pytest.raises(ValueError, match="at least one image"):
        mode_scores([])


def test_the_classifier_finds_the_modes_of_real_stacks(test_stacks):
    images, modes = test_stacks
    found = stacked_modes(images / 127.5 - 1)
    # About 0.9 per channel, so about 0.9**3 per stack.
    assert 0.65 < np.mean(found == modes) < 0.9
    assert mode_scores(found)["modes"] > 800


def test_bad_input_is_refused_clearly():
    with pytest.raises(ValueError, match=r"\(n, 28, 28, 3\)"):
        stacked_modes(np.zeros((2, 28, 28, 1)))
    with pytest.raises(ValueError, match="feature_extractor='fashion_mnist'"):
        StackedModeCoverage(feature_extractor="inception_v3")
    coverage = StackedModeCoverage(max_samples=3)
    with pytest.raises(ValueError, match="seen no images"):
        coverage.result()
    with pytest.raises(ValueError, match="max_samples=3"):
        coverage.update_state(fake=np.zeros((4, 28, 28, 3)))
    with pytest.raises(ValueError, match="max_samples"):
        StackedModeCoverage(max_samples=0)


def test_a_generator_that_collapsed_covers_few_modes_beside_the_real_ones(test_stacks):
    class OneStack:
        """A 'GAN' that draws one real stack, whatever its latents."""

        num_classes = None

        def generate(self, n, seed=None, labels=None, batch_size=None):
            return np.repeat(test_stacks[0][:1] / 127.5 - 1, n, axis=0).astype("float32")

    real = kerasgan.data.load("stacked_fashion_mnist", "test", batch_size=250, shuffle=False, limit=1000)
    scores = kerasgan.evaluate(OneStack(), real, metrics=("modes",), num_samples=1000)
    assert scores["modes"] == 1 and scores["modes_kl"] == pytest.approx(math.log(1000))
    assert scores["real_modes"] > 500 and scores["real_modes_kl"] < 1.0


def test_a_run_on_stacks_is_scored_from_the_shell(tmp_path, capsys):
    from kerasgan import cli

    run = tmp_path / "stacked"
    args = ["train", "dcgan", "--dataset", "stacked_fashion_mnist", "--epochs", "1", "--limit", "128"]
    cli.main([*args, "--batch-size", "64", "--seed", "0", "--latent-dim", "8", "--out", str(run)])
    cli.main(["evaluate", str(run), "--metrics", "modes", "--n", "300"])
    report = json.loads((run / "evaluation.json").read_text())
    assert report["dataset"] == "stacked_fashion_mnist"
    assert {"modes", "modes_kl", "real_modes", "real_modes_kl"} <= set(report["scores"])
    assert 1 <= report["scores"]["modes"] <= 300
    assert "modes" in capsys.readouterr().out


def test_class_coverage_counts_the_classes_a_model_draws_against_the_data():
    from kerasgan.metrics import ClassCoverage, class_histogram, coverage_scores

    assert coverage_scores(np.full(10, 0.1), np.full(10, 0.1)) == {"classes": 10, "class_tv": 0.0}
    half = np.r_[np.full(5, 0.2), np.zeros(5)]
    assert coverage_scores(half, np.full(10, 0.1)) == {"classes": 5, "class_tv": pytest.approx(0.5)}
    images, labels = kerasgan.data.load_arrays("fashion_mnist", "test", limit=1000)
    real = images / 127.5 - 1
    histogram = class_histogram(real)
    np.testing.assert_allclose(histogram.sum(), 1.0)
    assert np.abs(histogram - np.bincount(labels, minlength=10) / 1000).sum() / 2 < 0.15  # about 0.9 accurate
    coverage = ClassCoverage()
    coverage.update_state(real=real, fake=real[labels == 1])  # only trousers
    scores = coverage.result()
    assert scores["classes"] == 1 and scores["class_tv"] > 0.8
    with pytest.raises(ValueError, match=r"\(n, 28, 28, 1\)"):
        class_histogram(np.zeros((2, 28, 28, 3)))
    with pytest.raises(ValueError, match="real and fake"):
        ClassCoverage().result()
