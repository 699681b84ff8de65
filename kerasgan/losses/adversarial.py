"""Adversarial losses: pure functions of discriminator logits.

Every function takes raw, unbounded discriminator outputs ("logits" or
critic scores), shape `(batch, 1)` or `(batch,)`, and returns a scalar: the
mean over the batch, computed in float32 whatever the input dtype.
"""

import collections
import functools
import numbers

from keras import ops


def _as_float32(x):
    return ops.cast(x, "float32")


def minimax_discriminator_loss(real_logits, fake_logits, label_smoothing=0.0):
    """Binary cross-entropy of the discriminator (original GAN).

    `-log D(x) - log(1 - D(G(z)))` with `D = sigmoid(logits)`, written with
    softplus for numerical stability. With one-sided label smoothing `s`
    the real images' target is `1 - s` instead of 1 (the fakes' stays 0):
    the real part becomes `(1 - s) * softplus(-l) + s * softplus(l)`, the
    cross-entropy against the softened target.

    Args:
        real_logits: discriminator logits for real images, shape `(batch, 1)`.
        fake_logits: discriminator logits for generated images.
        label_smoothing: float in `[0, 1)`, how much the real targets are
            lowered. Defaults to 0 (targets 1, the unsmoothed loss).

    Returns:
        Scalar float32 loss.

    Example:
        >>> loss = minimax_discriminator_loss(ops.ones((4, 1)), -ops.ones((4, 1)))
        >>> smoothed = minimax_discriminator_loss(ops.ones((4, 1)), -ops.ones((4, 1)), label_smoothing=0.1)
        >>> bool(smoothed > loss)  # a confident real score now costs a little
        True

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014;
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS
        2016 (one-sided label smoothing).
    """
    real_logits, fake_logits = _as_float32(real_logits), _as_float32(fake_logits)
    if not label_smoothing:
        return ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))
    target = 1.0 - float(label_smoothing)
    real_part = target * ops.softplus(-real_logits) + (1.0 - target) * ops.softplus(real_logits)
    return ops.mean(real_part) + ops.mean(ops.softplus(fake_logits))


def minimax_generator_loss(fake_logits):
    """Saturating generator loss of the original minimax game.

    The generator minimises `log(1 - D(G(z))) = -softplus(logits)`. Its
    gradient vanishes when the discriminator confidently rejects the samples,
    which is why `non_saturating_generator_loss` is used in practice.

    Args:
        fake_logits: discriminator logits for generated images.

    Returns:
        Scalar float32 loss.

    Example:
        >>> loss = minimax_generator_loss(-ops.ones((4, 1)))

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
    """
    return -ops.mean(ops.softplus(_as_float32(fake_logits)))


def non_saturating_generator_loss(fake_logits):
    """Non-saturating generator loss: `-log D(G(z)) = softplus(-logits)`.

    Args:
        fake_logits: discriminator logits for generated images.

    Returns:
        Scalar float32 loss.

    Example:
        >>> loss = non_saturating_generator_loss(-ops.ones((4, 1)))

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, sec. 3.
    """
    return ops.mean(ops.softplus(-_as_float32(fake_logits)))


def wasserstein_discriminator_loss(real_logits, fake_logits):
    """Wasserstein critic loss: `E[D(G(z))] - E[D(x)]`.

    Args:
        real_logits: critic scores for real images.
        fake_logits: critic scores for generated images.

    Returns:
        Scalar float32 loss; its negative estimates the Wasserstein-1
        distance when the critic is 1-Lipschitz.

    Example:
        >>> loss = wasserstein_discriminator_loss(ops.ones((4, 1)), ops.zeros((4, 1)))

    Reference:
        Arjovsky et al., "Wasserstein GAN", ICML 2017.
    """
    return ops.mean(_as_float32(fake_logits)) - ops.mean(_as_float32(real_logits))


def wasserstein_generator_loss(fake_logits):
    """Wasserstein generator loss: `-E[D(G(z))]`.

    Args:
        fake_logits: critic scores for generated images.

    Returns:
        Scalar float32 loss.

    Example:
        >>> loss = wasserstein_generator_loss(ops.zeros((4, 1)))

    Reference:
        Arjovsky et al., "Wasserstein GAN", ICML 2017.
    """
    return -ops.mean(_as_float32(fake_logits))


def hinge_discriminator_loss(real_logits, fake_logits):
    """Hinge discriminator loss: `E[relu(1 - D(x))] + E[relu(1 + D(G(z)))]`.

    Args:
        real_logits: discriminator outputs for real images.
        fake_logits: discriminator outputs for generated images.

    Returns:
        Scalar float32 loss.

    Example:
        >>> loss = hinge_discriminator_loss(ops.ones((4, 1)), -ops.ones((4, 1)))

    Reference:
        Lim & Ye, "Geometric GAN", 2017; Miyato et al., "Spectral
        Normalization for GANs", ICLR 2018.
    """
    real_logits, fake_logits = _as_float32(real_logits), _as_float32(fake_logits)
    return ops.mean(ops.relu(1.0 - real_logits)) + ops.mean(ops.relu(1.0 + fake_logits))


def least_squares_discriminator_loss(real_logits, fake_logits):
    """Least-squares discriminator loss: `½E[(D(x)-1)²] + ½E[D(G(z))²]`.

    Args:
        real_logits: discriminator outputs for real images (targets 1).
        fake_logits: discriminator outputs for generated images (targets 0).

    Returns:
        Scalar float32 loss.

    Example:
        >>> loss = least_squares_discriminator_loss(ops.ones((4, 1)), ops.zeros((4, 1)))

    Reference:
        Mao et al., "Least Squares Generative Adversarial Networks", ICCV 2017.
    """
    real_logits, fake_logits = _as_float32(real_logits), _as_float32(fake_logits)
    return 0.5 * ops.mean(ops.square(real_logits - 1.0)) + 0.5 * ops.mean(ops.square(fake_logits))


def least_squares_generator_loss(fake_logits):
    """Least-squares generator loss: `½E[(D(G(z))-1)²]`.

    Args:
        fake_logits: discriminator outputs for generated images.

    Returns:
        Scalar float32 loss.

    Example:
        >>> loss = least_squares_generator_loss(ops.zeros((4, 1)))

    Reference:
        Mao et al., "Least Squares Generative Adversarial Networks", ICCV 2017.
    """
    return 0.5 * ops.mean(ops.square(_as_float32(fake_logits) - 1.0))


def relativistic_discriminator_loss(real_logits, fake_logits):
    """Relativistic pairing discriminator loss: `E[softplus(-(D(x) - D(G(z))))]`.

    Each real logit is paired with the fake logit of the same position in
    the batch: the discriminator learns that a real image scores above a
    fake one, not that either is real or fake on its own.

    Args:
        real_logits: discriminator logits for real images, shape `(batch, 1)`.
        fake_logits: discriminator logits for generated images, the same shape.

    Returns:
        Scalar float32 loss.

    Example:
        >>> loss = relativistic_discriminator_loss(ops.ones((4, 1)), -ops.ones((4, 1)))
        >>> round(float(loss), 4)  # softplus(-2)
        0.1269

    Reference:
        Jolicoeur-Martineau, "The relativistic discriminator: a key element
        missing from standard GAN", ICLR 2019; Huang et al., "The GAN is
        dead; long live the GAN! A Modern GAN Baseline", NeurIPS 2024.
    """
    real_logits, fake_logits = _as_float32(real_logits), _as_float32(fake_logits)
    return ops.mean(ops.softplus(fake_logits - real_logits))


def relativistic_generator_loss(fake_logits, real_logits):
    """Relativistic pairing generator loss: `E[softplus(-(D(G(z)) - D(x)))]`.

    The generator's objective reads the real images' logits too (its
    `AdversarialLoss` has `generator_reads_real=True`): `kerasgan.GAN`
    passes the logits of the step's real batch, scored through the
    model's one discriminator call.

    Args:
        fake_logits: discriminator logits for generated images, `(batch, 1)`.
        real_logits: discriminator logits for real images, the same shape.

    Returns:
        Scalar float32 loss.

    Example:
        >>> loss = relativistic_generator_loss(-ops.ones((4, 1)), ops.ones((4, 1)))
        >>> round(float(loss), 4)  # softplus(2)
        2.1269

    Reference:
        Jolicoeur-Martineau, "The relativistic discriminator: a key element
        missing from standard GAN", ICLR 2019; Huang et al., "The GAN is
        dead; long live the GAN! A Modern GAN Baseline", NeurIPS 2024.
    """
    real_logits, fake_logits = _as_float32(real_logits), _as_float32(fake_logits)
    return ops.mean(ops.softplus(real_logits - fake_logits))


AdversarialLoss = collections.namedtuple(
    "AdversarialLoss", ["discriminator_loss", "generator_loss", "generator_reads_real"], defaults=(False,)
)
AdversarialLoss.__doc__ = """The loss functions that define a GAN game.

Attributes:
    discriminator_loss: `fn(real_logits, fake_logits) -> scalar`.
    generator_loss: `fn(fake_logits) -> scalar`, or `fn(fake_logits,
        real_logits) -> scalar` when `generator_reads_real`.
    generator_reads_real: whether the generator's loss also reads the
        logits of the real batch (the relativistic loss). Defaults to False.
"""

ADVERSARIAL_LOSSES = {
    "minimax": AdversarialLoss(minimax_discriminator_loss, minimax_generator_loss),
    "non_saturating": AdversarialLoss(minimax_discriminator_loss, non_saturating_generator_loss),
    "wasserstein": AdversarialLoss(wasserstein_discriminator_loss, wasserstein_generator_loss),
    "hinge": AdversarialLoss(hinge_discriminator_loss, wasserstein_generator_loss),
    "least_squares": AdversarialLoss(least_squares_discriminator_loss, least_squares_generator_loss),
    "relativistic": AdversarialLoss(
        relativistic_discriminator_loss, relativistic_generator_loss, generator_reads_real=True
    ),
}


# The losses whose discriminator part is a cross-entropy against targets.
LABEL_SMOOTHING_LOSSES = ("minimax", "non_saturating")


def get_adversarial_loss(name, label_smoothing=0.0):
    """Returns the `AdversarialLoss` pair registered under `name`.

    Args:
        name: one of `"minimax"`, `"non_saturating"`, `"wasserstein"`,
            `"hinge"`, `"least_squares"`, `"relativistic"` (whose generator
            loss also reads the real batch's logits).
        label_smoothing: one-sided label smoothing of the discriminator's
            real targets, a float in `[0, 1)`: they become
            `1 - label_smoothing`, the fakes' stay 0. Only for the
            cross-entropy losses (`LABEL_SMOOTHING_LOSSES`: `"minimax"`,
            `"non_saturating"`); the generator's loss is unchanged. Defaults
            to 0 (the registered pair itself). The paper suggests 0.1.

    Returns:
        An `AdversarialLoss(discriminator_loss, generator_loss)`.

    Example:
        >>> pair = get_adversarial_loss("hinge")
        >>> float(pair.discriminator_loss(ops.ones((2, 1)), -ops.ones((2, 1))))
        0.0
        >>> smoothed = get_adversarial_loss("non_saturating", label_smoothing=0.1)

    Raises:
        ValueError: for an unknown name, a smoothing outside `[0, 1)`, or a
            smoothing above 0 for a loss without targets.

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS
        2016 (one-sided label smoothing).
    """
    if name not in ADVERSARIAL_LOSSES:
        raise ValueError(f"Unknown adversarial loss {name!r}. Choose one of {sorted(ADVERSARIAL_LOSSES)}.")
    if (
        isinstance(label_smoothing, bool)
        or not isinstance(label_smoothing, numbers.Real)
        or not 0.0 <= label_smoothing < 1.0
    ):
        raise ValueError(
            f"label_smoothing must be a number in [0, 1) (the real targets become 1 - label_smoothing; "
            f"0.1 is usual); received {label_smoothing!r}."
        )
    pair = ADVERSARIAL_LOSSES[name]
    if not label_smoothing:
        return pair
    if name not in LABEL_SMOOTHING_LOSSES:
        raise ValueError(
            f"label_smoothing applies to the cross-entropy losses {list(LABEL_SMOOTHING_LOSSES)}, whose "
            f"discriminator has targets; the {name!r} loss has none. Received label_smoothing="
            f"{label_smoothing!r}: use one of those losses, or label_smoothing=0."
        )
    smoothed = functools.partial(pair.discriminator_loss, label_smoothing=float(label_smoothing))
    return AdversarialLoss(smoothed, pair.generator_loss)
