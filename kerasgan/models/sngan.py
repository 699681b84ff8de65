"""SNGAN: spectrally normalised residual discriminator, hinge loss."""

import keras

from kerasgan.models.gan import GAN
from kerasgan.models.registry import register_variant
from kerasgan.networks import build_resnet_gan_discriminator, build_resnet_gan_generator
from kerasgan.utils.validation import validate_positive_int


@register_variant("sngan")
class SNGAN(GAN):
    """The ResNet SNGAN: hinge loss and a discriminator whose every layer is spectrally normalised.

    Residual networks from `kerasgan.networks.build_resnet_gan_generator`
    (batch norm) and `build_resnet_gan_discriminator` (preactivation blocks,
    every convolution and the dense logit a `SpectralConv2D` /
    `SpectralDense`: each kernel is divided by its largest singular value,
    estimated by one power iteration per training call, so the
    discriminator is about 1-Lipschitz layer by layer). The hinge loss, 5
    discriminator updates per generator update and `compile()` defaulting
    to Adam(2e-4, beta_1=0, beta_2=0.9) for both networks, as in the
    paper's ResNet experiments. The power-iteration vectors are
    non-trainable weights that only the discriminator's own phase moves.

    Args:
        base_filters: channels at full resolution of both networks (the
            generator's last block, the discriminator's first), doubling at
            each lower resolution: 28x28 gives G 7x7x64 → 14x14x64 →
            28x28x32 and D 14x14x32 → 7x7x64. Defaults to 32 (the paper's
            CIFAR-10 networks keep 256 and 128 channels throughout; these
            widths cost about what DCGAN's networks cost on a CPU).
        **kwargs: see `kerasgan.GAN` (`image_shape`, `latent_dim` (128 by
            default), `n_critic`, `loss`, `regularizers`, `seed`, ...).

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.SNGAN(base_filters=8, latent_dim=16, seed=0)
        >>> gan.compile()
        >>> gan.fit(kerasgan.data.load("fashion_mnist", batch_size=64), epochs=5)  # doctest: +SKIP
        >>> gan.generate(4, seed=0).shape
        (4, 28, 28, 1)

    Reference:
        Miyato et al., "Spectral Normalization for Generative Adversarial
        Networks", ICLR 2018.
    """

    default_loss = "hinge"
    default_n_critic = 5
    default_latent_dim = 128

    def __init__(self, base_filters=32, **kwargs):
        self.base_filters = validate_positive_int(base_filters, "base_filters")
        super().__init__(**kwargs)

    def build_generator(self):
        return build_resnet_gan_generator(
            self.image_shape,
            self.latent_dim,
            base_filters=self.base_filters,
            normalization="batch",
            num_classes=self.num_classes,
            synchronized_batch_norm=self.synchronized_batch_norm(),
        )

    def build_discriminator(self):
        self.refuse_minibatch_stddev()
        return build_resnet_gan_discriminator(
            self.image_shape,
            base_filters=self.base_filters,
            normalization="spectral",
            num_classes=self.num_classes,
        )

    def refuse_minibatch_stddev(self):
        """Raises for `minibatch_stddev=True`, which the residual discriminators do not offer."""
        if self.minibatch_stddev:
            raise ValueError(
                f"{type(self).__name__}'s residual discriminator has no minibatch standard-deviation "
                "layer; pass minibatch_stddev=False, or a discriminator of your own."
            )

    def default_optimizer(self, network_name):
        return keras.optimizers.Adam(2e-4, beta_1=0.0, beta_2=0.9)

    def get_config(self):
        return {**super().get_config(), "base_filters": self.base_filters}
