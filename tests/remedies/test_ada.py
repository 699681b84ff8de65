"""ADA: the pipeline on real images at probabilities 0, 1/2 and 1, and the p controller."""

import keras
import numpy as np
import pytest
from keras import ops

import kerasgan
from kerasgan.models.controller import get_augmentation
from kerasgan.remedies import AdaptiveAugmentation
from kerasgan.remedies.ada import TRANSFORMS
from tests.remedies.helpers import (
    as_rgb,
    compiled,
    numpy_contrast,
    numpy_cutout_mask,
    numpy_saturation,
    numpy_translate,
    numpy_tree,
)

STEP = 4 * 32 / 500_000  # one adjustment: interval 4 steps of 32 real images, over speed_images


def full_pipeline(probability, **kwargs):
    return AdaptiveAugmentation(initial_probability=probability, transforms=TRANSFORMS, **kwargs)


def numpy_pipeline(image, draws, index):
    """The paper's order, with NumPy, from the drawn values of example `index`."""
    applied = {name: bool(mask[index]) for name, mask in draws["applied"].items()}
    if draws["flip"][index]:
        image = image[:, ::-1]
    image = np.rot90(image, draws["turns"][index], axes=(0, 1))
    image = numpy_translate(image, draws["rows"][index], draws["cols"][index], "reflect")
    image = numpy_contrast(image + draws["brightness"][index], draws["contrast"][index], "zero")
    image = numpy_saturation(image, draws["saturation"][index])
    if applied["cutout"]:
        mask = numpy_cutout_mask((28, 28), draws["cutout_top"][index], draws["cutout_left"][index], (14, 14))
        image = np.where(mask[:, :, None], 0.0, image)
    return image


def feed(ada, real_sign, steps, batch_size=32, first_step=0):
    """`steps` steps of one discriminator update (real_sign) and one generator update; p after each."""
    values = []
    for step in range(first_step, first_step + steps):
        ada.observe(
            {"d_loss": ops.convert_to_tensor(0.7), "real_sign": ops.convert_to_tensor(real_sign)}, batch_size
        )
        ada.observe({"g_loss": ops.convert_to_tensor(0.7)}, batch_size)
        ada.end_step(ops.convert_to_tensor(step, "int32"))
        values.append(float(ada.logged_values()["ada_p"]))
    return values


@pytest.mark.jax
def test_probability_zero_is_the_identity_eager_and_compiled(gan, images):
    ada = full_pipeline(0.0)
    rgb = as_rgb(images)
    step = compiled(lambda x: ada.augment(x, gan), gan, ada)
    np.testing.assert_array_equal(ops.convert_to_numpy(ada.augment(rgb, gan)), rgb)
    np.testing.assert_array_equal(ops.convert_to_numpy(step(rgb)), rgb)


@pytest.mark.jax
def test_probability_one_transforms_every_example(gan, images):
    ada = full_pipeline(1.0)
    rgb = as_rgb(images)
    draws = ada.draw(rgb, gan)
    assert set(draws["applied"]) == set(TRANSFORMS)
    assert all(bool(ops.all(mask)) for mask in draws["applied"].values())
    out = ops.convert_to_numpy(ada.apply(rgb, draws))
    assert all(not np.allclose(out[i], rgb[i]) for i in range(16))


@pytest.mark.jax
def test_mixed_precision_images_stay_bfloat16(gan, images):
    out = full_pipeline(1.0).augment(ops.cast(as_rgb(images), "bfloat16"), gan)
    assert keras.backend.standardize_dtype(out.dtype) == "bfloat16" and tuple(out.shape) == (16, 28, 28, 3)


@pytest.mark.jax
def test_the_draws_follow_p_and_the_paper(gan, fashion_mnist_sample):
    ada = full_pipeline(0.5)
    draws = numpy_tree(ada.draw(as_rgb(fashion_mnist_sample[0][:128]), gan))
    for name, mask in draws["applied"].items():
        assert 0.35 < mask.mean() < 0.65, (name, mask.mean())
    # The paper's values where applied, the identity where not.
    assert not np.any(draws["flip"] & ~draws["applied"]["xflip"]) and 0.1 < draws["flip"].mean() < 0.4
    assert set(draws["turns"][draws["applied"]["rotate90"]].tolist()) == {0, 1, 2, 3}
    assert np.all(draws["turns"][~draws["applied"]["rotate90"]] == 0)
    # Shifts of up to 28 / 8 = 3.5 pixels, rounded.
    assert np.abs(draws["rows"]).max() <= 4 and set(draws["cols"].tolist()) >= set(range(-3, 4))
    assert np.all(draws["cols"][~draws["applied"]["translation"]] == 0)
    assert np.all(draws["brightness"][~draws["applied"]["brightness"]] == 0)
    assert 0.15 < np.std(draws["brightness"][draws["applied"]["brightness"]]) < 0.25
    assert np.all(draws["contrast"][~draws["applied"]["contrast"]] == 1)
    assert np.all(draws["contrast"] > 0) and np.all(draws["saturation"] > 0)


@pytest.mark.jax
def test_the_pipeline_is_the_paper_order_with_the_drawn_values(gan, images):
    rgb = as_rgb(images)
    ada = full_pipeline(0.5)
    draws = ada.draw(rgb, gan)
    out = ops.convert_to_numpy(ada.apply(rgb, draws))
    draws = numpy_tree(draws)
    assert 0 < np.mean([mask.mean() for mask in draws["applied"].values()]) < 1
    for index in range(16):
        np.testing.assert_allclose(out[index], numpy_pipeline(rgb[index], draws, index), atol=1e-5)


@pytest.mark.jax
def test_grayscale_and_non_square_images_leave_out_what_they_cannot_take(gan, images):
    ada = full_pipeline(1.0)
    assert "saturation" not in ada.active_transforms(images)
    assert set(ada.active_transforms(images[:, :, :14])) == set(TRANSFORMS) - {"saturation", "rotate90"}
    pair = np.concatenate([images, images], axis=-1)  # Pix2Pix: source and image on the channel axis
    out = ops.convert_to_numpy(ada.augment(pair, gan))
    assert out.shape == pair.shape
    assert not np.allclose(out, pair)


@pytest.mark.jax
def test_gradients_flow_back_to_the_images(gan, images):
    ada = full_pipeline(1.0)
    draws = ada.draw(images, gan)
    gradient = kerasgan.backend.input_gradients(
        lambda x: ops.sum(ada.apply(x, draws) ** 2, axis=(1, 2, 3)), images
    )
    assert np.all(np.abs(ops.convert_to_numpy(gradient)).reshape(16, -1).max(axis=1) > 0)


@pytest.mark.jax
def test_p_rises_for_an_overfitting_discriminator_by_the_exact_step_every_interval():
    ada = AdaptiveAugmentation(initial_probability=0.5)
    values = feed(ada, 1.0, 8)
    expected = [0.5] * 3 + [0.5 + STEP] * 4 + [0.5 + 2 * STEP]
    np.testing.assert_allclose(values, expected, rtol=0, atol=1e-7)
    assert float(ada.images_counted.value) == 0.0 and float(ada.sign_sum.value) == 0.0


@pytest.mark.jax
def test_p_falls_when_the_discriminator_scores_reals_fake_and_stays_in_zero_one():
    ada = AdaptiveAugmentation(initial_probability=0.5)
    np.testing.assert_allclose(feed(ada, -1.0, 4), [0.5] * 3 + [0.5 - STEP], atol=1e-7)
    fast = AdaptiveAugmentation(initial_probability=0.9, speed_images=200)  # 128 images per interval
    assert feed(fast, 1.0, 4) == pytest.approx([0.9, 0.9, 0.9, 1.0])
    assert feed(fast, 1.0, 4, first_step=4) == [1.0] * 4
    assert feed(fast, -1.0, 8, first_step=8)[3::4] == pytest.approx([0.36, 0.0])
    assert feed(fast, -1.0, 4, first_step=16)[-1] == 0.0


@pytest.mark.jax
def test_r_t_is_the_mean_over_the_counted_real_images():
    ada = AdaptiveAugmentation(initial_probability=0.5, interval=1, speed_images=1000)
    # 5 critic updates of 10 images (WGAN-GP's n_critic): signs 1, 1, 1, 0.5, 0 -> r_t = 0.7 > 0.6.
    for sign in (1.0, 1.0, 1.0, 0.5, 0.0):
        ada.observe({"real_sign": ops.convert_to_tensor(sign)}, 10)
    ada.end_step(0)
    assert float(ada.probability.value) == pytest.approx(0.55)
    # Signs 1 and 0 on 32 images each: r_t = 0.5 < 0.6, p falls by 64 / 1000.
    ada.observe({"real_sign": ops.convert_to_tensor(1.0)}, 32)
    ada.observe({"real_sign": ops.convert_to_tensor(0.0)}, 32)
    ada.end_step(1)
    assert float(ada.probability.value) == pytest.approx(0.486)
    # A step without any discriminator update leaves p alone.
    ada.observe({"g_loss": ops.convert_to_tensor(1.0)}, 32)
    ada.end_step(2)
    assert float(ada.probability.value) == pytest.approx(0.486)


@pytest.mark.jax
def test_the_controller_updates_inside_a_compiled_step_as_eagerly(gan):
    eager, inside = (
        AdaptiveAugmentation(initial_probability=0.2),
        AdaptiveAugmentation(initial_probability=0.2),
    )

    def step(real_sign, index):
        inside.observe({"real_sign": real_sign}, ops.convert_to_tensor(32, "int32"))
        inside.end_step(index)
        return inside.logged_values()["ada_p"]

    step = compiled(step, gan, inside)
    signs = [1.0, 1.0, 0.2, 1.0, -1.0, -1.0, 1.0, -1.0, 1.0, 1.0, 1.0, 1.0]
    for index, sign in enumerate(signs):
        logged = step(ops.convert_to_tensor(sign), ops.convert_to_tensor(index, "int32"))
        expected = feed(eager, sign, 1, first_step=index)[0]
        assert float(logged) == pytest.approx(expected, abs=1e-7)
    assert float(eager.probability.value) == pytest.approx(0.2 + STEP)


@keras.saving.register_keras_serializable(package="kerasgan_tests")
class Holder(keras.Model):
    """A model that keeps an augmentation as a sub-layer, as a GAN does."""

    def __init__(self, augmentation, **kwargs):
        super().__init__(**kwargs)
        self.augmentation = augmentation

    def call(self, inputs):
        return inputs

    def get_config(self):
        return {
            **super().get_config(),
            "augmentation": keras.saving.serialize_keras_object(self.augmentation),
        }

    @classmethod
    def from_config(cls, config):
        config["augmentation"] = keras.saving.deserialize_keras_object(config["augmentation"])
        return cls(**config)


@pytest.mark.jax
def test_p_and_the_running_sums_are_saved_and_resume(tmp_path):
    ada = AdaptiveAugmentation(target=0.5, interval=3, speed_images=1000, initial_probability=0.1)
    feed(ada, 1.0, 4)  # one adjustment, then one step into the next interval
    holder = Holder(ada)
    holder(np.zeros((1, 2), "float32"))
    holder.save(tmp_path / "holder.keras")
    loaded = keras.saving.load_model(tmp_path / "holder.keras").augmentation
    assert type(loaded) is AdaptiveAugmentation and loaded.get_config() == ada.get_config()
    for name in ("probability", "sign_sum", "images_counted"):
        assert float(getattr(loaded, name).value) == float(getattr(ada, name).value), name
    assert float(loaded.probability.value) == pytest.approx(0.1 + 96 / 1000)
    assert float(loaded.images_counted.value) == 32.0
    # The resumed controller adjusts on the same step as the original.
    assert feed(loaded, 1.0, 2, first_step=4) == feed(ada, 1.0, 2, first_step=4)


@pytest.mark.jax
def test_serializes_by_name_with_every_argument():
    ada = AdaptiveAugmentation(
        target=0.7, interval=2, speed_images=1000, initial_probability=0.25, transforms="cutout,xflip"
    )
    config = ada.get_config()
    expected = {"target": 0.7, "interval": 2, "speed_images": 1000, "initial_probability": 0.25}
    assert {key: config[key] for key in expected} == expected
    assert config["transforms"] == ["xflip", "cutout"]
    again = AdaptiveAugmentation.from_config(config)
    assert again.get_config() == config and float(again.probability.value) == 0.25
    assert keras.saving.get_registered_object("kerasgan>AdaptiveAugmentation") is AdaptiveAugmentation
    assert type(get_augmentation("ada")) is AdaptiveAugmentation
    assert get_augmentation(keras.saving.serialize_keras_object(ada)).get_config() == config
    assert AdaptiveAugmentation.reads == ("real_sign",) and AdaptiveAugmentation.logs == ("ada_p",)
    assert set(ada.logged_values()) == {"ada_p"}
    assert [w.trainable for w in ada.weights] == [False] * 3


def test_bad_arguments_say_what_to_do():
    cases = [
        ({"target": 1.0}, r"target must be a number in \(0, 1\); received target=1.0"),
        ({"interval": 0}, "interval must be a positive integer; received interval=0"),
        ({"speed_images": -5}, "speed_images must be a positive integer"),
        ({"initial_probability": 1.5}, r"initial_probability must be a number in \[0, 1\]"),
        ({"transforms": ["xflip", "blur"]}, "transforms must name one or more of"),
        ({"transforms": []}, "transforms must name one or more of"),
    ]
    for arguments, message in cases:
        with pytest.raises(ValueError, match=message):
            AdaptiveAugmentation(**arguments)
