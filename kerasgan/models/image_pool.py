"""`ImagePool`: CycleGAN's history buffer of generated images."""

import keras
from keras import ops

from kerasgan.utils.validation import validate_image_shape


@keras.saving.register_keras_serializable(package="kerasgan")
class ImagePool(keras.layers.Layer):
    """A buffer of previously generated images, fed to the discriminator.

    The discriminator sees, for each generated image, either that image or one
    generated earlier in training, which keeps it from forgetting the
    generator's past mistakes and damps oscillation (Shrivastava et al. 2017;
    CycleGAN uses a pool of 50 images per generator).

    `query(images, seed_generator)` works on a whole batch, with keras.ops
    only, so it runs inside a `tf.function` (or a jitted step) with a dynamic
    batch size:

    - While the pool is not full (`count < pool_size` before the query), the
      batch's images are stored in the next slots, positions
      `(count + i) % pool_size`, and returned unchanged.
    - Once full, each example independently, with probability 0.5, returns a
      stored image from a uniformly drawn slot and its own image takes that
      slot; otherwise it returns its own image, which is not stored.

    Reads happen before writes, so every returned stored image was in the pool
    before the query. When several examples of one batch write the same slot,
    the last of them (in batch order) wins, on every device. Every query draws
    from `seed_generator` the same way whether or not the pool is full, so two
    identically seeded generators give identical outputs. The returned images
    carry no gradient (`stop_gradient`): the pool feeds the discriminator's
    update only.

    The state is two non-trainable weights, `images` (float32, shape
    `(pool_size, H, W, C)`, zeros at first) and `count` (int32 scalar, filled
    slots, capped at `pool_size`). An `ImagePool` is usually created by a model
    (one per generator) in its `__init__`; its weights are then saved in
    `.keras` files and checkpoints with the model's, so a resumed run goes on
    with the same history. The layer has no `call`: use `query`.

    Args:
        pool_size: positive int, the number of stored images (50 in CycleGAN).
            To train without a pool, do not create one.
        image_shape: `(height, width, channels)`, positive ints: the shape of
            one image.
        **kwargs: base `keras.layers.Layer` arguments such as `name`.

    Example:
        >>> pool = ImagePool(pool_size=4, image_shape=(8, 8, 3))
        >>> seed_generator = keras.random.SeedGenerator(0)
        >>> fake = keras.random.normal((2, 8, 8, 3), seed=seed_generator)
        >>> out = pool.query(fake, seed_generator)  # fills slots 0 and 1
        >>> tuple(out.shape), int(pool.count)
        ((2, 8, 8, 3), 2)

    Reference:
        Shrivastava et al., "Learning from Simulated and Unsupervised Images
        through Adversarial Training", CVPR 2017; Zhu et al., "Unpaired
        Image-to-Image Translation using Cycle-Consistent Adversarial
        Networks", ICCV 2017.
    """

    def __init__(self, pool_size, image_shape, **kwargs):
        super().__init__(**kwargs)
        if isinstance(pool_size, bool) or not isinstance(pool_size, int) or pool_size < 1:
            raise ValueError(
                f"ImagePool pool_size must be a positive integer (CycleGAN uses 50); "
                f"received {pool_size!r}. To train without a history of images, "
                "do not create an ImagePool."
            )
        self.pool_size = pool_size
        self.image_shape = validate_image_shape(image_shape)
        self.images = self.add_weight(
            shape=(pool_size, *self.image_shape),
            initializer="zeros",
            dtype="float32",
            trainable=False,
            name="images",
        )
        self.count = self.add_weight(
            shape=(),
            initializer="zeros",
            dtype="int32",
            trainable=False,
            name="count",
        )
        self.built = True

    def query(self, images, seed_generator):
        """Returns a batch mixing `images` with stored ones, and updates the pool.

        See the class docstring for the rule. Draws one uniform number and one
        slot per example from `seed_generator` on every call.

        Args:
            images: generated images, shape `(batch, H, W, C)` with
                `(H, W, C) == image_shape`; any float dtype, stored as float32.
                The batch size may be dynamic.
            seed_generator: a `keras.random.SeedGenerator`, usually the model's.

        Returns:
            A tensor with the shape and dtype of `images`, without gradient.

        Example:
            >>> pool = ImagePool(pool_size=50, image_shape=(28, 28, 1))
            >>> seed_generator = keras.random.SeedGenerator(0)
            >>> fake = keras.ops.zeros((8, 28, 28, 1))
            >>> tuple(pool.query(fake, seed_generator).shape)
            (8, 28, 28, 1)
        """
        if not isinstance(seed_generator, keras.random.SeedGenerator):
            raise ValueError(
                "ImagePool.query expects a keras.random.SeedGenerator as "
                f"seed_generator; received {type(seed_generator).__name__}. Pass "
                "the model's seed generator, e.g. keras.random.SeedGenerator(1337)."
            )
        images = ops.convert_to_tensor(images)
        shape = tuple(images.shape)
        if len(shape) != 4 or any(d is not None and d != e for d, e in zip(shape[1:], self.image_shape)):
            raise ValueError(
                f"ImagePool {self.name!r} expects images of shape (batch, "
                f"{', '.join(str(d) for d in self.image_shape)}); received shape "
                f"{shape}. Build the pool with image_shape equal to the "
                "generator's output shape."
            )
        input_dtype = images.dtype
        images = ops.cast(ops.stop_gradient(images), "float32")
        batch = ops.shape(images)[0]
        pool = ops.convert_to_tensor(self.images)
        count = ops.convert_to_tensor(self.count)
        full = ops.greater_equal(count, self.pool_size)

        # Draws are made on every query, full or not, so that the seed stream
        # does not depend on the pool's state.
        swap = ops.less(keras.random.uniform((batch,), seed=seed_generator), 0.5)
        random_slots = keras.random.randint((batch,), 0, self.pool_size, dtype="int32", seed=seed_generator)

        # Read before write: stored images come from the pool before this query.
        stored = ops.take(pool, random_slots, axis=0)
        swap_images = ops.reshape(swap, (-1, 1, 1, 1))
        outputs = ops.where(full, ops.where(swap_images, stored, images), images)

        positions = ops.arange(batch, dtype="int32")
        fill_slots = ops.mod(count + positions, self.pool_size)
        slots = ops.where(full, random_slots, fill_slots)
        writes = ops.logical_or(ops.logical_not(full), swap)

        # Scattering duplicate indices is unordered on some devices. Give every
        # example aimed at a slot the image of the last writer to that slot (or
        # the slot's current image when none writes it), so that all updates to
        # one slot are equal and the result is deterministic: last write wins.
        same_slot = ops.equal(ops.expand_dims(slots, 1), ops.expand_dims(slots, 0))
        writer = ops.logical_and(same_slot, ops.expand_dims(writes, 0))
        last_writer = ops.max(ops.where(writer, ops.expand_dims(positions, 0), -1), axis=1)
        written = ops.take(images, ops.maximum(last_writer, 0), axis=0)
        kept = ops.take(pool, slots, axis=0)
        updates = ops.where(ops.reshape(last_writer >= 0, (-1, 1, 1, 1)), written, kept)
        self.images.assign(ops.scatter_update(pool, ops.expand_dims(slots, 1), updates))
        self.count.assign(ops.cast(ops.minimum(count + ops.cast(batch, "int32"), self.pool_size), "int32"))
        return ops.cast(ops.stop_gradient(outputs), input_dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"pool_size": self.pool_size, "image_shape": self.image_shape})
        return config
