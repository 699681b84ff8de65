"""DCGAN: the deep convolutional GAN of Radford et al."""

from kerasgan.models.gan import GAN
from kerasgan.models.registry import register_variant
from kerasgan.networks import build_dcgan_discriminator, build_dcgan_generator


@register_variant("dcgan")
class DCGAN(GAN):
    """Deep convolutional GAN with the non-saturating loss.

    Networks from `kerasgan.networks.build_dcgan_generator` /
    `build_dcgan_discriminator` (strided convolutions, batch norm, ReLU/tanh
    in G, LeakyReLU in D) for any square side 4·2ⁿ or 7·2ⁿ and any channel
    count; at 64x64 the generator is Dense→4x4x1024→512→256→128→C.
    `compile()` defaults to the paper's Adam(2e-4, beta_1=0.5) for both.

    Args:
        image_shape: `(H, W, C)`. Defaults to `(28, 28, 1)`.
        latent_dim: defaults to 100, as in the paper.
        **kwargs: see `kerasgan.GAN` (`num_classes`, `generator`,
            `discriminator`, `loss`, `regularizers`, `n_critic`, `seed`).

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=128)
        >>> gan.compile()
        >>> gan.fit(kerasgan.data.load("fashion_mnist", batch_size=128), epochs=5)  # doctest: +SKIP
        >>> gan.generate(16, seed=0).shape
        (16, 28, 28, 1)

    Reference:
        Radford et al., "Unsupervised Representation Learning with Deep
        Convolutional Generative Adversarial Networks", ICLR 2016.
    """

    discriminator_normalization = "batch"

    def build_generator(self):
        return build_dcgan_generator(
            self.image_shape,
            self.latent_dim,
            num_classes=self.num_classes,
            synchronized_batch_norm=self.synchronized_batch_norm(),
        )

    def build_discriminator(self):
        return build_dcgan_discriminator(
            self.image_shape,
            normalization=self.discriminator_normalization,
            num_classes=self.num_classes,
            minibatch_stddev=self.minibatch_stddev,
            synchronized_batch_norm=self.synchronized_batch_norm(),
        )
