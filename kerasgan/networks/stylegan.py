"""StyleGAN2's networks, compact: mapping, synthesis with skips, residual discriminator.

`build_stylegan_generator` returns a `StyleGANGenerator`: a mapping network
(latents `z` to styles `w`) and a synthesis network (one `w` per layer, plus
noise, to images), with the running average of `w` that truncation pulls
towards. The synthesis starts from a learned constant at the base
resolution `H / 2^k` (between 4 and 7: 7 for 28x28 and 14x14, 4 for 32x32
and 64x64) and doubles it in each block.
"""

import math

import keras
from keras import ops

from kerasgan.networks.layers import MinibatchStandardDeviation
from kerasgan.networks.stylegan_layers import (
    BiasActivation,
    ConstantInput,
    EqualizedConv2D,
    EqualizedDense,
    ModulatedConv2D,
    NoiseInjection,
)
from kerasgan.utils.validation import validate_image_shape, validate_positive_int


def stylegan_resolutions(image_shape):
    """The resolutions of the synthesis blocks for square `image_shape`, smallest first.

    Args:
        image_shape: `(H, H, C)` with `H = b * 2^k`, `4 <= b <= 7`, `k >= 1`.

    Returns:
        List of ints, e.g. `[7, 14, 28]` for 28x28.

    Example:
        >>> stylegan_resolutions((28, 28, 1)), stylegan_resolutions((64, 64, 3))
        ([7, 14, 28], [4, 8, 16, 32, 64])
    """
    height, width, _ = validate_image_shape(image_shape)
    size, resolutions = height, [height]
    while size > 7 and size % 2 == 0:
        size //= 2
        resolutions.insert(0, size)
    if height != width or not 4 <= size <= 7 or len(resolutions) < 2:
        raise ValueError(
            f"StyleGAN needs square images whose side is 4 to 7 times a power of 2 (at least 8), "
            f"e.g. 14, 28, 32 or 64; received image_shape {tuple(image_shape)}. Resize or pad the images."
        )
    return resolutions


def build_mapping_network(latent_dim, w_dim, num_layers=2, lr_multiplier=0.01, name="mapping"):
    """The mapping network: `z` normalised to unit second moment, then an MLP to `w`.

    Args:
        latent_dim: size of `z`, positive.
        w_dim: size of `w`, positive.
        num_layers: dense layers (leaky ReLU), positive. Defaults to 2 (the
            StyleGAN2-ADA CIFAR setting; the paper uses 8 at 1024x1024).
        lr_multiplier: learning-rate multiplier of its layers. Defaults to 0.01.
        name: model name.

    Returns:
        A functional `keras.Model`: `(batch, latent_dim)` -> `(batch, w_dim)`.

    Example:
        >>> build_mapping_network(8, 16).output_shape
        (None, 16)

    Reference:
        Karras et al., "A Style-Based Generator Architecture for Generative
        Adversarial Networks", CVPR 2019.
    """
    latent_dim = validate_positive_int(latent_dim, "latent_dim")
    w_dim = validate_positive_int(w_dim, "w_dim")
    num_layers = validate_positive_int(num_layers, "mapping_layers")
    latents = keras.Input((latent_dim,), name="latents")
    x = latents * ops.rsqrt(ops.mean(ops.square(latents), axis=-1, keepdims=True) + 1e-8)
    for index in range(num_layers):
        x = EqualizedDense(w_dim, lr_multiplier, activation="leaky_relu", name=f"dense_{index}")(x)
    return keras.Model(latents, x, name=name)


def build_synthesis_network(image_shape, w_dim, filters=32, name="synthesis"):
    """The synthesis network: constant input, modulated convolutions with noise, toRGB skips.

    Layer `i` reads style `ws[:, i]`; each block after the first upsamples
    (bilinear) and runs two 3x3 modulated convolutions, and every block adds
    its toRGB (1x1, not demodulated) to the upsampled image of the blocks
    before it. `num_ws = 2 * len(resolutions)`: the first block's
    convolution, then two per block, and the last toRGB. The output is
    squashed into `[-1, 1]` by `tanh`.

    Args:
        image_shape: `(H, H, C)`, see `stylegan_resolutions`.
        w_dim: size of `w`, positive.
        filters: channels of every block, positive. Defaults to 32.
        name: model name.

    Returns:
        A functional `keras.Model` with inputs `[ws (batch, num_ws, w_dim),
        noise_0 (batch, h_0, h_0, 1), ...]` (one noise image per
        convolution) and output images `(batch, H, H, C)`.

    Example:
        >>> net = build_synthesis_network((14, 14, 1), 8, filters=8)
        >>> net.inputs[0].shape, len(net.inputs), net.output_shape
        ((None, 4, 8), 4, (None, 14, 14, 1))

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", CVPR 2020 (figure 7, the skip generator).
    """
    resolutions = stylegan_resolutions(image_shape)
    w_dim = validate_positive_int(w_dim, "w_dim")
    filters = validate_positive_int(filters, "filters")
    channels = image_shape[-1]
    num_ws = 2 * len(resolutions)
    ws = keras.Input((num_ws, w_dim), name="ws")
    noise_inputs, index = [], 0

    def style_conv(x, size, label):
        nonlocal index
        noise = keras.Input((size, size, 1), name=f"noise_{len(noise_inputs)}")
        noise_inputs.append(noise)
        x = ModulatedConv2D(filters, 3, style_index=index, name=f"{label}_conv")([x, ws])
        x = NoiseInjection(name=f"{label}_noise")([x, noise])
        index += 1
        return BiasActivation(name=f"{label}_bias")(x)

    def to_rgb(x, label):
        rgb = ModulatedConv2D(channels, 1, demodulate=False, style_index=index, name=f"{label}_to_rgb")(
            [x, ws]
        )
        return BiasActivation("linear", name=f"{label}_rgb_bias")(rgb)

    x = ConstantInput(resolutions[0], filters, name="constant")(ws)
    x = style_conv(x, resolutions[0], f"block_{resolutions[0]}")
    image = to_rgb(x, f"block_{resolutions[0]}")
    for size in resolutions[1:]:
        label = f"block_{size}"
        x = keras.layers.UpSampling2D(2, interpolation="bilinear", name=f"{label}_up")(x)
        x = style_conv(x, size, f"{label}_0")
        x = style_conv(x, size, f"{label}_1")
        image = keras.layers.UpSampling2D(2, interpolation="bilinear", name=f"{label}_rgb_up")(image)
        image = keras.layers.Add(name=f"{label}_skip")([image, to_rgb(x, label)])
    images = keras.layers.Activation("tanh", dtype="float32", name="images")(image)
    return keras.Model([ws, *noise_inputs], images, name=name)


@keras.saving.register_keras_serializable(package="kerasgan")
class StyleGANGenerator(keras.Model):
    """StyleGAN2's generator: mapping, synthesis, the running mean of `w`, and constant noise.

    Called on latents `(batch, latent_dim)` it maps each `z` to `w`, uses it
    for every layer and the saved constant noise: this is what
    `serving_default` exports. Called on a dict it also takes:

    - `"mixing_latents"` `(batch, latent_dim)` and `"crossover"` int
      `(batch,)`: layers `i < crossover` use the styles of `"latents"`, the
      others those of `"mixing_latents"` (style mixing);
    - `"truncation"` (scalar `psi`): `w = w_avg + psi * (w - w_avg)`
      (`psi = 1` changes nothing, bit for bit; `psi = 0` gives every sample
      the mean style);
    - `"noise"`: a list of noise images, one per synthesis input after `ws`,
      instead of the constant noise (training draws fresh noise).

    With `training=True` the call moves `w_avg` (a saved, non-trainable
    weight) towards the batch's mean `w`: `w_avg <- mean(w) + decay * (w_avg
    - mean(w))`. The constant noise is drawn once, from fixed seeds, and
    saved.

    Args:
        mapping: a model `(batch, latent_dim)` -> `(batch, w_dim)`, from
            `build_mapping_network`.
        synthesis: a model from `build_synthesis_network`.
        w_avg_decay: decay of the running mean of `w`, in `[0, 1)`.
            Defaults to 0.995 (the paper's).
        **kwargs: passed to `keras.Model` (e.g. `name`).

    Example:
        >>> generator = build_stylegan_generator((14, 14, 1), latent_dim=8, w_dim=8, filters=8)
        >>> tuple(generator(ops.zeros((2, 8))).shape)
        (2, 14, 14, 1)

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", CVPR 2020.
    """

    def __init__(self, mapping, synthesis, w_avg_decay=0.995, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= w_avg_decay < 1.0:
            raise ValueError(f"w_avg_decay must be in [0, 1); received {w_avg_decay!r}.")
        self.mapping = mapping
        self.synthesis = synthesis
        self.w_avg_decay = float(w_avg_decay)
        self.latent_dim = int(mapping.inputs[0].shape[-1])
        self.num_ws, self.w_dim = (int(size) for size in synthesis.inputs[0].shape[1:])
        if int(mapping.output_shape[-1]) != self.w_dim:
            raise ValueError(
                f"The mapping network makes w of size {mapping.output_shape[-1]}, but the synthesis "
                f"network reads w of size {self.w_dim}; build both with the same w_dim."
            )
        self.noise_shapes = [tuple(int(s) for s in noise.shape[1:]) for noise in synthesis.inputs[1:]]
        self.w_avg = self.add_weight(
            shape=(self.w_dim,),
            initializer="zeros",
            trainable=False,
            autocast=False,
            # Under a tf.distribute strategy each replica's update is averaged
            # (equal shares of the batch: the mean of the whole batch's w).
            aggregation="mean",
            name="w_avg",
        )
        self.constant_noise = [
            self.add_weight(
                shape=shape,
                initializer=keras.initializers.RandomNormal(seed=index),
                trainable=False,
                autocast=False,
                name=f"constant_noise_{index}",
            )
            for index, shape in enumerate(self.noise_shapes)
        ]
        self.built = True

    def styles(self, inputs, training=False):
        """The per-layer styles `ws` `(batch, num_ws, w_dim)` of latents or of a dict of inputs.

        Mixing and truncation are applied as in `call`; with `training=True`
        `w_avg` moves towards the batch's `w`.
        """
        options = dict(inputs) if isinstance(inputs, dict) else {"latents": inputs}
        w = self.mapping(options["latents"], training=training)
        if training:
            mean = ops.mean(ops.cast(w, "float32"), axis=0)
            self.w_avg.assign(mean + self.w_avg_decay * (self.w_avg - mean))
        ws = ops.repeat(w[:, None, :], self.num_ws, axis=1)
        if options.get("mixing_latents") is not None:
            mixed = self.mapping(options["mixing_latents"], training=training)
            layers = ops.arange(self.num_ws, dtype="int32")[None, :]
            first = layers < ops.cast(ops.reshape(options["crossover"], (-1, 1)), "int32")
            ws = ops.where(first[:, :, None], ws, mixed[:, None, :])
        psi = options.get("truncation")
        if psi is not None:
            psi = ops.cast(psi, ws.dtype)
            average = ops.cast(self.w_avg, ws.dtype)
            ws = ops.where(psi == 1.0, ws, average + psi * (ws - average))
        return ws

    def render(self, ws, noise=None, training=False):
        """Images from styles `ws` and a list of noise images (None: the constant noise)."""
        if noise is None:
            zeros = ops.zeros_like(ws[:, :1, :1])[:, :, :, None]  # (batch, 1, 1, 1)
            noise = [zeros + ops.cast(constant, ws.dtype)[None] for constant in self.constant_noise]
        return self.synthesis([ws, *noise], training=training)

    def call(self, inputs, training=False):
        noise = inputs.get("noise") if isinstance(inputs, dict) else None
        return self.render(self.styles(inputs, training=training), noise, training=training)

    def compute_output_shape(self, input_shape):
        return self.synthesis.output_shape

    def get_config(self):
        return {
            "name": self.name,
            "mapping": keras.saving.serialize_keras_object(self.mapping),
            "synthesis": keras.saving.serialize_keras_object(self.synthesis),
            "w_avg_decay": self.w_avg_decay,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("mapping", "synthesis"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)


def build_stylegan_generator(
    image_shape, latent_dim=128, w_dim=128, mapping_layers=2, filters=32, w_avg_decay=0.995, name="generator"
):
    """Builds StyleGAN2's generator (mapping + synthesis) for `image_shape`.

    Args:
        image_shape: `(H, H, C)`, see `stylegan_resolutions`.
        latent_dim: size of `z`. Defaults to 128.
        w_dim: size of `w`. Defaults to 128.
        mapping_layers: layers of the mapping network. Defaults to 2.
        filters: channels of every synthesis block. Defaults to 32.
        w_avg_decay: decay of the running mean of `w`. Defaults to 0.995.
        name: model name.

    Returns:
        A `StyleGANGenerator`.

    Example:
        >>> generator = build_stylegan_generator((28, 28, 1), latent_dim=8, w_dim=8, filters=8)
        >>> generator.num_ws, generator.noise_shapes[0]
        (6, (7, 7, 1))

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", CVPR 2020.
    """
    mapping = build_mapping_network(latent_dim, w_dim, mapping_layers)
    synthesis = build_synthesis_network(image_shape, w_dim, filters)
    return StyleGANGenerator(mapping, synthesis, w_avg_decay=w_avg_decay, name=name)


def build_stylegan_discriminator(image_shape, filters=32, mbstd_group_size=4, name="discriminator"):
    """StyleGAN2's residual discriminator with a minibatch standard-deviation layer.

    fromRGB (1x1), then one residual block per halving down to the base
    resolution (two 3x3 convolutions and an average pool, plus a 1x1
    shortcut of the pooled input, summed and scaled by `1 / sqrt(2)`), then
    the minibatch standard deviation, a 3x3 convolution and two dense
    layers to one logit. Equalized learning rate throughout; no
    normalisation (R1 is per example).

    Args:
        image_shape: `(H, H, C)`, see `stylegan_resolutions`.
        filters: channels of every block, positive. Defaults to 32.
        mbstd_group_size: group size of the minibatch standard deviation
            (batches must be a multiple of it). Defaults to 4.
        name: model name.

    Returns:
        A functional `keras.Model`: images `(batch, H, H, C)` -> logits `(batch, 1)`.

    Example:
        >>> build_stylegan_discriminator((14, 14, 1), filters=8).output_shape
        (None, 1)

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", CVPR 2020 (figure 7, the residual discriminator).
    """
    resolutions = stylegan_resolutions(image_shape)
    filters = validate_positive_int(filters, "filters")
    images = keras.Input(tuple(image_shape), name="images")
    x = EqualizedConv2D(filters, 1, name="from_rgb")(images)
    for size in reversed(resolutions[1:]):
        label = f"block_{size}"
        y = EqualizedConv2D(filters, 3, name=f"{label}_conv_0")(x)
        y = EqualizedConv2D(filters, 3, name=f"{label}_conv_1")(y)
        y = keras.layers.AveragePooling2D(2, name=f"{label}_down")(y)
        skip = keras.layers.AveragePooling2D(2, name=f"{label}_skip_down")(x)
        skip = EqualizedConv2D(filters, 1, use_bias=False, activation="linear", name=f"{label}_skip")(skip)
        x = keras.layers.Add(name=f"{label}_sum")([y, skip]) * (1.0 / math.sqrt(2.0))
    x = MinibatchStandardDeviation(group_size=mbstd_group_size, name="minibatch_stddev")(x)
    x = EqualizedConv2D(filters, 3, name="epilogue_conv")(x)
    x = EqualizedDense(filters, activation="leaky_relu", name="epilogue_dense")(keras.layers.Flatten()(x))
    logits = EqualizedDense(1, name="logits")(x)
    logits = keras.layers.Activation("linear", dtype="float32", name="logits_float32")(logits)
    return keras.Model(images, logits, name=name)
