"""Quality metrics for generated images.

Each metric has a pure NumPy float64 core (`frechet_distance`,
`kernel_inception_distance`, `inception_score`, `precision_recall`) and a
streaming `keras.metrics.Metric` wrapper that runs a feature extractor on
images in `[-1, 1]`: `update_state(real=..., fake=...)`, `result()`,
`reset_state()`.
"""

from kerasgan.metrics.base import FeatureMetric
from kerasgan.metrics.classifier_score import InceptionScore
from kerasgan.metrics.classifier_score import inception_score
from kerasgan.metrics.fashion_mnist_classifier import build_fashion_mnist_classifier
from kerasgan.metrics.fashion_mnist_classifier import load_fashion_mnist_classifier
from kerasgan.metrics.feature_extractors import ImageAdapter
from kerasgan.metrics.feature_extractors import build_fashion_mnist_extractor
from kerasgan.metrics.feature_extractors import build_inception_v3_extractor
from kerasgan.metrics.feature_extractors import get_feature_extractor
from kerasgan.metrics.frechet import FrechetInceptionDistance
from kerasgan.metrics.frechet import frechet_distance
from kerasgan.metrics.kernel_distance import KernelInceptionDistance
from kerasgan.metrics.kernel_distance import kernel_inception_distance
from kerasgan.metrics.manifold import PrecisionRecall
from kerasgan.metrics.manifold import precision_recall

__all__ = [
    "FeatureMetric",
    "FrechetInceptionDistance",
    "ImageAdapter",
    "InceptionScore",
    "KernelInceptionDistance",
    "PrecisionRecall",
    "build_fashion_mnist_classifier",
    "build_fashion_mnist_extractor",
    "build_inception_v3_extractor",
    "frechet_distance",
    "get_feature_extractor",
    "inception_score",
    "kernel_inception_distance",
    "load_fashion_mnist_classifier",
    "precision_recall",
]
