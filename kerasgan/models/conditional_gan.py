"""Conditional GAN: class labels fed to both networks."""

from kerasgan.models.dcgan import DCGAN
from kerasgan.models.registry import register_variant


@register_variant("conditional_gan")
class ConditionalGAN(DCGAN):
    """Class-conditional DCGAN.

    The generator concatenates a learned label embedding to the latent
    vector; the discriminator sees the image with a learned per-class plane
    as an extra channel. Training data must be `(images, labels)` with
    integer labels in `[0, num_classes)`; the generator step reuses the real
    batch's labels. `generate(n, labels=...)` picks the classes.

    Args:
        num_classes: number of classes (required), e.g. 10 for Fashion-MNIST.
        **kwargs: see `kerasgan.DCGAN`.

    Example:
        >>> import kerasgan
        >>> cgan = kerasgan.ConditionalGAN(num_classes=10, image_shape=(28, 28, 1))
        >>> cgan.compile()
        >>> cgan.fit(kerasgan.data.load("fashion_mnist", with_labels=True), epochs=5)  # doctest: +SKIP
        >>> sneakers = cgan.generate(8, seed=0, labels=7)
        >>> float(sneakers.min()) >= -1 and float(sneakers.max()) <= 1
        True

    Reference:
        Mirza & Osindero, "Conditional Generative Adversarial Nets", 2014.
    """

    requires_labels = True

    def __init__(self, num_classes, **kwargs):
        if num_classes is None:
            raise ValueError(
                "ConditionalGAN needs num_classes (e.g. 10 for Fashion-MNIST); "
                "use DCGAN for an unconditional model."
            )
        super().__init__(num_classes=num_classes, **kwargs)
