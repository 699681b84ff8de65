"""Quality metrics for generated images.

Each metric has a pure numerical function that takes feature vectors or
logits, so that it can be checked against other tools, and a class that runs
a feature extractor on images in `[-1, 1]` and calls that function:

- `frechet_distance(features_a, features_b)` and
  `frechet_distance_from_moments(mean_a, cov_a, mean_b, cov_b)`:
  `FrechetInceptionDistance`, a `keras.metrics.Metric`;
- `kernel_inception_distance(features_a, features_b, ..., estimator=...)`:
  `KernelInceptionDistance`, a plain class;
- `inception_score(logits, num_splits)`: `InceptionScore`, a plain class;
- `precision_recall(features_a, features_b, k)`: `PrecisionRecall`, a plain
  class.

FID needs only running sums (count, sum of features, sum of their outer
products), which fit in fixed-size Keras variables, so
`FrechetInceptionDistance` is a true `keras.metrics.Metric`: `update_state`
is made of Keras ops and runs eagerly or inside a compiled `test_step` or
`model.evaluate`, and `result()` computes the matrix square root in float64
on the host CPU. KID, IS and precision/recall need the vectors themselves,
whose number is not known in advance, so their classes are plain Python
classes (`StoredFeatures`) that keep the vectors on the host and are
updated eagerly. All four share `update_state(real=..., fake=...)`,
`result()` and `reset_state()`; `extract_features` gives the vectors for
the functions.

The default extractor `"inception_v3"` is Keras's
`keras.applications.InceptionV3(weights="imagenet")`. Published FID, KID
and Inception Score figures use a different network, the 2015 TensorFlow
Inception graph (FID from its `pool_3` features), so scores computed here
are comparable with each other, never with numbers in papers. The shipped
`"fashion_mnist"` classifier is for relative comparisons within this
project, on Fashion-MNIST-like data.
"""

from kerasgan.metrics.base import StoredFeatures, extract_features
from kerasgan.metrics.classifier_score import InceptionScore, inception_score
from kerasgan.metrics.fashion_mnist_classifier import (
    build_fashion_mnist_classifier,
    load_fashion_mnist_classifier,
)
from kerasgan.metrics.feature_extractors import (
    ImageAdapter,
    build_fashion_mnist_extractor,
    build_inception_v3_extractor,
    get_feature_extractor,
)
from kerasgan.metrics.frechet import FrechetInceptionDistance, frechet_distance, frechet_distance_from_moments
from kerasgan.metrics.kernel_distance import KernelInceptionDistance, kernel_inception_distance
from kerasgan.metrics.manifold import PrecisionRecall, precision_recall

__all__ = [
    "FrechetInceptionDistance",
    "ImageAdapter",
    "InceptionScore",
    "KernelInceptionDistance",
    "PrecisionRecall",
    "StoredFeatures",
    "build_fashion_mnist_classifier",
    "build_fashion_mnist_extractor",
    "build_inception_v3_extractor",
    "extract_features",
    "frechet_distance",
    "frechet_distance_from_moments",
    "get_feature_extractor",
    "inception_score",
    "kernel_inception_distance",
    "load_fashion_mnist_classifier",
    "precision_recall",
]
