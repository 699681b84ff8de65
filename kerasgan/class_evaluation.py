"""Per-class quality of a conditional GAN: per-class FID and class accuracy.

`kerasgan.evaluate` scores a model's samples as a whole; a conditional model
can score well there and still draw the wrong class for a label. This module
asks, per class `c`: how far are the generated images of class `c` from the
real images of class `c` (FID), and how often does the shipped Fashion-MNIST
classifier recognize them as class `c` ("does a sneaker look like a
sneaker")?
"""

import numpy as np

from kerasgan.evaluation import latent_seeds
from kerasgan.metrics import fashion_mnist_classifier as fmc
from kerasgan.metrics.base import extract_features
from kerasgan.metrics.frechet import FrechetInceptionDistance
from kerasgan.utils import validation


def _check_classifier_input(image_shape, num_classes, who):
    """Raises unless the images and classes are those of Fashion-MNIST."""
    if tuple(image_shape) != fmc.IMAGE_SHAPE or num_classes != fmc.NUM_CLASSES:
        raise ValueError(
            f"{who} uses the shipped Fashion-MNIST classifier, which only "
            f"knows {fmc.NUM_CLASSES} classes of {fmc.IMAGE_SHAPE} "
            f"images; received images of shape {tuple(image_shape)} and "
            f"num_classes={num_classes}. For other data use kerasgan.evaluate()."
        )


def classifier_predictions(images, batch_size=250):
    """Classes the shipped Fashion-MNIST classifier assigns to images.

    Runs `kerasgan.metrics.load_fashion_mnist_classifier()` (through the
    cached `"fashion_mnist"` extractor's `"logits"` output) in chunks and
    takes the most probable class of each image.

    Args:
        images: float images of shape `(batch, 28, 28, 1)` in `[-1, 1]`.
        batch_size: images per classifier call. Defaults to 250.

    Returns:
        An int64 NumPy array `(batch,)` of class ids in `[0, 10)`.

    Raises:
        ValueError: images that are not a `(batch, 28, 28, 1)` batch.
        tf.errors.InvalidArgumentError: values outside `[-1, 1]`.

    Example:
        >>> import numpy as np
        >>> classifier_predictions(np.zeros((4, 28, 28, 1))).shape
        (4,)
    """
    images = np.asarray(images)
    _check_classifier_input(images.shape[1:], fmc.NUM_CLASSES, "classifier_predictions")
    logits = extract_features(images, "fashion_mnist", output="logits", batch_size=batch_size)
    return np.argmax(logits, axis=1)


def classifier_accuracy(images, labels, batch_size=250):
    """Fraction of images the shipped Fashion-MNIST classifier labels correctly.

    On the real Fashion-MNIST test split this is the classifier's test
    accuracy (about 0.9); on generated images with the labels they were
    conditioned on, it says how recognizable each requested class is.

    Args:
        images: float images of shape `(batch, 28, 28, 1)` in `[-1, 1]`.
        labels: int class ids `(batch,)` in `[0, 10)`.
        batch_size: images per classifier call. Defaults to 250.

    Returns:
        A Python float in `[0, 1]`.

    Raises:
        ValueError: badly shaped images, or labels that are not `batch` ints
            in `[0, 10)`.

    Example:
        >>> import kerasgan
        >>> ds = kerasgan.data.load("fashion_mnist", "test", batch_size=100,
        ...                         with_labels=True, shuffle=False, limit=100)
        >>> images, labels = next(iter(ds))
        >>> classifier_accuracy(images.numpy(), labels.numpy()) > 0.8
        True
    """
    images = np.asarray(images)
    labels = _check_labels(labels, len(images), fmc.NUM_CLASSES)
    return float(np.mean(classifier_predictions(images, batch_size) == labels))


def _check_labels(labels, num_images, num_classes):
    """Returns `labels` as int64 `(num_images,)` in `[0, num_classes)`, or raises."""
    labels = np.asarray(labels)
    if labels.shape != (num_images,) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"labels must be integer class ids of shape ({num_images},), one "
            f"per image; received dtype {labels.dtype} and shape {labels.shape}. "
            "Convert one-hot labels with argmax(axis=-1)."
        )
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"labels must lie in [0, {num_classes}); received values in [{labels.min()}, {labels.max()}]."
        )
    return labels.astype(np.int64)


def _update_real_by_class(fids, dataset, num_per_class):
    """Feeds each class's metric the first `num_per_class` real images of that class."""
    num_classes = len(fids)
    counts = np.zeros(num_classes, dtype=np.int64)
    for element in dataset:
        if not isinstance(element, (tuple, list)) or len(element) < 2:
            raise ValueError(
                "evaluate_per_class() needs a data set of (images, labels) to "
                "find the real images of each class; it received unlabelled "
                "images. Load it with kerasgan.data.load(..., with_labels=True)."
            )
        images = np.asarray(element[0])
        labels = _check_labels(element[1], len(images), num_classes)
        for class_id in np.unique(labels):
            take = num_per_class - counts[class_id]
            if take > 0:
                chosen = images[labels == class_id][:take]
                fids[class_id].update_state(real=chosen)
                counts[class_id] += len(chosen)
        if np.all(counts >= num_per_class):
            return
    short = {int(c): int(n) for c, n in enumerate(counts) if n < num_per_class}
    raise ValueError(
        f"evaluate_per_class() needs num_samples_per_class={num_per_class} "
        f"real images of every class; the data set yielded only {short} "
        "(class: count). Pass a smaller num_samples_per_class, or a larger "
        "data set."
    )


def evaluate_per_class(
    gan,
    dataset,
    num_samples_per_class=1000,
    feature_extractor="fashion_mnist",
    seed=0,
    batch_size=250,
):
    """Per-class FID and classifier accuracy of a conditional GAN.

    For every class `c`, generates `num_samples_per_class` images with label
    `c` and compares them with the first `num_samples_per_class` real images
    of class `c` in `dataset` using `FrechetInceptionDistance`; the shipped
    Fashion-MNIST classifier then says which fraction of the generated
    images it recognizes as class `c`. Only the FID's running statistics are
    kept for real images; generated images are kept one class at a time.

    Args:
        gan: a conditional `kerasgan.GAN` (e.g. `kerasgan.ConditionalGAN`)
            with `num_classes=10` and `image_shape=(28, 28, 1)`, the classes
            and images of the shipped Fashion-MNIST classifier.
        dataset: an iterable (e.g. a `tf.data.Dataset`) of `(images, labels)`
            batches: images `(batch, 28, 28, 1)` in `[-1, 1]`, int labels
            `(batch,)` in `[0, 10)`. Must hold at least
            `num_samples_per_class` images of every class.
        num_samples_per_class: real and generated images per class (>= 2).
            Defaults to 1000. FID is biased upwards at small sample sizes, so
            compare per-class FIDs at equal counts only, and expect them to
            be higher than a whole-data-set FID.
        feature_extractor: extractor of the FID: `"fashion_mnist"`
            (default), `"inception_v3"`, or a `keras.Model`; see
            `kerasgan.metrics`. The accuracy always uses the Fashion-MNIST
            classifier.
        seed: int seed of the generator's latents (default 0), or None for
            fresh ones.
        batch_size: images per generator, extractor and classifier call.
            Defaults to 250.

    Returns:
        A dict: `"fid_per_class"` (`{class_id: float}`), `"mean_class_fid"`
        (their mean), `"class_accuracy"` (fraction of all generated images
        classified as their label) and `"accuracy_per_class"`
        (`{class_id: float}`). Values are Python floats, class ids ints.

    Raises:
        ValueError: an unconditional GAN, a GAN whose images or classes are
            not Fashion-MNIST's, a data set without labels, too few real
            images of some class, or invalid counts.

    Example:
        >>> import kerasgan
        >>> cgan = kerasgan.ConditionalGAN(num_classes=10, image_shape=(28, 28, 1),
        ...                                latent_dim=8, seed=0)
        >>> ds = kerasgan.data.load("fashion_mnist", "test", batch_size=100,
        ...                         with_labels=True, shuffle=False, limit=1000)
        >>> scores = kerasgan.evaluate_per_class(cgan, ds, num_samples_per_class=20)
        >>> sorted(scores)
        ['accuracy_per_class', 'class_accuracy', 'fid_per_class', 'mean_class_fid']

    Reference:
        Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge
        to a Local Nash Equilibrium", NeurIPS 2017 (FID).
        https://arxiv.org/abs/1706.08500
    """
    if gan.num_classes is None:
        raise ValueError(
            f"evaluate_per_class() needs a conditional GAN (built with "
            f"num_classes=...); received an unconditional {type(gan).__name__}. "
            "Score unconditional models with kerasgan.evaluate()."
        )
    _check_classifier_input(gan.image_shape, gan.num_classes, "evaluate_per_class()")
    num_per_class = validation.validate_positive_int(
        num_samples_per_class, "num_samples_per_class", minimum=2
    )
    batch_size = validation.validate_positive_int(batch_size, "batch_size")

    fids = [
        FrechetInceptionDistance(feature_extractor=feature_extractor, batch_size=batch_size)
        for _ in range(gan.num_classes)
    ]
    _update_real_by_class(fids, dataset, num_per_class)

    fid_per_class, accuracy_per_class = {}, {}
    for (class_id, fid), class_seed in zip(enumerate(fids), latent_seeds(seed)):
        fake = gan.generate(num_per_class, seed=class_seed, labels=class_id, batch_size=batch_size)
        fid.update_state(fake=fake)
        fid_per_class[class_id] = float(fid.result())
        accuracy_per_class[class_id] = classifier_accuracy(
            fake, np.full(num_per_class, class_id), batch_size=batch_size
        )
    return {
        "fid_per_class": fid_per_class,
        "mean_class_fid": float(np.mean(list(fid_per_class.values()))),
        # Every class has the same number of samples, so this is the overall rate.
        "class_accuracy": float(np.mean(list(accuracy_per_class.values()))),
        "accuracy_per_class": accuracy_per_class,
    }
