"""What every benchmark trains: a variant at 28x28 and Fashion-MNIST batches."""

import kerasgan

# The `--xla` choices of the benchmark scripts: which `jit_compile` values to run.
XLA_MODES = {"off": (False,), "on": (True,), "both": (False, True)}


def build_gan(variant, seed=0):
    """Builds a kerasgan variant for 28x28x1 images with its default networks.

    Args:
        variant: a key of `kerasgan.VARIANTS` (`"dcgan"`, `"wgan_gp"`, ...).
        seed: int seed of the model's seed generator. Defaults to 0.

    Returns:
        An uncompiled `kerasgan.GAN`; conditional variants get `num_classes=10`.

    Example:
        >>> gan = build_gan("wgan_gp")
    """
    cls = kerasgan.VARIANTS[variant]
    options = {"num_classes": 10} if cls.requires_labels else {}
    return cls(image_shape=(28, 28, 1), seed=seed, **options)


def benchmark_dataset(variant, batch_size, steps):
    """A cached, already filled Fashion-MNIST pipeline of `steps` batches.

    Cached in memory and read once here, so timed passes measure training,
    not decoding; the same object feeds every contender.

    Args:
        variant: a key of `kerasgan.VARIANTS` (conditional ones get labels).
        batch_size: images per batch.
        steps: number of batches.

    Returns:
        A finite `tf.data.Dataset` of float32 images in `[-1, 1]`,
        `(batch_size, 28, 28, 1)`, with int32 labels for conditional variants.

    Example:
        >>> dataset = benchmark_dataset("dcgan", batch_size=64, steps=20)
    """
    dataset = kerasgan.data.load(
        "fashion_mnist",
        batch_size=batch_size,
        limit=batch_size * steps,
        seed=0,
        with_labels=kerasgan.VARIANTS[variant].requires_labels,
    ).cache()
    for _ in dataset:
        pass
    return dataset
