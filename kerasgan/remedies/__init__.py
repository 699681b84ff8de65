"""Remedies for a discriminator that overfits small data: augmentations of everything it sees.

Each is a `kerasgan.models.controller.DiscriminatorAugmentation`, registered
by name, that a model applies in its one discriminator call while training
(real and generated images alike), so it reaches every variant:

- `DiffAugment` (`"diffaugment"`): colour, translation and cutout on every
  image (Zhao et al. 2020);
- `AdaptiveAugmentation` (`"ada"`): a pipeline applied with a probability
  that follows the discriminator's overfitting (Karras et al. 2020);
- `InstanceNoise` (`"instance_noise"`): Gaussian noise, optionally annealed
  to zero (Sønderby et al. 2017).

`kerasgan.remedies.transforms` holds the pure, differentiable transforms
they are built from, which take their random values as arguments.

Example:
    >>> from kerasgan.models.controller import get_augmentation
    >>> type(get_augmentation("ada")).__name__
    'AdaptiveAugmentation'
"""

from kerasgan.models.controller import Controller, DiscriminatorAugmentation
from kerasgan.remedies import transforms
from kerasgan.remedies.ada import AdaptiveAugmentation
from kerasgan.remedies.diffaugment import DiffAugment
from kerasgan.remedies.instance_noise import InstanceNoise

__all__ = [
    "AdaptiveAugmentation",
    "Controller",
    "DiffAugment",
    "DiscriminatorAugmentation",
    "InstanceNoise",
    "transforms",
]
