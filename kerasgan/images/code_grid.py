"""The picture of an InfoGAN's codes: rows vary the category, columns one continuous code."""

import numbers

import numpy as np

from kerasgan.images.grid import make_grid
from kerasgan.utils.validation import validate_positive_int


def code_grid_images(gan, continuous_index=0, num_values=8, value_range=(-2.0, 2.0), seed=0):
    """The images of the code grid, row by row: one noise vector, every code set by hand.

    One latent vector is drawn from `seed`; row `r` sets its category to
    `r`, column `j` sets continuous code `continuous_index` to the `j`-th of
    `num_values` evenly spaced values of `value_range` (the paper goes to
    ±2, beyond the training prior's ±1, to show the code extrapolates);
    the noise and the other continuous codes stay as drawn, so each code
    is seen controlling one factor.

    Args:
        gan: a `kerasgan.InfoGAN`.
        continuous_index: which continuous code the columns vary, in
            `[0, num_continuous)`; ignored (one column) without continuous
            codes. Defaults to 0.
        num_values: columns, at least 1. Defaults to 8.
        value_range: `(low, high)` of the varied code. Defaults to `(-2, 2)`.
        seed: int seed of the latent vector. Defaults to 0.

    Returns:
        Float32 NumPy array `(num_categories * num_values, *image_shape)`
        in `[-1, 1]`.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.InfoGAN(latent_dim=8, num_categories=3, num_continuous=1)
        >>> code_grid_images(gan, num_values=4).shape
        (12, 28, 28, 1)
    """
    num_values = validate_positive_int(num_values, "num_values")
    if not hasattr(gan, "with_codes"):
        raise ValueError(
            f"A code grid needs a model with latent codes (kerasgan.InfoGAN); received {type(gan).__name__}."
        )
    if gan.num_continuous:
        if (
            not isinstance(continuous_index, numbers.Integral)
            or not 0 <= continuous_index < gan.num_continuous
        ):
            raise ValueError(
                f"continuous_index must be an integer in [0, {gan.num_continuous}); received "
                f"{continuous_index!r}."
            )
    else:
        num_values = 1
    low, high = (float(value) for value in value_range)
    count = gan.num_categories * num_values
    latents = np.repeat(gan.with_codes(gan.sampling_noise(1, seed=seed)), count, axis=0)
    continuous = np.full((count, gan.num_continuous), np.nan, dtype="float32")
    if gan.num_continuous:
        continuous[:, continuous_index] = np.tile(np.linspace(low, high, num_values), gan.num_categories)
    categories = np.repeat(np.arange(gan.num_categories), num_values)
    return gan.generate_from_noise(gan.with_codes(latents, category=categories, continuous=continuous))


def code_grid(gan, continuous_index=0, num_values=8, value_range=(-2.0, 2.0), seed=0, padding=2):
    """The code grid as one `uint8` picture: rows vary the category, columns a continuous code.

    See `code_grid_images`; `kerasgan.images.save_png` writes the result,
    and `kerasgan codes RUN_DIR` does both from the shell.

    Args:
        gan, continuous_index, num_values, value_range, seed: as for
            `code_grid_images`.
        padding: pixels between tiles. Defaults to 2.

    Returns:
        A `uint8` array `(rows * H + ..., columns * W + ..., C)`, one row
        per category.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.InfoGAN(latent_dim=8, num_categories=3, num_continuous=1)
        >>> code_grid(gan, num_values=4).shape
        (92, 122, 1)

    Reference:
        Chen et al., "InfoGAN: Interpretable Representation Learning by
        Information Maximizing Generative Adversarial Nets", NeurIPS 2016,
        figure 2.
    """
    images = code_grid_images(gan, continuous_index, num_values, value_range, seed)
    return make_grid(images, num_rows=gan.num_categories, padding=padding)
