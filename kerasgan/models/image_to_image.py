"""`ImageToImageGAN`: the task base of image-conditioned models (Pix2Pix, CycleGAN)."""

import keras
import numpy as np

from kerasgan.models.base import BaseGAN
from kerasgan.utils.validation import (
    validate_image_batch,
    validate_image_shape,
    validate_positive_int,
)


class ImageToImageGAN(BaseGAN):
    """Base of GANs whose generators map images to images; use a subclass.

    Adds the image-to-image task contract: `translate(images, direction)`
    runs the generator of a direction (`directions` maps each direction,
    e.g. `"a2b"`, to a network name) in inference mode, and
    `export_translator` writes it as a SavedModel whose `serving_default`
    takes images. Source images have `image_shape`, translated ones
    `target_shape`.

    Args:
        image_shape: `(H, W, C)` of the source images.
        target_shape: `(H, W, C)` of the target images. Defaults to
            `image_shape`.
        **kwargs: see `kerasgan.models.BaseGAN` (networks, `loss`,
            `regularizers`, `seed`).
    """

    directions = {}

    def __init__(self, image_shape=(256, 256, 3), target_shape=None, **kwargs):
        self.image_shape = validate_image_shape(image_shape)
        self.target_shape = validate_image_shape(self.image_shape if target_shape is None else target_shape)
        super().__init__(**kwargs)

    def direction_shapes(self, direction):
        """Returns `(input_shape, output_shape)` of a direction's generator."""
        if direction == next(iter(self.directions)):
            return self.image_shape, self.target_shape
        return self.target_shape, self.image_shape

    def translator(self, direction=None):
        """Returns `(direction, network)` for a direction name (None: the first).

        Raises:
            ValueError: an unknown direction; the message lists the known ones.
        """
        direction = next(iter(self.directions)) if direction is None else direction
        if direction not in self.directions:
            raise ValueError(
                f"{type(self).__name__} translates in directions {list(self.directions)}; "
                f"received direction={direction!r}."
            )
        return direction, getattr(self, self.directions[direction])

    def call(self, inputs, training=False):
        return self.translator()[1](inputs, training=training)

    def translate(self, images, direction=None, batch_size=32):
        """Translates images with a direction's generator (inference mode).

        Args:
            images: float array `(n, H, W, C)` in `[-1, 1]` of the
                direction's input shape (`image_shape` for the first
                direction).
            direction: e.g. `"a2b"` or `"b2a"`; None for the first one.
            batch_size: images per generator call. Defaults to 32.

        Returns:
            Float32 NumPy array `(n, *output_shape)` in `[-1, 1]`.

        Raises:
            ValueError: unknown direction, wrong shape, dtype or range.

        Example:
            >>> maps = pix2pix.translate(photos)  # doctest: +SKIP
            >>> horses = cyclegan.translate(zebras, direction="b2a")  # doctest: +SKIP
        """
        direction, network = self.translator(direction)
        validate_positive_int(batch_size, "batch_size")
        input_shape, _ = self.direction_shapes(direction)
        images = validate_image_batch(
            images, f"{type(self).__name__}.translate(direction={direction!r})", shape=input_shape
        )
        outputs = [
            keras.ops.convert_to_numpy(network(images[start : start + batch_size], training=False))
            for start in range(0, len(images), batch_size)
        ]
        return np.concatenate(outputs).astype("float32")

    def export_translator(self, path, direction=None, format="tf_saved_model"):
        """Writes a direction's generator as a SavedModel that serves without kerasgan.

        Signature `serving_default(images)` → `{"images": ...}`, equal to
        `translate(images, direction)`. See `kerasgan.export.export_translator`.

        Args:
            path: folder to write (a file for LiteRT and ONNX).
            direction: None for the first direction.
            format: `"tf_saved_model"` (default), `"litert"` or `"onnx"`.

        Returns:
            The path written.

        Example:
            >>> pix2pix.export_translator("exported/pix2pix")  # doctest: +SKIP
        """
        from kerasgan.export import export_translator

        return export_translator(self, path, direction=direction, format=format)

    def get_config(self):
        return {
            **super().get_config(),
            "image_shape": self.image_shape,
            "target_shape": self.target_shape,
        }
