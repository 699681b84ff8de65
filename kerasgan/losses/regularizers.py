"""Regularizers: gradient penalty, R1, R2 and path-length penalties, weight clipping.

The penalties are pure functions of a network function and images; the
`Regularizer` layers bind them to one phase of a GAN (they read the phase's
context: real `images`, `fake` images, `labels`, the `critic` function, the
`latents`), give each term the name under which it is logged (`gp`, `r1`,
`r2`, `pl`), can run lazily (`every=k`), can hold state that is saved with the
model (`PathLengthPenalty`'s running mean) and can take a weight that follows
a schedule of the training step.
"""

import keras
from keras import ops

from kerasgan.backend import input_gradients
from kerasgan.utils.validation import validate_non_negative, validate_positive_int


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
        >>> penalty = gradient_penalty(critic, ops.zeros((3, 2, 2, 1)),
        ...                            ops.ones((3, 2, 2, 1)), ops.full((3, 1, 1, 1), 0.5))
        >>> float(penalty)  # the gradient is w and ||w|| = 1, so the penalty is 0
        0.0

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


def _checked_weight(weight, name):
    """A non-negative float, or a `LearningRateSchedule` (rebuilt from its config when given one)."""
    if isinstance(weight, dict):
        weight = keras.saving.deserialize_keras_object(weight)
    if isinstance(weight, keras.optimizers.schedules.LearningRateSchedule):
        return weight
    if callable(weight):
        raise ValueError(
            f"{name} must be a non-negative number or a keras.optimizers.schedules.LearningRateSchedule "
            f"(which is saved with the model); received the callable {weight!r}. Wrap it in a "
            "LearningRateSchedule subclass, e.g. keras.optimizers.schedules.CosineDecay."
        )
    return validate_non_negative(weight, name)


class Regularizer(keras.layers.Layer):
    """Base class of a penalty added to one phase's loss.

    A regularizer is a Keras layer, so state it keeps (weights it adds with
    `add_weight`) is tracked, saved in `.keras` files and restored on resume.
    Subclasses set `term` (the name it is logged under) and `requires` (the
    context keys it reads) and implement `penalty(gan, context)`. The phase's
    loss gains `weight * penalty`; with `every=k > 1` the penalty moves to its
    own phase, run every `k` steps with weight `weight * k` (StyleGAN2's lazy
    regularization).

    The weight is a number or a schedule of the training step: a
    `keras.optimizers.schedules.LearningRateSchedule` (such as
    `CosineDecay`, R3GAN's decaying gamma), called with the model's
    `train_steps` at every update (`weight_at`) and saved with the model.

    Args:
        weight: non-negative float multiplying the penalty, or a
            `keras.optimizers.schedules.LearningRateSchedule` of the step.
        every: run every `every` steps (1 = every step). Positive int.
        phase: name of the phase it attaches to, e.g. `"discriminator"`.
        **kwargs: passed to `keras.layers.Layer` (`name` defaults to `term`).

    Example:
        >>> gamma = keras.optimizers.schedules.CosineDecay(0.05, decay_steps=100, alpha=0.1)
        >>> r1 = R1Penalty(gamma)
        >>> round(float(r1.weight_at(0)), 4), round(float(r1.weight_at(100)), 4)
        (0.05, 0.005)
    """

    term = None
    requires = ()
    default_phase = "discriminator"

    def __init__(self, weight, every=1, phase=None, **kwargs):
        kwargs.setdefault("name", self.term)
        super().__init__(**kwargs)
        self.weight = _checked_weight(weight, f"{type(self).__name__} weight")
        self.every = validate_positive_int(every, f"{type(self).__name__} every (16 for lazy R1)")
        self.phase = self.default_phase if phase is None else str(phase)
        self.built = True

    def weight_at(self, step):
        """The weight at step index `step`: the number, or the schedule's value there.

        Args:
            step: an int, or a scalar int tensor or variable (the model's
                `train_steps` inside a compiled step).

        Returns:
            A float, or a float32 scalar tensor for a scheduled weight.
        """
        if isinstance(self.weight, keras.optimizers.schedules.LearningRateSchedule):
            return ops.cast(self.weight(step), "float32")
        return self.weight

    def penalty(self, gan, context):
        """Returns the scalar penalty for one update of its phase.

        Args:
            gan: the GAN being trained (its seed generator, its networks).
            context: the phase's context dict.

        Returns:
            Scalar float32 tensor.
        """
        raise NotImplementedError

    def read_context(self, context):
        """Returns `[context[key] for key in requires]`, or says what is missing."""
        missing = [key for key in self.requires if context.get(key) is None]
        if missing:
            raise ValueError(
                f"{type(self).__name__} needs {list(self.requires)} from phase "
                f"{self.phase!r}, whose context has no {missing}. Attach it to a "
                "phase that provides them (phase=...)."
            )
        return [context[key] for key in self.requires]

    def get_config(self):
        weight = self.weight
        if isinstance(weight, keras.optimizers.schedules.LearningRateSchedule):
            weight = keras.saving.serialize_keras_object(weight)
        return {"weight": weight, "every": self.every, "phase": self.phase}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras.saving.register_keras_serializable(package="kerasgan")
class GradientPenalty(Regularizer):
    """WGAN-GP gradient penalty, logged as `gp`.

    Interpolation weights are drawn from the GAN's seed generator. Reads the
    phase's `images`, `fake` and `critic`.

    Args:
        weight: lambda of the paper. Defaults to `10.0`.
        every: run every `every` steps. Defaults to 1.
        phase: the phase it attaches to. Defaults to `"discriminator"`.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.GAN(loss="wasserstein", regularizers=[GradientPenalty(10.0)])

    Reference:
        Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017.
    """

    term = "gp"
    requires = ("images", "fake", "critic")

    def __init__(self, weight=10.0, every=1, phase=None, **kwargs):
        super().__init__(weight, every=every, phase=phase, **kwargs)

    def penalty(self, gan, context):
        real_images, fake_images, critic = self.read_context(context)
        batch_size = ops.shape(real_images)[0]
        alpha = gan.random_per_example(keras.random.uniform, batch_size, (1, 1, 1))
        return gradient_penalty(critic, real_images, fake_images, alpha)


@keras.saving.register_keras_serializable(package="kerasgan")
class R1Penalty(Regularizer):
    """R1 penalty on real images, logged as `r1`.

    Reads the phase's `images` and `critic`. `R1Penalty(5.0, every=16)` is
    StyleGAN2's lazy R1: its own phase every 16 steps, weighted by 5 * 16.

    Args:
        weight: `gamma / 2` of the paper, or a schedule of the step (see
            `Regularizer`). Defaults to `5.0` (gamma = 10).
        every: run every `every` steps. Defaults to 1.
        phase: the phase it attaches to. Defaults to `"discriminator"`.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.DCGAN(regularizers=[R1Penalty(5.0, every=16)])

    Reference:
        Mescheder et al., "Which Training Methods for GANs do actually
        Converge?", ICML 2018; Karras et al., "Analyzing and Improving the
        Image Quality of StyleGAN", CVPR 2020 (lazy regularization).
    """

    term = "r1"
    requires = ("images", "critic")

    def __init__(self, weight=5.0, every=1, phase=None, **kwargs):
        super().__init__(weight, every=every, phase=phase, **kwargs)

    def penalty(self, gan, context):
        images, critic = self.read_context(context)
        return r1_penalty(critic, images)


@keras.saving.register_keras_serializable(package="kerasgan")
class R2Penalty(R1Penalty):
    """R2 penalty on generated images, logged as `r2`: R1's penalty on the fakes.

    `E[||∇D(G(z))||₂²]` on the phase's `fake` images (no gradient to the
    generator), with the phase's `critic`. R3GAN adds it beside R1 with the
    same weight: together they keep the discriminator smooth around both
    distributions, which its convergence proof for the relativistic loss
    needs.

    Args:
        weight: `gamma / 2` of the paper, or a schedule of the step (see
            `Regularizer`). Defaults to `5.0` (gamma = 10).
        every: run every `every` steps. Defaults to 1.
        phase: the phase it attaches to. Defaults to `"discriminator"`.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.GAN(loss="relativistic", regularizers=[R1Penalty(0.5), R2Penalty(0.5)])
        >>> [r.term for r in gan.regularizers]
        ['r1', 'r2']

    Reference:
        Huang et al., "The GAN is dead; long live the GAN! A Modern GAN
        Baseline", NeurIPS 2024; Mescheder et al., "Which Training Methods
        for GANs do actually Converge?", ICML 2018.
    """

    term = "r2"
    requires = ("fake", "critic")
