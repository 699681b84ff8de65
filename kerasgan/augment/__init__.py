"""Enlarging a small labelled training set with a conditional GAN.

`synthetic_dataset` draws an exact number of labelled images per class from
a trained `kerasgan.ConditionalGAN` or `kerasgan.ACGAN` (optionally keeping
only the samples a classifier or the GAN's discriminator is confident
about); `mix` interleaves those with the real examples at a chosen ratio.
Both yield `(images, labels)` batches that any Keras classifier's `fit`
takes.

Example:
    >>> import kerasgan
    >>> real = kerasgan.data.load("fashion_mnist", with_labels=True, limit=500)
    >>> cgan = kerasgan.ConditionalGAN(num_classes=10)
    >>> cgan.compile()
    >>> _ = cgan.fit(real, epochs=1, verbose=0)
    >>> synthetic = kerasgan.augment.synthetic_dataset(cgan, n_per_class=100, seed=0)
    >>> train = kerasgan.augment.mix(real, synthetic, ratio=0.5)
"""

from kerasgan.augment.mixing import mix
from kerasgan.augment.synthetic import synthetic_arrays, synthetic_dataset

__all__ = ["mix", "synthetic_arrays", "synthetic_dataset"]
