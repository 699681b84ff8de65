"""Spectral-normalised layers: dense, 2-D convolution and embedding with kernel W / sigma(W).

Why not `keras.layers.SpectralNormalization`: that wrapper writes `W / sigma`
into the wrapped layer's trainable kernel on every `training=True` call. In
a GAN the generator's phase calls the discriminator with `training=True`,
so the generator's update would change the discriminator's weights, and the
gradient would not flow through `sigma`. These layers keep the kernel `W` as
the trained variable and divide it by its estimated largest singular value
each time they are called; the power-iteration vector `u` is a
non-trainable weight that moves only when `training=True`, so the core
restores it after a phase that does not train the layer's network, like a
batch-norm statistic.
"""

import math

import keras
from keras import ops

from kerasgan.utils.validation import validate_positive_int


def _unit(vector):
    return vector / (ops.sqrt(ops.sum(ops.square(vector))) + 1e-12)


class SpectralNormalized(keras.layers.Layer):
    """Base of the spectral-normalised layers: owns `kernel`, `bias` and the vector `u`.

    A subclass calls `add_spectral_weights(kernel_shape)` in `build` and
    uses `normalized_kernel(training)` in `call`. The kernel is viewed as a
    matrix `(prod(kernel_shape[:-1]), kernel_shape[-1])` (for a convolution,
    the same spectral norm as Miyato et al.'s `(out, in * kh * kw)` view); each
    call runs `power_iterations` steps of the power method from `u`, takes
    `sigma = v W u^T` (with `u`, `v` held constant for the gradient, so the
    gradient flows through `sigma` as in the paper) and returns `W / sigma`.
    Computed in float32 whatever the dtype policy; the result is cast to the
    layer's compute dtype.

    Args:
        power_iterations: power-method steps per call, positive. Defaults to
            1 (the paper's: `u` persists, so the estimate sharpens as
            training goes on).
        use_bias: whether to add a bias. Defaults to True.
        kernel_initializer: initializer of `W`. Defaults to `"glorot_uniform"`.
        bias_initializer: initializer of the bias. Defaults to `"zeros"`.
        activation: activation applied to the output, or None.
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`, `dtype`).

    Reference:
        Miyato et al., "Spectral Normalization for Generative Adversarial
        Networks", ICLR 2018.
    """

    def __init__(
        self,
        power_iterations=1,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        activation=None,
        **kwargs,
    ):
        kwargs.setdefault("autocast", False)  # the power method runs in float32
        super().__init__(**kwargs)
        self.power_iterations = validate_positive_int(
            power_iterations, f"{type(self).__name__} power_iterations"
        )
        self.use_bias = bool(use_bias)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.activation = keras.activations.get(activation)

    def add_spectral_weights(self, kernel_shape):
        """Creates `kernel` (shape `kernel_shape`), `u` `(1, kernel_shape[-1])` and, if used, `bias`."""
        kernel_shape = tuple(int(d) for d in kernel_shape)
        self.kernel = self.add_weight(
            name="kernel", shape=kernel_shape, initializer=self.kernel_initializer, dtype="float32"
        )
        self.u = self.add_weight(
            name="u",
            shape=(1, kernel_shape[-1]),
            initializer=keras.initializers.RandomNormal(stddev=1.0),
            trainable=False,
            dtype="float32",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(kernel_shape[-1],), initializer=self.bias_initializer, dtype="float32"
            )

    def spectral_norm(self):
        """The power method's estimate of the largest singular value of `W`, and its new `u`.

        Returns:
            `(sigma, u)`: a float32 scalar and a `(1, out)` unit vector.
        """
        kernel = ops.convert_to_tensor(self.kernel)
        matrix = ops.reshape(kernel, (-1, kernel.shape[-1]))
        u = ops.convert_to_tensor(self.u)
        v = None
        for _ in range(self.power_iterations):
            v = _unit(ops.matmul(u, ops.transpose(matrix)))
            u = _unit(ops.matmul(v, matrix))
        u, v = ops.stop_gradient(u), ops.stop_gradient(v)
        sigma = ops.sum(ops.matmul(v, matrix) * u)
        return ops.maximum(sigma, 1e-12), u

    def normalized_kernel(self, training=False):
        """`W / sigma(W)` in the compute dtype; when `training`, also moves `u` to its new estimate.

        Args:
            training: whether to store the power method's new `u`.

        Returns:
            Tensor of the kernel's shape.
        """
        sigma, u = self.spectral_norm()
        if training:
            self.u.assign(u)
        return ops.cast(ops.convert_to_tensor(self.kernel) / sigma, self.compute_dtype)

    def finish(self, outputs):
        """Adds the bias (in the compute dtype) and applies the activation."""
        if self.bias is not None:
            outputs = outputs + ops.cast(self.bias, self.compute_dtype)
        return outputs if self.activation is None else self.activation(outputs)

    def get_config(self):
        return {
            **super().get_config(),
            "power_iterations": self.power_iterations,
            "use_bias": self.use_bias,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
            "activation": keras.activations.serialize(self.activation) if self.activation else None,
        }


@keras.saving.register_keras_serializable(package="kerasgan")
class SpectralDense(SpectralNormalized):
    """A dense layer whose kernel is divided by its largest singular value.

    `outputs = activation(inputs @ (W / sigma(W)) + bias)`; see
    `SpectralNormalized` for how `sigma` is estimated and when `u` moves.

    Args:
        units: output features, positive.
        **kwargs: see `SpectralNormalized` (`power_iterations`, `use_bias`,
            initializers, `activation`, `name`).

    Input shape: `(..., features)`. Output shape: `(..., units)`.

    Example:
        >>> import numpy as np
        >>> layer = SpectralDense(4, power_iterations=30)
        >>> outputs = layer(np.ones((2, 3), "float32"))
        >>> kernel = keras.ops.convert_to_numpy(layer.normalized_kernel())
        >>> tuple(outputs.shape), round(float(np.linalg.svd(kernel, compute_uv=False)[0]), 3)
        ((2, 4), 1.0)

    Reference:
        Miyato et al., "Spectral Normalization for Generative Adversarial
        Networks", ICLR 2018.
    """

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = validate_positive_int(units, "SpectralDense units")

    def build(self, input_shape):
        self.add_spectral_weights((input_shape[-1], self.units))

    def call(self, inputs, training=False):
        inputs = ops.cast(inputs, self.compute_dtype)
        return self.finish(ops.matmul(inputs, self.normalized_kernel(training)))

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def _conv_side(size, kernel, stride, padding):
    if size is None:
        return None
    return math.ceil(size / stride) if padding == "same" else (size - kernel) // stride + 1


@keras.saving.register_keras_serializable(package="kerasgan")
class SpectralConv2D(SpectralNormalized):
    """A 2-D convolution (channels last) whose kernel is divided by its largest singular value.

    The kernel `(kh, kw, in, out)` is normalised as the matrix
    `(kh * kw * in, out)`; see `SpectralNormalized`.

    Args:
        filters: output channels, positive.
        kernel_size: int or `(kh, kw)`, positive.
        strides: int or `(sh, sw)`, positive. Defaults to 1.
        padding: `"same"` or `"valid"`. Defaults to `"same"`.
        **kwargs: see `SpectralNormalized`.

    Input shape: `(batch, H, W, C)`. Output shape: `(batch, H', W', filters)`.

    Example:
        >>> import numpy as np
        >>> layer = SpectralConv2D(8, 3, strides=2)
        >>> tuple(layer(np.ones((2, 14, 14, 1), "float32")).shape)
        (2, 7, 7, 8)

    Reference:
        Miyato et al., "Spectral Normalization for Generative Adversarial
        Networks", ICLR 2018.
    """

    def __init__(self, filters, kernel_size, strides=1, padding="same", **kwargs):
        super().__init__(**kwargs)
        self.filters = validate_positive_int(filters, "SpectralConv2D filters")
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.strides = _pair(strides, "strides")
        if padding not in ("same", "valid"):
            raise ValueError(f'SpectralConv2D padding must be "same" or "valid"; received {padding!r}.')
        self.padding = padding

    def build(self, input_shape):
        if len(input_shape) != 4 or input_shape[-1] is None:
            raise ValueError(
                f"SpectralConv2D expects images (batch, H, W, C) with known C; received {tuple(input_shape)}."
            )
        self.add_spectral_weights((*self.kernel_size, input_shape[-1], self.filters))

    def call(self, inputs, training=False):
        inputs = ops.cast(inputs, self.compute_dtype)
        kernel = self.normalized_kernel(training)
        return self.finish(ops.conv(inputs, kernel, strides=self.strides, padding=self.padding))

    def compute_output_shape(self, input_shape):
        sides = [
            _conv_side(size, k, s, self.padding)
            for size, k, s in zip(input_shape[1:3], self.kernel_size, self.strides)
        ]
        return (input_shape[0], *sides, self.filters)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
        }


@keras.saving.register_keras_serializable(package="kerasgan")
class SpectralEmbedding(SpectralNormalized):
    """An embedding whose table `(input_dim, output_dim)` is divided by its largest singular value.

    The class embedding of a projection discriminator (Miyato & Koyama).
    Takes integer ids in `[0, input_dim)`; see `SpectralNormalized` (no
    bias by default).

    Args:
        input_dim: number of ids, positive.
        output_dim: embedding size, positive.
        **kwargs: see `SpectralNormalized`; `use_bias` defaults to False.

    Input shape: integer `(...)`. Output shape: `(..., output_dim)`.

    Example:
        >>> import numpy as np
        >>> layer = SpectralEmbedding(10, 4)
        >>> tuple(layer(np.array([0, 3, 9])).shape)
        (3, 4)

    Reference:
        Miyato & Koyama, "cGANs with Projection Discriminator", ICLR 2018.
    """

    def __init__(self, input_dim, output_dim, **kwargs):
        kwargs.setdefault("use_bias", False)
        kwargs.setdefault("kernel_initializer", "glorot_uniform")
        super().__init__(**kwargs)
        self.input_dim = validate_positive_int(input_dim, "SpectralEmbedding input_dim")
        self.output_dim = validate_positive_int(output_dim, "SpectralEmbedding output_dim")

    def build(self, input_shape):
        self.add_spectral_weights((self.input_dim, self.output_dim))

    def call(self, inputs, training=False):
        table = self.normalized_kernel(training)
        return self.finish(ops.take(table, ops.cast(inputs, "int32"), axis=0))

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def get_config(self):
        return {**super().get_config(), "input_dim": self.input_dim, "output_dim": self.output_dim}


def _pair(value, name):
    values = (value, value) if isinstance(value, int) else tuple(value)
    if len(values) != 2:
        raise ValueError(f"SpectralConv2D {name} must be an int or a pair; received {value!r}.")
    return tuple(validate_positive_int(v, f"SpectralConv2D {name}") for v in values)
