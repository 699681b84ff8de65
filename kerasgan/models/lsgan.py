"""LSGAN: least-squares GAN."""

from kerasgan.models.dcgan import DCGAN
from kerasgan.models.registry import register_variant


@register_variant("lsgan")
class LSGAN(DCGAN):
    """DCGAN networks trained with the least-squares loss (targets 0 and 1).

    `compile()` defaults to Adam(2e-4, beta_1=0.5), as in the paper.

    Args:
        **kwargs: see `kerasgan.DCGAN`.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.LSGAN(image_shape=(28, 28, 1))
        >>> gan.compile()

    Reference:
        Mao et al., "Least Squares Generative Adversarial Networks", ICCV 2017.
    """

    default_loss = "least_squares"
