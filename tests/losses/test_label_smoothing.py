"""One-sided label smoothing: the cross-entropy against 1 - s for real images, and its limits."""

import numpy as np
import pytest

from kerasgan import losses

REAL = np.array([[2.0], [-1.0], [0.5], [4.0]], dtype="float32")
FAKE = np.array([[-3.0], [0.0], [1.5], [-0.5]], dtype="float32")


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x.astype("float64")))


def smoothed_cross_entropy(real, fake, smoothing):
    """Binary cross-entropy with targets 1 - smoothing for real images and 0 for fakes."""
    target = 1.0 - smoothing
    real_part = -(target * np.log(sigmoid(real)) + (1 - target) * np.log(1 - sigmoid(real)))
    return np.mean(real_part) + np.mean(-np.log(1 - sigmoid(fake)))


@pytest.mark.jax
@pytest.mark.parametrize("name", ["non_saturating", "minimax"])
@pytest.mark.parametrize("smoothing", [0.1, 0.3])
def test_real_targets_become_one_minus_the_smoothing(name, smoothing):
    pair = losses.get_adversarial_loss(name, label_smoothing=smoothing)
    got = float(pair.discriminator_loss(REAL, FAKE))
    assert got == pytest.approx(smoothed_cross_entropy(REAL, FAKE, smoothing), rel=1e-5)
    # The fakes' targets stay 0: moving only the fake logits changes the loss as without smoothing.
    plain = losses.get_adversarial_loss(name)
    moved = float(pair.discriminator_loss(REAL, FAKE + 1.0)) - got
    assert moved == pytest.approx(
        float(plain.discriminator_loss(REAL, FAKE + 1.0) - plain.discriminator_loss(REAL, FAKE)), rel=1e-5
    )
    # The generator's loss is the unsmoothed one.
    assert pair.generator_loss is plain.generator_loss


@pytest.mark.jax
def test_smoothing_makes_overconfident_real_scores_cost_more():
    pair = losses.get_adversarial_loss("non_saturating", label_smoothing=0.1)
    confident = np.full((4, 1), 8.0, "float32")
    assert float(pair.discriminator_loss(confident, FAKE)) > float(
        losses.minimax_discriminator_loss(confident, FAKE)
    )


def test_no_smoothing_is_the_registered_loss_itself():
    for name in losses.ADVERSARIAL_LOSSES:
        assert losses.get_adversarial_loss(name, label_smoothing=0.0) is losses.ADVERSARIAL_LOSSES[name]
    np.testing.assert_array_equal(
        np.asarray(losses.minimax_discriminator_loss(REAL, FAKE, label_smoothing=0.0)),
        np.asarray(losses.minimax_discriminator_loss(REAL, FAKE)),
    )


@pytest.mark.parametrize("name", ["wasserstein", "hinge", "least_squares"])
def test_losses_without_targets_refuse_smoothing_and_name_those_that_take_it(name):
    with pytest.raises(ValueError, match=r"\['minimax', 'non_saturating'\]"):
        losses.get_adversarial_loss(name, label_smoothing=0.1)
    assert losses.get_adversarial_loss(name, label_smoothing=0.0) is losses.ADVERSARIAL_LOSSES[name]


@pytest.mark.parametrize("smoothing", [1.0, -0.1, 1.5, True, "0.1", None])
def test_smoothing_outside_zero_to_one_is_refused(smoothing):
    with pytest.raises(ValueError, match=r"label_smoothing must be a number in \[0, 1\)"):
        losses.get_adversarial_loss("non_saturating", label_smoothing=smoothing)
