"""`mix`: real and synthetic examples interleaved at a fixed ratio."""

import numbers

import numpy as np
import tensorflow as tf


def _describe(spec):
    images, labels = spec
    return (
        f"images {images.dtype.name} {tuple(images.shape)} "
        f"with labels {labels.dtype.name} {tuple(labels.shape)}"
    )


def _check_batched_pairs(dataset, name):
    """Checks that `dataset` yields `(images, labels)` batches; returns its element spec."""
    if not isinstance(dataset, tf.data.Dataset):
        raise ValueError(f"{name} must be a tf.data.Dataset; received {type(dataset).__name__}.")
    spec = dataset.element_spec
    if not (
        isinstance(spec, tuple) and len(spec) == 2 and all(isinstance(part, tf.TensorSpec) for part in spec)
    ):
        raise ValueError(
            f"{name} must yield (images, labels) pairs; it yields {spec}. Load labels "
            "too (kerasgan.data.load(..., with_labels=True)) or drop extra parts with "
            "ds.map(lambda x, y, *rest: (x, y))."
        )
    images, labels = spec
    if images.shape.rank != 4 or labels.shape.rank not in (1, 2):
        raise ValueError(
            f"{name} must yield batches: images (batch, H, W, C) and labels (batch,) or "
            f"(batch, num_classes); it yields images of shape {tuple(images.shape)} and "
            f"labels of shape {tuple(labels.shape)}. Batch it first (ds.batch(32)); give "
            "grayscale images a channel axis."
        )
    return spec


def _count_examples(dataset, batch_size):
    """Examples in one pass over a finite batched data set (iterates it when it must)."""
    num_batches = int(dataset.cardinality())
    if num_batches == int(tf.data.INFINITE_CARDINALITY):
        raise ValueError(
            "real_ds is infinite (.repeat()); mix makes one epoch out of one pass over "
            "real_ds. Pass the finite data set and choose the epochs in fit()."
        )
    if num_batches >= 0 and batch_size is not None:
        return num_batches * batch_size

    def add_batch(count, batch):
        return count + tf.cast(tf.shape(batch[0])[0], tf.int64)

    return int(dataset.reduce(tf.constant(0, tf.int64), add_batch))


def mix(real_ds, synthetic_ds, ratio, batch_size=None, seed=None):
    """Interleaves real and synthetic examples so that `ratio` of the output is synthetic.

    Both inputs are batched `(images, labels)` data sets (as
    `kerasgan.data.load(..., with_labels=True)` and `synthetic_dataset`
    give). One pass over the output (one epoch of `fit`) holds each of the
    `N` examples of one pass over `real_ds` exactly once and `M =
    round(N * ratio / (1 - ratio))` synthetic examples (`M = N` for
    `ratio=0.5`), taken in turn from the synthetic stream, repeated as
    needed. The two kinds are placed in a random order (seeded,
    different every epoch, `tf.data.Dataset.choose_from_datasets`) and
    batched again, so every batch mixes both. The output has a known
    length, so Keras shows the epoch's progress and never runs out of data
    mid-epoch.

    `N` comes from the cardinality of `real_ds` when its batches have a
    fixed size (`drop_remainder=True`); otherwise `mix` counts the examples
    by iterating `real_ds` once.

    Args:
        real_ds: finite `tf.data.Dataset` of `(images, labels)` batches:
            images `(batch, H, W, C)`, labels `(batch,)` or `(batch,
            num_classes)`.
        synthetic_ds: a data set of the same kind (same image shape and
            dtype, same label shape and dtype), e.g. from
            `kerasgan.augment.synthetic_dataset`. Its images must use the
            same value range as the real ones (this cannot be checked
            ahead).
        ratio: fraction of synthetic examples in the output, `0 <= ratio <
            1`. 0 gives the real data alone (re-batched); 0.5 one synthetic
            example per real one.
        batch_size: positive int, examples per output batch. Defaults to
            None: the batch size of `real_ds` (which must then be fixed, as
            with `drop_remainder=True`).
        seed: optional int for a repeatable order (under the same global
            seed, as for any seeded `tf.data` shuffle).

    Returns:
        A `tf.data.Dataset` of `ceil((N + M) / batch_size)` batches of
        `(images, labels)` (the last one may be smaller) with the element
        types of the inputs.

    Raises:
        ValueError: a ratio outside `[0, 1)`, inputs that are not batched
            `(images, labels)` data sets, inputs whose image or label
            shapes or dtypes differ (the message shows both), an infinite or
            empty `real_ds`, or no `batch_size` when `real_ds` has no fixed
            batch size.

    Example:
        >>> real = kerasgan.data.load("fashion_mnist", with_labels=True, limit=512)
        >>> cgan = kerasgan.ConditionalGAN(num_classes=10, latent_dim=8)
        >>> synthetic = kerasgan.augment.synthetic_dataset(cgan, n_per_class=50, seed=0)
        >>> train = mix(real, synthetic, ratio=0.2, seed=0)
        >>> int(train.cardinality())  # (512 real + 128 synthetic) / 128
        5

    Reference:
        Ravuri & Vinyals, "Classification Accuracy Score for Conditional
        Generative Models", NeurIPS 2019 (how much synthetic data to mix in,
        and when it helps).
    """
    if isinstance(ratio, bool) or not isinstance(ratio, numbers.Real) or not 0.0 <= ratio < 1.0:
        raise ValueError(
            "ratio is the fraction of synthetic examples in the output and must lie in "
            f"[0, 1); received ratio={ratio!r}."
        )
    real_spec = _check_batched_pairs(real_ds, "real_ds")
    synthetic_spec = _check_batched_pairs(synthetic_ds, "synthetic_ds")
    real_examples = tuple(tf.TensorSpec(s.shape[1:], s.dtype) for s in real_spec)
    synthetic_examples = tuple(tf.TensorSpec(s.shape[1:], s.dtype) for s in synthetic_spec)
    if not all(
        r.dtype == s.dtype and r.shape.is_compatible_with(s.shape)
        for r, s in zip(real_examples, synthetic_examples)
    ):
        raise ValueError(
            "real_ds and synthetic_ds must yield the same kind of examples; real_ds has "
            f"{_describe(real_examples)}, synthetic_ds has {_describe(synthetic_examples)}. "
            "synthetic_dataset(one_hot=...) picks int32 ids or float32 one-hot labels; "
            "convert the other with ds.map(...)."
        )
    real_batch_size = real_spec[0].shape[0]
    if batch_size is None:
        if real_batch_size is None:
            raise ValueError(
                "real_ds has no fixed batch size (its last batch may be smaller); pass batch_size= to mix."
            )
        batch_size = real_batch_size
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
        raise ValueError(f"batch_size must be None or a positive int; received {batch_size!r}.")
    num_real = _count_examples(real_ds, real_batch_size)
    if num_real == 0:
        raise ValueError("real_ds holds no examples; there is nothing to mix.")
    num_synthetic = round(num_real * ratio / (1.0 - ratio))
    examples = real_ds.unbatch()
    if num_synthetic > 0:
        # 0 picks the next real example, 1 the next synthetic one; reshuffled every epoch.
        choices = np.repeat(np.array([0, 1], dtype="int64"), [num_real, num_synthetic])
        order = tf.data.Dataset.from_tensor_slices(choices).shuffle(
            len(choices), seed=seed, reshuffle_each_iteration=True
        )
        examples = tf.data.Dataset.choose_from_datasets([examples, synthetic_ds.unbatch().repeat()], order)
    num_batches = -(-(num_real + num_synthetic) // int(batch_size))
    batches = examples.batch(int(batch_size)).apply(tf.data.experimental.assert_cardinality(num_batches))
    return batches.prefetch(tf.data.AUTOTUNE)
