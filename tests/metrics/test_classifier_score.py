import keras
import numpy as np
import pytest

from kerasgan.metrics import InceptionScore, extract_features, inception_score, load_fashion_mnist_classifier


@pytest.mark.parametrize("num_classes", [3, 10])
def test_confident_distinct_classes_score_the_number_of_classes(num_classes):
    logits = np.tile(40.0 * np.eye(num_classes), (5, 1))
    mean, std = inception_score(logits, num_splits=5)
    assert mean == pytest.approx(num_classes, rel=1e-9)
    assert std == pytest.approx(0.0, abs=1e-9)
    # Logits far past float64's exp() range neither overflow nor give NaN.
    assert inception_score(1e4 * logits, num_splits=5)[0] == pytest.approx(num_classes)


def test_uniform_or_identical_predictions_score_one():
    assert inception_score(np.zeros((40, 7)), num_splits=4) == pytest.approx((1.0, 0.0))
    identical = np.tile([2.0, -1.0, 0.5], (40, 1))
    assert inception_score(identical, num_splits=4)[0] == pytest.approx(1.0)


def test_matches_explicit_kl_formula_per_split():
    logits = np.random.default_rng(0).normal(size=(30, 4)) * 2
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    scores = []
    for split in (probs[:15], probs[15:]):
        kl = np.sum(split * np.log(split / split.mean(0)), axis=1)
        scores.append(np.exp(kl.mean()))
    assert inception_score(logits, num_splits=2) == pytest.approx((np.mean(scores), np.std(scores)))


def test_rejects_bad_input():
    with pytest.raises(ValueError, match="num_splits=10 needs at least as many samples; received 5"):
        inception_score(np.eye(5))
    with pytest.raises(ValueError, match="logits contains NaN"):
        inception_score(np.full((4, 3), np.nan), num_splits=1)


def test_fashion_mnist_logits_are_the_classifier_before_its_softmax(fashion_test):
    images = fashion_test[0][:64]
    logits = extract_features(images, "fashion_mnist", output="logits", batch_size=20)
    probabilities = keras.ops.convert_to_numpy(load_fashion_mnist_classifier()(images))
    softmax = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    np.testing.assert_allclose(softmax, probabilities, atol=1e-5)


def _logit_model():
    inputs = keras.Input((1, 1, 3))
    outputs = keras.layers.Rescaling(10.0)(keras.layers.Flatten()(inputs))
    return keras.Model(inputs, outputs)


def test_metric_scores_fake_logits_and_only_checks_real():
    images = np.random.default_rng(2).uniform(-1, 1, size=(40, 1, 1, 3)).astype("float32")
    metric = InceptionScore(feature_extractor=_logit_model(), num_splits=2)
    metric.update_state(real=images[:5])
    with pytest.raises(ValueError, match="at least 2 fake images; it has seen 0 fake"):
        metric.result()
    with pytest.raises(ValueError, match=r"real must hold finite values in \[-1, 1\]"):
        metric.update_state(real=images * 5)
    metric.update_state(real=images, fake=images)
    expected = inception_score(10.0 * images.reshape(40, 3).astype(np.float64), 2)
    result = metric.result()
    assert result == pytest.approx(
        {"inception_score": expected[0], "inception_score_std": expected[1]}, rel=1e-5
    )
