"""Quality metrics for generated images.

Each metric has a pure numerical function of feature vectors or logits, to
check against other tools (`frechet_distance`, `frechet_distance_from_moments`,
`kernel_inception_distance`, `inception_score`, `precision_recall`; get the
vectors with `extract_features`), and a class that runs a feature extractor
on images in `[-1, 1]` and calls it. All four classes share
`update_state(real=..., fake=...)`, `result()` and `reset_state()`.

FID needs only running sums, which fit in fixed-size Keras variables, so
`FrechetInceptionDistance` is a true `keras.metrics.Metric` that also runs
inside a compiled `test_step`. KID, IS and precision/recall need the vectors
themselves, so `KernelInceptionDistance`, `InceptionScore` and
`PrecisionRecall` are plain classes (`StoredFeatures`) that keep them on the
host and are updated eagerly.

The default extractor `"inception_v3"` is Keras's ImageNet InceptionV3, not
the 2015 TensorFlow Inception graph of published figures: its scores are
comparable with each other, never with papers. The shipped
`"fashion_mnist"` classifier is for relative comparisons on
Fashion-MNIST-like data.
"""

from kerasgan.metrics.base import StoredFeatures, extract_features
from kerasgan.metrics.class_coverage import ClassCoverage, class_histogram, coverage_scores
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
from kerasgan.metrics.mode_coverage import StackedModeCoverage, mode_scores, stacked_modes

__all__ = [
    "ClassCoverage",
    "FrechetInceptionDistance",
    "ImageAdapter",
    "InceptionScore",
    "KernelInceptionDistance",
    "PrecisionRecall",
    "StackedModeCoverage",
    "StoredFeatures",
    "build_fashion_mnist_classifier",
    "build_fashion_mnist_extractor",
    "build_inception_v3_extractor",
    "class_histogram",
    "coverage_scores",
    "extract_features",
    "frechet_distance",
    "frechet_distance_from_moments",
    "get_feature_extractor",
    "inception_score",
    "kernel_inception_distance",
    "load_fashion_mnist_classifier",
    "mode_scores",
    "precision_recall",
    "stacked_modes",
]
