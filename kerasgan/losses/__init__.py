"""Adversarial losses (pure functions of logits) and regularizers (layers attached to phases)."""

from kerasgan.losses.adversarial import (
    ADVERSARIAL_LOSSES,
    LABEL_SMOOTHING_LOSSES,
    AdversarialLoss,
    get_adversarial_loss,
    hinge_discriminator_loss,
    least_squares_discriminator_loss,
    least_squares_generator_loss,
    minimax_discriminator_loss,
    minimax_generator_loss,
    non_saturating_generator_loss,
    relativistic_discriminator_loss,
    relativistic_generator_loss,
    wasserstein_discriminator_loss,
    wasserstein_generator_loss,
)
from kerasgan.losses.consistency import ConsistencyRegularization, flip_and_translate
from kerasgan.losses.information import category_accuracy, information_loss
from kerasgan.losses.lecam import LeCamRegularization, lecam_penalty
from kerasgan.losses.mode_seeking import ModeSeekingPenalty, mode_seeking_penalty
from kerasgan.losses.path_length import PathLengthPenalty
from kerasgan.losses.perceptual import PerceptualLoss, build_feature_network, perceptual_distance
from kerasgan.losses.regularizers import (
    GradientPenalty,
    R1Penalty,
    R2Penalty,
    Regularizer,
    clip_weights,
    gradient_penalty,
    r1_penalty,
)
from kerasgan.losses.specs import REGULARIZERS, regularizer_from_spec
