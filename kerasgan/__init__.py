"""kerasgan: a GAN model zoo for Keras 3.

Every variant is a `keras.Model` trained with `fit()`.

The models, networks and losses import with Keras alone, so on the JAX
backend kerasgan trains without TensorFlow installed. The parts built on
`tf.data`, TensorFlow export or TensorBoard (`data`, `augment`, `export`,
`callbacks`, `images`, `metrics`, `evaluate`, `evaluate_per_class`) are
imported the first time they are used.

Example:
    >>> import kerasgan
    >>> ds = kerasgan.data.load("fashion_mnist", batch_size=128)
    >>> gan = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=128)
    >>> gan.compile()
    >>> gan.fit(ds, epochs=5)  # doctest: +SKIP
"""

from kerasgan import learning_rates, losses, networks, remedies
from kerasgan.backend.errors import BadBatchError, JAXOnCPUWarning
from kerasgan.models import (
    ACGAN,
    DCGAN,
    GAN,
    LSGAN,
    R3GAN,
    SNGAN,
    SRGAN,
    VARIANTS,
    WGAN,
    WGANGP,
    BaseGAN,
    ConditionalGAN,
    CycleGAN,
    ImageToImageGAN,
    InfoGAN,
    InpaintingGAN,
    Phase,
    Pix2Pix,
    ProjectionGAN,
    Schedule,
    SkipWhileAhead,
    StyleGAN,
    TransformerGAN,
    register_variant,
    variants_of,
)
from kerasgan.utils.lazy import lazy_attributes
from kerasgan.version import __version__

# Attribute -> (module, name in it or None for the module itself), imported on first use.
_LAZY = {
    "augment": ("kerasgan.augment", None),
    "callbacks": ("kerasgan.callbacks", None),
    "data": ("kerasgan.data", None),
    "export": ("kerasgan.export", None),
    "images": ("kerasgan.images", None),
    "metrics": ("kerasgan.metrics", None),
    "style": ("kerasgan.style", None),
    "evaluate": ("kerasgan.evaluation", "evaluate"),
    "evaluate_per_class": ("kerasgan.class_evaluation", "evaluate_per_class"),
    "presets": ("kerasgan.presets", None),
}


__getattr__, __dir__ = lazy_attributes("kerasgan", _LAZY, globals())


__all__ = [
    "ACGAN",
    "DCGAN",
    "GAN",
    "LSGAN",
    "VARIANTS",
    "WGAN",
    "WGANGP",
    "BadBatchError",
    "JAXOnCPUWarning",
    "BaseGAN",
    "ConditionalGAN",
    "CycleGAN",
    "ImageToImageGAN",
    "InpaintingGAN",
    "Phase",
    "Pix2Pix",
    "SRGAN",
    "Schedule",
    "SkipWhileAhead",
    "__version__",
    *_LAZY,
    "learning_rates",
    "losses",
    "networks",
    "remedies",
    "register_variant",
    "variants_of",
    "TransformerGAN",
    "InfoGAN",
    "ProjectionGAN",
    "SNGAN",
    "R3GAN",
    "StyleGAN",
]
