"""ProjectionGAN: conditional batch norm in the generator, a projection discriminator."""

import keras

from kerasgan.models.conditional_gan import ConditionalGAN
from kerasgan.models.registry import register_variant
from kerasgan.networks.projection import build_projection_discriminator, build_projection_generator
from kerasgan.utils.validation import validate_positive_int


@register_variant("projection_gan")
class ProjectionGAN(ConditionalGAN):
    """Class-conditional GAN with a projection discriminator and the hinge loss.

    The generator (`kerasgan.networks.build_projection_generator`) reads the
    class only through conditional batch norms, one learned scale and offset
    per class in each; the discriminator
    (`kerasgan.networks.build_projection_discriminator`) is spectrally
    normalised and scores `psi(phi(x)) + <embed(y), phi(x)>`, so the class
    enters as an inner product with the image features instead of as an
    input channel. Hinge loss, 5 discriminator updates per generator update
    and `compile()` defaulting to Adam(2e-4, beta_1=0, beta_2=0.9) for both
    networks, as in the paper. Training data must be `(images, labels)`;
    the generator step reuses the real batch's labels, and
    `generate(n, labels=...)` picks the classes. Like every conditional
    model, its samples' label accuracy is scored by
    `kerasgan.evaluate_per_class`.

    Args:
        num_classes: number of classes (required), e.g. 10 for Fashion-MNIST.
        base_filters: width of both default networks (the generator's last
            hidden block, the discriminator's first convolution). Defaults
            to 64 up to 32x32, 128 above.
        **kwargs: see `kerasgan.DCGAN` (`n_critic` defaults to 5 here,
            `latent_dim` to 128, `loss` to `"hinge"`).

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.ProjectionGAN(num_classes=10, image_shape=(28, 28, 1), base_filters=16)
        >>> gan.compile()
        >>> gan.fit(kerasgan.data.load("fashion_mnist", with_labels=True), epochs=5)  # doctest: +SKIP
        >>> sneakers = gan.generate(8, seed=0, labels=7)
        >>> sneakers.shape
        (8, 28, 28, 1)

    Reference:
        Miyato & Koyama, "cGANs with Projection Discriminator", ICLR 2018.
    """

    default_loss = "hinge"
    default_n_critic = 5
    default_latent_dim = 128

    def __init__(self, num_classes, base_filters=None, **kwargs):
        self.base_filters = validate_positive_int(base_filters, "base_filters", allow_none=True)
        super().__init__(num_classes=num_classes, **kwargs)

    def build_generator(self):
        return build_projection_generator(
            self.image_shape,
            self.latent_dim,
            self.num_classes,
            base_filters=self.base_filters,
            synchronized_batch_norm=self.synchronized_batch_norm(),
        )

    def build_discriminator(self):
        return build_projection_discriminator(
            self.image_shape,
            self.num_classes,
            base_filters=self.base_filters,
            minibatch_stddev=self.minibatch_stddev,
        )

    def default_optimizer(self, network_name):
        return keras.optimizers.Adam(2e-4, beta_1=0.0, beta_2=0.9)

    def get_config(self):
        return {**super().get_config(), "base_filters": self.base_filters}
