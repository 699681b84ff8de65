"""The mask samplers of inpainting: where their holes lie, their sizes, their seeds, their configs."""

import keras
import numpy as np
import pytest

from kerasgan.models.masks import (
    CentreMask,
    RectangleMask,
    StrokeMask,
    checked_masks,
    get_mask_sampler,
    validate_masks,
)

SIZE = (28, 28)


def draw(sampler, count=16, seed=0, size=SIZE):
    return keras.ops.convert_to_numpy(sampler(count, size, seed=seed))


def bounding_box(mask):
    """`(rows, cols)` spanned by the missing pixels of one `(H, W)` mask."""
    rows, cols = np.nonzero(mask)
    return rows.max() - rows.min() + 1, cols.max() - cols.min() + 1


@pytest.mark.jax
def test_the_centre_hole_is_the_middle_half_of_every_image():
    masks = draw(CentreMask(), count=3)
    expected = np.zeros((28, 28), "float32")
    expected[7:21, 7:21] = 1.0
    assert masks.shape == (3, 28, 28, 1) and masks.dtype == np.float32
    for mask in masks:
        np.testing.assert_array_equal(mask[..., 0], expected)
    # A (height, width) hole with odd margins: rounded towards the top left.
    odd = draw(CentreMask(hole_size=(5, 10)), count=1, size=(12, 15))[0, ..., 0]
    assert odd.sum() == 50 and odd[3:8, 2:12].all()


@pytest.mark.jax
def test_one_rectangle_is_whole_inside_the_image_and_within_its_sizes():
    masks = draw(RectangleMask(max_rectangles=1, min_size=3, max_size=9), count=32)[..., 0]
    assert set(np.unique(masks)) == {0.0, 1.0}
    sides = []
    for mask in masks:
        height, width = bounding_box(mask)
        assert mask.sum() == height * width, "one filled rectangle, not cut by the border"
        assert 3 <= height <= 9 and 3 <= width <= 9
        sides.extend([height, width])
    assert len(set(sides)) > 3, "sizes vary"
    assert len({mask.tobytes() for mask in masks}) == len(masks), "every example has its own"


@pytest.mark.jax
def test_several_rectangles_cover_at_most_their_largest_area():
    masks = draw(RectangleMask(max_rectangles=3, min_size=2, max_size=6), count=64)[..., 0]
    areas = masks.sum(axis=(1, 2))
    assert (areas >= 4).all() and (areas <= 3 * 36).all()
    assert areas.max() > 36, "more than one rectangle in some mask"


@pytest.mark.jax
def test_a_stroke_stays_near_its_segment_and_varies():
    sampler = StrokeMask(max_strokes=1, num_segments=1, max_length=8, min_width=2, max_width=4)
    masks = draw(sampler, count=32)[..., 0]
    assert set(np.unique(masks)) == {0.0, 1.0}
    for mask in masks:
        height, width = bounding_box(mask)
        # A segment of at most 8 pixels and a brush of radius at most 2 on each side.
        assert mask.sum() > 0 and height <= 8 + 4 + 1 and width <= 8 + 4 + 1
    assert len({mask.tobytes() for mask in masks}) == len(masks)
    many = draw(StrokeMask(), count=32)[..., 0]
    assert (many.sum(axis=(1, 2)) > 0).all() and many.mean() < 0.5


@pytest.mark.jax
@pytest.mark.parametrize("sampler", [RectangleMask(), StrokeMask()], ids=["rectangles", "strokes"])
def test_one_seed_draws_the_same_masks_and_a_seed_generator_moves_on(sampler):
    np.testing.assert_array_equal(draw(sampler, seed=5), draw(sampler, seed=5))
    assert not np.array_equal(draw(sampler, seed=5), draw(sampler, seed=6))
    generator = keras.random.SeedGenerator(3)
    first, second = draw(sampler, seed=generator), draw(sampler, seed=generator)
    assert not np.array_equal(first, second), "each call draws new masks"
    again = keras.random.SeedGenerator(3)
    np.testing.assert_array_equal(draw(sampler, seed=again), first)


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="traces a tf.function")
@pytest.mark.parametrize("sampler", [CentreMask(), RectangleMask(), StrokeMask()], ids=["c", "r", "s"])
def test_a_sampler_traces_for_an_unknown_batch_size(sampler):
    import tensorflow as tf

    @tf.function(input_signature=[tf.TensorSpec((None, 28, 28, 1))])
    def masks_like(images):
        return sampler.sample(
            tf.shape(images)[0], SIZE, lambda count: tf.random.uniform((tf.shape(images)[0], count))
        )

    masks = masks_like(tf.zeros((5, 28, 28, 1))).numpy()
    assert masks.shape == (5, 28, 28, 1) and set(np.unique(masks)) <= {0.0, 1.0}


@pytest.mark.jax
@pytest.mark.parametrize(
    "sampler",
    [CentreMask(hole_size=(6, 8)), RectangleMask(max_rectangles=4, max_size=7), StrokeMask(max_strokes=2)],
    ids=["centre", "rectangles", "strokes"],
)
def test_samplers_round_trip_through_their_config(sampler):
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(sampler))
    assert type(restored) is type(sampler) and restored.get_config() == sampler.get_config()
    np.testing.assert_array_equal(draw(restored, seed=1), draw(sampler, seed=1))


def test_names_and_hole_sizes_choose_the_sampler():
    assert isinstance(get_mask_sampler("center"), CentreMask)
    assert get_mask_sampler("centre", hole_size=10).hole_size == (10, 10)
    assert get_mask_sampler("rectangles", hole_size=10).max_size == 10
    sampler = StrokeMask()
    assert get_mask_sampler(sampler) is sampler
    with pytest.raises(ValueError, match="'centre', 'rectangles', 'strokes'"):
        get_mask_sampler("circle")
    with pytest.raises(ValueError, match="does not apply to mask='strokes'"):
        get_mask_sampler("strokes", hole_size=4)
    with pytest.raises(ValueError, match="set its sizes on the object"):
        get_mask_sampler(sampler, hole_size=4)


def test_bad_sampler_arguments_are_clear_errors():
    with pytest.raises(
        ValueError, match="max_rectangles must be a positive integer; received max_rectangles=0"
    ):
        RectangleMask(max_rectangles=0)
    with pytest.raises(ValueError, match="hole_size must be a positive int or a pair"):
        CentreMask(hole_size=(3, 0))
    with pytest.raises(ValueError, match=r"does not fit images of \(H, W\) = \(28, 28\)"):
        CentreMask(hole_size=30).check(SIZE)
    with pytest.raises(ValueError, match="min_size=9, max_size=4"):
        RectangleMask(min_size=9, max_size=4).check(SIZE)
    with pytest.raises(ValueError, match="min_width=5, max_width=2"):
        StrokeMask(min_width=5, max_width=2).check(SIZE)


def test_host_and_graph_checks_name_what_they_received():
    good = np.zeros((2, 4, 4, 1), bool)
    assert validate_masks(good, (4, 4, 3), 2, "inpaint").dtype == np.float32
    with pytest.raises(
        ValueError, match=r"shape \(N, 4, 4, 1\).*received shape \(2, 4, 4\)\. Add a channel axis"
    ):
        validate_masks(good[..., 0], (4, 4, 3), 2, "inpaint")
    with pytest.raises(ValueError, match=r"received 3 other values, e.g. \[0.5\]"):
        validate_masks(np.array([0.5, 0.5, 0.5, 1.0]).reshape(1, 2, 2, 1), (2, 2, 1), 1, "inpaint")
    with pytest.raises(ValueError, match="received 2 masks for 3 images"):
        validate_masks(good, (4, 4, 3), 3, "inpaint")
    np.testing.assert_array_equal(checked_masks(good, np.zeros((2, 4, 4, 3)), "serving_default"), good)
    with pytest.raises(ValueError, match=r"values between them \(smallest 0.25, largest 0.75\)"):
        checked_masks(np.array([0.0, 0.25, 0.75, 1.0]).reshape(1, 2, 2, 1), np.zeros((1, 2, 2, 1)), "x")
    with pytest.raises(ValueError, match=r"one mask per image; masks minus images \(smallest -1"):
        checked_masks(good, np.zeros((3, 4, 4, 3)), "x")
