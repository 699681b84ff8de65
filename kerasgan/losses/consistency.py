"""Balanced consistency regularization: the critic should not care about a flip or a small shift."""

import keras
from keras import ops

from kerasgan.losses.regularizers import Regularizer
from kerasgan.utils.validation import validate_non_negative


def _largest_shift(side, max_shift_fraction):
    return int(side * max_shift_fraction)


def flip_and_translate(images, draws, max_shift_fraction=0.125):
    """Flips images left-right and shifts them by whole pixels, each as its draws say.

    For example `b` with draws `(u0, u1, u2)` in `[0, 1)`: the image is
    mirrored left-right when `u0 < 0.5`, then moved by `dy = floor(u1 * (2m +
    1)) - m` rows down and `dx` (likewise from `u2`) columns right, `m` the
    largest shift, `int(side * max_shift_fraction)` for each side. Pixels
    moved in from outside are 0 (mid grey for images in `[-1, 1]`). Written
    as two products with one-hot matrices, so it is differentiable with
    respect to the images and uses `keras.ops` only.

    Args:
        images: `(batch, H, W, C)`.
        draws: uniform values in `[0, 1)`, shape `(batch, 3)`.
        max_shift_fraction: largest shift as a fraction of each side, in
            `[0, 1)`. Defaults to `0.125` (1/8, the paper's).

    Returns:
        Tensor of the shape and dtype of `images`.

    Example:
        >>> image = ops.reshape(ops.arange(16, dtype="float32"), (1, 4, 4, 1))
        >>> flipped = flip_and_translate(image, ops.convert_to_tensor([[0.0, 0.5, 0.5]]))
        >>> ops.convert_to_numpy(flipped[0, 0, :, 0]).tolist()  # mirrored, not moved
        [3.0, 2.0, 1.0, 0.0]

    Reference:
        Zhao et al., "Improved Consistency Regularization for GANs", AAAI
        2021 (the flip-and-translate augmentation of bCR).
    """
    if len(images.shape) != 4:
        raise ValueError(
            f"flip_and_translate expects images (batch, H, W, C); received shape {images.shape}."
        )
    if not 0.0 <= max_shift_fraction < 1.0:
        raise ValueError(f"max_shift_fraction must be in [0, 1); received {max_shift_fraction!r}.")
    height, width = images.shape[1], images.shape[2]
    draws = ops.cast(draws, "float32")
    flip = ops.cast(draws[:, 0] < 0.5, "int32")[:, None]
    shifts = []
    for column, side in ((1, height), (2, width)):
        largest = _largest_shift(side, max_shift_fraction)
        shift = ops.cast(ops.floor(draws[:, column] * (2 * largest + 1)), "int32") - largest
        shifts.append(ops.clip(shift, -largest, largest)[:, None])
    shift_rows, shift_columns = shifts
    # Output row i reads row i - dy; output column j reads column j - dx of
    # the mirrored image, that is W - 1 - (j - dx) of the original.
    source_rows = ops.arange(height, dtype="int32")[None, :] - shift_rows
    moved = ops.arange(width, dtype="int32")[None, :] - shift_columns
    source_columns = flip * (width - 1 - moved) + (1 - flip) * moved
    select_rows = ops.cast(
        ops.equal(source_rows[:, :, None], ops.arange(height, dtype="int32")[None, None, :]), images.dtype
    )
    select_columns = ops.cast(
        ops.equal(source_columns[:, :, None], ops.arange(width, dtype="int32")[None, None, :]), images.dtype
    )
    rows_moved = ops.einsum("bik,bkwc->biwc", select_rows, images)
    return ops.einsum("bjl,bilc->bijc", select_columns, rows_moved)


@keras.saving.register_keras_serializable(package="kerasgan")
class ConsistencyRegularization(Regularizer):
    """Balanced consistency regularization (bCR) of the discriminator, logged as `cr`.

    With `T` a random left-right flip and a shift by up to 1/8 of each side
    (`flip_and_translate`, drawn per example from the GAN's seed generator,
    independently for real and generated images), the penalty is
    `real_weight * mean((D(x) - D(T(x)))^2) + fake_weight *
    mean((D(G(z)) - D(T(G(z))))^2)` on the logits; the phase's loss gains
    `weight` times it. Gradients flow through both terms of each difference.
    Reads the discriminator phase's `images`, `fake` and `critic`; when the
    phase also gives `real_logits` and `fake_logits` (what its objective
    computed), they stand for `D(x)` and `D(G(z))`, saving two critic calls.

    Args:
        real_weight: lambda_real of the paper, non-negative. Defaults to 10.
        fake_weight: lambda_fake of the paper, non-negative. Defaults to 10.
        weight: multiplies the whole penalty. Defaults to 1.
        every: run every `every` steps. Defaults to 1.
        phase: the phase it attaches to. Defaults to `"discriminator"`.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.DCGAN(regularizers=[ConsistencyRegularization()])

    Reference:
        Zhao et al., "Improved Consistency Regularization for GANs", AAAI
        2021; Zhang et al., "Consistency Regularization for Generative
        Adversarial Networks", ICLR 2020.
    """

    term = "cr"
    requires = ("images", "fake", "critic")

    def __init__(self, real_weight=10.0, fake_weight=10.0, weight=1.0, every=1, phase=None, **kwargs):
        super().__init__(weight, every=every, phase=phase, **kwargs)
        self.real_weight = validate_non_negative(real_weight, "ConsistencyRegularization real_weight")
        self.fake_weight = validate_non_negative(fake_weight, "ConsistencyRegularization fake_weight")

    def penalty(self, gan, context):
        images, fake, critic = self.read_context(context)
        total = ops.zeros((), "float32")
        for images_, logits_key, part_weight in (
            (images, "real_logits", self.real_weight),
            (fake, "fake_logits", self.fake_weight),
        ):
            # Drawn whatever the weights, so the random stream does not depend on them.
            draws = gan.random_per_example(keras.random.uniform, ops.shape(images_)[0], (3,))
            if part_weight == 0:
                continue
            logits = context.get(logits_key)
            if logits is None:
                logits = critic(images_)
            augmented = critic(flip_and_translate(images_, draws))
            difference = ops.cast(logits, "float32") - ops.cast(augmented, "float32")
            total = total + part_weight * ops.mean(ops.square(difference))
        return total

    def get_config(self):
        return {**super().get_config(), "real_weight": self.real_weight, "fake_weight": self.fake_weight}
