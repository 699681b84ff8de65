"""DiffAugment on real Fashion-MNIST with a real DCGAN's seed generator, eager and compiled."""

import keras
import numpy as np
import pytest
from keras import ops

import kerasgan
from kerasgan.models.controller import get_augmentation
from kerasgan.remedies import DiffAugment
from tests.remedies.helpers import (
    as_rgb,
    compiled,
    numpy_contrast,
    numpy_cutout_mask,
    numpy_saturation,
    numpy_translate,
    numpy_tree,
    tiny_gan,
)


@pytest.mark.jax
@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_keeps_shape_and_dtype_eager_and_compiled(gan, images, dtype):
    augmentation = DiffAugment()
    images = ops.cast(images, dtype)
    step = compiled(lambda x: augmentation.augment(x, gan), gan, augmentation)
    for out in (augmentation.augment(images, gan), step(images)):
        assert tuple(out.shape) == (16, 28, 28, 1)
        assert keras.backend.standardize_dtype(out.dtype) == dtype
        assert np.all(np.isfinite(ops.convert_to_numpy(ops.cast(out, "float32"))))


@pytest.mark.jax
def test_a_model_seed_fixes_the_augmentation_eager_and_compiled(images):
    augmentation = DiffAugment()
    first, again, other = tiny_gan(seed=5), tiny_gan(seed=5), tiny_gan(seed=6)
    eager = ops.convert_to_numpy(augmentation.augment(images, first))
    step = compiled(lambda x: augmentation.augment(x, again), again, augmentation)
    np.testing.assert_allclose(ops.convert_to_numpy(step(images)), eager, atol=1e-6)
    assert not np.allclose(ops.convert_to_numpy(augmentation.augment(images, other)), eager)
    # The seed generator moved on: the next batch gets other draws.
    assert not np.allclose(ops.convert_to_numpy(augmentation.augment(images, first)), eager)


@pytest.mark.jax
def test_each_example_gets_its_own_draws(gan, images):
    same = np.repeat(images[:1], 16, axis=0)
    out = ops.convert_to_numpy(DiffAugment().augment(same, gan))
    for a in range(16):
        for b in range(a + 1, 16):
            assert not np.allclose(out[a], out[b]), (a, b)


@pytest.mark.jax
@pytest.mark.parametrize("channels", [1, 2, 3])
def test_colour_is_the_paper_formula_with_the_drawn_values(gan, images, channels):
    images = {1: images, 2: np.concatenate([images, images[::-1]], -1), 3: as_rgb(images)}[channels]
    augmentation = DiffAugment("color")
    draws = augmentation.draw(images, gan)
    out = ops.convert_to_numpy(augmentation.apply(images, draws))
    draws = numpy_tree(draws)
    # Saturation mixes channels: RGB only; brightness and contrast for any channel count.
    assert set(draws) == (
        {"brightness", "saturation", "contrast"} if channels == 3 else {"brightness", "contrast"}
    )
    assert np.all((draws["brightness"] >= -0.5) & (draws["brightness"] < 0.5))
    assert np.all((draws["contrast"] >= 0.5) & (draws["contrast"] < 1.5))
    for index, image in enumerate(images):
        expected = image + draws["brightness"][index]
        if channels == 3:
            assert 0 <= draws["saturation"][index] < 2
            expected = numpy_saturation(expected, draws["saturation"][index])
        expected = numpy_contrast(expected, draws["contrast"][index])
        np.testing.assert_allclose(out[index], expected, atol=2e-6)


@pytest.mark.jax
def test_translation_shifts_by_whole_pixels_up_to_an_eighth(gan, fashion_mnist_sample):
    images = fashion_mnist_sample[0][:128]
    augmentation = DiffAugment("translation")
    draws = augmentation.draw(images, gan)
    out = ops.convert_to_numpy(augmentation.apply(images, draws))
    rows, cols = ops.convert_to_numpy(draws["rows"]), ops.convert_to_numpy(draws["cols"])
    # 28 / 8 = 3.5, rounded to 4 pixels as in the paper's code.
    assert set(rows.tolist()) == set(range(-4, 5)) and set(cols.tolist()) <= set(range(-4, 5))
    for index, image in enumerate(images):
        np.testing.assert_array_equal(out[index], numpy_translate(image, rows[index], cols[index]))


@pytest.mark.jax
def test_cutout_zeroes_a_square_of_half_the_side(gan, fashion_mnist_sample):
    images = fashion_mnist_sample[0][:64]
    assert not np.any(images == 0)  # so every zero below is cut out
    augmentation = DiffAugment("cutout")
    draws = numpy_tree(augmentation.draw(images, gan))
    out = ops.convert_to_numpy(augmentation.apply(images, draws))
    tops, lefts = draws["cutout_top"], draws["cutout_left"]
    assert tops.min() >= -7 and tops.max() <= 21 and len(set(tops.tolist())) > 10
    inside = 0
    for index, image in enumerate(images):
        mask = numpy_cutout_mask((28, 28), tops[index], lefts[index], (14, 14))
        np.testing.assert_array_equal(out[index, :, :, 0] == 0, mask)
        np.testing.assert_array_equal(out[index][~mask], image[~mask])
        if 0 <= tops[index] <= 14 and 0 <= lefts[index] <= 14:
            inside += 1
            assert mask.sum() == 14 * 14
    assert inside > 0


@pytest.mark.jax
def test_gradients_flow_back_through_every_policy(gan, images):
    augmentation = DiffAugment()
    draws = augmentation.draw(images, gan)
    weights = np.random.default_rng(0).normal(size=images.shape).astype("float32")
    gradient = kerasgan.backend.input_gradients(
        lambda x: ops.sum(augmentation.apply(x, draws) * weights, axis=(1, 2, 3)), images
    )
    gradient = ops.convert_to_numpy(gradient)
    assert np.all(np.abs(gradient).reshape(16, -1).max(axis=1) > 0)
    # Translation and cutout alone are linear: their gradient moves the weights back.
    only = DiffAugment("translation,cutout")
    draws = numpy_tree(only.draw(images, gan))
    gradient = kerasgan.backend.input_gradients(
        lambda x: ops.sum(only.apply(x, draws) * weights, axis=(1, 2, 3)), images
    )
    for index in range(16):
        kept = (
            weights[index]
            * ~numpy_cutout_mask((28, 28), draws["cutout_top"][index], draws["cutout_left"][index], (14, 14))[
                :, :, None
            ]
        )
        expected = numpy_translate(kept, -draws["rows"][index], -draws["cols"][index])
        np.testing.assert_allclose(ops.convert_to_numpy(gradient)[index], expected, atol=1e-6)


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="a nested tape")
def test_a_gradient_penalty_through_the_augmentation_trains_the_critic(gan, images):
    import tensorflow as tf

    augmentation = DiffAugment()
    critic = gan.discriminator
    with tf.GradientTape() as tape:
        penalty = kerasgan.losses.gradient_penalty(
            lambda x: critic(augmentation.augment(x, gan), training=True),
            images[:8],
            images[8:],
            np.full((8, 1, 1, 1), 0.5, "float32"),
        )
    gradients = dict(
        zip([v.path for v in critic.trainable_variables], tape.gradient(penalty, critic.trainable_variables))
    )
    # The input gradient does not depend on the last bias; every kernel gets a gradient.
    assert [path for path, g in gradients.items() if g is None] == ["logits/bias"]
    kernels = [g for path, g in gradients.items() if path.endswith("kernel")]
    assert len(kernels) >= 3 and all(float(tf.reduce_max(tf.abs(g))) > 0 for g in kernels)


@pytest.mark.jax
def test_policies_run_in_the_order_given(gan, images):
    a = DiffAugment("translation,cutout")
    b = DiffAugment("cutout,translation")
    draws = a.draw(images, gan)
    first, second = (ops.convert_to_numpy(layer.apply(images, draws)) for layer in (a, b))
    assert not np.array_equal(first, second)


@pytest.mark.jax
def test_serializes_by_name_and_config():
    augmentation = DiffAugment("translation, cutout", translation_ratio=0.25, cutout_ratio=0.3, name="aug")
    config = augmentation.get_config()
    assert config["policy"] == "translation,cutout"
    assert (config["translation_ratio"], config["cutout_ratio"]) == (0.25, 0.3)
    again = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(augmentation))
    assert type(again) is DiffAugment and again.get_config() == config
    assert keras.saving.get_registered_object("kerasgan>DiffAugment") is DiffAugment
    assert type(get_augmentation("diffaugment")) is DiffAugment
    assert get_augmentation(keras.saving.serialize_keras_object(augmentation)).policy == (
        "translation",
        "cutout",
    )
    assert DiffAugment.reads == () and DiffAugment.logs == () and augmentation.logged_values() == {}


def test_bad_arguments_say_what_to_do(images, gan):
    with pytest.raises(ValueError, match="policy must name one or more of"):
        DiffAugment("color,blur")
    with pytest.raises(ValueError, match="policy must name one or more of"):
        DiffAugment("color,color")
    with pytest.raises(ValueError, match="policy must be a string"):
        DiffAugment(3)
    with pytest.raises(ValueError, match=r"translation_ratio must be a number in \(0, 1\); received"):
        DiffAugment(translation_ratio=1.0)
    with pytest.raises(
        ValueError, match=r"cutout_ratio must be a number in \(0, 1\]; received cutout_ratio=0"
    ):
        DiffAugment(cutout_ratio=0)
    with pytest.raises(ValueError, match="DiffAugment augments images of shape"):
        DiffAugment().augment(images[:, :, :, 0], gan)
