"""Scores a GAN's samples against real images with kerasgan's quality metrics."""

import numpy as np

from kerasgan import metrics as quality_metrics

# Short metric names accepted by `evaluate`, and the metric each one builds.
METRICS = {
    "fid": quality_metrics.FrechetInceptionDistance,
    "kid": quality_metrics.KernelInceptionDistance,
    "is": quality_metrics.InceptionScore,
    "pr": quality_metrics.PrecisionRecall,
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


def _build_metrics(names, feature_extractor, num_samples, batch_size):
    built = {}
    for name in names:
        options = {"feature_extractor": feature_extractor, "batch_size": batch_size}
        if name != "fid":  # the others keep every feature vector, up to a cap
            options["max_samples"] = num_samples
        built[name] = METRICS[name](**options)
    return built


def _real_batches(dataset, num_samples):
    """Yields `(images, labels or None)` NumPy batches, `num_samples` in all."""
    seen = 0
    for element in dataset:
        if isinstance(element, (tuple, list)):
            images, labels = element[0], element[1] if len(element) > 1 else None
        else:
            images, labels = element, None
        images = np.asarray(images)
        take = min(len(images), num_samples - seen)
        labels = None if labels is None else np.asarray(labels)[:take]
        yield images[:take], labels
        seen += take
        if seen >= num_samples:
            return
    raise ValueError(
        f"evaluate() needs num_samples={num_samples} real images; the data "
        f"set yielded only {seen}. Pass a smaller num_samples, or a larger "
        "data set (repeat() it only if reusing real images is acceptable)."
    )


def _flatten(results):
    flat = {}
    for name, value in results.items():
        if isinstance(value, dict):
            flat.update({key: float(v) for key, v in value.items()})
        else:
            flat[name] = float(value)
    return flat


def evaluate(
    gan,
    dataset,
    metrics=("fid",),
    num_samples=10000,
    feature_extractor="fashion_mnist",
    batch_size=250,
    seed=0,
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
        metrics: names among `"fid"`, `"kid"`, `"is"` (Inception Score) and
            `"pr"` (precision and recall). Defaults to `("fid",)`.
        num_samples: real and generated images each. Defaults to 10000.
            FID is biased upwards at small sample sizes; compare FIDs at
            equal `num_samples` only.
        feature_extractor: `"fashion_mnist"` (default; 28x28 grayscale),
            `"inception_v3"`, or a `keras.Model`; see `kerasgan.metrics`.
        batch_size: images per generator and feature-extractor call.
            Defaults to 250.
        seed: int seed of the generator's latents (default 0), or None for
            fresh ones.

    Returns:
        A flat dict of Python floats: `"fid"`; `"kid"`, `"kid_std"`;
        `"inception_score"`, `"inception_score_std"`; `"precision"`,
        `"recall"` (for the metrics asked for).

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
    if isinstance(num_samples, bool) or not isinstance(num_samples, int) or num_samples < 2:
        raise ValueError(f"num_samples must be an int >= 2; received {num_samples!r}.")
    built = _build_metrics(names, feature_extractor, num_samples, batch_size)
    rng = np.random.default_rng(seed)
    for images, labels in _real_batches(dataset, num_samples):
        if gan.num_classes is not None:
            if labels is None:
                raise ValueError(
                    f"{type(gan).__name__} is conditional: evaluate() needs a "
                    "data set of (images, labels), e.g. "
                    "kerasgan.data.load(..., with_labels=True)."
                )
            labels = labels.astype("int32")
        else:
            labels = None
        batch_seed = None if seed is None else int(rng.integers(2**31 - 1))
        fake = gan.generate(len(images), seed=batch_seed, labels=labels, batch_size=batch_size)
        for metric in built.values():
            metric.update_state(real=images, fake=fake)
    return _flatten({name: metric.result() for name, metric in built.items()})
