import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from kerasgan.metrics import (
    FrechetInceptionDistance,
    ImageAdapter,
    build_inception_v3_extractor,
    get_feature_extractor,
)
from kerasgan.metrics import fashion_mnist_classifier as fmc


def test_inception_v3_runs_end_to_end_on_small_grayscale_images():
    extractor = build_inception_v3_extractor(weights=None)
    images = np.random.default_rng(0).uniform(-1, 1, (4, 28, 28, 1))
    features = extractor(images, training=False)
    assert tuple(features.shape) == (4, 2048)
    assert features.dtype == "float32"
    assert extractor.get_layer("image_adapter").compute_output_shape((None, 28, 28, 1)) == (None, 299, 299, 3)


def test_inception_v3_logits_head_has_no_softmax():
    extractor = build_inception_v3_extractor(weights=None, output="logits")
    images = np.random.default_rng(3).uniform(-1, 1, (2, 32, 32, 3))
    assert tuple(extractor(images).shape) == (2, 1000)
    assert extractor.layers[-1].get_layer("predictions").get_config()["activation"] == "linear"


def test_images_in_minus_one_one_are_what_inception_v3_expects():
    # preprocess_input maps [0, 255] to [-1, 1]: on our range it is identity.
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(1, 2, 4, 3)
    mapped = keras.applications.inception_v3.preprocess_input((x + 1) * 127.5)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(mapped), x, atol=1e-6)


def test_image_adapter_converts_channels_and_size():
    rgb = np.random.default_rng(1).uniform(-1, 1, (2, 28, 28, 3)).astype("float32")
    gray = keras.ops.convert_to_numpy(ImageAdapter(28, 28, 1)(rgb))
    luma = rgb @ np.array([0.299, 0.587, 0.114])
    np.testing.assert_allclose(gray[..., 0], luma, atol=1e-5)
    up = keras.ops.convert_to_numpy(ImageAdapter(56, 56, 3)(gray))
    assert up.shape == (2, 56, 56, 3)
    assert np.abs(up).max() <= 1.0 + 1e-5
    with pytest.raises(ValueError, match="1 or 3 channels"):
        ImageAdapter(28, 28, 1)(np.zeros((1, 28, 28, 2)))
    restored = ImageAdapter.from_config(ImageAdapter(28, 28, 1).get_config())
    assert (restored.height, restored.width, restored.channels) == (28, 28, 1)


def test_shipped_classifier_file_and_metadata():
    assert os.path.getsize(fmc.WEIGHTS_PATH) < 3 * 2**20
    metadata = fmc.load_fashion_mnist_classifier_metadata()
    assert metadata["test_accuracy"] >= 0.90


def test_shipped_classifier_accuracy_on_real_test_split(fashion_test):
    images, labels = fashion_test
    model = get_feature_extractor("fashion_mnist", output="logits")
    logits = model.predict(images, batch_size=500, verbose=0)
    assert np.mean(logits.argmax(axis=1) == labels) >= 0.90
    features = get_feature_extractor("fashion_mnist")(images[:4])
    assert tuple(features.shape) == (4, 128)


def test_fid_ranks_real_data_above_noise(fashion_test, fashion_train_subset):
    train_images = fashion_train_subset[0]
    test_images = fashion_test[0][:1000]
    noise = np.random.default_rng(2).uniform(-1, 1, test_images.shape)
    fid = FrechetInceptionDistance(feature_extractor="fashion_mnist", batch_size=500)
    fid.update_state(real=train_images, fake=test_images)
    real_vs_real = float(fid.result())
    fid.reset_state()
    fid.update_state(real=train_images, fake=noise)
    real_vs_noise = float(fid.result())
    assert real_vs_real < 0.05 * real_vs_noise


def test_unknown_extractor_name_is_rejected():
    with pytest.raises(ValueError, match="inception_v3"):
        get_feature_extractor("resnet")
    with pytest.raises(ValueError, match="output must be one of"):
        get_feature_extractor("fashion_mnist", output="probabilities")


def test_missing_weights_file_is_explained(tmp_path):
    with pytest.raises(FileNotFoundError, match="train_feature_extractor.py"):
        fmc.load_fashion_mnist_classifier(str(tmp_path / "none.weights.h5"))


@pytest.mark.slow
def test_training_script_is_reproducible(tmp_path):
    script = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "train_feature_extractor.py")
    digests = []
    for run in ("a", "b"):
        subprocess.run(
            [sys.executable, script, "--epochs", "1"] + ["--output-dir", str(tmp_path / run)],
            check=True,
            capture_output=True,
        )
        with open(tmp_path / run / "fashion_mnist_classifier.json") as f:
            metadata = json.load(f)
        assert metadata["epochs"] == 1
        digests.append(metadata["weights_sha256"])
    assert digests[0] == digests[1]
