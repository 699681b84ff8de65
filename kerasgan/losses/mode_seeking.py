"""Mode-seeking regularization: the generator is rewarded for mapping distant latents apart."""

import keras
from keras import ops

from kerasgan.losses.regularizers import Regularizer

_EPSILON = 1e-5


def mode_seeking_penalty(latents, images, epsilon=_EPSILON):
    """MSGAN's penalty `mean(1 / (ratio + eps))` over the pairs of a batch.

    The batch is split into two halves; example `i` of the first half pairs
    with example `i` of the second. For each pair the ratio of the mean
    absolute distance between its two images to that between its two
    latents is taken; the penalty is the mean of `1 / (ratio + epsilon)`, so
    minimising it pushes images of different latents apart. An odd last
    example is left out.

    Args:
        latents: `(batch, latent_dim)`, `batch >= 2`.
        images: the images generated from them, `(batch, H, W, C)`.
        epsilon: positive float added to each ratio. Defaults to `1e-5`
            (the authors').

    Returns:
        Scalar float32 penalty.

    Example:
        >>> z = ops.convert_to_tensor([[0.0], [1.0], [2.0], [4.0]])
        >>> x = ops.reshape(ops.convert_to_tensor([0.0, 0.5, 1.0, 2.0]), (4, 1, 1, 1))
        >>> round(float(mode_seeking_penalty(z, x, epsilon=0.0)), 4)  # both ratios are 1/2
        2.0

    Reference:
        Mao et al., "Mode Seeking Generative Adversarial Networks for Diverse
        Image Synthesis", CVPR 2019.
    """
    latents, images = ops.cast(latents, "float32"), ops.cast(images, "float32")
    if latents.shape[0] is not None and latents.shape[0] < 2:
        raise ValueError(
            f"The mode-seeking penalty pairs the examples of a batch; received a batch of "
            f"{latents.shape[0]}. Train with batches of at least 2."
        )
    half = ops.shape(latents)[0] // 2
    image_distance = ops.mean(
        ops.abs(images[:half] - images[half : 2 * half]), axis=tuple(range(1, len(images.shape)))
    )
    latent_distance = ops.mean(
        ops.abs(latents[:half] - latents[half : 2 * half]), axis=tuple(range(1, len(latents.shape)))
    )
    ratio = image_distance / latent_distance
    return ops.mean(1.0 / (ratio + epsilon))


@keras.saving.register_keras_serializable(package="kerasgan")
class ModeSeekingPenalty(Regularizer):
    """MSGAN's mode-seeking term on the generator, logged as `ms`.

    Reads the generator phase's `latents` and the `fake` images made from
    them (no extra generator call): the batch is split into two halves of
    pairs and `mode_seeking_penalty` is added to the generator's loss,
    which favours generators whose images move when their latents do, the
    cure MSGAN proposes for mode collapse. Needs batches of at least 2.

    Args:
        weight: lambda of the paper. Defaults to `1.0`.
        every: run every `every` steps. Defaults to 1.
        phase: the phase it attaches to. Defaults to `"generator"`.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.DCGAN(regularizers=[ModeSeekingPenalty(1.0)])

    Reference:
        Mao et al., "Mode Seeking Generative Adversarial Networks for Diverse
        Image Synthesis", CVPR 2019.
    """

    term = "ms"
    requires = ("latents", "fake")
    default_phase = "generator"

    def __init__(self, weight=1.0, every=1, phase=None, **kwargs):
        super().__init__(weight, every=every, phase=phase, **kwargs)

    def penalty(self, gan, context):
        latents, fake = self.read_context(context)
        return mode_seeking_penalty(latents, fake)
