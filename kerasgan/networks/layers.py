"""Layers the network builders share: minibatch standard deviation, and a layer normalization
that is exact to the second derivative on every backend."""

import keras
from keras import ops

from kerasgan.utils.validation import validate_positive_int


@keras.saving.register_keras_serializable(package="kerasgan")
class MinibatchStandardDeviation(keras.layers.Layer):
    """Appends the minibatch standard deviation to each example's feature maps.

    The batch of `N` is split into groups of `G = min(group_size, N)`
    examples, and the channels into `num_features` slices. For each group
    and slice, the standard deviation of every feature (pixel and channel)
    over the group's examples is taken (`sqrt(variance + 1e-8)`, the
    variance over the group, divided by `G`), averaged over the slice's
    pixels and channels, and appended as a constant feature map to every
    example of the group: the output has `C + num_features` channels. A
    discriminator that sees it can tell a batch of near-identical images
    (mode collapse) from a varied one. Groups are strided as in StyleGAN2:
    example `n` belongs to group `n % (N // G)`. `N` must be a multiple of
    `G`: a batch that is not (known when the layer is called, e.g. 6 with
    `group_size=4`) raises a ValueError; batch with `drop_remainder=True`,
    or choose a `group_size` that divides the batch. The statistics are
    computed in float32 and returned in the input's dtype.

    Args:
        group_size: examples per group, positive. Defaults to 4 (StyleGAN2).
        num_features: number of appended feature maps, positive; the
            channels must be a multiple of it. Defaults to 1.
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Input shape: `(batch, H, W, C)`. Output shape: `(batch, H, W, C + num_features)`.

    Example:
        >>> layer = MinibatchStandardDeviation(group_size=2)
        >>> images = ops.concatenate([ops.zeros((1, 4, 4, 3)), ops.ones((1, 4, 4, 3))])
        >>> outputs = layer(images)  # one group of two: the std of each pixel is 0.5
        >>> tuple(outputs.shape), round(float(outputs[0, 0, 0, 3]), 4)
        ((2, 4, 4, 4), 0.5)

    Reference:
        Karras et al., "Progressive Growing of GANs for Improved Quality,
        Stability, and Variation", ICLR 2018; Karras et al., "Analyzing and
        Improving the Image Quality of StyleGAN", CVPR 2020 (groups and
        `num_features`).
    """

    def __init__(self, group_size=4, num_features=1, **kwargs):
        super().__init__(**kwargs)
        self.group_size = validate_positive_int(group_size, "MinibatchStandardDeviation group_size")
        self.num_features = validate_positive_int(num_features, "MinibatchStandardDeviation num_features")

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(
                f"MinibatchStandardDeviation expects feature maps (batch, H, W, C); received shape "
                f"{tuple(input_shape)}."
            )
        if input_shape[-1] % self.num_features:
            raise ValueError(
                f"MinibatchStandardDeviation with num_features={self.num_features} needs channels "
                f"divisible by it; received {input_shape[-1]} channels. Pass a num_features that "
                "divides them."
            )
        self.built = True

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] + self.num_features)

    def call(self, inputs):
        batch = inputs.shape[0]
        if batch is not None:
            group = min(self.group_size, batch)
            if batch % group:
                raise ValueError(
                    f"MinibatchStandardDeviation splits the batch into groups of {group} "
                    f"(min(group_size={self.group_size}, batch)); received a batch of {batch}, not a "
                    "multiple of it. Batch the data with drop_remainder=True, or pass a group_size "
                    "that divides the batch size."
                )
        else:
            batch = ops.shape(inputs)[0]
            group = ops.minimum(self.group_size, batch)
        height, width, channels = inputs.shape[1], inputs.shape[2], inputs.shape[3]
        features = self.num_features
        x = ops.cast(inputs, "float32")
        # (G, M, H, W, F, C/F): example n = g * M + m is member g of group m.
        x = ops.reshape(x, (group, -1, height, width, features, channels // features))
        x = x - ops.mean(x, axis=0, keepdims=True)
        std = ops.sqrt(ops.mean(ops.square(x), axis=0) + 1e-8)
        std = ops.mean(std, axis=(1, 2, 4))  # (M, F)
        std = ops.tile(std, (group, 1))  # (N, F), example n gets group n % M
        maps = ops.broadcast_to(std[:, None, None, :], (batch, height, width, features))
        return ops.concatenate([inputs, ops.cast(maps, inputs.dtype)], axis=-1)

    def get_config(self):
        return {**super().get_config(), "group_size": self.group_size, "num_features": self.num_features}


@keras.saving.register_keras_serializable(package="kerasgan")
class LayerNormalization(keras.layers.LayerNormalization):
    """`keras.layers.LayerNormalization` whose gradient is exact to the second derivative.

    The arguments, weights (`gamma`, `beta`) and outputs are Keras's. The
    difference is how the statistics are computed: the mean, then the
    mean squared deviation from it, both with `keras.ops`, so every
    derivative flows through the mean. Keras's TensorFlow backend computes
    the variance with the gradient through the mean stopped, which is exact
    for a first gradient but not for the gradient of a gradient: a gradient
    penalty (WGAN-GP) or R1 through a Keras layer norm on TensorFlow got a
    weight gradient 2.5-3% off on a small critic's convolution biases
    (against finite differences in float64), and TensorFlow and JAX
    disagreed. kerasgan's critics and Transformer blocks use this layer.
    Statistics are computed in at least float32, and the output has the
    layer's compute dtype, as in Keras.

    Args:
        axis, epsilon, center, scale, ...: as for
            `keras.layers.LayerNormalization` (`rms_scaling`, deprecated
            there, is not accepted).

    Example:
        >>> layer = LayerNormalization(axis=(-3, -2, -1))
        >>> x = keras.random.normal((2, 4, 4, 3), seed=0)
        >>> reference = keras.layers.LayerNormalization(axis=(-3, -2, -1))
        >>> bool(ops.max(ops.abs(layer(x) - reference(x))) < 1e-5)
        True
    """

    def __init__(self, axis=-1, epsilon=1e-3, **kwargs):
        if kwargs.pop("rms_scaling", False):
            raise ValueError(
                "kerasgan.networks.LayerNormalization does not take rms_scaling=True (deprecated in Keras); "
                "use keras.layers.RMSNormalization."
            )
        super().__init__(axis=axis, epsilon=epsilon, **kwargs)

    def call(self, inputs):
        x = ops.convert_to_tensor(inputs)
        if keras.backend.standardize_dtype(x.dtype) in ("float16", "bfloat16"):
            x = ops.cast(x, "float32")
        rank = len(x.shape)
        axes = sorted(a % rank for a in (self.axis if isinstance(self.axis, list) else [self.axis]))
        mean = ops.mean(x, axis=axes, keepdims=True)
        centred = x - mean
        variance = ops.mean(ops.square(centred), axis=axes, keepdims=True)
        outputs = centred * ops.rsqrt(variance + self.epsilon)
        shape = [x.shape[d] if d in axes else 1 for d in range(rank)]
        if self.scale:
            outputs = outputs * ops.reshape(ops.cast(self.gamma, outputs.dtype), shape)
        if self.center:
            outputs = outputs + ops.reshape(ops.cast(self.beta, outputs.dtype), shape)
        return ops.cast(outputs, self.compute_dtype)
