"""DiffAugment and ADA as switches on the variants, through the core's discriminator call."""

import keras
import numpy as np
import pytest

import kerasgan
from kerasgan.remedies import AdaptiveAugmentation
from tests.models.test_discriminator_seam import BUILDERS, _batch

pytestmark = pytest.mark.jax
TINY = {"image_shape": (28, 28, 1), "latent_dim": 8, "seed": 1}
BATCH = 16
# 16 images per step and 4 steps per adjustment: p moves by 64/640 = 0.1.
SPEED = 640


def _train(gan, batch, steps):
    logs = []
    for _ in range(steps):
        if isinstance(batch, tuple):
            logs.append(gan.train_on_batch(*batch, return_dict=True))
        else:
            logs.append(gan.train_on_batch(batch, return_dict=True))
    return logs


# By default each augmentation on a latent model with and without labels and
# ADA on Pix2Pix; CycleGAN (four networks) and DiffAugment on Pix2Pix run with -m slow.
SWITCH_CASES = [
    pytest.param(augmentation, name, marks=pytest.mark.slow)
    if name == "cyclegan" or (name, augmentation) == ("pix2pix", "diffaugment")
    else (augmentation, name)
    for augmentation in ("ada", "diffaugment")
    for name in ("acgan", "cyclegan", "dcgan", "pix2pix")
]


@pytest.mark.parametrize(
    "augmentation, name",
    SWITCH_CASES,
    ids=[f"{a}-{n}" for a in ("ada", "diffaugment") for n in ("acgan", "cyclegan", "dcgan", "pix2pix")],
)
def test_the_augmentation_is_a_switch_on_the_variant(name, augmentation, fashion_mnist_sample):
    if augmentation == "ada":
        augmentation = AdaptiveAugmentation(initial_probability=0.5, speed_images=SPEED)
    gan = BUILDERS[name](augmentation=augmentation)
    gan.compile()
    before = {key: [v.numpy() for v in net.trainable_variables] for key, net in gan.networks.items()}
    logs = _train(gan, _batch(name, fashion_mnist_sample, BATCH), steps=2)[-1]
    assert all(np.isfinite(value) for value in logs.values()), logs
    for key, network in gan.networks.items():
        after = [np.asarray(v.numpy()) for v in network.trainable_variables]
        assert any(not np.array_equal(a, b) for a, b in zip(before[key], after)), key
    if isinstance(gan.augmentation, AdaptiveAugmentation):
        assert logs["ada_p"] == pytest.approx(0.5)
        assert -1.0 <= logs["real_sign"] <= 1.0


def _scoring_critic(bias, probability):
    """A DCGAN whose critic scores everything with the sign of `bias`, and does not learn."""
    ada = AdaptiveAugmentation(initial_probability=probability, speed_images=SPEED)
    gan = kerasgan.DCGAN(**TINY, augmentation=ada)
    gan.discriminator.layers[-1].bias.assign([bias])
    gan.compile(d_optimizer=keras.optimizers.SGD(0.0))
    return gan


def test_ada_p_rises_while_the_discriminator_overfits_and_falls_when_it_does_not(fashion_mnist_sample):
    images = fashion_mnist_sample[0][:BATCH]
    # r_t = 1 > 0.6: the discriminator tells every real image apart.
    rising = _scoring_critic(50.0, 0.2)
    p = [log["ada_p"] for log in _train(rising, images, steps=8)]
    np.testing.assert_allclose(p[:3], 0.2, atol=1e-6)  # adjusted every 4 steps only
    assert float(rising.augmentation.probability.numpy()) == pytest.approx(0.4, abs=1e-6)
    # r_t = -1 < 0.6: no overfitting, p falls, and never below 0.
    falling = _scoring_critic(-50.0, 0.15)
    _train(falling, images, steps=4)
    assert float(falling.augmentation.probability.numpy()) == pytest.approx(0.05, abs=1e-6)
    _train(falling, images, steps=4)
    assert float(falling.augmentation.probability.numpy()) == 0.0


def test_ada_resumes_exactly_from_a_keras_file(tmp_path, fashion_mnist_sample):
    images = fashion_mnist_sample[0][:BATCH]

    def model():
        ada = AdaptiveAugmentation(initial_probability=0.3, speed_images=SPEED)
        return kerasgan.DCGAN(**TINY, augmentation=ada)

    straight = model()
    resumed = model()
    for variable, value in zip(resumed.weights, [v.numpy() for v in straight.weights]):
        variable.assign(value)
    for gan in (straight, resumed):
        gan.compile()
    _train(straight, images, steps=6)
    _train(resumed, images, steps=3)  # mid-interval: the running sums must be saved too
    path = tmp_path / "ada.keras"
    resumed.save(path)
    resumed = keras.saving.load_model(path)
    _train(resumed, images, steps=3)
    # p moved once, after step 4, by 0.1 one way or the other.
    assert float(straight.augmentation.probability.numpy()) in (pytest.approx(0.2), pytest.approx(0.4))
    for a, b in zip(straight.augmentation.weights, resumed.augmentation.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    for a, b in zip(straight.discriminator.weights, resumed.discriminator.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-6)
