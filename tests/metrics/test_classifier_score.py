import keras
import numpy as np
import pytest

from kerasgan.metrics import InceptionScore
from kerasgan.metrics import inception_score


def test_confident_and_uniform_predictions_score_num_classes():
    probs = np.tile(np.eye(10), (5, 1))
    mean, std = inception_score(probs, num_splits=5)
    assert mean == pytest.approx(10.0)
    assert std == pytest.approx(0.0, abs=1e-12)


def test_identical_predictions_score_one():
    probs = np.tile([0.2, 0.3, 0.5], (40, 1))
    assert inception_score(probs, num_splits=4)[0] == pytest.approx(1.0)


def test_matches_explicit_kl_formula():
    probs = np.random.default_rng(0).dirichlet(np.ones(4), size=30)
    marginal = probs.mean(0)
    kl = np.sum(probs * np.log(probs / marginal), axis=1)
    assert inception_score(probs, num_splits=1)[0] == pytest.approx(np.exp(kl.mean()))


def test_rejects_non_probabilities():
    with pytest.raises(ValueError, match="from_logits=True"):
        inception_score(np.random.default_rng(1).normal(size=(20, 5)))
    with pytest.raises(ValueError, match="num_splits=10"):
        inception_score(np.eye(5))


def test_from_logits_needs_a_custom_model():
    with pytest.raises(ValueError, match="already returns probabilities"):
        InceptionScore(feature_extractor="fashion_mnist", from_logits=True)


def _logit_model():
    inputs = keras.Input((1, 1, 3))
    outputs = keras.layers.Rescaling(10.0)(keras.layers.Flatten()(inputs))
    return keras.Model(inputs, outputs)


def test_metric_applies_softmax_to_logits_and_ignores_real():
    logits = np.random.default_rng(2).uniform(-1, 1, size=(40, 3))
    images = logits[:, None, None, :].astype("float32")
    metric = InceptionScore(
        feature_extractor=_logit_model(), from_logits=True, num_splits=2
    )
    metric.update_state(real=images[:5])
    with pytest.raises(ValueError, match="at least 2 fake"):
        metric.result()
    metric.update_state(real=images, fake=images)
    scaled = 10.0 * images.reshape(40, 3).astype(np.float64)
    probs = np.exp(scaled) / np.exp(scaled).sum(1, keepdims=True)
    result = metric.result()
    assert float(result["inception_score"]) == pytest.approx(
        inception_score(probs, 2)[0], rel=1e-5
    )
    assert set(result) == {"inception_score", "inception_score_std"}
