"""kerasgan: a GAN model zoo for Keras 3.

Every variant is a `keras.Model` trained with `fit()`.

Example:
    >>> import kerasgan
    >>> ds = kerasgan.data.load("fashion_mnist", batch_size=128)
    >>> gan = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=128)
    >>> gan.compile()
    >>> gan.fit(ds, epochs=5)
"""

from kerasgan import augment, callbacks, data, export, images, losses, metrics, networks  # noqa: E402
from kerasgan.backend.errors import BadBatchError  # noqa: E402
from kerasgan.class_evaluation import evaluate_per_class  # noqa: E402
from kerasgan.evaluation import evaluate  # noqa: E402
from kerasgan.models import (  # noqa: E402
    ACGAN,
    DCGAN,
    GAN,
    LSGAN,
    VARIANTS,
    WGAN,
    WGANGP,
    BaseGAN,
    ConditionalGAN,
    CycleGAN,
    ImageToImageGAN,
    Phase,
    Pix2Pix,
    register_variant,
    variants_of,
)
from kerasgan.version import __version__  # noqa: E402
