"""bCR: the flip-and-translate augmentation against NumPy, the penalty's closed forms, training."""

import keras
import numpy as np
import pytest
from keras import ops

import kerasgan
from kerasgan.losses import ConsistencyRegularization, flip_and_translate
from tests.gan_test_case import run_training_check
from tests.models.test_variants import TINY


def reference_flip_and_translate(images, draws, fraction=0.125):
    """The augmentation pixel by pixel: mirror when u0 < 0.5, then shift, zeros moved in."""
    batch, height, width, _ = images.shape
    out = np.zeros_like(images)
    for b in range(batch):
        image = images[b, :, ::-1] if draws[b, 0] < 0.5 else images[b]
        shifts = []
        for u, side in ((draws[b, 1], height), (draws[b, 2], width)):
            largest = int(side * fraction)
            shifts.append(int(np.floor(u * (2 * largest + 1))) - largest)
        dy, dx = shifts
        for i in range(height):
            for j in range(width):
                if 0 <= i - dy < height and 0 <= j - dx < width:
                    out[b, i, j] = image[i - dy, j - dx]
    return out


class RecordingGAN:
    """What a regularizer needs of a GAN (its draws), keeping each draw for the reference."""

    def __init__(self, seed=0):
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.draws = []

    def random_per_example(self, sampler, batch_size, shape):
        values = sampler((batch_size, *shape), seed=self.seed_generator)
        self.draws.append(ops.convert_to_numpy(values))
        return values


@pytest.mark.jax
def test_augmentation_matches_numpy_reference():
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, size=(12, 16, 24, 3)).astype("float32")
    draws = rng.uniform(size=(12, 3)).astype("float32")
    got = ops.convert_to_numpy(flip_and_translate(images, draws))
    np.testing.assert_array_equal(got, reference_flip_and_translate(images, draws))


@pytest.mark.jax
def test_shifts_cover_one_eighth_of_each_side_and_no_more():
    # One lit pixel in the middle of a 28x28 image: where it lands shows the shift.
    batch = 400
    image = np.zeros((batch, 28, 28, 1), "float32")
    image[:, 14, 13] = 1.0
    draws = np.random.default_rng(1).uniform(size=(batch, 3)).astype("float32")
    moved = ops.convert_to_numpy(flip_and_translate(image, draws))
    rows, columns = [], []
    for b in range(batch):
        (i,), (j,) = np.nonzero(moved[b, :, :, 0])
        source_column = 27 - 13 if draws[b, 0] < 0.5 else 13
        rows.append(i - 14)
        columns.append(j - source_column)
    assert sorted(set(rows)) == sorted(set(columns)) == list(range(-3, 4))
    flipped = np.mean(draws[:, 0] < 0.5)
    assert 0.4 < flipped < 0.6


@pytest.mark.jax
def test_identity_draws_leave_images_unchanged_and_gradients_pass():
    images = np.random.default_rng(2).normal(size=(2, 8, 8, 1)).astype("float32")
    identity = np.array([[0.9, 0.5, 0.5], [0.5, 0.5, 0.5]], "float32")
    np.testing.assert_array_equal(ops.convert_to_numpy(flip_and_translate(images, identity)), images)
    from kerasgan.backend import input_gradients

    weights = ops.convert_to_tensor(np.arange(64, dtype="float32").reshape(1, 8, 8, 1))
    gradient = input_gradients(
        lambda x: ops.sum(flip_and_translate(x, identity) * weights, axis=(1, 2, 3)),
        ops.convert_to_tensor(images),
    )
    np.testing.assert_allclose(ops.convert_to_numpy(gradient), np.broadcast_to(weights, (2, 8, 8, 1)))


@pytest.mark.jax
def test_penalty_is_zero_for_a_critic_blind_to_flips_and_small_shifts():
    # The sum of all pixels does not change when content away from the
    # border (3 pixels on each side of 28) is mirrored or moved by up to 3.
    rng = np.random.default_rng(3)
    images = np.zeros((8, 28, 28, 1), "float32")
    fake = np.zeros((8, 28, 28, 1), "float32")
    images[:, 3:25, 3:25] = rng.uniform(-1, 1, size=(8, 22, 22, 1))
    fake[:, 3:25, 3:25] = rng.uniform(-1, 1, size=(8, 22, 22, 1))
    critic = lambda x: ops.sum(x, axis=(1, 2, 3))[:, None]  # noqa: E731
    context = {"images": images, "fake": fake, "critic": critic}
    penalty = float(ConsistencyRegularization().penalty(RecordingGAN(), context))
    assert abs(penalty) < 1e-8
    # Content at the border is cut by the shifts: the same critic now sees a difference.
    full = {
        "images": rng.uniform(-1, 1, size=(8, 28, 28, 1)).astype("float32"),
        "fake": fake,
        "critic": critic,
    }
    assert float(ConsistencyRegularization().penalty(RecordingGAN(), full)) > 1e-2


@pytest.mark.jax
def test_penalty_equals_its_formula_with_the_drawn_augmentations():
    rng = np.random.default_rng(4)
    images = rng.uniform(-1, 1, size=(6, 16, 16, 2)).astype("float32")
    fake = rng.uniform(-1, 1, size=(6, 16, 16, 2)).astype("float32")
    weights = rng.normal(size=(1, 16, 16, 2)).astype("float32")

    def numpy_critic(x):
        return np.sum(x * weights, axis=(1, 2, 3))[:, None]

    critic = lambda x: ops.sum(x * weights, axis=(1, 2, 3))[:, None]  # noqa: E731
    gan = RecordingGAN(seed=5)
    regularizer = ConsistencyRegularization(real_weight=10.0, fake_weight=4.0)
    got = float(regularizer.penalty(gan, {"images": images, "fake": fake, "critic": critic}))
    real_draws, fake_draws = gan.draws
    real_gap = numpy_critic(images) - numpy_critic(reference_flip_and_translate(images, real_draws))
    fake_gap = numpy_critic(fake) - numpy_critic(reference_flip_and_translate(fake, fake_draws))
    expected = 10.0 * np.mean(real_gap**2) + 4.0 * np.mean(fake_gap**2)
    assert expected > 0 and got == pytest.approx(expected, rel=1e-4)


def test_logits_of_the_phase_are_reused_instead_of_calling_the_critic_again():
    images = np.random.default_rng(6).uniform(-1, 1, size=(4, 8, 8, 1)).astype("float32")
    calls = []

    def critic(x):
        calls.append(x)
        return ops.sum(x, axis=(1, 2, 3))[:, None]

    context = {"images": images, "fake": images, "critic": critic}
    first = ConsistencyRegularization().penalty(RecordingGAN(), context)
    assert len(calls) == 4
    context.update(real_logits=critic(images), fake_logits=critic(images))
    calls.clear()
    second = ConsistencyRegularization().penalty(RecordingGAN(), context)
    assert len(calls) == 2  # only the augmented images
    assert float(second) == pytest.approx(float(first), rel=1e-6)


def test_dcgan_trains_with_it_and_logs_cr(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    gan = kerasgan.DCGAN(regularizers=[ConsistencyRegularization()], **TINY)
    history = run_training_check(gan, images)
    assert "cr" in history.history and history.history["cr"][-1] > 0


def test_weights_are_checked_and_round_trip():
    with pytest.raises(ValueError, match="real_weight"):
        ConsistencyRegularization(real_weight=-1.0)
    regularizer = ConsistencyRegularization(real_weight=5.0, fake_weight=0.0, weight=2.0)
    clone = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(regularizer))
    assert isinstance(clone, ConsistencyRegularization)
    assert (clone.real_weight, clone.fake_weight, clone.weight, clone.term) == (5.0, 0.0, 2.0, "cr")
