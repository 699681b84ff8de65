"""Instance noise on real images: its standard deviation, its annealing, its gradient, its log."""

import keras
import numpy as np
import pytest
from keras import ops

import kerasgan
from kerasgan.models.controller import get_augmentation
from kerasgan.remedies import InstanceNoise
from tests.remedies.helpers import compiled, tiny_gan


def noise_of(augmentation, gan, images, step):
    gan.train_steps.assign(step)
    return ops.convert_to_numpy(augmentation.augment(images, gan)) - images


@pytest.mark.jax
def test_the_noise_is_gaussian_with_the_annealed_stddev(gan, fashion_mnist_sample):
    images = fashion_mnist_sample[0][:32]
    noise = InstanceNoise(stddev=0.2, anneal_steps=100)
    for step, stddev in ((0, 0.2), (25, 0.15), (50, 0.1)):
        drawn = noise_of(noise, gan, images, step)
        assert abs(drawn.std() / stddev - 1) < 0.03, (step, drawn.std())
        assert abs(drawn.mean()) < 0.05 * stddev
    for step in (100, 150):  # annealed away: the images themselves
        np.testing.assert_array_equal(noise_of(noise, gan, images, step), 0)
    constant = InstanceNoise(stddev=0.2)
    assert abs(noise_of(constant, gan, images, 10_000).std() / 0.2 - 1) < 0.03


@pytest.mark.jax
def test_noise_is_fixed_by_the_model_seed_and_differs_per_example(images):
    noise = InstanceNoise(stddev=0.1)
    first, again = tiny_gan(seed=4), tiny_gan(seed=4)
    eager = ops.convert_to_numpy(noise.augment(images, first))
    step = compiled(lambda x: noise.augment(x, again), again, noise)
    np.testing.assert_allclose(ops.convert_to_numpy(step(images)), eager, atol=1e-6)
    drawn = eager - images
    assert not np.allclose(drawn[0], drawn[1])
    assert not np.allclose(ops.convert_to_numpy(noise.augment(images, first)), eager)


@pytest.mark.jax
def test_compiled_noise_follows_the_step_counter(gan, images):
    noise = InstanceNoise(stddev=0.1, anneal_steps=10)
    step = compiled(lambda x: noise.augment(x, gan), gan, noise)
    gan.train_steps.assign(10)
    np.testing.assert_array_equal(ops.convert_to_numpy(step(images)), images)
    gan.train_steps.assign(5)
    assert abs((ops.convert_to_numpy(step(images)) - images).std() / 0.05 - 1) < 0.05


@pytest.mark.jax
def test_the_gradient_is_one_everywhere(gan, images):
    noise = InstanceNoise(stddev=0.1)
    gradient = kerasgan.backend.input_gradients(
        lambda x: ops.sum(noise.augment(x, gan), axis=(1, 2, 3)), images
    )
    np.testing.assert_array_equal(ops.convert_to_numpy(gradient), np.ones_like(images))


@pytest.mark.jax
def test_mixed_precision_images_stay_bfloat16(gan, images):
    out = InstanceNoise().augment(ops.cast(images, "bfloat16"), gan)
    assert keras.backend.standardize_dtype(out.dtype) == "bfloat16" and tuple(out.shape) == (16, 28, 28, 1)


@pytest.mark.jax
def test_logs_the_stddev_of_the_step_that_ran(gan):
    noise = InstanceNoise(stddev=0.1, anneal_steps=4)
    assert noise.logs == ("augment_noise_stddev",)
    logged = []
    for step in range(6):
        noise.end_step(ops.convert_to_tensor(step, "int32"))
        logged.append(float(noise.logged_values()["augment_noise_stddev"]))
    np.testing.assert_allclose(logged, [0.1, 0.075, 0.05, 0.025, 0.0, 0.0], atol=1e-7)


@pytest.mark.jax
def test_serializes_by_name_with_its_arguments():
    noise = InstanceNoise(stddev=0.3, anneal_steps=500)
    config = noise.get_config()
    assert (config["stddev"], config["anneal_steps"]) == (0.3, 500)
    again = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(noise))
    assert type(again) is InstanceNoise and again.get_config() == config
    assert type(get_augmentation("instance_noise")) is InstanceNoise
    assert get_augmentation("instance_noise").anneal_steps is None


def test_bad_arguments_say_what_to_do():
    with pytest.raises(ValueError, match="stddev must be a positive number; received stddev=0"):
        InstanceNoise(stddev=0)
    with pytest.raises(
        ValueError, match="anneal_steps must be None or a positive integer; received anneal_steps=0"
    ):
        InstanceNoise(anneal_steps=0)
    with pytest.raises(ValueError, match="anneal_steps must be None or a positive integer"):
        InstanceNoise(anneal_steps=2.5)
