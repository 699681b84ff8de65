"""GAN models: the core (`BaseGAN`, `Phase`), the task bases and one small file per paper."""

from kerasgan.models.acgan import ACGAN
from kerasgan.models.base import BaseGAN
from kerasgan.models.conditional_gan import ConditionalGAN
from kerasgan.models.controller import Controller, DiscriminatorAugmentation, register_augmentation
from kerasgan.models.cyclegan import CycleGAN
from kerasgan.models.dcgan import DCGAN
from kerasgan.models.gan import GAN
from kerasgan.models.gates import SkipWhileAhead
from kerasgan.models.image_pool import ImagePool
from kerasgan.models.image_to_image import ImageToImageGAN
from kerasgan.models.infogan import InfoGAN
from kerasgan.models.inpainting import InpaintingGAN
from kerasgan.models.lsgan import LSGAN
from kerasgan.models.masks import CentreMask, MaskSampler, RectangleMask, StrokeMask
from kerasgan.models.phase import Phase
from kerasgan.models.pix2pix import Pix2Pix
from kerasgan.models.projection_gan import ProjectionGAN
from kerasgan.models.r3gan import R3GAN
from kerasgan.models.registry import VARIANTS, register_variant, variants_of
from kerasgan.models.schedule import Schedule
from kerasgan.models.sngan import SNGAN
from kerasgan.models.srgan import SRGAN
from kerasgan.models.stylegan import StyleGAN
from kerasgan.models.transformer_gan import TransformerGAN
from kerasgan.models.wgan import WGAN
from kerasgan.models.wgan_gp import WGANGP

__all__ = [
    "ACGAN",
    "BaseGAN",
    "CentreMask",
    "ConditionalGAN",
    "Controller",
    "CycleGAN",
    "DCGAN",
    "DiscriminatorAugmentation",
    "GAN",
    "ImagePool",
    "ImageToImageGAN",
    "InpaintingGAN",
    "LSGAN",
    "MaskSampler",
    "Phase",
    "Pix2Pix",
    "RectangleMask",
    "SRGAN",
    "Schedule",
    "SkipWhileAhead",
    "StrokeMask",
    "VARIANTS",
    "WGAN",
    "WGANGP",
    "register_augmentation",
    "register_variant",
    "variants_of",
    "TransformerGAN",
    "InfoGAN",
    "ProjectionGAN",
    "SNGAN",
    "R3GAN",
    "StyleGAN",
]
