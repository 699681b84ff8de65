"""`sample_preset`: a grid of samples from a shipped preset (`kerasgan sample --preset NAME`)."""

from kerasgan.images import make_grid, save_png
from kerasgan.models import GAN


def sample_preset(name, out_path, num_samples=64, seed=0, labels=None):
    """Writes a PNG grid of samples from a shipped preset (offline).

    Loads `kerasgan.GAN.from_preset(name)` and draws `num_samples` images
    from its EMA generator with latents of `seed`; a conditional preset
    draws the classes in turn (0, 1, ..., 0, 1, ...) unless `labels` says
    otherwise. The PNG's metadata says the images are synthetic and names
    the preset.

    Args:
        name: a preset name (`kerasgan.presets.available()`).
        out_path: PNG file to write.
        num_samples: number of images. Defaults to 64.
        seed: int seed of the latents. Defaults to 0.
        labels: for conditional presets, one class id or a list; None
            draws the classes in turn.

    Returns:
        The path written.

    Raises:
        ValueError: an unknown preset, or `labels` for an unconditional one.

    Example:
        >>> sample_preset("dcgan_fashion_mnist", "grid.png", num_samples=16)  # doctest: +SKIP
    """
    gan = GAN.from_preset(name)
    if gan.num_classes is not None and labels is None:
        labels = [i % gan.num_classes for i in range(num_samples)]
    images = gan.generate(num_samples, seed=seed, labels=labels)
    return save_png(out_path, make_grid(images), model=gan, extra={"Preset": name})
