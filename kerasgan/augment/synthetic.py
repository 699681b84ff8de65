"""`synthetic_arrays` and `synthetic_dataset`: labelled samples from a conditional GAN."""

import math
import numbers

import numpy as np
import tensorflow as tf

from kerasgan.augment.scores import classifier_confidence, discriminator_scores

# Without a cap of its own, classifier filtering draws at most this many times
# n_per_class candidates per class before giving up.
DEFAULT_MAX_DRAWS = 10


def _check_conditional(gan, who):
    num_classes = getattr(gan, "num_classes", None)
    if not callable(getattr(gan, "generate", None)) or num_classes is None:
        raise ValueError(
            f"{who} needs a trained conditional model (kerasgan.ConditionalGAN or "
            f"kerasgan.ACGAN, built with num_classes) to draw images by class; received "
            f"{type(gan).__name__} with num_classes={num_classes!r}."
        )
    return num_classes


def _check_count(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive int; received {name}={value!r}.")
    return int(value)


def _check_seed(seed):
    if seed is None:
        # Fresh samples, yet repeatable under keras.utils.set_random_seed.
        return int(np.random.randint(0, 2**31 - 1))
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be None or a non-negative int; received seed={seed!r}.")
    return int(seed)


def _check_value_range(value_range):
    try:
        low, high = (float(v) for v in value_range)
    except (TypeError, ValueError):
        low = high = None
    if low is None or not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(
            "value_range must be a pair (low, high) of finite numbers with low < high, "
            f"e.g. (-1, 1) or (0, 1); received value_range={value_range!r}."
        )
    return low, high


def _check_filters(classifier, min_confidence, top_fraction, max_candidates, n_per_class):
    if classifier is not None and top_fraction is not None:
        raise ValueError(
            "Pass either classifier= (keep samples it is confident about) or "
            "discriminator_top_fraction= (keep the ones the discriminator scores "
            "highest), not both."
        )
    if classifier is None and (min_confidence is not None or max_candidates is not None):
        raise ValueError(
            "min_confidence and max_candidates_per_class only apply with a classifier; "
            f"received min_confidence={min_confidence!r}, max_candidates_per_class="
            f"{max_candidates!r} and classifier=None. Pass classifier=..."
        )
    if classifier is not None:
        if not callable(classifier):
            raise ValueError(f"classifier must be a Keras model; received {classifier!r}.")
        if min_confidence is None:
            min_confidence = 0.5
        if (
            isinstance(min_confidence, bool)
            or not isinstance(min_confidence, numbers.Real)
            or not (0.0 <= min_confidence < 1.0)
        ):
            raise ValueError(f"min_confidence must be a number in [0, 1); received {min_confidence!r}.")
        if max_candidates is None:
            max_candidates = DEFAULT_MAX_DRAWS * n_per_class
        max_candidates = _check_count(max_candidates, "max_candidates_per_class")
        if max_candidates < n_per_class:
            raise ValueError(
                f"max_candidates_per_class ({max_candidates}) must be at least n_per_class ({n_per_class})."
            )
    if top_fraction is not None and (
        isinstance(top_fraction, bool)
        or not isinstance(top_fraction, numbers.Real)
        or not 0.0 < top_fraction <= 1.0
    ):
        raise ValueError(f"discriminator_top_fraction must be a number in (0, 1]; received {top_fraction!r}.")
    return min_confidence, max_candidates


def _round_seed(seed, round_index):
    """Round 0 uses `seed` itself; later rounds a seed derived from it."""
    if round_index == 0:
        return seed
    return int(np.random.SeedSequence([seed, round_index]).generate_state(1)[0] % (2**31 - 1))


def _draw(gan, counts, seed):
    """`counts[c]` images of each class c, grouped by class, from one seeded call."""
    labels = np.repeat(np.arange(len(counts)), counts).astype("int32")
    return gan.generate(len(labels), seed=seed, labels=labels), labels


def _to_range(images, value_range):
    low, high = value_range
    if (low, high) == (-1.0, 1.0):
        return images
    return (low + (images + 1.0) * ((high - low) / 2.0)).astype("float32")


def _top_per_class(scores, labels, n_per_class):
    """Indices (in draw order) of the `n_per_class` highest scores of each class."""
    keep = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        best = np.argsort(-scores[members], kind="stable")[:n_per_class]
        keep.append(np.sort(members[best]))
    return np.concatenate(keep)


def _confident_draws(gan, n_per_class, seed, value_range, classifier, min_confidence, max_candidates):
    """Draws rounds of candidates until each class has `n_per_class` confident ones."""
    num_classes = gan.num_classes
    kept = [[] for _ in range(num_classes)]
    num_kept = np.zeros(num_classes, dtype=int)
    drawn = np.zeros(num_classes, dtype=int)
    round_index = 0
    while True:
        short = (num_kept < n_per_class) & (drawn < max_candidates)
        if not short.any():
            break
        counts = np.where(short, np.minimum(n_per_class, max_candidates - drawn), 0)
        images, labels = _draw(gan, counts, _round_seed(seed, round_index))
        images = _to_range(images, value_range)
        passed = classifier_confidence(classifier, images, labels, num_classes) >= min_confidence
        for label in np.flatnonzero(short):
            accepted = images[(labels == label) & passed][: n_per_class - num_kept[label]]
            kept[label].append(accepted)
            num_kept[label] += len(accepted)
        drawn += counts
        round_index += 1
    if (num_kept < n_per_class).any():
        missing = ", ".join(
            f"class {c}: {num_kept[c]} of {drawn[c]}" for c in np.flatnonzero(num_kept < n_per_class)
        )
        raise ValueError(
            f"Too few confident samples: wanted {n_per_class} per class with classifier "
            f"confidence >= {min_confidence}, but kept only ({missing} candidates drawn). "
            "Lower min_confidence, raise max_candidates_per_class, or train the GAN longer."
        )
    images = np.concatenate([np.concatenate(parts) for parts in kept])
    return images, np.repeat(np.arange(num_classes), n_per_class).astype("int32")


def synthetic_arrays(
    gan,
    n_per_class,
    seed=None,
    value_range=(-1, 1),
    one_hot=False,
    classifier=None,
    min_confidence=None,
    discriminator_top_fraction=None,
    max_candidates_per_class=None,
):
    """Draws exactly `n_per_class` labelled images of every class from a conditional GAN.

    Without a filter, returns `gan.generate(n_per_class * num_classes,
    seed=seed, labels=[0]*n + [1]*n + ...)`: images grouped by class, in
    that order. Two filters keep only trusted samples, still exactly
    `n_per_class` per class:

    - `classifier`: keep samples whose intended class gets probability at
      least `min_confidence` from the classifier (which sees the images in
      `value_range`). Candidates come in rounds of `n_per_class` per
      class still short (the first round is the unfiltered draw above,
      later rounds use seeds derived from `seed`), until every class is
      full or `max_candidates_per_class` were drawn.
    - `discriminator_top_fraction=f`: draw `ceil(n_per_class / f)`
      candidates per class (the unfiltered draw of that many) and keep the
      `n_per_class` of each class that the GAN's discriminator scores
      highest, in draw order (discriminator rejection sampling).

    Args:
        gan: a trained `kerasgan.ConditionalGAN` or `kerasgan.ACGAN` (any
            kerasgan model with `num_classes` and `generate`).
        n_per_class: positive int, images per class.
        seed: non-negative int; the same seed gives the same images.
            Defaults to None: a seed drawn from NumPy's global generator (so
            `keras.utils.set_random_seed` makes it repeatable too).
        value_range: `(low, high)` of the returned images; the generator's
            `[-1, 1]` is mapped linearly onto it. Defaults to `(-1, 1)`, the
            range of `kerasgan.data`; `(0, 1)` suits classifiers trained on
            images divided by 255.
        one_hot: whether labels are float32 one-hot rows `(N, num_classes)`
            instead of int32 class ids `(N,)`. Defaults to False.
        classifier: optional Keras classifier returning probabilities
            `(batch, num_classes)` (end it in a softmax) on images in
            `value_range`.
        min_confidence: threshold in `[0, 1)` on the classifier's
            probability of the intended class. Defaults to 0.5 when a
            classifier is given.
        discriminator_top_fraction: optional fraction in `(0, 1]` of the
            candidates to keep by discriminator score. Not together with
            `classifier`.
        max_candidates_per_class: most candidates per class the classifier
            filter draws. Defaults to `10 * n_per_class`.

    Returns:
        `(images, labels)`: float32 NumPy images `(n_per_class *
        num_classes, *image_shape)` in `value_range`, grouped by class, and
        their labels (int32 ids, or float32 one-hot rows).

    Raises:
        ValueError: a model that is not conditional, a count that is not a
            positive int, a malformed range, seed or filter setting, a
            classifier that does not return probabilities over the model's
            classes, or a classifier filter that kept fewer than
            `n_per_class` samples of some class (the message says how many
            it kept of how many drawn).

    Example:
        >>> cgan = kerasgan.ConditionalGAN(num_classes=10, latent_dim=8)
        >>> images, labels = synthetic_arrays(cgan, 3, seed=0, value_range=(0, 1))
        >>> images.shape, labels.tolist()[:4]
        ((30, 28, 28, 1), [0, 0, 0, 1])

    Reference:
        Antoniou et al., "Data Augmentation Generative Adversarial
        Networks", 2017 (synthetic samples as training data); Azadi et al.,
        "Discriminator Rejection Sampling", ICLR 2019 (keeping the samples
        the discriminator rates highest).
    """
    num_classes = _check_conditional(gan, "synthetic_arrays")
    n_per_class = _check_count(n_per_class, "n_per_class")
    seed = _check_seed(seed)
    value_range = _check_value_range(value_range)
    min_confidence, max_candidates = _check_filters(
        classifier, min_confidence, discriminator_top_fraction, max_candidates_per_class, n_per_class
    )
    if classifier is not None:
        images, labels = _confident_draws(
            gan, n_per_class, seed, value_range, classifier, min_confidence, max_candidates
        )
    else:
        per_class = n_per_class
        if discriminator_top_fraction is not None:
            # Rounded first, so that 3 / 0.3 asks for 10 candidates, not 11.
            per_class = math.ceil(round(n_per_class / discriminator_top_fraction, 9))
        images, labels = _draw(gan, np.full(num_classes, per_class), seed)
        if per_class > n_per_class:
            keep = _top_per_class(discriminator_scores(gan, images, labels), labels, n_per_class)
            images, labels = images[keep], labels[keep]
        images = _to_range(images, value_range)
    if one_hot:
        labels = np.eye(num_classes, dtype="float32")[labels]
    return images, labels


def synthetic_dataset(
    gan,
    n_per_class,
    batch_size=128,
    seed=None,
    shuffle=True,
    value_range=(-1, 1),
    one_hot=False,
    classifier=None,
    min_confidence=None,
    discriminator_top_fraction=None,
    max_candidates_per_class=None,
):
    """A `tf.data.Dataset` of labelled images from a conditional GAN, for a classifier's `fit`.

    Draws the images once with `synthetic_arrays` (held in memory: a fixed
    synthetic training set, like a real one), then shuffles them (reshuffled
    every epoch) and batches them. Each pass yields exactly `n_per_class`
    images of each class.

    Args:
        gan: a trained `kerasgan.ConditionalGAN` or `kerasgan.ACGAN`.
        n_per_class: positive int, images per class.
        batch_size: positive int. Defaults to 128. The last batch may be
            smaller.
        seed: non-negative int seeding both the images and the shuffle
            order (the order is repeatable under the same global seed, as
            for any seeded `tf.data` shuffle). Defaults to None (fresh).
        shuffle: whether to shuffle. Defaults to True; False yields the
            images grouped by class.
        value_range: `(low, high)` of the images. Defaults to `(-1, 1)`.
        one_hot: one-hot float32 labels instead of int32 ids. Defaults to
            False.
        classifier: optional Keras classifier filter; see `synthetic_arrays`.
        min_confidence: its threshold; see `synthetic_arrays`.
        discriminator_top_fraction: optional discriminator filter; see
            `synthetic_arrays`.
        max_candidates_per_class: see `synthetic_arrays`.

    Returns:
        A `tf.data.Dataset` of `(images, labels)`: float32 images `(batch,
        *image_shape)` in `value_range` and int32 labels `(batch,)` (or
        float32 `(batch, num_classes)` with `one_hot=True`).

    Raises:
        ValueError: as `synthetic_arrays`, or a batch size that is not a
            positive int.

    Example:
        >>> cgan = kerasgan.ConditionalGAN(num_classes=10, latent_dim=8)
        >>> ds = synthetic_dataset(cgan, n_per_class=5, batch_size=25, seed=0)
        >>> [tuple(images.shape) for images, labels in ds]
        [(25, 28, 28, 1), (25, 28, 28, 1)]

    Reference:
        Antoniou et al., "Data Augmentation Generative Adversarial
        Networks", 2017.
    """
    _check_conditional(gan, "synthetic_dataset")
    batch_size = _check_count(batch_size, "batch_size")
    seed = _check_seed(seed)
    images, labels = synthetic_arrays(
        gan,
        n_per_class,
        seed=seed,
        value_range=value_range,
        one_hot=one_hot,
        classifier=classifier,
        min_confidence=min_confidence,
        discriminator_top_fraction=discriminator_top_fraction,
        max_candidates_per_class=max_candidates_per_class,
    )
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    if shuffle:
        dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)
