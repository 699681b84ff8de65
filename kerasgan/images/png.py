"""Writing and reading PNG files labelled as synthetic, with provenance."""

import os

import numpy as np
from PIL import Image, PngImagePlugin

from kerasgan.images.metadata import build_png_metadata
from kerasgan.utils.files import write_atomically


def save_png(path, image, *, model=None, run=None, extra=None, content="sample"):
    """Writes a PNG labelled as synthetic, with the model and run that made it.

    Every PNG kerasgan writes goes through this function, so every one carries
    the text metadata of `build_png_metadata`. Missing parent directories are
    created, and the file is written under a temporary name and then renamed,
    so a viewer never sees a half-written `latest.png`.

    Args:
        path: destination file (string or path-like) ending in `.png`.
        image: either a `uint8` array of shape `(H, W)`, `(H, W, 1)`,
            `(H, W, 3)` or `(H, W, 4)` (e.g. from `kerasgan.images.make_grid`),
            written pixel for pixel; or a `matplotlib.figure.Figure`, written
            with `Figure.savefig`.
        model: the model that made the image (see `build_png_metadata`).
        run: the run that made the image, e.g. its folder.
        extra: optional dict of additional text entries.
        content: `"sample"` (default) or `"chart"` (see
            `build_png_metadata`).

    Returns:
        The path written, as a string.

    Raises:
        ValueError: if `path` does not end in `.png`, or `image` is neither a
            valid `uint8` array nor a matplotlib figure.

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> from kerasgan.images import make_grid
        >>> grid = make_grid(np.zeros((4, 8, 8, 1), dtype="float32"))
        >>> path = save_png(os.path.join(tempfile.mkdtemp(), "a", "g.png"),
        ...                 grid, model="DCGAN", run="runs/demo")
        >>> read_png_metadata(path)["Synthetic"]
        'true'
    """
    path = validate_png_path(path)
    metadata = build_png_metadata(model=model, run=run, extra=extra, content=content)
    if hasattr(image, "savefig"):
        write_atomically(path, lambda target: image.savefig(target, format="png", metadata=metadata))
        return path
    info = PngImagePlugin.PngInfo()
    for key, value in metadata.items():
        info.add_text(key, value)
    pixels = Image.fromarray(_validate_pixels(image))
    write_atomically(path, lambda target: pixels.save(target, format="PNG", pnginfo=info))
    return path


def validate_png_path(path):
    """Checks that `path` names a PNG file, to fail before any work is done.

    Args:
        path: string or path-like.

    Returns:
        `path` as a string.

    Raises:
        ValueError: if `path` does not end in `.png` (any case).

    Example:
        >>> validate_png_path("runs/demo/losses.png")
        'runs/demo/losses.png'
    """
    path = os.fspath(path)
    if not isinstance(path, str) or not path.lower().endswith(".png"):
        raise ValueError(f"kerasgan writes PNG files; received path={path!r}. Give a path ending in '.png'.")
    return path


def read_png_metadata(path):
    """Reads the text metadata of a PNG file.

    Args:
        path: a PNG file (string or path-like), e.g. one written by
            `save_png`.

    Returns:
        A dict mapping every text keyword in the file to its string value;
        for files written by kerasgan it holds all of
        `kerasgan.images.METADATA_KEYS`.

    Raises:
        FileNotFoundError: if `path` does not exist.
        ValueError: if `path` is not a PNG file.

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> path = save_png(os.path.join(tempfile.mkdtemp(), "g.png"),
        ...                 np.zeros((8, 8), dtype="uint8"), run="runs/demo")
        >>> read_png_metadata(path)["Run"]
        'runs/demo'
    """
    with Image.open(path) as opened:
        if opened.format != "PNG":
            raise ValueError(
                f"read_png_metadata reads PNG files; {os.fspath(path)!r} is a "
                f"{opened.format} file. Pass a PNG written by "
                "kerasgan.images.save_png."
            )
        # `.text` also loads text chunks stored after the image data.
        return {str(key): str(value) for key, value in opened.text.items()}


def _validate_pixels(image):
    """Returns `image` as a PIL-ready uint8 array, or raises a ValueError."""
    array = np.asarray(image)
    if array.dtype != np.uint8:
        raise ValueError(
            "save_png expects a uint8 array (or a matplotlib Figure); "
            f"received dtype {array.dtype}. Convert images in [-1, 1] with "
            "kerasgan.images.make_grid first."
        )
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[-1] not in (3, 4)):
        raise ValueError(
            "save_png expects one image of shape (H, W), (H, W, 1), "
            f"(H, W, 3) or (H, W, 4); received shape {array.shape}. For a "
            "batch, tile it with kerasgan.images.make_grid first."
        )
    if array.size == 0:
        raise ValueError(f"save_png received an empty image of shape {array.shape}.")
    return np.ascontiguousarray(array)
