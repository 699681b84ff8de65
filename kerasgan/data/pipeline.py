"""The shared tf.data tail: batch, scale to [-1, 1], resize, prefetch."""

import tensorflow as tf

from kerasgan.utils.validation import validate_enough_examples

UINT8_RANGE = (0.0, 255.0)


def scale_and_resize(images, value_range, image_size=None):
    """Maps a batch of images from `value_range` to float32 `[-1, 1]`.

    Args:
        images: a tensor of shape `(batch, H, W, C)`, any real dtype, with
            values in `value_range`.
        value_range: `(low, high)`; `low` maps to -1 and `high` to 1.
        image_size: optional `(height, width)`. When it differs from
            `(H, W)` the scaled images are resized (bilinear, antialiased),
            which keeps them in `[-1, 1]`.

    Returns:
        A float32 tensor of shape `(batch, height, width, C)` in `[-1, 1]`.

    Example:
        >>> batch = tf.constant([[[[0]], [[255]]]], tf.uint8)
        >>> scale_and_resize(batch, (0, 255)).numpy().ravel().tolist()
        [-1.0, 1.0]
    """
    low, high = (float(v) for v in value_range)
    images = (tf.cast(images, tf.float32) - low) / ((high - low) / 2.0) - 1.0
    images = tf.clip_by_value(images, -1.0, 1.0)
    if image_size is not None and tuple(images.shape[1:3]) != tuple(image_size):
        images = tf.image.resize(images, image_size, method="bilinear", antialias=True)
        images = tf.clip_by_value(images, -1.0, 1.0)
    return images


def batch_and_finish(dataset, batch_size, drop_remainder, transform):
    """Batches `dataset`, maps `transform` over the batches, prefetches.

    Args:
        dataset: a `tf.data.Dataset` of single examples.
        batch_size: positive int.
        drop_remainder: whether to drop an incomplete last batch.
        transform: a function applied to each batch's components (runs in
            parallel with `AUTOTUNE`, order kept).

    Returns:
        The finished `tf.data.Dataset`.

    Example:
        >>> ds = batch_and_finish(tf.data.Dataset.range(10), 4, True,
        ...                       lambda x: x * 2)
        >>> [b.numpy().tolist() for b in ds]
        [[0, 2, 4, 6], [8, 10, 12, 14]]
    """
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    dataset = dataset.map(transform, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.prefetch(tf.data.AUTOTUNE)


def array_dataset(images, labels, value_range, source, batch_size, image_size, shuffle, seed, drop_remainder):
    """Builds the training pipeline over images held in memory.

    Refuses data that would give an empty data set, then shuffles example
    indices (a full shuffle costs 8 bytes per example, not a copy of the
    images), batches them, gathers, scales and resizes each batch in one
    parallel `map`, and prefetches.

    Args:
        images: NumPy array `(N, H, W, C)` with values in `value_range`.
        labels: NumPy int array `(N,)`, or `None` to yield images only.
        value_range: `(low, high)` of `images`.
        source: a short description of the data for error messages.
        batch_size: positive int.
        image_size: `(height, width)` to resize to, or `None`.
        shuffle: whether to shuffle every epoch.
        seed: optional int; the same seed gives the same order.
        drop_remainder: whether to drop an incomplete last batch.

    Returns:
        A `tf.data.Dataset` of float32 images `(batch, height, width, C)` in
        `[-1, 1]`, or of `(images, labels)` with int32 labels.

    Example:
        >>> import numpy as np
        >>> x = np.zeros((8, 4, 4, 1), np.uint8)
        >>> ds = array_dataset(x, None, (0, 255), "x", 4, None, True, None, True)
        >>> next(iter(ds)).shape
        TensorShape([4, 4, 4, 1])
    """
    validate_enough_examples(len(images), batch_size, drop_remainder, source)
    images = tf.constant(images)
    labels = None if labels is None else tf.constant(labels, tf.int32)
    indices = tf.data.Dataset.range(int(images.shape[0]))
    if shuffle:
        indices = indices.shuffle(int(images.shape[0]), seed=seed)

    def gather(batch_indices):
        batch = scale_and_resize(tf.gather(images, batch_indices), value_range, image_size)
        return batch if labels is None else (batch, tf.gather(labels, batch_indices))

    return batch_and_finish(indices, batch_size, drop_remainder, gather)
