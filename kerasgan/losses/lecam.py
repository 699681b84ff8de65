"""LeCam regularization: the discriminator's scores are anchored to their own moving averages."""

import keras
from keras import ops

from kerasgan.losses.regularizers import Regularizer


def lecam_penalty(real_logits, fake_logits, real_average, fake_average):
    """The LeCam penalty `mean(relu(D(x) - a_F)^2) + mean(relu(a_R - D(G(z)))^2)`.

    Real scores above the moving average of the fake scores `a_F`, and fake
    scores below the moving average of the real scores `a_R`, are penalised
    quadratically; the averages are constants here.

    Args:
        real_logits: discriminator outputs for real images, e.g. `(batch, 1)`.
        fake_logits: discriminator outputs for generated images.
        real_average: scalar, the moving average `a_R` of the real outputs.
        fake_average: scalar, the moving average `a_F` of the fake outputs.

    Returns:
        Scalar float32 penalty.

    Example:
        >>> real, fake = ops.convert_to_tensor([[2.0], [0.0]]), ops.convert_to_tensor([[-1.0], [1.0]])
        >>> float(lecam_penalty(real, fake, real_average=0.5, fake_average=-0.5))  # (2.5² + 0.5²)/2 + 1.5²/2
        4.375

    Reference:
        Tseng et al., "Regularizing Generative Adversarial Networks under
        Limited Data", CVPR 2021.
    """
    real_logits, fake_logits = ops.cast(real_logits, "float32"), ops.cast(fake_logits, "float32")
    real_average = ops.stop_gradient(ops.cast(real_average, "float32"))
    fake_average = ops.stop_gradient(ops.cast(fake_average, "float32"))
    real_part = ops.mean(ops.square(ops.relu(real_logits - fake_average)))
    fake_part = ops.mean(ops.square(ops.relu(real_average - fake_logits)))
    return real_part + fake_part


@keras.saving.register_keras_serializable(package="kerasgan")
class LeCamRegularization(Regularizer):
    """LeCam regularization of the discriminator, logged as `lecam`.

    Keeps exponential moving averages `real_average` (`a_R`, of the batch
    mean of `D(x)`) and `fake_average` (`a_F`, of the batch mean of
    `D(G(z))`), and penalises `lecam_penalty(D(x), D(G(z)), a_R, a_F)`. At
    each evaluation the averages first take in this batch's means, then
    the penalty uses them, as the authors' code does. The averages start at
    0 and are bias-corrected (the first one equals the first batch's mean;
    `t` evaluations weigh the means by `(1 - decay) * decay^k / (1 - decay^t)`),
    as in the authors' StyleGAN2 code. The averages and the count
    `num_updates` are weights of this layer: saved in `.keras` files and
    restored on resume. A gated update that is skipped still moves them.

    Reads the discriminator phase's `images`, `fake` and `critic`, or
    instead the `real_logits` and `fake_logits` of the phase's objective
    when its context holds them (no extra critic call).

    Args:
        weight: lambda of the paper, non-negative. Defaults to `0.3` (the
            authors' BigGAN CIFAR scripts).
        decay: decay of the moving averages, in `[0, 1)`. Defaults to `0.99`.
        every: run every `every` steps. Defaults to 1.
        phase: the phase it attaches to. Defaults to `"discriminator"`.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.DCGAN(loss="hinge", regularizers=[LeCamRegularization(0.3)])

    Reference:
        Tseng et al., "Regularizing Generative Adversarial Networks under
        Limited Data", CVPR 2021 (the code's form: `relu` inside the squares,
        which the paper's equation leaves out; no warm-up before the
        regularization starts, unlike the BigGAN scripts' first 1000
        iterations).
    """

    term = "lecam"
    requires = ("images", "fake", "critic")

    def __init__(self, weight=0.3, decay=0.99, every=1, phase=None, **kwargs):
        super().__init__(weight, every=every, phase=phase, **kwargs)
        if isinstance(decay, bool) or not isinstance(decay, (int, float)) or not 0 <= decay < 1:
            raise ValueError(
                f"LeCamRegularization decay must be in [0, 1) (0.99 in the paper); received {decay!r}."
            )
        self.decay = float(decay)
        self.real_average = self.add_weight(
            shape=(), initializer="zeros", trainable=False, name="real_average"
        )
        self.fake_average = self.add_weight(
            shape=(), initializer="zeros", trainable=False, name="fake_average"
        )
        self.num_updates = self.add_weight(shape=(), initializer="zeros", trainable=False, name="num_updates")

    def logits(self, context):
        """`(D(x), D(G(z)))`: the phase's `real_logits`/`fake_logits`, else critic calls."""
        real_logits, fake_logits = context.get("real_logits"), context.get("fake_logits")
        if real_logits is None or fake_logits is None:
            images, fake, critic = self.read_context(context)
            real_logits = critic(images) if real_logits is None else real_logits
            fake_logits = critic(fake) if fake_logits is None else fake_logits
        return ops.cast(real_logits, "float32"), ops.cast(fake_logits, "float32")

    def penalty(self, gan, context):
        real_logits, fake_logits = self.logits(context)
        count = self.num_updates + 1.0
        # Bias-corrected rate: 1 at the first update, then down towards 1 - decay.
        rate = (1.0 - self.decay) / (1.0 - ops.power(self.decay, count))
        averages = []
        for average, logits in ((self.real_average, real_logits), (self.fake_average, fake_logits)):
            mean = ops.stop_gradient(ops.mean(logits))
            updated = ops.stop_gradient(average + rate * (mean - average))
            average.assign(updated)
            averages.append(updated)
        self.num_updates.assign(count)
        return lecam_penalty(real_logits, fake_logits, *averages)

    def get_config(self):
        return {**super().get_config(), "decay": self.decay}
