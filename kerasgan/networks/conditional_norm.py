"""Class-conditional batch normalization: one scale and offset per class."""

import keras
from keras import ops

from kerasgan.utils.validation import validate_num_classes


@keras.saving.register_keras_serializable(package="kerasgan")
class ConditionalBatchNormalization(keras.layers.Layer):
    """Batch normalization whose scale and offset are chosen by each example's class.

    The features are normalized by a `keras.layers.BatchNormalization`
    without its own scale and offset (`center=False, scale=False`): while
    training by the batch's statistics, which also update its moving mean
    and variance; in inference by those moving statistics, which it then
    leaves as they are. Each example is then scaled by `gamma[label]` and
    offset by `beta[label]`, rows of two `(num_classes, channels)` tables
    (learned embeddings) initialised to ones and zeros, so at initialisation
    the layer computes exactly what a plain batch norm does. The class is
    the only way labels reach a generator built on it.

    Args:
        num_classes: number of classes, at least 2.
        momentum: momentum of the moving statistics. Defaults to 0.99 (as
            `keras.layers.BatchNormalization`).
        epsilon: added to the variance. Defaults to 1e-3.
        synchronized: whether the batch statistics are taken over the
            global batch of all replicas training in sync (TensorFlow only,
            as for `keras.layers.BatchNormalization`). Defaults to False.
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Input: `[features, labels]`: features `(batch, ..., channels)` (e.g.
    feature maps `(batch, H, W, C)` or vectors `(batch, C)`), int labels
    `(batch,)` in `[0, num_classes)`. Output: the features' shape and dtype.

    Example:
        >>> layer = ConditionalBatchNormalization(num_classes=3)
        >>> features = keras.random.normal((4, 2, 2, 8), seed=0)
        >>> outputs = layer([features, ops.array([0, 1, 2, 0])], training=True)
        >>> tuple(outputs.shape), tuple(layer.gamma.shape)
        ((4, 2, 2, 8), (3, 8))

    Reference:
        de Vries et al., "Modulating early visual processing by language",
        NeurIPS 2017; Dumoulin et al., "A Learned Representation for Artistic
        Style", ICLR 2017; Miyato & Koyama, "cGANs with Projection
        Discriminator", ICLR 2018 (its use in a class-conditional generator).
    """

    def __init__(self, num_classes, momentum=0.99, epsilon=1e-3, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = validate_num_classes(num_classes)
        if not 0.0 <= float(momentum) < 1.0:
            raise ValueError(
                f"ConditionalBatchNormalization momentum must be in [0, 1); received {momentum!r}."
            )
        if not float(epsilon) > 0.0:
            raise ValueError(f"ConditionalBatchNormalization epsilon must be positive; received {epsilon!r}.")
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.synchronized = bool(synchronized)
        self.normalization = keras.layers.BatchNormalization(
            momentum=self.momentum,
            epsilon=self.epsilon,
            center=False,
            scale=False,
            synchronized=self.synchronized,
            dtype=self.dtype_policy,
            name="normalization",
        )

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2:
            raise ValueError(
                "ConditionalBatchNormalization takes [features, labels]; received input shape "
                f"{input_shape!r}. Call it as layer([features, labels])."
            )
        features_shape, labels_shape = input_shape
        if len(features_shape) < 2 or features_shape[-1] is None:
            raise ValueError(
                "ConditionalBatchNormalization needs features (batch, ..., channels) with a known "
                f"channel count; received shape {tuple(features_shape)}."
            )
        if len(labels_shape) != 1:
            raise ValueError(
                "ConditionalBatchNormalization needs int labels of shape (batch,); received shape "
                f"{tuple(labels_shape)}. Convert one-hot labels with argmax(axis=-1)."
            )
        channels = features_shape[-1]
        self.normalization.build(features_shape)
        self.gamma = self.add_weight(
            shape=(self.num_classes, channels), initializer="ones", trainable=True, name="gamma"
        )
        self.beta = self.add_weight(
            shape=(self.num_classes, channels), initializer="zeros", trainable=True, name="beta"
        )
        self.built = True

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0])

    def call(self, inputs, training=None):
        features, labels = inputs
        normalized = self.normalization(features, training=training)
        labels = ops.cast(labels, "int32")
        # (batch, channels) -> (batch, 1, ..., 1, channels): one row per example.
        row_shape = (-1,) + (1,) * (len(features.shape) - 2) + (features.shape[-1],)
        gamma = ops.reshape(ops.take(self.gamma, labels, axis=0), row_shape)
        beta = ops.reshape(ops.take(self.beta, labels, axis=0), row_shape)
        return normalized * ops.cast(gamma, normalized.dtype) + ops.cast(beta, normalized.dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "synchronized": self.synchronized,
        }
