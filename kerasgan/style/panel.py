"""The before/after picture of a style transfer: content, style and result side by side."""

import numpy as np
from keras import ops

from kerasgan.images import make_grid, save_png
from kerasgan.utils.validation import validate_image_batch

METHOD = "neural style transfer (Gatys, Ecker, Bethge, CVPR 2016)"


def save_style_panel(path, content, style, result, *, model=None, run=None, extra=None, padding=2):
    """Writes one PNG of three tiles: the content image, the style image and the result.

    The style image is resized (bilinear with antialiasing, cropped to the
    content's aspect ratio) to the content's size for the picture only. The
    PNG is written by `kerasgan.images.save_png`, so it carries kerasgan's
    synthetic-image metadata, plus `"Method"` and `"Panel"` entries saying
    what it shows.

    Args:
        path: destination file ending in `.png`.
        content: content image, float `(H, W, C)` or `(1, H, W, C)` in
            `[-1, 1]`, `C` 1 or 3.
        style: style image, float `(h, w, C)` or `(1, h, w, C)` in `[-1, 1]`,
            any size, the content's channels.
        result: the stylised image, the content's shape, e.g. the `image` of
            `kerasgan.style.transfer`.
        model: what made the result, for the metadata (e.g. the feature
            network's name); defaults to `METHOD`.
        run: the run that made it, e.g. its folder; defaults to None.
        extra: optional dict of additional PNG text entries.
        padding: pixels between and around the tiles, `>= 0`. Defaults to 2.

    Returns:
        The path written, as a string.

    Raises:
        ValueError: for images of the wrong shape, dtype or range, a result
            whose shape is not the content's, or a path not ending in `.png`.

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> from kerasgan.images import read_png_metadata
        >>> image = np.zeros((16, 16, 3), dtype="float32")
        >>> path = save_style_panel(os.path.join(tempfile.mkdtemp(), "panel.png"),
        ...                         image, np.ones((8, 8, 3), "float32"), image)
        >>> read_png_metadata(path)["Panel"]
        'content | style | result'
    """
    content = _one_image(content, "content")
    style = _one_image(style, "style")
    result = _one_image(result, "result")
    if result.shape != content.shape:
        raise ValueError(
            f"save_style_panel expects a result of the content's shape {content.shape[1:]}; received "
            f"{result.shape[1:]}."
        )
    if style.shape[-1] != content.shape[-1]:
        raise ValueError(
            f"save_style_panel expects a style image with the content's {content.shape[-1]} channels; "
            f"received shape {style.shape[1:]}."
        )
    size = content.shape[1:3]
    if style.shape[1:3] != size:
        resized = ops.image.resize(
            style, size, interpolation="bilinear", antialias=True, crop_to_aspect_ratio=True
        )
        style = np.clip(ops.convert_to_numpy(resized), -1.0, 1.0).astype(np.float32)
    grid = make_grid(np.concatenate([content, style, result]), num_rows=1, padding=padding)
    entries = {"Method": METHOD, "Panel": "content | style | result", **(extra or {})}
    return save_png(path, grid, model=METHOD if model is None else model, run=run, extra=entries)


def _one_image(image, name):
    array = np.asarray(image)
    if array.ndim == 3:
        array = array[None]
    if array.ndim != 4 or array.shape[0] != 1:
        raise ValueError(
            f"save_style_panel expects {name} as one image (H, W, C) or (1, H, W, C); received shape "
            f"{np.shape(image)}."
        )
    return validate_image_batch(array, f"save_style_panel ({name})", channels=(1, 3))
