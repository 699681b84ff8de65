"""Scores a GAN's samples against real images with kerasgan's quality metrics."""

import numpy as np

from kerasgan import metrics as quality_metrics
from kerasgan.utils.validation import validate_positive_int

# Short metric names accepted by `evaluate`, and the metric each one builds.
METRICS = {
    "fid": quality_metrics.FrechetInceptionDistance,
    "kid": quality_metrics.KernelInceptionDistance,
    "is": quality_metrics.InceptionScore,
    "pr": quality_metrics.PrecisionRecall,
    "modes": quality_metrics.StackedModeCoverage,
    "classes": quality_metrics.ClassCoverage,
}


def check_metric_names(metrics):
    """Returns `metrics` as a tuple of known short names, or raises.

    Args:
        metrics: a name (`"fid"`) or a sequence of names from `METRICS`.

    Returns:
        A tuple of names, duplicates removed, order kept.

    Raises:
        ValueError: an empty list or an unknown name.
    """
    if isinstance(metrics, str):
        metrics = (metrics,)
    names = tuple(dict.fromkeys(metrics))
    unknown = [name for name in names if name not in METRICS]
    if unknown or not names:
        raise ValueError(
            f"Unknown metric name(s) {unknown} in metrics={list(metrics)!r}. "
            f"Choose one or more of {sorted(METRICS)}."
        )
    return names


def latent_seeds(seed):
    """Endless per-batch generator seeds drawn from `seed`, or `None`s when `seed` is None.

    Args:
        seed: int or None.

    Yields:
        Ints in `[0, 2**31 - 1)`, the same sequence for the same `seed`, or None.
    """
    rng = np.random.default_rng(seed)
    while True:
        yield None if seed is None else int(rng.integers(2**31 - 1))


def _real_batches(dataset, num_samples):
    """Yields `(images, labels or None)` NumPy batches, `num_samples` in all."""
    seen = 0
    for element in dataset:
        images, *labels = element if isinstance(element, (tuple, list)) else (element,)
        take = min(len(images), num_samples - seen)
        yield np.asarray(images)[:take], np.asarray(labels[0])[:take] if labels else None
        seen += take
        if seen >= num_samples:
            return
    raise ValueError(
        f"evaluate() needs num_samples={num_samples} real images; the data "
        f"set yielded only {seen}. Pass a smaller num_samples, or a larger "
        "data set (repeat() it only if reusing real images is acceptable)."
    )


def evaluate(
    gan,
    dataset,
    metrics=("fid",),
    num_samples=10000,
    feature_extractor="fashion_mnist",
    batch_size=250,
    seed=0,
    sampling_options=None,
):
    """Scores `num_samples` generated images against as many real ones.

    Streams real batches from `dataset` and, for each one, as many generated
    images (conditional models get the real batch's labels) through the
    chosen metrics; only the metrics' running statistics and features are
    kept, not the images.

    Args:
        gan: a `kerasgan.GAN`.
        dataset: an iterable (e.g. a `tf.data.Dataset`) of real images
            `(batch, H, W, C)` in `[-1, 1]`, or of `(images, labels)`;
            labels are required for conditional GANs. Must yield at least
            `num_samples` images.
        metrics: names among `"fid"`, `"kid"`, `"is"` (Inception Score),
            `"pr"` (precision and recall) and `"modes"` (the Stacked
            Fashion-MNIST modes covered and the KL divergence of their
            histogram from uniform, for models of 28x28x3 stacked images;
            `kerasgan.metrics.StackedModeCoverage`) and `"classes"` (the
            Fashion-MNIST classes the samples cover, and the distance of
            their class mix from the real images'; `ClassCoverage`).
            Defaults to `("fid",)`.
        num_samples: real and generated images each. Defaults to 10000.
            FID is biased upwards at small sample sizes; compare FIDs at
            equal `num_samples` only.
        feature_extractor: `"fashion_mnist"` (default; 28x28 grayscale),
            `"inception_v3"`, or a `keras.Model`; see `kerasgan.metrics`.
        batch_size: images per generator and feature-extractor call.
            Defaults to 250.
        seed: int seed of the generator's latents (default 0), or None for
            fresh ones.
        sampling_options: dict of the variant's sampling options (e.g.
            `{"truncation": 0.7}`) passed to `generate`, or None for their
            defaults.

    Returns:
        A flat dict of Python floats: `"fid"`; `"kid"`, `"kid_std"`;
        `"inception_score"`, `"inception_score_std"`; `"precision"`,
        `"recall"`; `"modes"`, `"modes_kl"`, `"real_modes"`,
        `"real_modes_kl"`; `"classes"`, `"class_tv"` (for the metrics
        asked for).

    Raises:
        ValueError: an unknown metric name, too few real images, or a
            conditional GAN given a data set without labels.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=8, seed=0)
        >>> ds = kerasgan.data.load("fashion_mnist", "test", batch_size=100, limit=200)
        >>> scores = kerasgan.evaluate(gan, ds, metrics=("fid", "kid"), num_samples=200)
        >>> sorted(scores)
        ['fid', 'kid', 'kid_std']

    Reference:
        Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge
        to a Local Nash Equilibrium", NeurIPS 2017 (FID).
        https://arxiv.org/abs/1706.08500
    """
    names = check_metric_names(metrics)
    num_samples = validate_positive_int(num_samples, "num_samples", minimum=2)
    built = {}
    for name in names:  # the metrics other than FID keep every feature vector, up to a cap
        cap = {} if name == "fid" else {"max_samples": num_samples}
        built[name] = METRICS[name](feature_extractor=feature_extractor, batch_size=batch_size, **cap)
    for (images, labels), batch_seed in zip(_real_batches(dataset, num_samples), latent_seeds(seed)):
        if gan.num_classes is None:
            labels = None
        elif labels is None:
            raise ValueError(
                f"{type(gan).__name__} is conditional: evaluate() needs a "
                "data set of (images, labels), e.g. "
                "kerasgan.data.load(..., with_labels=True)."
            )
        else:
            labels = labels.astype("int32")
        fake = gan.generate(
            len(images), seed=batch_seed, labels=labels, batch_size=batch_size, **(sampling_options or {})
        )
        for metric in built.values():
            metric.update_state(real=images, fake=fake)
    scores = {}
    for name, metric in built.items():
        result = metric.result()
        scores.update(result if isinstance(result, dict) else {name: result})
    return {name: float(value) for name, value in scores.items()}
