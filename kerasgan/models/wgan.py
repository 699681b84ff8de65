"""WGAN: Wasserstein GAN with weight clipping."""

import keras

from kerasgan.losses import clip_weights
from kerasgan.models.dcgan import DCGAN
from kerasgan.models.registry import register_variant


@register_variant("wgan")
class WGAN(DCGAN):
    """Wasserstein GAN: a critic kept Lipschitz by clipping its weights.

    Wasserstein loss, 5 critic updates per generator update, every critic
    weight clipped to `[-clip_value, clip_value]` after each update, and
    `compile()` defaults to RMSprop(5e-5) for both networks, as in the paper.
    `d_loss` is minus the critic's Wasserstein estimate.

    Args:
        clip_value: positive float. Defaults to 0.01.
        **kwargs: see `kerasgan.DCGAN`.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.WGAN(image_shape=(28, 28, 1))
        >>> gan.compile()

    Reference:
        Arjovsky et al., "Wasserstein GAN", ICML 2017.
    """

    default_loss = "wasserstein"
    default_n_critic = 5

    def __init__(self, clip_value=0.01, **kwargs):
        if not clip_value > 0:
            raise ValueError(f"clip_value must be positive; received {clip_value!r}.")
        self.clip_value = float(clip_value)
        super().__init__(**kwargs)

    def default_optimizer(self, network_name):
        return keras.optimizers.RMSprop(5e-5)

    def after_discriminator_step(self):
        clip_weights(self.discriminator.trainable_variables, self.clip_value)

    def get_config(self):
        return {**super().get_config(), "clip_value": self.clip_value}
