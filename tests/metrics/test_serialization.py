import keras
import numpy as np
import pytest

from kerasgan.metrics import FrechetInceptionDistance
from kerasgan.metrics import InceptionScore
from kerasgan.metrics import KernelInceptionDistance
from kerasgan.metrics import PrecisionRecall
from tests.metrics.conftest import vector_extractor

METRICS = [
    (FrechetInceptionDistance, {"batch_size": 32}),
    (KernelInceptionDistance, {"num_subsets": 7, "subset_size": 20, "seed": 3}),
    (InceptionScore, {"num_splits": 4}),
    (PrecisionRecall, {"k": 5, "max_samples": 100}),
]


@pytest.mark.parametrize("cls, kwargs", METRICS)
def test_named_extractor_round_trips(cls, kwargs):
    metric = cls(feature_extractor="fashion_mnist", name="m", **kwargs)
    restored = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(metric)
    )
    assert type(restored) is cls
    assert restored.get_config() == metric.get_config()
    for key, value in kwargs.items():
        assert restored.get_config()[key] == value


def test_custom_extractor_round_trips_its_architecture():
    metric = FrechetInceptionDistance(feature_extractor=vector_extractor(3))
    restored = FrechetInceptionDistance.from_config(metric.get_config())
    assert isinstance(restored.feature_extractor, keras.Model)
    images = np.full((2, 1, 1, 3), 0.5, dtype="float32")
    np.testing.assert_allclose(restored.extract_features(images), 10.0)
