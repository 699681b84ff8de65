"""Masks of missing pixels for inpainting: samplers drawn inside the training step, and checks.

A mask has shape `(N, H, W, 1)`: 1 where a pixel is missing, 0 where it is
known. A sampler turns uniform draws into masks with `keras.ops` alone, so it
runs inside a compiled training step on every backend: `InpaintingGAN` draws
the uniforms from its seed generator (`random_per_example`), and
`sampler(batch_size, image_size, seed=...)` draws them from a seed of its own.
"""

import keras
import numpy as np
from keras import ops

from kerasgan.backend import assert_in_range
from kerasgan.utils.validation import validate_positive_int


def _pair(value, name):
    """An int or an `(height, width)` pair of positive ints, as a pair (None stays None)."""
    if value is None:
        return None
    sizes = (value, value) if isinstance(value, int) and not isinstance(value, bool) else value
    try:
        height, width = sizes
        return validate_positive_int(height, name), validate_positive_int(width, name)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a positive int or a pair (height, width) of them; received {name}={value!r}."
        ) from None


def _uniform_in(draws, low, high):
    """Maps uniforms in `[0, 1)` to whole numbers in `[low, high]` (floats, for the geometry)."""
    return ops.minimum(low + ops.floor(draws * (high - low + 1)), float(high))


class MaskSampler:
    """Base of the mask samplers: turns uniform draws into masks of missing pixels.

    A subclass says how many uniforms in `[0, 1)` it needs per example
    (`num_draws`) and how they become masks (`masks_from_draws`), both with
    `keras.ops` only (no NumPy, no branching on tensor values), so sampling
    runs inside a compiled step on TensorFlow and JAX. Sizes left as None are
    set from the image size, so one sampler serves images of any size.

    Example:
        >>> sampler = CentreMask(hole_size=2)
        >>> masks = sampler(1, (4, 4), seed=0)
        >>> keras.ops.convert_to_numpy(masks)[0, ..., 0].astype(int).tolist()
        [[0, 0, 0, 0], [0, 1, 1, 0], [0, 1, 1, 0], [0, 0, 0, 0]]
    """

    def num_draws(self, image_size):
        """The number of uniforms one example's mask needs (0 for a fixed mask)."""
        raise NotImplementedError(f"{type(self).__name__} must define num_draws().")

    def masks_from_draws(self, draws, batch_size, image_size):
        """Masks `(batch_size, H, W, 1)` float32 from uniforms `(batch_size, num_draws)`."""
        raise NotImplementedError(f"{type(self).__name__} must define masks_from_draws().")

    def check(self, image_size):
        """Checks that the sampler's sizes fit images of `(H, W)`; returns the sampler."""
        return self

    def sample(self, batch_size, image_size, draw):
        """Draws a batch of masks with a given source of uniforms.

        Args:
            batch_size: int or scalar int tensor.
            image_size: `(H, W)` of the images.
            draw: callable `count -> uniforms (batch_size, count)` in
                `[0, 1)`, e.g. a model's seed generator
                (`InpaintingGAN.sample_masks`).

        Returns:
            float32 masks `(batch_size, H, W, 1)`: 1 missing, 0 known.
        """
        height, width = image_size
        count = self.num_draws((height, width))
        draws = draw(count) if count else None
        return self.masks_from_draws(draws, batch_size, (height, width))

    def __call__(self, batch_size, image_size, seed=None):
        """Draws `batch_size` masks for images of `image_size` `(H, W)`.

        Args:
            batch_size: positive int (or scalar int tensor).
            image_size: `(H, W)`.
            seed: None, an int (the same masks every call) or a
                `keras.random.SeedGenerator` (new masks every call).

        Returns:
            float32 tensor `(batch_size, H, W, 1)`: 1 missing, 0 known.
        """
        image_size = tuple(image_size)
        self.check(image_size)
        return self.sample(
            batch_size, image_size, lambda count: keras.random.uniform((batch_size, count), seed=seed)
        )

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras.saving.register_keras_serializable(package="kerasgan")
class CentreMask(MaskSampler):
    """The same hole in the middle of every image: the context encoder's central region.

    Draws nothing: the mask is fixed by the image size. The hole is
    `hole_size` pixels, centred (rounded up and to the left when the sizes
    leave an odd margin).

    Args:
        hole_size: None (default: half the height by half the width,
            rounded down, 14x14 on 28x28), an int for a square, or
            `(height, width)` in pixels, at most the image's.

    Example:
        >>> masks = CentreMask()(2, (28, 28))
        >>> float(keras.ops.sum(masks[0])), float(masks[0, 7, 7, 0]), float(masks[0, 6, 7, 0])
        (196.0, 1.0, 0.0)

    Reference:
        Pathak et al., "Context Encoders: Feature Learning by Inpainting",
        CVPR 2016 (the central region).
    """

    def __init__(self, hole_size=None):
        self.hole_size = _pair(hole_size, "hole_size")

    def hole_shape(self, image_size):
        """The hole's `(height, width)` in pixels for images of `(H, W)`."""
        height, width = image_size
        return self.hole_size or (max(1, height // 2), max(1, width // 2))

    def check(self, image_size):
        hole = self.hole_shape(image_size)
        if hole[0] > image_size[0] or hole[1] > image_size[1]:
            raise ValueError(
                f"CentreMask's hole_size {hole} does not fit images of (H, W) = {tuple(image_size)}; "
                "pass a smaller hole_size."
            )
        return self

    def num_draws(self, image_size):
        return 0

    def masks_from_draws(self, draws, batch_size, image_size):
        height, width = image_size
        hole_height, hole_width = self.hole_shape(image_size)
        top, left = (height - hole_height) // 2, (width - hole_width) // 2
        rows, cols = ops.arange(height), ops.arange(width)
        in_rows = ops.logical_and(rows >= top, rows < top + hole_height)
        in_cols = ops.logical_and(cols >= left, cols < left + hole_width)
        hole = ops.cast(ops.logical_and(in_rows[:, None], in_cols[None, :]), "float32")
        return ops.ones((batch_size, 1, 1, 1), "float32") * hole[None, :, :, None]

    def get_config(self):
        return {"hole_size": self.hole_size}


@keras.saving.register_keras_serializable(package="kerasgan")
class RectangleMask(MaskSampler):
    """One to `max_rectangles` axis-aligned rectangles at random places and sizes.

    Per example: the number of rectangles is uniform in
    `[1, max_rectangles]`; each rectangle's height and width are uniform
    whole numbers in `[min_size, max_size]`, and its top-left corner is
    uniform among the places where it lies wholly inside the image.
    Rectangles may overlap. Draws `4 * max_rectangles + 1` uniforms per
    example.

    Args:
        max_rectangles: most rectangles per mask. Defaults to 2.
        min_size: smallest side in pixels; None (default) for an eighth
            of the shorter image side (at least 1).
        max_size: largest side in pixels; None (default) for half the
            shorter image side.

    Example:
        >>> masks = RectangleMask(max_rectangles=1, min_size=3, max_size=5)(4, (28, 28), seed=0)
        >>> area = keras.ops.convert_to_numpy(keras.ops.sum(masks, axis=(1, 2, 3)))
        >>> bool(((area >= 9) & (area <= 25)).all())
        True

    Reference:
        Pathak et al., "Context Encoders: Feature Learning by Inpainting",
        CVPR 2016 (random blocks).
    """

    def __init__(self, max_rectangles=2, min_size=None, max_size=None):
        self.max_rectangles = validate_positive_int(max_rectangles, "max_rectangles")
        self.min_size = validate_positive_int(min_size, "min_size", allow_none=True)
        self.max_size = validate_positive_int(max_size, "max_size", allow_none=True)

    def sizes(self, image_size):
        """`(min_size, max_size)` in pixels for images of `(H, W)`."""
        shorter = min(image_size)
        high = self.max_size or max(1, shorter // 2)
        low = self.min_size or min(high, max(1, shorter // 8))
        return low, high

    def check(self, image_size):
        low, high = self.sizes(image_size)
        if low > high or high > min(image_size):
            raise ValueError(
                f"RectangleMask needs min_size <= max_size <= the shorter image side; received "
                f"min_size={low}, max_size={high} for images of (H, W) = {tuple(image_size)}."
            )
        return self

    def num_draws(self, image_size):
        return 4 * self.max_rectangles + 1

    def masks_from_draws(self, draws, batch_size, image_size):
        height, width = image_size
        low, high = self.sizes(image_size)
        count = self.max_rectangles
        boxes = ops.reshape(draws[:, : 4 * count], (-1, count, 4))
        sides = _uniform_in(boxes[..., :2], low, high)  # (batch, count, [height, width])
        room = ops.convert_to_tensor([float(height), float(width)]) - sides + 1.0
        corners = ops.floor(boxes[..., 2:] * room)
        number = _uniform_in(draws[:, -1], 1, count)
        active = ops.arange(count, dtype="float32")[None, :] < number[:, None]
        rows, cols = ops.arange(height, dtype="float32"), ops.arange(width, dtype="float32")

        def inside(positions, axis):
            start = corners[..., axis, None]
            return ops.logical_and(positions >= start, positions < start + sides[..., axis, None])

        covered = ops.logical_and(inside(rows, 0)[..., :, None], inside(cols, 1)[..., None, :])
        covered = ops.logical_and(covered, active[..., None, None])
        return ops.cast(ops.any(covered, axis=1), "float32")[..., None]

    def get_config(self):
        return {"max_rectangles": self.max_rectangles, "min_size": self.min_size, "max_size": self.max_size}


@keras.saving.register_keras_serializable(package="kerasgan")
class StrokeMask(MaskSampler):
    """Free-form brush strokes: random polylines drawn with a round brush.

    Per example: the number of strokes is uniform in `[1, max_strokes]`.
    Each stroke starts at a uniform pixel and takes `num_segments` steps,
    each in a uniform direction with a length uniform in
    `[max_length / 2, max_length]`, its vertices kept inside the image; a
    pixel is missing when its centre lies within half the stroke's width
    (uniform in `[min_width, max_width]`) of a segment. Draws
    `max_strokes * (3 + 2 * num_segments) + 1` uniforms per example.

    Args:
        max_strokes: most strokes per mask. Defaults to 3.
        num_segments: straight segments per stroke. Defaults to 4.
        max_length: longest segment in pixels; None (default) for a
            quarter of the shorter image side.
        min_width: thinnest brush in pixels; None (default) for a
            fourteenth of the shorter side (at least 1).
        max_width: widest brush in pixels; None (default) for a seventh of
            the shorter side (at least `min_width`).

    Example:
        >>> masks = StrokeMask()(4, (28, 28), seed=0)
        >>> values = keras.ops.convert_to_numpy(masks)
        >>> sorted(set(values.ravel().tolist())), bool((values.sum(axis=(1, 2, 3)) > 0).all())
        ([0.0, 1.0], True)

    Reference:
        Yu et al., "Free-Form Image Inpainting with Gated Convolution",
        ICCV 2019 (free-form masks drawn as random strokes).
    """

    def __init__(self, max_strokes=3, num_segments=4, max_length=None, min_width=None, max_width=None):
        self.max_strokes = validate_positive_int(max_strokes, "max_strokes")
        self.num_segments = validate_positive_int(num_segments, "num_segments")
        self.max_length = validate_positive_int(max_length, "max_length", allow_none=True)
        self.min_width = validate_positive_int(min_width, "min_width", allow_none=True)
        self.max_width = validate_positive_int(max_width, "max_width", allow_none=True)

    def sizes(self, image_size):
        """`(max_length, min_width, max_width)` in pixels for images of `(H, W)`."""
        shorter = min(image_size)
        length = self.max_length or max(1, shorter // 4)
        low = self.min_width or max(1, shorter // 14)
        high = self.max_width or max(low, shorter // 7)
        return length, low, high

    def check(self, image_size):
        _, low, high = self.sizes(image_size)
        if low > high:
            raise ValueError(
                f"StrokeMask needs min_width <= max_width; received min_width={low}, max_width={high}."
            )
        return self

    def num_draws(self, image_size):
        return self.max_strokes * (3 + 2 * self.num_segments) + 1

    def masks_from_draws(self, draws, batch_size, image_size):
        height, width = image_size
        length, low, high = self.sizes(image_size)
        strokes = ops.reshape(draws[:, :-1], (-1, self.max_strokes, 3 + 2 * self.num_segments))
        limit = ops.convert_to_tensor([height - 1.0, width - 1.0])
        point = strokes[..., :2] * limit  # (batch, strokes, [row, col])
        radius = 0.5 * (low + strokes[..., 2] * (high - low))
        number = _uniform_in(draws[:, -1], 1, self.max_strokes)
        active = ops.arange(self.max_strokes, dtype="float32")[None, :] < number[:, None]
        rows, cols = ops.meshgrid(
            ops.arange(height, dtype="float32"), ops.arange(width, dtype="float32"), indexing="ij"
        )
        pixels = ops.stack([rows, cols], axis=-1)  # (H, W, [row, col])
        pixels = ops.reshape(pixels, (1, 1, height * width, 2))
        covered = ops.zeros_like(pixels[..., 0]) > 1.0
        for segment in range(self.num_segments):
            angle = 2.0 * np.pi * strokes[..., 3 + 2 * segment]
            step = length * (0.5 + 0.5 * strokes[..., 4 + 2 * segment])
            moved = point + step[..., None] * ops.stack([ops.sin(angle), ops.cos(angle)], axis=-1)
            end = ops.minimum(ops.maximum(moved, 0.0), limit)
            covered = ops.logical_or(covered, self._near(pixels, point, end, radius))
            point = end
        covered = ops.logical_and(covered, active[..., None])
        return ops.cast(ops.reshape(ops.any(covered, axis=1), (-1, height, width, 1)), "float32")

    @staticmethod
    def _near(pixels, start, end, radius):
        """Whether each pixel centre lies within `radius` of the segment `start`-`end`."""
        start, end = start[:, :, None, :], end[:, :, None, :]
        direction = end - start
        squared_length = ops.maximum(ops.sum(direction**2, axis=-1, keepdims=True), 1e-12)
        along = ops.clip(ops.sum((pixels - start) * direction, axis=-1, keepdims=True) / squared_length, 0, 1)
        distance = ops.sum((pixels - start - along * direction) ** 2, axis=-1)
        return distance <= (radius**2)[..., None]

    def get_config(self):
        return {
            "max_strokes": self.max_strokes,
            "num_segments": self.num_segments,
            "max_length": self.max_length,
            "min_width": self.min_width,
            "max_width": self.max_width,
        }


MASK_SAMPLERS = {
    "centre": CentreMask,
    "center": CentreMask,
    "rectangles": RectangleMask,
    "strokes": StrokeMask,
}


def get_mask_sampler(mask, hole_size=None):
    """A mask sampler from a name, a sampler or a sampler's serialized config.

    Args:
        mask: `"centre"` (or `"center"`), `"rectangles"`, `"strokes"`, a
            `MaskSampler`, or the dict `keras.saving.serialize_keras_object`
            made of one.
        hole_size: None, or for `"centre"` the hole's side (an int or
            `(height, width)`), for `"rectangles"` the largest side, in
            pixels. Not accepted with `"strokes"` or a sampler object
            (configure the sampler instead).

    Returns:
        A `MaskSampler`.

    Raises:
        ValueError: an unknown name, or a `hole_size` that does not apply.

    Example:
        >>> get_mask_sampler("rectangles", hole_size=10).max_size, get_mask_sampler("centre", 6).hole_size
        (10, (6, 6))
    """
    if isinstance(mask, dict):
        mask = keras.saving.deserialize_keras_object(mask)
    if isinstance(mask, MaskSampler):
        if hole_size is not None:
            raise ValueError(
                f"hole_size applies to mask='centre' or 'rectangles'; with a {type(mask).__name__} "
                "object, set its sizes on the object and leave hole_size=None."
            )
        return mask
    if mask not in MASK_SAMPLERS:
        raise ValueError(
            f"mask must be 'centre', 'rectangles', 'strokes' or a kerasgan.models.MaskSampler; "
            f"received mask={mask!r}."
        )
    if hole_size is None:
        return MASK_SAMPLERS[mask]()
    if mask == "strokes":
        raise ValueError(
            "hole_size does not apply to mask='strokes'; pass mask=kerasgan.models.StrokeMask("
            "max_width=..., max_length=...) instead."
        )
    if mask == "rectangles":
        return RectangleMask(max_size=validate_positive_int(hole_size, "hole_size"))
    return CentreMask(hole_size)


def validate_masks(masks, image_shape, num_images, what):
    """Checks masks on the host: shape `(N, H, W, 1)`, one per image, values exactly 0 or 1.

    Args:
        masks: array-like `(N, H, W, 1)`, bool, int or float.
        image_shape: `(H, W, C)` of the images they go with.
        num_images: how many images they go with, or None not to check.
        what: who expects them, for messages (e.g. `"InpaintingGAN.inpaint"`).

    Returns:
        The masks as a float32 NumPy array.

    Raises:
        ValueError: wrong shape or length, or a value other than 0 and 1;
            the message says what was received.

    Example:
        >>> validate_masks(np.ones((2, 4, 4, 1), bool), (4, 4, 3), 2, "inpaint").dtype
        dtype('float32')
    """
    array = np.asarray(masks)
    height, width = image_shape[:2]
    if array.ndim != 4 or array.shape[1:] != (height, width, 1):
        hint = " Add a channel axis (masks[..., None])." if array.shape[1:] == (height, width) else ""
        raise ValueError(
            f"{what} expects masks of shape (N, {height}, {width}, 1), 1 where a pixel is missing and "
            f"0 where it is known; received shape {array.shape}.{hint}"
        )
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise ValueError(f"{what} expects numeric or boolean masks; received dtype {array.dtype}.")
    if num_images is not None and len(array) != num_images:
        raise ValueError(
            f"{what} takes one mask per image; received {len(array)} masks for {num_images} images."
        )
    other = ~((array == 0) | (array == 1))
    if other.any():
        examples = np.unique(array[other])[:5].tolist()
        raise ValueError(
            f"{what} expects masks of exactly 0 (known pixel) and 1 (missing pixel); received "
            f"{int(other.sum())} other values, e.g. {examples}. Threshold soft masks, e.g. "
            "(masks > 0.5).astype('float32')."
        )
    return array.astype("float32")


def checked_masks(masks, images, what):
    """`masks` as a tensor, readable only once they hold 0 and 1 only, one per image.

    The in-graph form of `validate_masks`, for code that is traced (the
    exported `serving_default`): the checks run with the graph, eagerly at
    once, and name the values received.

    Args:
        masks: tensor `(batch, H, W, 1)`.
        images: the images they go with, `(batch, H, W, C)`.
        what: who expects them, for messages (e.g. `"serving_default"`).

    Returns:
        float32 masks, guarded by the checks.

    Example:
        >>> masks = checked_masks(np.ones((2, 4, 4, 1)), np.zeros((2, 4, 4, 1)), "serving_default")
    """
    masks = ops.cast(ops.convert_to_tensor(masks), "float32")
    difference = ops.cast(ops.shape(masks)[0] - ops.shape(images)[0], "float32")
    difference = assert_in_range(
        difference, 0.0, 0.0, f"{what} takes one mask per image; masks minus images (min, max follow)."
    )
    masks = assert_in_range(
        masks,
        0.0,
        1.0,
        f"{what} expects masks of 0 (known) and 1 (missing); received values (min, max follow).",
    )
    binary = ops.logical_or(masks == 0.0, masks == 1.0)
    # Known entries take the largest other value, so the range found is that of the other values.
    others = ops.where(binary, ops.max(ops.where(binary, 0.0, masks)), masks)
    checked_others = assert_in_range(
        others,
        0.0,
        0.0,
        f"{what} expects masks of exactly 0 (known) and 1 (missing); received values between them "
        "(min, max follow). Threshold soft masks (masks > 0.5).",
    )
    # Both checked tensors are zeros once their checks pass: adding them changes no mask value
    # and makes the masks readable only after the checks ran.
    return masks + checked_others + difference
