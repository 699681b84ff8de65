"""Photographs and textures for style transfer, from the images that scikit-image ships.

scikit-image's wheel holds a few photographs (`astronaut`, `coffee`,
`chelsea` the cat, `rocket`, ...) and grayscale textures (`brick`,
`grass`, `gravel`), so a content image and a style image are at hand
offline. scikit-image is an optional extra: `pip install "kerasgan[images]"`.
"""

import numpy as np
import tensorflow as tf

from kerasgan.utils.validation import validate_image_size

# skimage.data functions whose images ship inside scikit-image's wheel (no download): colour
# photographs, grayscale photographs, and grayscale textures.
_COLOUR = ("astronaut", "chelsea", "coffee", "hubble_deep_field", "immunohistochemistry", "rocket")
_GRAYSCALE = ("camera", "moon")
_TEXTURES = ("brick", "grass", "gravel")

INSTALL_HINT = 'pip install "kerasgan[images]"'


def photo_names():
    """Lists the names that `load_image` accepts.

    Returns:
        A sorted tuple of names: colour photographs (`"astronaut"`,
        `"chelsea"`, `"coffee"`, `"hubble_deep_field"`,
        `"immunohistochemistry"`, `"rocket"`), grayscale photographs
        (`"camera"`, `"moon"`) and grayscale textures (`"brick"`,
        `"grass"`, `"gravel"`). Listing them needs no scikit-image.

    Example:
        >>> {"astronaut", "brick", "chelsea"} <= set(photo_names())
        True
    """
    return tuple(sorted(_COLOUR + _GRAYSCALE + _TEXTURES))


def load_image(name, size=None):
    """Loads one of scikit-image's bundled photographs or textures as an RGB image in `[-1, 1]`.

    Reads the image from scikit-image's own files (no download), maps its
    uint8 values from `[0, 255]` to `[-1, 1]`, repeats a grayscale image
    over three channels, and resizes it to `size` when asked (bilinear,
    antialiased, so a large downscale does not alias).

    Args:
        name: one of `photo_names()`, e.g. `"astronaut"` (content) or
            `"brick"` (style).
        size: None (the default: the image's own size), or `(height,
            width)` positive ints. The aspect ratio is not kept: pass the
            size you need.

    Returns:
        Float32 NumPy array `(height, width, 3)` in `[-1, 1]`.

    Raises:
        ValueError: for a name that is not in `photo_names()`, or a bad
            `size`.
        ModuleNotFoundError: when scikit-image is not installed; the message
            says `pip install "kerasgan[images]"`.

    Example:
        >>> image = load_image("astronaut", size=(64, 64))
        >>> image.shape, image.dtype, bool(image.min() >= -1.0 and image.max() <= 1.0)
        ((64, 64, 3), dtype('float32'), True)
    """
    if name not in photo_names():
        raise ValueError(f"Unknown image name {name!r}. Pass one of {list(photo_names())}.")
    size = validate_image_size(size)
    try:
        import skimage.data
    except ImportError as error:
        raise ModuleNotFoundError(
            f"kerasgan.data.photos.load_image({name!r}) reads scikit-image's bundled images, and "
            f"scikit-image is not installed. Install the extra: {INSTALL_HINT}",
            name="skimage",
        ) from error
    pixels = np.asarray(getattr(skimage.data, name)())
    if pixels.ndim == 2:
        pixels = np.repeat(pixels[..., np.newaxis], 3, axis=-1)
    image = pixels[..., :3].astype(np.float32) / 127.5 - 1.0
    if size is not None and tuple(image.shape[:2]) != size:
        image = tf.image.resize(image, size, method="bilinear", antialias=True).numpy()
        image = np.clip(image, -1.0, 1.0)
    return image
