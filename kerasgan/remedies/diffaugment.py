"""DiffAugment: the same differentiable augmentation of real and generated images."""

from keras import ops

from kerasgan.models.controller import DiscriminatorAugmentation, register_augmentation
from kerasgan.remedies import transforms
from kerasgan.utils.validation import validate_fraction

POLICIES = ("color", "translation", "cutout")


def parse_policy(policy):
    """Reads a DiffAugment policy: `"color,translation,cutout"` or a sequence of those names.

    Args:
        policy: comma-separated names, or a list or tuple of names, from
            `"color"`, `"translation"`, `"cutout"`, each at most once, in the
            order they are applied.

    Returns:
        Tuple of names.

    Example:
        >>> parse_policy("color, cutout")
        ('color', 'cutout')
    """
    names = policy.split(",") if isinstance(policy, str) else policy
    if not isinstance(names, (list, tuple)):
        raise ValueError(
            f"policy must be a string such as 'color,translation,cutout' or a list of names; "
            f"received {policy!r}."
        )
    names = tuple(str(name).strip() for name in names)
    unknown = [name for name in names if name not in POLICIES]
    if not names or unknown or len(set(names)) != len(names):
        raise ValueError(
            f"policy must name one or more of {POLICIES}, each once; received {policy!r}. "
            "Pass e.g. policy='color,translation,cutout'."
        )
    return names


@register_augmentation("diffaugment")
class DiffAugment(DiscriminatorAugmentation):
    """Differentiable Augmentation: random colour, translation and cutout on every D input.

    Each policy is applied to every example (no probability), with values
    drawn per example from the model's seed generator, in the order the
    policy names them; images are in `[-1, 1]`:

    - `"color"`: brightness `x + b`, `b ~ U(-0.5, 0.5)`; saturation
      `(x - m) s + m` around each pixel's channel mean `m`, `s ~ U(0, 2)`;
      contrast `(x - m) c + m` around each image's mean, `c ~ U(0.5, 1.5)`.
      Saturation mixes channels, so it is applied to 3-channel (RGB)
      images only: with any other channel count (grayscale, or Pix2Pix's
      source and image concatenated on the channel axis) `"color"` is
      brightness and contrast.
    - `"translation"`: a shift by whole pixels, uniform in `[-r H, r H]`
      rows and `[-r W, r W]` columns (`r = translation_ratio`, rounded to
      pixels), with zeros coming in at the border.
    - `"cutout"`: zeroes a `cutout_ratio H x cutout_ratio W` square whose
      centre is uniform over the image (cut at the border when it leaves
      it).

    Everything is differentiable in the images, so the generator learns
    through it; it runs inside compiled steps on TensorFlow and JAX.
    `draw` returns the random values and `apply` the images they make, so
    both can be inspected. Nothing is logged or saved but the settings.

    Args:
        policy: which augmentations, in order: a comma-separated string or a
            list from `"color"`, `"translation"`, `"cutout"`. Defaults to
            `"color,translation,cutout"`, the paper's choice with limited data.
        translation_ratio: largest shift as a fraction of the side, in
            `(0, 1)`. Defaults to 0.125 (1/8).
        cutout_ratio: side of the cut-out square as a fraction of the
            image's side, in `(0, 1]`. Defaults to 0.5.
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Example:
        >>> import keras
        >>> gan = kerasgan.DCGAN(latent_dim=8, seed=0)
        >>> augmentation = DiffAugment("color,translation,cutout")
        >>> tuple(augmentation.augment(keras.ops.zeros((4, 28, 28, 1)), gan).shape)
        (4, 28, 28, 1)

    Reference:
        Zhao et al., "Differentiable Augmentation for Data-Efficient GAN
        Training", NeurIPS 2020.
    """

    def __init__(
        self, policy="color,translation,cutout", translation_ratio=0.125, cutout_ratio=0.5, **kwargs
    ):
        super().__init__(**kwargs)
        self.policy = parse_policy(policy)
        self.translation_ratio = validate_fraction(translation_ratio, "translation_ratio", allow_one=False)
        self.cutout_ratio = validate_fraction(cutout_ratio, "cutout_ratio")

    def sizes(self, height, width):
        """Largest shifts and the cut-out square for images of `height x width`.

        Args:
            height: image height in pixels.
            width: image width in pixels.

        Returns:
            `((max_rows, max_cols), (cutout_height, cutout_width))` in pixels.
        """
        shift = (int(height * self.translation_ratio + 0.5), int(width * self.translation_ratio + 0.5))
        square = (int(height * self.cutout_ratio + 0.5), int(width * self.cutout_ratio + 0.5))
        return shift, square

    def draw(self, images, gan):
        """Draws the random values of one batch from the model's seed generator.

        Args:
            images: tensor `(batch, H, W, C)`.
            gan: the model being trained (`random_per_example`).

        Returns:
            Dict of tensors `(batch,)`: `brightness`, `saturation` (3
            channels only), `contrast` for `"color"`; int32 `rows`, `cols`
            for `"translation"`; int32 `cutout_top`, `cutout_left` (may be
            negative) for `"cutout"`.
        """
        height, width, channels = transforms.check_images(images, type(self).__name__)
        (max_rows, max_cols), (cut_height, cut_width) = self.sizes(height, width)
        names = []
        if "color" in self.policy:
            names += ["brightness", "saturation", "contrast"] if channels == 3 else ["brightness", "contrast"]
        if "translation" in self.policy:
            names += ["rows", "cols"]
        if "cutout" in self.policy:
            names += ["cutout_top", "cutout_left"]
        uniform = transforms.draw_uniform(gan, ops.shape(images)[0], len(names))
        column = {name: uniform[:, index] for index, name in enumerate(names)}
        scale = {"brightness": (1.0, -0.5), "saturation": (2.0, 0.0), "contrast": (1.0, 0.5)}
        integers = {
            "rows": (-max_rows, max_rows, 0),
            "cols": (-max_cols, max_cols, 0),
            # The centre is uniform over the pixels (one more place for even
            # sides, as in the paper's code); the square starts half a side before.
            "cutout_top": (0, height - cut_height % 2, cut_height // 2),
            "cutout_left": (0, width - cut_width % 2, cut_width // 2),
        }
        parameters = {}
        for name, values in column.items():
            if name in scale:
                parameters[name] = values * scale[name][0] + scale[name][1]
            else:
                low, high, back = integers[name]
                parameters[name] = transforms.uniform_integers(values, low, high) - back
        return parameters

    def apply(self, images, parameters):
        """Applies the policy to `images` with the values `draw` returned.

        Args:
            images: tensor `(batch, H, W, C)`.
            parameters: the dict returned by `draw` for these images.

        Returns:
            Tensor of the images' shape and dtype.
        """
        height, width, _ = transforms.check_images(images, type(self).__name__)
        square = self.sizes(height, width)[1]
        for name in self.policy:
            if name == "color":
                images = transforms.brightness(images, parameters["brightness"])
                if "saturation" in parameters:
                    images = transforms.saturation(images, parameters["saturation"])
                images = transforms.contrast(images, parameters["contrast"], center="mean")
            elif name == "translation":
                images = transforms.translate(images, parameters["rows"], parameters["cols"], "zeros")
            else:
                images = transforms.cutout(
                    images, parameters["cutout_top"], parameters["cutout_left"], square
                )
        return images

    def augment(self, images, gan):
        return self.apply(images, self.draw(images, gan))

    def get_config(self):
        config = super().get_config()
        config.update(
            policy=",".join(self.policy),
            translation_ratio=self.translation_ratio,
            cutout_ratio=self.cutout_ratio,
        )
        return config
