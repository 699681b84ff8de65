"""Tiling a batch of generated images into one picture."""

import math
import numbers

import numpy as np

from kerasgan.utils.validation import validate_image_batch


def make_grid(images, num_rows=None, padding=2, *, pad_value=1.0):
    """Tiles a batch of images in `[-1, 1]` into one `uint8` picture.

    The images are laid out row by row, left to right. Every tile is
    surrounded by `padding` pixels of `pad_value`, on the outer border too, and
    cells left over in the last row are filled with `pad_value`. Values are
    mapped linearly from `[-1, 1]` to `[0, 255]` (`-1 -> 0`, `1 -> 255`) and
    rounded, so the result can be passed straight to
    `kerasgan.images.save_png`.

    Args:
        images: array-like (NumPy array or tensor) of shape `(N, H, W, C)`
            with `C` 1 (grayscale) or 3 (RGB) and values in `[-1, 1]`, e.g.
            the output of `model.generate(n)`.
        num_rows: number of rows of the grid, from 1 to `N`. Defaults to
            `None`: `ceil(N / ceil(sqrt(N)))` rows of `ceil(sqrt(N))` images,
            as square as possible. Given `num_rows`, each row holds
            `ceil(N / num_rows)` images; the grid has fewer rows when the
            images fill them sooner (4 images with `num_rows=3` give 2 rows
            of 2).
        padding: pixels between tiles and around the border, an integer
            `>= 0`. Defaults to 2.
        pad_value: value in `[-1, 1]` of the padding pixels. Defaults to 1.0
            (white), which separates tiles with dark backgrounds.

    Returns:
        A `uint8` NumPy array of shape
        `(rows * H + (rows + 1) * padding, cols * W + (cols + 1) * padding, C)`.

    Raises:
        ValueError: if `images` is not rank 4, has a channel count other than
            1 or 3, is empty, holds NaN or infinite values, or values outside
            `[-1, 1]`; or if `num_rows`, `padding` or `pad_value` is invalid.

    Example:
        >>> import numpy as np
        >>> images = np.zeros((10, 28, 28, 1), dtype="float32")
        >>> make_grid(images, num_rows=2).shape
        (62, 152, 1)
    """
    images = validate_image_batch(images, "make_grid", channels=(1, 3))
    num_images, height, width, channels = images.shape
    num_rows, num_cols = _grid_layout(num_images, num_rows)
    if not _is_int(padding) or padding < 0:
        raise ValueError(
            f"make_grid expects padding to be an integer number of pixels >= 0; received padding={padding!r}."
        )
    if isinstance(pad_value, bool) or not isinstance(pad_value, numbers.Real) or not -1 <= pad_value <= 1:
        raise ValueError(
            "make_grid expects pad_value to be a number in [-1, 1] (-1 is "
            f"black, 1 is white); received pad_value={pad_value!r}."
        )
    shape = (num_rows * height + (num_rows + 1) * padding, num_cols * width + (num_cols + 1) * padding)
    grid = np.full((*shape, channels), _to_uint8(pad_value), dtype=np.uint8)
    tiles = _to_uint8(images)
    for index in range(num_images):
        row, col = divmod(index, num_cols)
        top = padding + row * (height + padding)
        left = padding + col * (width + padding)
        grid[top : top + height, left : left + width] = tiles[index]
    return grid


def _to_uint8(values):
    """Maps floats in `[-1, 1]` to `uint8` in `[0, 255]`, clipping first (tanh may overshoot by an ulp)."""
    return np.round((np.clip(values, -1.0, 1.0) + 1.0) * 127.5).astype(np.uint8)


def _grid_layout(num_images, num_rows):
    """Returns `(num_rows, num_cols)` for `num_images` tiles."""
    if num_rows is None:
        num_cols = math.ceil(math.sqrt(num_images))
        return math.ceil(num_images / num_cols), num_cols
    if not _is_int(num_rows) or not 1 <= num_rows <= num_images:
        raise ValueError(
            f"make_grid expects num_rows to be an integer from 1 to the "
            f"number of images ({num_images}), or None for a square grid; "
            f"received num_rows={num_rows!r}."
        )
    num_rows = int(num_rows)
    num_cols = math.ceil(num_images / num_rows)
    # Fewer rows may suffice (e.g. 4 images in 3 rows of 2 fit in 2 rows).
    return math.ceil(num_images / num_cols), num_cols


def _is_int(value):
    """Whether `value` is a Python or NumPy integer (not a bool)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)
