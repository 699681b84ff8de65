"""Discriminator regularizers: gradient penalty, R1 penalty, weight clipping.

The penalties are pure functions of a critic function and images; the small
`Regularizer` classes bind them to a GAN (its seed generator, its labels) and
give each term the name under which it is logged (`gp`, `r1`).
"""

import keras
from keras import ops

from kerasgan.backend import input_gradients


def _per_example_norm(gradients):
    squares = ops.sum(ops.square(gradients), axis=tuple(range(1, len(gradients.shape))))
    return ops.sqrt(squares + 1e-12)


def gradient_penalty(critic_fn, real_images, fake_images, alpha):
    """WGAN-GP penalty `E[(||∇D(x̂)||₂ - 1)²]` on interpolates `x̂`.

    Args:
        critic_fn: callable mapping images `(batch, H, W, C)` to scores
            `(batch, 1)`.
        real_images: real images `(batch, H, W, C)`.
        fake_images: generated images, same shape.
        alpha: interpolation weights in `[0, 1]`, shape `(batch, 1, 1, 1)`;
            `x̂ = real + alpha * (fake - real)`.

    Returns:
        Scalar float32 penalty.

    Example:
        >>> w = ops.full((1, 2, 2, 1), 0.5)
        >>> critic = lambda x: ops.sum(x * w, axis=(1, 2, 3))
        >>> gradient_penalty(critic, ops.zeros((3, 2, 2, 1)),
        ...                  ops.ones((3, 2, 2, 1)), ops.full((3, 1, 1, 1), 0.5))
        # ||w|| = 1, so the penalty is 0.

    Reference:
        Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017.
    """
    real_images = ops.cast(real_images, "float32")
    fake_images = ops.cast(fake_images, "float32")
    interpolates = real_images + ops.cast(alpha, "float32") * (fake_images - real_images)
    norms = _per_example_norm(input_gradients(critic_fn, interpolates))
    return ops.mean(ops.square(norms - 1.0))


def r1_penalty(discriminator_fn, real_images):
    """R1 penalty `E[||∇D(x)||₂²]` on real images.

    Args:
        discriminator_fn: callable mapping images to logits `(batch, 1)`.
        real_images: real images `(batch, H, W, C)`.

    Returns:
        Scalar float32 penalty (multiply by `gamma / 2` for the paper's term).

    Example:
        >>> penalty = r1_penalty(lambda x: 2.0 * ops.sum(x, axis=(1, 2, 3)),
        ...                      ops.zeros((3, 2, 2, 1)))  # 4 pixels x 2² = 16

    Reference:
        Mescheder et al., "Which Training Methods for GANs do actually
        Converge?", ICML 2018.
    """
    gradients = input_gradients(discriminator_fn, ops.cast(real_images, "float32"))
    return ops.mean(ops.sum(ops.square(gradients), axis=tuple(range(1, len(gradients.shape)))))


def clip_weights(variables, clip_value):
    """Clips every variable to `[-clip_value, clip_value]` in place.

    Args:
        variables: list of `keras.Variable`s (a critic's trainable weights).
        clip_value: positive float, e.g. `0.01` for WGAN.

    Returns:
        None.

    Example:
        >>> critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> clip_weights(critic.trainable_variables, 0.01)

    Reference:
        Arjovsky et al., "Wasserstein GAN", ICML 2017.
    """
    for variable in variables:
        variable.assign(ops.clip(variable, -clip_value, clip_value))


class Regularizer:
    """Base class of a discriminator regularizer added to the D loss.

    Subclasses set `name` (the key it is logged under) and implement
    `penalty(gan, real_images, fake_images, labels)`. The discriminator loss
    gains `weight * penalty`.

    Args:
        weight: non-negative float multiplying the penalty.
    """

    name = None

    def __init__(self, weight):
        if not weight >= 0:
            raise ValueError(
                f"{type(self).__name__} weight must be a non-negative number; "
                f"received {weight!r}."
            )
        self.weight = float(weight)

    def penalty(self, gan, real_images, fake_images, labels):
        raise NotImplementedError

    def get_config(self):
        return {"weight": self.weight}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras.saving.register_keras_serializable(package="kerasgan")
class GradientPenalty(Regularizer):
    """WGAN-GP gradient penalty, logged as `gp`.

    Interpolation weights are drawn from the GAN's seed generator.

    Args:
        weight: lambda of the paper. Defaults to `10.0`.

    Example:
        >>> gan = kerasgan.GAN(loss="wasserstein", regularizers=[GradientPenalty(10.0)])

    Reference:
        Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017.
    """

    name = "gp"

    def __init__(self, weight=10.0):
        super().__init__(weight)

    def penalty(self, gan, real_images, fake_images, labels):
        batch_size = ops.shape(real_images)[0]
        alpha = gan.random_per_example(keras.random.uniform, batch_size, (1, 1, 1))

        def critic(images):
            return gan.discriminate(images, labels, training=True)

        return gradient_penalty(critic, real_images, fake_images, alpha)


@keras.saving.register_keras_serializable(package="kerasgan")
class R1Penalty(Regularizer):
    """R1 penalty on real images, logged as `r1`.

    Args:
        weight: `gamma / 2` of the paper. Defaults to `5.0` (gamma = 10).

    Example:
        >>> gan = kerasgan.GAN(loss="non_saturating", regularizers=[R1Penalty(5.0)])

    Reference:
        Mescheder et al., "Which Training Methods for GANs do actually
        Converge?", ICML 2018.
    """

    name = "r1"

    def __init__(self, weight=5.0):
        super().__init__(weight)

    def penalty(self, gan, real_images, fake_images, labels):
        def discriminator(images):
            return gan.discriminate(images, labels, training=True)

        return r1_penalty(discriminator, real_images)
