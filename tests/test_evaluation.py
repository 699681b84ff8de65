"""kerasgan.evaluate and `kerasgan evaluate` on real Fashion-MNIST."""

import json
import math
import os

import numpy as np
import pytest
import tensorflow as tf

import kerasgan
from kerasgan import cli
from kerasgan.metrics import FrechetInceptionDistance
from tests.gan_test_case import tiny_train_arguments

NUM_SAMPLES = 200


@pytest.fixture(scope="module")
def gan():
    model = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=8, seed=0)
    model.compile()
    return model


@pytest.fixture(scope="module")
def test_split():
    return kerasgan.data.load("fashion_mnist", "test", batch_size=100, limit=NUM_SAMPLES)


def test_all_metrics_are_finite_with_expected_keys(gan, test_split):
    scores = kerasgan.evaluate(gan, test_split, metrics=("fid", "kid", "is", "pr"), num_samples=NUM_SAMPLES)
    assert set(scores) == {
        "fid",
        "kid",
        "kid_std",
        "inception_score",
        "inception_score_std",
        "precision",
        "recall",
    }
    assert all(isinstance(v, float) and math.isfinite(v) for v in scores.values())
    assert 0.0 <= scores["precision"] <= 1.0 and 0.0 <= scores["recall"] <= 1.0


def test_untrained_generator_is_far_from_real_data(gan, test_split, fashion_mnist_sample):
    fake_fid = kerasgan.evaluate(gan, test_split, num_samples=NUM_SAMPLES)["fid"]
    real_fid = FrechetInceptionDistance(feature_extractor="fashion_mnist")
    for images in test_split:
        real_fid.update_state(real=images.numpy())
    real_fid.update_state(fake=fashion_mnist_sample[0][:NUM_SAMPLES])
    real_fid = float(real_fid.result())
    assert fake_fid > 5 * real_fid, (fake_fid, real_fid)


def test_same_seed_same_scores_and_uneven_batches(gan, fashion_mnist_sample):
    # 256 images in batches of 96 (last one cut) give 150 samples; labels ignored.
    images, labels = fashion_mnist_sample
    ds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(96)
    first = kerasgan.evaluate(gan, ds, metrics="kid", num_samples=150, batch_size=64)
    second = kerasgan.evaluate(gan, ds, metrics="kid", num_samples=150, batch_size=64)
    assert first == second


def test_conditional_gan_uses_the_real_labels(fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    cgan = kerasgan.ConditionalGAN(num_classes=10, image_shape=(28, 28, 1), latent_dim=8, seed=0)
    cgan.compile()
    with_labels = tf.data.Dataset.from_tensor_slices((images, labels)).batch(64)
    assert math.isfinite(kerasgan.evaluate(cgan, with_labels, num_samples=128)["fid"])
    without = tf.data.Dataset.from_tensor_slices(images).batch(64)
    with pytest.raises(ValueError, match="with_labels=True"):
        kerasgan.evaluate(cgan, without, num_samples=128)


def test_unknown_metric_name(gan, test_split):
    with pytest.raises(ValueError, match=r"'fdi'.*\['classes', 'fid', 'is', 'kid', 'modes', 'pr'\]"):
        kerasgan.evaluate(gan, test_split, metrics=("fid", "fdi"), num_samples=NUM_SAMPLES)


def test_too_few_real_images(gan, test_split):
    with pytest.raises(ValueError, match="num_samples=500 real images; the data set yielded only 200"):
        kerasgan.evaluate(gan, test_split, num_samples=500)


def test_cli_evaluate_writes_json(tmp_path, capsys):
    run = str(tmp_path / "run")
    assert cli.main(tiny_train_arguments(run, limit=128, batch_size=64, seed=0)) == 0
    assert cli.main(["evaluate", run, "--metrics", "fid,kid,pr", "--n", "200"]) == 0
    out = capsys.readouterr().out
    assert "fashion_mnist 'test'" in out and "kid_std" in out
    with open(os.path.join(run, "evaluation.json")) as f:
        report = json.load(f)
    assert report["split"] == "test" and report["num_samples"] == 200
    assert set(report["scores"]) == {"fid", "kid", "kid_std", "precision", "recall"}
    assert all(np.isfinite(list(report["scores"].values())))

    other = str(tmp_path / "scores.json")
    assert cli.main(["evaluate", run, "--metrics", "is", "--n", "100", "--json", other]) == 0
    with open(other) as f:
        assert "inception_score" in json.load(f)["scores"]
    assert cli.main(["evaluate", run, "--metrics", "fid,bogus", "--n", "100"]) == 1
    assert "bogus" in capsys.readouterr().err
