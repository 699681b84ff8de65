"""ADA: an augmentation whose probability follows how much the discriminator overfits."""

import keras
from keras import ops

from kerasgan.models.controller import DiscriminatorAugmentation, register_augmentation
from kerasgan.remedies import transforms as transform_ops
from kerasgan.utils.validation import validate_fraction, validate_positive_int

# The pipeline, in the order it runs (geometric, then colour, then cutout, as in the paper).
TRANSFORMS = ("xflip", "rotate90", "translation", "brightness", "contrast", "saturation", "cutout")
# The paper's default "bgc" pipeline, less the sub-pixel transforms this version lacks.
DEFAULT_TRANSFORMS = ("xflip", "rotate90", "translation", "brightness", "contrast", "saturation")
# The paper's strengths (Appendix B): brightness b ~ N(0, 0.2); contrast and
# saturation 2^N(0, 0.5) and 2^N(0, 1); translation up to 1/8 of the side;
# cutout of half the side.
BRIGHTNESS_STDDEV = 0.2
CONTRAST_LOG2_STDDEV = 0.5
SATURATION_LOG2_STDDEV = 1.0
TRANSLATION_RATIO = 0.125
CUTOUT_RATIO = 0.5


def parse_transforms(names):
    """Checks an ADA transform list: names from `TRANSFORMS`, each once, at least one.

    Args:
        names: list or tuple of names, or a comma-separated string.

    Returns:
        Tuple of the names in pipeline order (the order of `TRANSFORMS`).

    Example:
        >>> parse_transforms(["brightness", "xflip"])
        ('xflip', 'brightness')
    """
    listed = names.split(",") if isinstance(names, str) else names
    if not isinstance(listed, (list, tuple)):
        raise ValueError(f"transforms must be a list of names from {TRANSFORMS}; received {names!r}.")
    listed = [str(name).strip() for name in listed]
    unknown = [name for name in listed if name not in TRANSFORMS]
    if not listed or unknown or len(set(listed)) != len(listed):
        raise ValueError(f"transforms must name one or more of {TRANSFORMS}, each once; received {names!r}.")
    return tuple(name for name in TRANSFORMS if name in listed)


@register_augmentation("ada")
class AdaptiveAugmentation(DiscriminatorAugmentation):
    """Adaptive discriminator augmentation (ADA): probability `p` steered by `r_t = E[sign(D(real))]`.

    Every image the discriminator sees while training goes through a
    pipeline of transforms, each applied to each example independently with
    probability `p`; `p` starts at `initial_probability` and moves with the
    overfitting heuristic of the paper: the core reports `real_sign`
    (`E[sign(D(real))]` over each discriminator batch) to `observe`, and
    every `interval` steps `end_step` sets, with `r_t` the mean over the
    real images counted since the last adjustment,
    `p <- clip(p + sign(r_t - target) * images_counted / speed_images, 0, 1)`,
    so `p` can go from 0 to 1 in `speed_images` real images. `p` and the
    running sums are saved weights: a `.keras` file or checkpoint resumes
    them exactly. `p` is logged as `ada_p`.

    The pipeline, in this order; a transform that is applied draws its
    strength as in the paper:

    - `xflip`: mirrors left to right with probability 1/2;
    - `rotate90`: `k` quarter turns, `k` uniform in `{0, 1, 2, 3}` (square
      images only; left out for others);
    - `translation`: a shift uniform in `[-1/8, 1/8]` of each side, rounded
      to whole pixels, with the image mirrored at the border;
    - `brightness`: `x + b`, `b ~ N(0, 0.2)`;
    - `contrast`: `x c`, `c = 2^N(0, 0.5)` (around 0, the middle of `[-1, 1]`);
    - `saturation`: `(x - m) s + m` around each pixel's channel mean,
      `s = 2^N(0, 1)`: 3-channel images only, left out for other channel
      counts (grayscale; Pix2Pix's source and image concatenated);
    - `cutout`: zeroes a square of half the side centred uniformly
      (cut at the border); not in the default, as in the paper's `bgc`.

    This is a reduced version of the paper's pipeline: it has the
    pixel-blitting and the colour transforms above but none of the general
    geometric ones (isotropic and anisotropic scaling, arbitrary rotation,
    sub-pixel translation, which need resampling with a wavelet filter),
    nor luma flip, hue rotation, image-space filtering or additive noise.
    Everything is differentiable in the images and runs in compiled steps
    on TensorFlow and JAX; `draw` returns the random values and `apply` the
    images they make.

    Args:
        target: the value of `r_t` to hold, in `(0, 1)`. Defaults to 0.6.
        interval: adjust `p` every this many steps (`>= 1`). Defaults to 4.
        speed_images: real images over which `p` can move by 1 (`>= 1`).
            Defaults to 500,000 (the paper's 500k).
        initial_probability: `p` at the start, in `[0, 1]`. Defaults to 0.
        transforms: names from `TRANSFORMS` (list or comma-separated
            string). Defaults to `DEFAULT_TRANSFORMS` (all but `cutout`).
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Example:
        >>> import keras
        >>> gan = kerasgan.DCGAN(latent_dim=8, seed=0)
        >>> ada = AdaptiveAugmentation(initial_probability=0.5)
        >>> tuple(ada.augment(keras.ops.zeros((4, 28, 28, 1)), gan).shape)
        (4, 28, 28, 1)
        >>> for step in range(4):  # D scores every real image real: p rises
        ...     ada.observe({"real_sign": keras.ops.convert_to_tensor(1.0)}, 32)
        ...     ada.end_step(step)
        >>> round(float(ada.logged_values()["ada_p"]), 6)  # 0.5 + 4 * 32 / 500000
        0.500256

    Reference:
        Karras et al., "Training Generative Adversarial Networks with
        Limited Data", NeurIPS 2020.
    """

    reads = ("real_sign",)
    logs = ("ada_p",)

    def __init__(
        self,
        target=0.6,
        interval=4,
        speed_images=500_000,
        initial_probability=0.0,
        transforms=DEFAULT_TRANSFORMS,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.target = validate_fraction(target, "target", allow_one=False)
        self.interval = validate_positive_int(interval, "interval")
        self.speed_images = validate_positive_int(speed_images, "speed_images")
        self.initial_probability = validate_fraction(
            initial_probability, "initial_probability", allow_zero=True
        )
        self.transforms = parse_transforms(transforms)
        self.probability = self._state_weight("probability", self.initial_probability)
        self.sign_sum = self._state_weight("sign_sum", 0.0)
        self.images_counted = self._state_weight("images_counted", 0.0)

    def _state_weight(self, name, value):
        return self.add_weight(
            shape=(),
            initializer=keras.initializers.Constant(value),
            dtype="float32",
            trainable=False,
            autocast=False,
            aggregation="only_first_replica",
            name=name,
        )

    def active_transforms(self, images):
        """The transforms applied to images of this shape (`rotate90` needs H == W, `saturation` C == 3).

        Args:
            images: tensor `(batch, H, W, C)`.

        Returns:
            Tuple of names, in pipeline order.
        """
        height, width, channels = transform_ops.check_images(images, type(self).__name__)
        left_out = set()
        if height != width:
            left_out.add("rotate90")
        if channels != 3:
            left_out.add("saturation")
        return tuple(name for name in self.transforms if name not in left_out)

    def draw(self, images, gan):
        """Draws the random values of one batch from the model's seed generator.

        Args:
            images: tensor `(batch, H, W, C)`.
            gan: the model being trained (`random_per_example`).

        Returns:
            Dict: `applied`, `{transform: bool (batch,)}` for each active
            transform; and per example, already the identity where a
            transform is not applied: bool `flip`; int32 `turns`, `rows`,
            `cols`; float `brightness` (0), `contrast` (1), `saturation`
            (1); int32 `cutout_top`, `cutout_left` (meaningful where
            `applied["cutout"]`).
        """
        height, width, _ = transform_ops.check_images(images, type(self).__name__)
        active = self.active_transforms(images)
        batch_size = ops.shape(images)[0]
        extra = {"xflip": 1, "rotate90": 1, "translation": 2, "cutout": 2}
        uniform = transform_ops.draw_uniform(
            gan, batch_size, len(active) + sum(extra.get(n, 0) for n in active)
        )
        normal_names = [name for name in active if name in ("brightness", "contrast", "saturation")]
        if normal_names:
            normal = gan.random_per_example(keras.random.normal, batch_size, (len(normal_names),))
            normal = {name: ops.cast(normal[:, i], "float32") for i, name in enumerate(normal_names)}
        probability = ops.cast(self.probability.value, "float32")
        applied = {name: uniform[:, i] < probability for i, name in enumerate(active)}
        column = iter(range(len(active), uniform.shape[1]))
        parameters = {"applied": applied}
        if "xflip" in applied:
            parameters["flip"] = ops.logical_and(applied["xflip"], uniform[:, next(column)] < 0.5)
        if "rotate90" in applied:
            turns = transform_ops.uniform_integers(uniform[:, next(column)], 0, 3)
            parameters["turns"] = ops.where(applied["rotate90"], turns, 0)
        if "translation" in applied:
            for name, side in (("rows", height), ("cols", width)):
                shift = ops.round((2.0 * uniform[:, next(column)] - 1.0) * TRANSLATION_RATIO * side)
                parameters[name] = ops.where(applied["translation"], ops.cast(shift, "int32"), 0)
        if "brightness" in applied:
            offset = normal["brightness"] * BRIGHTNESS_STDDEV
            parameters["brightness"] = ops.where(applied["brightness"], offset, 0.0)
        for name, stddev in (("contrast", CONTRAST_LOG2_STDDEV), ("saturation", SATURATION_LOG2_STDDEV)):
            if name in applied:
                factor = ops.power(2.0, normal[name] * stddev)
                parameters[name] = ops.where(applied[name], factor, 1.0)
        if "cutout" in applied:
            for name, side in (("cutout_top", height), ("cutout_left", width)):
                size = int(side * CUTOUT_RATIO + 0.5)
                centre = transform_ops.uniform_integers(uniform[:, next(column)], 0, side - size % 2)
                parameters[name] = centre - size // 2
        return parameters

    def apply(self, images, parameters):
        """Runs the pipeline on `images` with the values `draw` returned.

        Each transform changes only the examples it is applied to; the
        others keep their values bit for bit.

        Args:
            images: tensor `(batch, H, W, C)`.
            parameters: the dict returned by `draw` for these images.

        Returns:
            Tensor of the images' shape and dtype.
        """
        height, width, _ = transform_ops.check_images(images, type(self).__name__)
        square = (int(height * CUTOUT_RATIO + 0.5), int(width * CUTOUT_RATIO + 0.5))
        steps = {
            "xflip": lambda x, p: transform_ops.flip_horizontal(x, p["flip"]),
            "rotate90": lambda x, p: transform_ops.rotate90(x, p["turns"]),
            "translation": lambda x, p: transform_ops.translate(x, p["rows"], p["cols"], "reflect"),
            "brightness": lambda x, p: transform_ops.brightness(x, p["brightness"]),
            "contrast": lambda x, p: transform_ops.contrast(x, p["contrast"], center="zero"),
            "saturation": lambda x, p: transform_ops.saturation(x, p["saturation"]),
            "cutout": lambda x, p: transform_ops.cutout(x, p["cutout_top"], p["cutout_left"], square),
        }
        for name in TRANSFORMS:
            if name in parameters["applied"]:
                applied = transform_ops.per_example(parameters["applied"][name], images)
                images = ops.where(applied, steps[name](images, parameters), images)
        return images

    def augment(self, images, gan):
        return self.apply(images, self.draw(images, gan))

    def observe(self, terms, batch_size):
        if "real_sign" not in terms:
            return
        count = ops.cast(batch_size, "float32")
        self.sign_sum.assign(self.sign_sum.value + ops.cast(terms["real_sign"], "float32") * count)
        self.images_counted.assign(self.images_counted.value + count)

    def end_step(self, step):
        due = ops.equal(ops.mod(ops.cast(step, "int32") + 1, self.interval), 0)
        counted = self.images_counted.value
        r_t = self.sign_sum.value / ops.maximum(counted, 1.0)
        adjusted = ops.clip(
            self.probability.value + ops.sign(r_t - self.target) * counted / self.speed_images, 0.0, 1.0
        )
        self.probability.assign(
            ops.where(ops.logical_and(due, counted > 0), adjusted, self.probability.value)
        )
        self.sign_sum.assign(ops.where(due, 0.0, self.sign_sum.value))
        self.images_counted.assign(ops.where(due, 0.0, counted))

    def logged_values(self):
        return {"ada_p": self.probability.value}

    def get_config(self):
        config = super().get_config()
        config.update(
            target=self.target,
            interval=self.interval,
            speed_images=self.speed_images,
            initial_probability=self.initial_probability,
            transforms=list(self.transforms),
        )
        return config
