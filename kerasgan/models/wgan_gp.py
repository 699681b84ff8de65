"""WGAN-GP: Wasserstein GAN with gradient penalty."""

import keras

from kerasgan.losses import GradientPenalty
from kerasgan.models.dcgan import DCGAN
from kerasgan.models.registry import register_variant


@register_variant("wgan_gp")
class WGANGP(DCGAN):
    """Wasserstein GAN whose critic is regularized by a gradient penalty.

    Wasserstein loss plus `10 * gp` (logged as `gp`), 5 critic updates per
    generator update, a critic with layer norm instead of batch norm (the
    penalty is per example), and `compile()` defaulting to
    Adam(1e-4, beta_1=0, beta_2=0.9) for both networks, as in the paper.

    Args:
        **kwargs: see `kerasgan.DCGAN`; `regularizers=[GradientPenalty(w)]`
            changes the penalty weight. `latent_dim` defaults to 128.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.WGANGP(image_shape=(28, 28, 1))
        >>> gan.compile()

    Reference:
        Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017.
    """

    default_loss = "wasserstein"
    default_n_critic = 5
    default_latent_dim = 128
    discriminator_normalization = "layer"

    def default_regularizers(self):
        return [GradientPenalty(10.0)]

    def default_optimizer(self, network_name):
        return keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9)
