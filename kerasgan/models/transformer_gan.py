"""TransformerGAN: a Transformer generator over patch tokens (TransGAN / ViTGAN)."""

import keras

from kerasgan.losses import R1Penalty
from kerasgan.models.gan import GAN
from kerasgan.models.registry import register_variant
from kerasgan.networks import build_dcgan_discriminator
from kerasgan.networks.transformer import build_transformer_discriminator, build_transformer_generator
from kerasgan.utils.validation import validate_positive_int

DISCRIMINATOR_KINDS = ("conv", "transformer")


@register_variant("transformer_gan")
class TransformerGAN(GAN):
    """A GAN whose generator is made of Transformer blocks over patch tokens.

    The generator (`kerasgan.networks.build_transformer_generator`) maps
    the latents to a 7x7 grid of tokens at 28x28, runs pre-norm Transformer
    blocks with learned position embeddings, doubles the grid by pixel
    shuffle between stages and turns each token of the last grid into a
    2x2 patch of pixels with tanh. The discriminator is either
    convolutional (`discriminator_kind="conv"`, default: the DCGAN builder
    with layer norm) or a Vision Transformer whose every Dense layer is
    spectrally normalised, with L2-distance attention
    (`"transformer"`, ViTGAN's). Loss: non-saturating with a lazy R1
    penalty (`R1Penalty(5.0, every=4)`, gamma 10 applied every fourth
    step, logged as `r1`), one discriminator update per step; TransGAN
    trains with WGAN-GP: five critic updates per generator update, each
    with a gradient penalty, where this default makes one (pass
    `loss="wasserstein", regularizers=[kerasgan.losses.GradientPenalty(10.0)],
    n_critic=5` for that). `compile()` defaults to TransGAN's Adam(1e-4,
    beta_1=0, beta_2=0.99) for both networks.

    Args:
        discriminator_kind: `"conv"` (default) or `"transformer"`.
        width: token width of the generator's first stage, divided by 4 at
            each upsampling. Defaults to 128.
        depths: Transformer blocks per generator stage. Defaults to `(2, 2)`.
        num_heads: attention heads of both networks' blocks. Defaults to 4.
        patch_size: side of the pixel patch each last-stage generator token
            becomes. Defaults to 2.
        discriminator_width: the Transformer discriminator's token width,
            or the convolutional one's first filters. Defaults to 64.
        discriminator_depth: the Transformer discriminator's blocks.
            Defaults to 2.
        discriminator_patch_size: the Transformer discriminator's patch
            side. Defaults to 4.
        **kwargs: see `kerasgan.GAN` (`image_shape`, `latent_dim` (128 by
            default), `num_classes`, `generator`, `discriminator`, `loss`,
            `regularizers`, `n_critic`, `seed`, ...).

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.TransformerGAN(discriminator_kind="transformer", width=32, depths=(1, 1))
        >>> gan.compile()
        >>> gan.fit(kerasgan.data.load("fashion_mnist", batch_size=64), epochs=5)  # doctest: +SKIP
        >>> gan.generate(4, seed=0).shape
        (4, 28, 28, 1)

    Reference:
        Jiang et al., "TransGAN: Two Pure Transformers Can Make One Strong
        GAN, and That Can Scale Up", NeurIPS 2021; Lee et al., "ViTGAN:
        Training GANs with Vision Transformers", ICLR 2022.
    """

    default_latent_dim = 128

    def __init__(
        self,
        discriminator_kind="conv",
        width=128,
        depths=(2, 2),
        num_heads=4,
        patch_size=2,
        discriminator_width=64,
        discriminator_depth=2,
        discriminator_patch_size=4,
        **kwargs,
    ):
        if discriminator_kind not in DISCRIMINATOR_KINDS:
            raise ValueError(
                f"discriminator_kind must be one of {DISCRIMINATOR_KINDS}; received {discriminator_kind!r}."
            )
        self.discriminator_kind = discriminator_kind
        self.width = width
        self.depths = tuple(depths) if isinstance(depths, (list, tuple)) else depths
        self.num_heads = num_heads
        self.patch_size = patch_size
        self.discriminator_width = validate_positive_int(discriminator_width, "discriminator_width")
        self.discriminator_depth = validate_positive_int(discriminator_depth, "discriminator_depth")
        self.discriminator_patch_size = discriminator_patch_size
        super().__init__(**kwargs)

    def build_generator(self):
        return build_transformer_generator(
            self.image_shape,
            self.latent_dim,
            width=self.width,
            depths=self.depths,
            num_heads=self.num_heads,
            patch_size=self.patch_size,
            num_classes=self.num_classes,
        )

    def build_discriminator(self):
        if self.discriminator_kind == "conv":
            return build_dcgan_discriminator(
                self.image_shape,
                base_filters=self.discriminator_width,
                normalization="layer",
                num_classes=self.num_classes,
                minibatch_stddev=self.minibatch_stddev,
            )
        if self.minibatch_stddev:
            raise ValueError(
                "minibatch_stddev=True adds a layer to the convolutional discriminator; the Transformer "
                "discriminator has no feature maps for it. Use discriminator_kind='conv' or "
                "minibatch_stddev=False."
            )
        return build_transformer_discriminator(
            self.image_shape,
            width=self.discriminator_width,
            depth=self.discriminator_depth,
            num_heads=self.num_heads,
            patch_size=self.discriminator_patch_size,
            num_classes=self.num_classes,
        )

    def default_regularizers(self):
        return [R1Penalty(5.0, every=4)]

    def default_optimizer(self, network_name):
        return keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.99)

    def get_config(self):
        return {
            **super().get_config(),
            "discriminator_kind": self.discriminator_kind,
            "width": self.width,
            "depths": list(self.depths),
            "num_heads": self.num_heads,
            "patch_size": self.patch_size,
            "discriminator_width": self.discriminator_width,
            "discriminator_depth": self.discriminator_depth,
            "discriminator_patch_size": self.discriminator_patch_size,
        }
