"""StyleGAN2's layers: equalized learning rate, modulated convolution, noise, constant input.

Weights are stored as standard-normal draws and scaled by `1 / sqrt(fan_in)`
at call time (the equalized learning rate of Karras et al. 2018), so that
Adam moves every layer at the same relative speed.
"""

import math

import keras
from keras import ops

from kerasgan.utils.validation import validate_positive_int

_ACTIVATIONS = ("leaky_relu", "linear")


def _standard_normal():
    """A new N(0, 1) initializer for each weight: one shared instance would give every weight of
    the same shape the same values, drawn from a seed fixed at import (before any
    `keras.utils.set_random_seed`), so runs would differ from process to process."""
    return keras.initializers.RandomNormal(stddev=1.0)


def _activate(x, activation):
    """`leaky_relu(x, 0.2) * sqrt(2)` (StyleGAN2's gain keeps the variance), or `x`."""
    if activation == "leaky_relu":
        return ops.leaky_relu(x, negative_slope=0.2) * math.sqrt(2.0)
    return x


def _check_activation(activation, layer):
    if activation not in _ACTIVATIONS:
        raise ValueError(f"{layer} activation must be one of {list(_ACTIVATIONS)}; received {activation!r}.")
    return activation


@keras.saving.register_keras_serializable(package="kerasgan")
class EqualizedDense(keras.layers.Layer):
    """A dense layer with an equalized learning rate.

    `y = act(x @ (W * lr_multiplier / sqrt(fan_in)) + b * lr_multiplier)` with
    `W ~ N(0, 1 / lr_multiplier^2)`: the mapping network's layers use
    `lr_multiplier=0.01`, so they learn 100 times slower than the rest.

    Args:
        units: output size, positive.
        lr_multiplier: learning-rate multiplier, positive. Defaults to 1.
        bias_initializer_value: the bias's initial (effective) value.
            Defaults to 0 (a style affine uses 1).
        activation: `"linear"` (default) or `"leaky_relu"` (slope 0.2,
            gain `sqrt(2)`).
        **kwargs: passed to `keras.layers.Layer`.

    Example:
        >>> layer = EqualizedDense(4, activation="leaky_relu")
        >>> tuple(layer(ops.ones((2, 3))).shape)
        (2, 4)

    Reference:
        Karras et al., "Progressive Growing of GANs", ICLR 2018 (equalized
        learning rate); Karras et al., "A Style-Based Generator
        Architecture", CVPR 2019 (the mapping network's multiplier).
    """

    def __init__(self, units, lr_multiplier=1.0, bias_initializer_value=0.0, activation="linear", **kwargs):
        super().__init__(**kwargs)
        self.units = validate_positive_int(units, "EqualizedDense units")
        if not lr_multiplier > 0:
            raise ValueError(f"EqualizedDense lr_multiplier must be positive; received {lr_multiplier!r}.")
        self.lr_multiplier = float(lr_multiplier)
        self.bias_initializer_value = float(bias_initializer_value)
        self.activation = _check_activation(activation, "EqualizedDense")

    def build(self, input_shape):
        fan_in = int(input_shape[-1])
        self.scale = self.lr_multiplier / math.sqrt(fan_in)
        self.kernel = self.add_weight(
            shape=(fan_in, self.units),
            initializer=keras.initializers.RandomNormal(stddev=1.0 / self.lr_multiplier),
            name="kernel",
        )
        self.bias = self.add_weight(
            shape=(self.units,),
            initializer=keras.initializers.Constant(self.bias_initializer_value / self.lr_multiplier),
            name="bias",
        )

    def call(self, inputs):
        outputs = ops.matmul(inputs, self.kernel * self.scale) + self.bias * self.lr_multiplier
        return _activate(outputs, self.activation)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "lr_multiplier": self.lr_multiplier,
            "bias_initializer_value": self.bias_initializer_value,
            "activation": self.activation,
        }


@keras.saving.register_keras_serializable(package="kerasgan")
class EqualizedConv2D(keras.layers.Layer):
    """A stride-1 "same" convolution with an equalized learning rate.

    `y = act(conv(x, W / sqrt(k * k * C_in)) + b)` with `W ~ N(0, 1)`.

    Args:
        filters: output channels, positive.
        kernel_size: odd positive int (1 or 3).
        use_bias: add a bias. Defaults to True.
        activation: `"leaky_relu"` (default) or `"linear"`.
        **kwargs: passed to `keras.layers.Layer`.

    Example:
        >>> tuple(EqualizedConv2D(4, 3)(ops.ones((2, 7, 7, 3))).shape)
        (2, 7, 7, 4)

    Reference:
        Karras et al., "Progressive Growing of GANs", ICLR 2018.
    """

    def __init__(self, filters, kernel_size, use_bias=True, activation="leaky_relu", **kwargs):
        super().__init__(**kwargs)
        self.filters = validate_positive_int(filters, "EqualizedConv2D filters")
        self.kernel_size = validate_positive_int(kernel_size, "EqualizedConv2D kernel_size")
        self.use_bias = bool(use_bias)
        self.activation = _check_activation(activation, "EqualizedConv2D")

    def build(self, input_shape):
        channels = int(input_shape[-1])
        self.scale = 1.0 / math.sqrt(channels * self.kernel_size**2)
        shape = (self.kernel_size, self.kernel_size, channels, self.filters)
        self.kernel = self.add_weight(shape=shape, initializer=_standard_normal(), name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.filters,), initializer="zeros", name="bias")

    def call(self, inputs):
        outputs = ops.conv(inputs, self.kernel * self.scale, padding="same")
        if self.bias is not None:
            outputs = outputs + self.bias
        return _activate(outputs, self.activation)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.filters)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "use_bias": self.use_bias,
            "activation": self.activation,
        }


@keras.saving.register_keras_serializable(package="kerasgan")
class ModulatedConv2D(keras.layers.Layer):
    """StyleGAN2's modulated convolution, with demodulation.

    Takes `[x, w]`: feature maps `(batch, H, W, C_in)` and one style vector
    `(batch, w_dim)` per example, or, with `style_index`, the styles of all
    layers `(batch, num_ws, w_dim)`, of which it reads row `style_index`.
    An affine layer (`EqualizedDense`, bias
    initialised to 1) turns `w` into per-channel scales `s`; the kernel
    `W / sqrt(k * k * C_in)` is scaled by `s` along its input channels and,
    with `demodulate=True`, each output channel is divided by
    `sqrt(sum over (k, k, C_in) of (s * W)^2 + 1e-8)`, so its output has unit
    variance for unit-variance inputs, which replaces AdaIN's instance
    normalisation and removes its droplet artifacts. Computed as
    `conv(x * s, W) * d` (one kernel for the batch, mathematically the
    per-example kernel of the paper). No bias: `NoiseInjection` and
    `BiasActivation` follow it.

    Args:
        filters: output channels, positive.
        kernel_size: odd positive int (3, or 1 for toRGB).
        demodulate: divide by the per-example output norm. Defaults to True
            (toRGB layers use False).
        style_index: None (default) for styles `(batch, w_dim)`, or the row
            of `(batch, num_ws, w_dim)` styles this layer reads.
        **kwargs: passed to `keras.layers.Layer`.

    Example:
        >>> layer = ModulatedConv2D(4, 3)
        >>> tuple(layer([ops.ones((2, 7, 7, 3)), ops.ones((2, 5))]).shape)
        (2, 7, 7, 4)

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", CVPR 2020 (section 2.2, weight demodulation).
    """

    def __init__(self, filters, kernel_size, demodulate=True, style_index=None, **kwargs):
        super().__init__(**kwargs)
        self.filters = validate_positive_int(filters, "ModulatedConv2D filters")
        self.kernel_size = validate_positive_int(kernel_size, "ModulatedConv2D kernel_size")
        self.demodulate = bool(demodulate)
        self.style_index = validate_positive_int(
            style_index, "ModulatedConv2D style_index", minimum=0, allow_none=True
        )

    def build(self, input_shape):
        feature_shape, style_shape = input_shape
        channels = int(feature_shape[-1])
        self.affine = EqualizedDense(channels, bias_initializer_value=1.0, name="affine")
        self.affine.build((style_shape[0], style_shape[-1]))
        self.scale = 1.0 / math.sqrt(channels * self.kernel_size**2)
        shape = (self.kernel_size, self.kernel_size, channels, self.filters)
        self.kernel = self.add_weight(shape=shape, initializer=_standard_normal(), name="kernel")

    def call(self, inputs):
        features, w = inputs
        styles = self.affine(w if self.style_index is None else w[:, self.style_index])  # (batch, C_in)
        kernel = self.kernel * self.scale
        outputs = ops.conv(features * styles[:, None, None, :], kernel, padding="same")
        if self.demodulate:
            # sum_{k,k,i} (s_i W_kkio)^2 = sum_i s_i^2 (sum_kk W_kkio^2)
            energy = ops.matmul(ops.square(styles), ops.sum(ops.square(kernel), axis=(0, 1)))
            outputs = outputs * ops.rsqrt(energy + 1e-8)[:, None, None, :]
        return outputs

    def compute_output_shape(self, input_shape):
        return (*input_shape[0][:-1], self.filters)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "demodulate": self.demodulate,
            "style_index": self.style_index,
        }


@keras.saving.register_keras_serializable(package="kerasgan")
class NoiseInjection(keras.layers.Layer):
    """Adds per-pixel noise with a learned per-channel strength.

    Takes `[x, noise]`: feature maps `(batch, H, W, C)` and one noise image
    `(batch, H, W, 1)`, and returns `x + strength * noise` with `strength`
    `(C,)`, initialised to 0. The generator draws the noise (training) or
    uses its saved constant noise (sampling).

    Args:
        **kwargs: passed to `keras.layers.Layer`.

    Example:
        >>> tuple(NoiseInjection()([ops.ones((2, 7, 7, 3)), ops.ones((2, 7, 7, 1))]).shape)
        (2, 7, 7, 3)

    Reference:
        Karras et al., "A Style-Based Generator Architecture for Generative
        Adversarial Networks", CVPR 2019 (stochastic variation).
    """

    def build(self, input_shape):
        self.strength = self.add_weight(
            shape=(int(input_shape[0][-1]),), initializer="zeros", name="strength"
        )

    def call(self, inputs):
        features, noise = inputs
        return features + ops.cast(noise, features.dtype) * self.strength

    def compute_output_shape(self, input_shape):
        return input_shape[0]


@keras.saving.register_keras_serializable(package="kerasgan")
class BiasActivation(keras.layers.Layer):
    """Adds a per-channel bias, then the activation (`"leaky_relu"` with gain `sqrt(2)`, or `"linear"`).

    Args:
        activation: `"leaky_relu"` (default) or `"linear"`.
        **kwargs: passed to `keras.layers.Layer`.

    Example:
        >>> tuple(BiasActivation()(ops.ones((2, 7, 7, 3))).shape)
        (2, 7, 7, 3)

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", CVPR 2020 (bias and noise outside the style block).
    """

    def __init__(self, activation="leaky_relu", **kwargs):
        super().__init__(**kwargs)
        self.activation = _check_activation(activation, "BiasActivation")

    def build(self, input_shape):
        self.bias = self.add_weight(shape=(int(input_shape[-1]),), initializer="zeros", name="bias")

    def call(self, inputs):
        return _activate(inputs + self.bias, self.activation)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "activation": self.activation}


@keras.saving.register_keras_serializable(package="kerasgan")
class ConstantInput(keras.layers.Layer):
    """The synthesis network's learned constant: `(H, W, C)` repeated for each example of its input.

    Its input (the styles, of any shape) only gives the batch size.

    Args:
        size: `H = W` of the constant, positive.
        channels: `C`, positive.
        **kwargs: passed to `keras.layers.Layer`.

    Example:
        >>> tuple(ConstantInput(4, 8)(ops.ones((3, 16))).shape)
        (3, 4, 4, 8)

    Reference:
        Karras et al., "A Style-Based Generator Architecture for Generative
        Adversarial Networks", CVPR 2019.
    """

    def __init__(self, size, channels, **kwargs):
        super().__init__(**kwargs)
        self.size = validate_positive_int(size, "ConstantInput size")
        self.channels = validate_positive_int(channels, "ConstantInput channels")

    def build(self, input_shape):
        shape = (self.size, self.size, self.channels)
        self.constant = self.add_weight(shape=shape, initializer=_standard_normal(), name="constant")

    def call(self, styles):
        constant = ops.cast(self.constant, self.compute_dtype)
        zeros = ops.zeros_like(ops.reshape(styles, (ops.shape(styles)[0], -1))[:, :1])
        return zeros[:, None, None, :] + constant[None]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.size, self.size, self.channels)

    def get_config(self):
        return {**super().get_config(), "size": self.size, "channels": self.channels}
