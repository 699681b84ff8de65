"""GAN variants: the `GAN` base class and one small subclass per paper."""

from kerasgan.models.conditional_gan import ConditionalGAN
from kerasgan.models.dcgan import DCGAN
from kerasgan.models.gan import GAN
from kerasgan.models.lsgan import LSGAN
from kerasgan.models.wgan import WGAN
from kerasgan.models.wgan_gp import WGANGP

VARIANTS = {
    "gan": GAN,
    "dcgan": DCGAN,
    "conditional_gan": ConditionalGAN,
    "wgan": WGAN,
    "wgan_gp": WGANGP,
    "lsgan": LSGAN,
}
