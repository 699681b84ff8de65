"""Pix2Pix: paired image-to-image translation."""

import keras
import numpy as np  # noqa: F401  (the translate example)
from keras import ops

from kerasgan.models.image_to_image import ImageToImageGAN
from kerasgan.models.registry import register_variant
from kerasgan.networks import build_patchgan_discriminator, build_unet_generator
from kerasgan.utils.validation import validate_non_negative, validate_positive_int


@register_variant("pix2pix")
class Pix2Pix(ImageToImageGAN):
    """Conditional GAN for paired translation: U-Net generator, PatchGAN critic.

    Trains on `(source, target)` pairs. The discriminator sees
    `[source, image]` and scores each patch; its loss is halved, as in the
    paper. The generator minimises the adversarial loss plus
    `l1_weight * |target - G(source)|` (logged as `g_loss` and `l1`).
    `translate(sources)` runs the generator in inference mode (dropout off).

    Args:
        image_shape: `(H, W, C)` of the source images. Defaults to `(256, 256, 3)`.
        target_shape: `(H, W, C)` of the targets. Defaults to `image_shape`.
        l1_weight: lambda of the L1 term. Defaults to 100.
        base_filters: width of both default networks. Defaults to 64.
        generator: a `keras.Model` source → target image; defaults to the U-Net.
        discriminator: a `keras.Model` `[source, image]` → patch logits;
            defaults to the 70x70 PatchGAN.
        **kwargs: see `kerasgan.models.BaseGAN` (`loss`, `regularizers`, `seed`).

    Example:
        >>> import kerasgan
        >>> model = kerasgan.Pix2Pix(image_shape=(32, 32, 1), base_filters=8)
        >>> model.compile()
        >>> model.fit(pairs, epochs=1)  # doctest: +SKIP
        >>> outputs = model.translate(sources)  # doctest: +SKIP

    Reference:
        Isola et al., "Image-to-Image Translation with Conditional
        Adversarial Networks", CVPR 2017.
    """

    network_names = ("generator", "discriminator")
    optimizer_names = {"generator": "g_optimizer", "discriminator": "d_optimizer"}
    directions = {"a2b": "generator"}

    def __init__(self, l1_weight=100.0, base_filters=64, generator=None, discriminator=None, **kwargs):
        self.l1_weight = validate_non_negative(l1_weight, "l1_weight")
        self.base_filters = validate_positive_int(base_filters, "base_filters")
        networks = {"generator": generator, "discriminator": discriminator}
        super().__init__(networks=networks, **kwargs)
        self.finish_init()

    @classmethod
    def data_mismatch(cls, spec):
        """Pix2Pix learns from paired data only: `(source, target)` pairs of one shape."""
        if spec.pairing == "unpaired":
            return (
                f"{cls.__name__} learns from corresponding (source, target) pairs, but {spec.name!r} is "
                "unpaired: its A and B images do not correspond (train cyclegan on it, which learns "
                "from unpaired domains)."
            )
        return super().data_mismatch(spec)

    def build_generator(self):
        return build_unet_generator(
            self.image_shape,
            output_channels=self.target_shape[-1],
            base_filters=self.base_filters,
            synchronized_batch_norm=self.synchronized_batch_norm(),
        )

    def build_discriminator(self):
        return build_patchgan_discriminator(
            self.target_shape,
            condition_shape=self.image_shape,
            base_filters=self.base_filters,
            synchronized_batch_norm=self.synchronized_batch_norm(),
        )

    def unpack_batch(self, data):
        source, target, _ = keras.utils.unpack_x_y_sample_weight(data)
        source = self.check_images(source, self.image_shape, "source images")
        target = self.check_images(target, self.target_shape, "target images", "target_shape")
        return {"source": source, "target": target}

    def phases(self):
        return self.adversarial_phases(("g_loss", "l1"), generator_context=self.generator_context)

    def critic(self, source):
        """Returns the discriminator as a function of the image, given its source."""
        return lambda images, real=None: self.call_discriminator(
            "discriminator", images, condition=source, real=real
        )

    def discriminator_context(self, batch):
        fake = ops.stop_gradient(self.generator(batch["source"], training=True))
        return {"images": batch["target"], "fake": fake, "critic": self.critic(batch["source"])}

    def discriminator_objective(self, context):
        critic = context["critic"]
        real_logits, fake_logits = critic(context["images"], real=True), critic(context["fake"], real=False)
        context.update(real_logits=real_logits, fake_logits=fake_logits)
        loss = 0.5 * self.loss_functions.discriminator_loss(real_logits, fake_logits)
        return loss, {"d_loss": loss}

    def generator_context(self, batch):
        fake = self.generator(batch["source"], training=True)
        return {**batch, "fake": fake, "critic": self.critic(batch["source"])}

    def generator_objective(self, context):
        adversarial = self.loss_functions.generator_loss(context["critic"](context["fake"]))
        l1 = ops.mean(ops.abs(ops.cast(context["target"], "float32") - ops.cast(context["fake"], "float32")))
        return adversarial + self.l1_weight * l1, {"g_loss": adversarial, "l1": l1}

    def translate(self, images, direction=None, batch_size=32, dropout=False):
        """Translates sources with the generator; `dropout=True` adds the paper's test-time noise.

        Args:
            images: float array `(n, H, W, C)` in `[-1, 1]` of `image_shape`.
            direction: None or `"a2b"`, the one direction.
            batch_size: images per generator call. Defaults to 32.
            dropout: False (default) translates deterministically, in
                inference mode. True runs the generator as Isola et al. do
                at test time, their only source of noise: dropout stays on
                and batch normalization normalises each batch with its own
                statistics, so a batch's outputs depend on the batch it is
                in and every call draws new dropout masks. The batch-norm
                moving statistics and the weights are left as they were.

        Returns:
            Float32 NumPy array `(n, *target_shape)` in `[-1, 1]`.

        Example:
            >>> model = kerasgan.Pix2Pix(image_shape=(32, 32, 1), base_filters=4, seed=0)
            >>> sources = np.random.default_rng(0).uniform(-1, 1, (2, 32, 32, 1)).astype("float32")
            >>> plain = model.translate(sources)
            >>> noisy = model.translate(sources, dropout=True)
            >>> bool(np.array_equal(plain, model.translate(sources))), bool(np.array_equal(plain, noisy))
            (True, False)
        """
        if not dropout:
            return super().translate(images, direction, batch_size)
        statistics = [
            variable
            for layer in _layers_within(self.generator)
            if isinstance(layer, keras.layers.BatchNormalization)
            for variable in layer.non_trainable_variables
        ]
        kept = [keras.ops.convert_to_numpy(variable) for variable in statistics]
        try:
            return self.translate_in_mode(images, direction, batch_size, training=True)
        finally:
            for variable, value in zip(statistics, kept):
                variable.assign(value)

    def get_config(self):
        return {**super().get_config(), "l1_weight": self.l1_weight, "base_filters": self.base_filters}


def _layers_within(model):
    """Every layer of a model, those of nested models included."""
    for layer in model.layers:
        yield layer
        if hasattr(layer, "layers"):
            yield from _layers_within(layer)
