"""Tests for `ImagePool`, CycleGAN's history buffer of generated images."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from kerasgan.models.image_pool import ImagePool

IMAGE_SHAPE = (4, 4, 1)


def distinct_images(start, n):
    """`n` images, image `k` filled with the value `start + k` (never 0)."""
    values = np.arange(start, start + n, dtype="float32")
    return np.broadcast_to(values[:, None, None, None], (n, *IMAGE_SHAPE)).copy()


def ids(images):
    """The value each image is filled with, as ints (checks images are constant)."""
    images = np.asarray(images)
    flat = images.reshape(len(images), -1)
    np.testing.assert_array_equal(flat, flat[:, :1].repeat(flat.shape[1], axis=1))
    return flat[:, 0].astype("int64")


def test_filling_returns_inputs_and_counts_up_to_pool_size():
    pool = ImagePool(pool_size=10, image_shape=IMAGE_SHAPE)
    seed_generator = keras.random.SeedGenerator(0)
    assert pool.images.shape == (10, *IMAGE_SHAPE)
    assert pool.count.dtype == "int32" and int(pool.count) == 0
    assert not pool.trainable_weights and len(pool.non_trainable_weights) == 2

    first = distinct_images(1, 4)
    out = pool.query(first, seed_generator)
    np.testing.assert_array_equal(np.asarray(out), first)
    assert int(pool.count) == 4
    np.testing.assert_array_equal(ids(pool.images.numpy()), [1, 2, 3, 4, 0, 0, 0, 0, 0, 0])

    second = distinct_images(5, 4)
    np.testing.assert_array_equal(np.asarray(pool.query(second, seed_generator)), second)
    assert int(pool.count) == 8

    # Not yet full before this query: returned unchanged, wraps onto slots 0 and 1.
    third = distinct_images(9, 4)
    np.testing.assert_array_equal(np.asarray(pool.query(third, seed_generator)), third)
    assert int(pool.count) == 10
    np.testing.assert_array_equal(ids(pool.images.numpy()), [11, 12, 3, 4, 5, 6, 7, 8, 9, 10])


def test_full_pool_mixes_stored_and_own_images():
    pool = ImagePool(pool_size=8, image_shape=IMAGE_SHAPE)
    seed_generator = keras.random.SeedGenerator(1)
    pool.query(distinct_images(1, 8), seed_generator)
    seen = set(range(1, 9))
    from_pool = 0
    total = 0
    for step in range(25):
        batch = distinct_images(100 + 8 * step, 8)
        before = set(ids(pool.images.numpy()))
        out = ids(pool.query(batch, seed_generator))
        own = ids(batch)
        for returned, mine in zip(out, own):
            # Always an image passed in at some point: its own, or one stored
            # before this query (read before write).
            assert returned == mine or returned in before
            assert returned in seen or returned == mine
            from_pool += int(returned != mine)
            total += 1
        seen.update(own.tolist())
        after = ids(pool.images.numpy())
        assert 0 not in after
        assert set(after) <= seen
        assert int(pool.count) == 8
    assert total == 200
    assert 0.25 * total <= from_pool <= 0.75 * total


def test_swapped_images_take_the_slot_they_were_read_from():
    pool = ImagePool(pool_size=5, image_shape=IMAGE_SHAPE)
    seed_generator = keras.random.SeedGenerator(2)
    pool.query(distinct_images(1, 5), seed_generator)
    for step in range(10):
        before = ids(pool.images.numpy())
        batch = distinct_images(10 + step, 1)
        out = ids(pool.query(batch, seed_generator))[0]
        after = ids(pool.images.numpy())
        if out == 10 + step:
            np.testing.assert_array_equal(after, before)
        else:
            slot = int(np.flatnonzero(before == out)[0])
            expected = before.copy()
            expected[slot] = 10 + step
            np.testing.assert_array_equal(after, expected)


def test_batch_larger_than_pool_keeps_last_writes():
    pool = ImagePool(pool_size=3, image_shape=IMAGE_SHAPE)
    seed_generator = keras.random.SeedGenerator(3)
    batch = distinct_images(1, 7)
    np.testing.assert_array_equal(np.asarray(pool.query(batch, seed_generator)), batch)
    # Positions 0..6 map to slots 0, 1, 2, 0, 1, 2, 0: the last write wins.
    np.testing.assert_array_equal(ids(pool.images.numpy()), [7, 5, 6])
    assert int(pool.count) == 3
    # Once full, many examples fight over 3 slots; each slot ends holding
    # one of this batch's images or its previous one.
    batch = distinct_images(20, 16)
    out = ids(pool.query(batch, seed_generator))
    assert set(out) <= {5, 6, 7} | set(range(20, 36))
    assert set(ids(pool.images.numpy())) <= {5, 6, 7} | set(range(20, 36))


@pytest.mark.slow  # long; run with -m slow (suite time)
def test_query_in_tf_function_with_dynamic_batch():
    pool = ImagePool(pool_size=6, image_shape=IMAGE_SHAPE)
    seed_generator = keras.random.SeedGenerator(4)

    @tf.function(input_signature=[tf.TensorSpec((None, *IMAGE_SHAPE), tf.float32)])
    def query(images):
        return pool.query(images, seed_generator)

    out = query(tf.constant(distinct_images(1, 4)))
    np.testing.assert_array_equal(out.numpy(), distinct_images(1, 4))
    assert int(pool.count) == 4
    out = query(tf.constant(distinct_images(5, 3)))
    np.testing.assert_array_equal(out.numpy(), distinct_images(5, 3))
    assert int(pool.count) == 6
    np.testing.assert_array_equal(ids(pool.images.numpy()), [7, 2, 3, 4, 5, 6])
    seen = set(range(1, 8))
    for step in range(5):
        batch = distinct_images(10 + 5 * step, 5)
        out = ids(query(tf.constant(batch)).numpy())
        assert set(out) <= seen | set(ids(batch))
        seen.update(ids(batch).tolist())
    assert query.experimental_get_tracing_count() == 1


def test_identically_seeded_pools_agree():
    outputs = []
    for _ in range(2):
        pool = ImagePool(pool_size=4, image_shape=IMAGE_SHAPE)
        seed_generator = keras.random.SeedGenerator(1337)
        results = [np.asarray(pool.query(distinct_images(1 + 4 * k, 4), seed_generator)) for k in range(6)]
        outputs.append((results, pool.images.numpy()))
    for a, b in zip(outputs[0][0], outputs[1][0]):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(outputs[0][1], outputs[1][1])


def test_output_has_no_gradient_and_keeps_dtype():
    pool = ImagePool(pool_size=4, image_shape=IMAGE_SHAPE)
    seed_generator = keras.random.SeedGenerator(5)
    images = tf.Variable(distinct_images(1, 2))
    with tf.GradientTape() as tape:
        out = pool.query(images, seed_generator)
        loss = tf.reduce_sum(out)
    assert tape.gradient(loss, images) is None
    half = pool.query(tf.constant(distinct_images(3, 2), tf.float16), seed_generator)
    assert half.dtype == tf.float16


def test_state_round_trips_through_variable_store():
    pool = ImagePool(pool_size=4, image_shape=IMAGE_SHAPE)
    pool.query(distinct_images(1, 3), keras.random.SeedGenerator(6))
    store = {}
    pool.save_own_variables(store)
    restored = ImagePool.from_config(pool.get_config())
    restored.load_own_variables(store)
    np.testing.assert_array_equal(restored.images.numpy(), pool.images.numpy())
    assert int(restored.count) == 3


@keras.saving.register_keras_serializable(package="kerasgan_tests")
class PoolHolder(keras.Model):
    """A tiny model holding an `ImagePool`, as a CycleGAN would."""

    def __init__(self, pool_size=4, **kwargs):
        super().__init__(**kwargs)
        self.pool_size = pool_size
        self.pool = ImagePool(pool_size, IMAGE_SHAPE, name="fake_a_pool")
        self.built = True

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size}


def test_state_round_trips_through_keras_file(tmp_path):
    model = PoolHolder(pool_size=4)
    model.pool.query(distinct_images(1, 6), keras.random.SeedGenerator(7))
    path = str(tmp_path / "holder.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(loaded.pool.images.numpy(), model.pool.images.numpy())
    np.testing.assert_array_equal(ids(loaded.pool.images.numpy()), [5, 6, 3, 4])
    assert int(loaded.pool.count) == 4


def test_config_round_trip():
    pool = ImagePool(pool_size=50, image_shape=[28, 28, 1], name="history")
    config = pool.get_config()
    assert config["pool_size"] == 50 and tuple(config["image_shape"]) == (28, 28, 1)
    clone = ImagePool.from_config(config)
    assert clone.name == "history"
    assert clone.pool_size == 50 and clone.image_shape == (28, 28, 1)
    assert clone.compute_output_shape((None, 28, 28, 1)) == (None, 28, 28, 1)


@pytest.mark.parametrize("pool_size", [0, -1, 2.5, True, "50", None])
def test_bad_pool_size_raises(pool_size):
    with pytest.raises(ValueError, match="pool_size"):
        ImagePool(pool_size=pool_size, image_shape=IMAGE_SHAPE)


@pytest.mark.parametrize("image_shape", [(4, 4), (0, 4, 1), (4, -4, 1), None, (4, 4, 1, 1)])
def test_bad_image_shape_raises(image_shape):
    with pytest.raises(ValueError, match="image_shape"):
        ImagePool(pool_size=4, image_shape=image_shape)


def test_bad_query_arguments_raise():
    pool = ImagePool(pool_size=4, image_shape=IMAGE_SHAPE)
    seed_generator = keras.random.SeedGenerator(8)
    with pytest.raises(ValueError, match=r"received shape \(2, 5, 5, 1\)"):
        pool.query(np.zeros((2, 5, 5, 1), "float32"), seed_generator)
    with pytest.raises(ValueError, match="SeedGenerator"):
        pool.query(distinct_images(1, 2), 42)
    assert int(pool.count) == 0
