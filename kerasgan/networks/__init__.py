"""Network builders: functions returning plain functional `keras.Model`s."""

from kerasgan.networks.conditional_norm import ConditionalBatchNormalization
from kerasgan.networks.dcgan import (
    build_dcgan_discriminator,
    build_dcgan_generator,
    dcgan_layout,
)
from kerasgan.networks.image_translation import (
    build_patchgan_discriminator,
    build_resnet_generator,
    build_unet_generator,
    instance_normalization,
)
from kerasgan.networks.inpainting import build_context_encoder
from kerasgan.networks.layers import LayerNormalization, MinibatchStandardDeviation
from kerasgan.networks.mlp import build_mlp_discriminator, build_mlp_generator
from kerasgan.networks.projection import build_projection_discriminator, build_projection_generator
from kerasgan.networks.resnet import build_resnet_gan_discriminator, build_resnet_gan_generator
from kerasgan.networks.spectral import SpectralConv2D, SpectralDense, SpectralEmbedding, SpectralNormalized
from kerasgan.networks.srgan import PixelShuffle, build_srgan_discriminator, build_srgan_generator
from kerasgan.networks.stylegan import (
    StyleGANGenerator,
    build_mapping_network,
    build_stylegan_discriminator,
    build_stylegan_generator,
    build_synthesis_network,
    stylegan_resolutions,
)
from kerasgan.networks.stylegan_layers import (
    BiasActivation,
    ConstantInput,
    EqualizedConv2D,
    EqualizedDense,
    ModulatedConv2D,
    NoiseInjection,
)
from kerasgan.networks.transformer import build_transformer_discriminator, build_transformer_generator
from kerasgan.networks.transformer_layers import (
    ClassToken,
    PatchTokens,
    PositionEmbedding,
    SpectralSelfAttention,
    TransformerBlock,
)
