"""ACGAN: a conditional GAN whose discriminator also classifies."""

import dataclasses

from keras import ops

from kerasgan.models.conditional_gan import ConditionalGAN
from kerasgan.models.registry import register_variant
from kerasgan.networks import build_dcgan_discriminator
from kerasgan.utils.validation import validate_non_negative


def _class_loss(labels, class_logits):
    return ops.mean(
        ops.sparse_categorical_crossentropy(labels, ops.cast(class_logits, "float32"), from_logits=True)
    )


@register_variant("acgan")
class ACGAN(ConditionalGAN):
    """Auxiliary classifier GAN: class-conditional generator, classifying discriminator.

    The generator takes latents and labels (as in `ConditionalGAN`); the
    discriminator takes images only and returns `[logits, class_logits]`.
    Both sides add `class_weight` times the cross-entropy of the class head
    with the batch's labels: the discriminator on real and generated images
    (`d_aux`), the generator on its own images (`g_aux`).

    Args:
        num_classes: number of classes (required).
        class_weight: weight of the auxiliary class loss. Defaults to 1.
        **kwargs: see `kerasgan.DCGAN`.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.ACGAN(num_classes=10, image_shape=(28, 28, 1))
        >>> gan.compile()
        >>> gan.fit(kerasgan.data.load("fashion_mnist", with_labels=True), epochs=5)  # doctest: +SKIP
        >>> bags = gan.generate(8, seed=0, labels=8)  # class 8 of Fashion-MNIST: bags
        >>> bags.shape
        (8, 28, 28, 1)

    Reference:
        Odena et al., "Conditional Image Synthesis with Auxiliary Classifier
        GANs", ICML 2017.
    """

    discriminator_takes_labels = False

    def __init__(self, num_classes, class_weight=1.0, **kwargs):
        self.class_weight = validate_non_negative(class_weight, "class_weight")
        super().__init__(num_classes=num_classes, **kwargs)

    def build_discriminator(self):
        return build_dcgan_discriminator(
            self.image_shape,
            normalization=self.discriminator_normalization,
            num_aux_classes=self.num_classes,
            minibatch_stddev=self.minibatch_stddev,
            synchronized_batch_norm=self.synchronized_batch_norm(),
        )

    def phases(self):
        discriminator, generator = super().phases()
        return [
            dataclasses.replace(discriminator, terms=("d_loss", "d_aux")),
            dataclasses.replace(generator, terms=("g_loss", "g_aux")),
        ]

    def discriminate(self, images, labels=None, training=False, real=None):
        """The adversarial logits `(batch, 1)` (what regularizers see as the critic)."""
        return self.call_discriminator("discriminator", images, training=training, real=real)[0]

    def discriminator_objective(self, context):
        real_logits, real_classes = self.call_discriminator("discriminator", context["images"], real=True)
        fake_logits, fake_classes = self.call_discriminator("discriminator", context["fake"], real=False)
        context.update(real_logits=real_logits, fake_logits=fake_logits)
        loss = self.loss_functions.discriminator_loss(real_logits, fake_logits)
        aux = _class_loss(context["labels"], real_classes) + _class_loss(context["labels"], fake_classes)
        return loss + self.class_weight * aux, {"d_loss": loss, "d_aux": aux}

    def generator_objective(self, context):
        fake_logits, fake_classes = self.call_discriminator("discriminator", context["fake"])
        loss = self.generator_adversarial_loss(context, fake_logits)
        aux = _class_loss(context["labels"], fake_classes)
        return loss + self.class_weight * aux, {"g_loss": loss, "g_aux": aux}

    def get_config(self):
        return {**super().get_config(), "class_weight": self.class_weight}
