"""`ImageToImageGAN`: the task base of image-conditioned models (Pix2Pix, CycleGAN)."""

import keras
import numpy as np

from kerasgan.models.base import BaseGAN
from kerasgan.models.data_fit import LearnsFromNamedData
from kerasgan.utils.validation import (
    validate_image_batch,
    validate_image_shape,
    validate_positive_int,
)


class ImageToImageGAN(LearnsFromNamedData, BaseGAN):
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

    def example_inputs(self, images, targets=None, seed=0):
        """The inputs `translate` takes for example images of a data set, and what they should become.

        The runs' pictures, `kerasgan sample` and `kerasgan evaluate` build
        their inputs with it from held-out examples: `{"images": images}`
        and the data set's targets here; a task that takes more (an
        inpainting model's masks, drawn with `seed`) adds it.

        Args:
            images: float array `(n, H, W, C)` in `[-1, 1]`, the sources.
            targets: None (unpaired data), or the targets of `images`.
            seed: int seed of any random inputs (masks). Defaults to 0.

        Returns:
            `(inputs, targets)`: a dict with the keys of
            `translation_inputs`, and the targets (None when there are none).

        Example:
            >>> import numpy as np
            >>> model = kerasgan.InpaintingGAN(base_filters=4, mask="rectangles", seed=0)
            >>> inputs, targets = model.example_inputs(np.zeros((2, 28, 28, 1)), seed=1)
            >>> sorted(inputs), inputs["masks"].shape, targets.shape
            (['images', 'masks'], (2, 28, 28, 1), (2, 28, 28, 1))
        """
        return {"images": np.asarray(images, "float32")}, targets

    def display_inputs(self, inputs):
        """What a model was given, as images of its output's size for a picture's first row.

        Args:
            inputs: dict with the keys of `translation_inputs`.

        Returns:
            Float32 array `(n, H, W, C)` in `[-1, 1]`: the images here.

        Example:
            >>> import numpy as np
            >>> model = kerasgan.SRGAN(scale=2, image_shape=(28, 28, 1), base_filters=4,
            ...                        num_residual_blocks=1, dense_units=8, perceptual_weight=0)
            >>> model.display_inputs({"images": np.zeros((3, 14, 14, 1))}).shape
            (3, 28, 28, 1)
        """
        return np.asarray(inputs["images"], "float32")

    def scored_pixels(self, inputs):
        """The pixels a translation is scored on against its target: None for all of them.

        Args:
            inputs: dict with the keys of `translation_inputs`.

        Returns:
            None, or float32 weights `(n, H, W, 1)` of 0 and 1 (an
            inpainting model's masks: only the missing pixels count).

        Example:
            >>> import numpy as np
            >>> model = kerasgan.Pix2Pix(image_shape=(32, 32, 1), base_filters=4)
            >>> model.scored_pixels({"images": np.zeros((1, 32, 32, 1))}) is None
            True
        """
        return None

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

    def translation_inputs(self, direction):
        """The named inputs a direction's translation takes: `{name: (H, W, C)}`.

        `{"images": input_shape}` here; a task that takes more (an
        inpainting model's `masks`) declares them, and `translate`, the
        export and the callbacks then take a dict with these keys.

        Args:
            direction: a direction name, e.g. `"a2b"`.

        Returns:
            Dict of shapes, in the order the export's signature takes them.
        """
        input_shape, _ = self.direction_shapes(direction)
        return {"images": input_shape}

    def translate_batch(self, generator, inputs):
        """Translates one batch: the task's one translation, used everywhere.

        `translate` and the exported `serving_default` both call it, so a
        task that overrides it (keeping an inpainting's known pixels) is
        served the same way by each. Written with `keras.ops`, since the
        export traces it in TensorFlow.

        Args:
            generator: callable inputs -> images (the direction's network in
                inference mode, or the export's wrapper of it).
            inputs: dict of tensors with the keys of `translation_inputs`.

        Returns:
            Images `(batch, *output_shape)` in `[-1, 1]`.
        """
        return generator(inputs["images"])

    def unchecked_translation(self, generator, inputs):
        """`translate_batch` without its in-graph input checks: what a LiteRT or ONNX file computes.

        Those formats have no assertion ops, so the export builds them from
        this: the task's arithmetic alone, in `keras.ops`. The default runs
        the generator on the images; a task whose `translate_batch` does
        more (an inpainting model keeping the known pixels) overrides both.

        Args:
            generator: callable inputs -> images.
            inputs: dict of tensors with the keys of `translation_inputs`.

        Returns:
            Images `(batch, *output_shape)` in `[-1, 1]`.
        """
        return generator(inputs["images"])

    def translate(self, images, direction=None, batch_size=32):
        """Translates images with a direction's generator (inference mode).

        Args:
            images: float array `(n, H, W, C)` in `[-1, 1]` of the
                direction's input shape (`image_shape` for the first
                direction), or a dict of such arrays with the keys of
                `translation_inputs(direction)` for tasks that take more
                than images.
            direction: e.g. `"a2b"` or `"b2a"`; None for the first one.
            batch_size: images per generator call. Defaults to 32.

        Returns:
            Float32 NumPy array `(n, *output_shape)` in `[-1, 1]`.

        Raises:
            ValueError: unknown direction, missing or unknown inputs, wrong
                shape, dtype or range, inputs of different lengths.

        Example:
            >>> maps = pix2pix.translate(photos)  # doctest: +SKIP
            >>> horses = cyclegan.translate(zebras, direction="b2a")  # doctest: +SKIP
        """
        return self.translate_in_mode(images, direction, batch_size, training=False)

    def translate_in_mode(self, images, direction=None, batch_size=32, training=False):
        """`translate`, with the generator called in training mode if `training` (dropout on).

        A subclass offers training-mode translation as an option (Pix2Pix's
        test-time noise) and keeps the networks' state as it was itself.
        """
        direction, network = self.translator(direction)
        validate_positive_int(batch_size, "batch_size")
        inputs = self.checked_translation_inputs(images, direction)
        count = len(next(iter(inputs.values())))

        def generator(batch):
            return network(batch, training=training)

        outputs = []
        for start in range(0, count, batch_size):
            batch = {name: values[start : start + batch_size] for name, values in inputs.items()}
            outputs.append(keras.ops.convert_to_numpy(self.translate_batch(generator, batch)))
        return np.concatenate(outputs).astype("float32")

    def checked_translation_inputs(self, inputs, direction):
        """`translate`'s inputs as a dict of checked float32 arrays of one length."""
        expected = self.translation_inputs(direction)
        if not isinstance(inputs, dict):
            if len(expected) > 1:
                raise ValueError(
                    f"{type(self).__name__}.translate takes a dict with the keys {list(expected)}; "
                    "received one array."
                )
            inputs = {"images": inputs}
        missing, unknown = sorted(set(expected) - set(inputs)), sorted(set(inputs) - set(expected))
        if missing or unknown:
            raise ValueError(
                f"{type(self).__name__}.translate(direction={direction!r}) takes the inputs "
                f"{list(expected)}; missing {missing}, unknown {unknown}."
            )
        checked = {
            name: validate_image_batch(
                inputs[name], f"{type(self).__name__}.translate {name} (direction={direction!r})", shape=shape
            )
            for name, shape in expected.items()
        }
        lengths = {name: len(values) for name, values in checked.items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(
                f"translate's inputs must hold one entry per image each; received lengths {lengths}."
            )
        return checked

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
