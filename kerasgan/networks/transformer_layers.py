"""Layers of the Transformer networks: position embeddings, patches, class token, blocks.

The generator's blocks use `keras.layers.MultiHeadAttention`; the
discriminator's spectrally normalised blocks use `SpectralSelfAttention`,
whose projections are `kerasgan.networks.SpectralDense` layers and whose
scores are negative squared distances (ViTGAN), as a dot product of
normalised projections is not Lipschitz.
"""

import keras
from keras import ops

from kerasgan.networks.layers import LayerNormalization
from kerasgan.networks.spectral import SpectralDense
from kerasgan.utils.validation import validate_positive_int


def dense_layer(units, spectral=False, **kwargs):
    """A `keras.layers.Dense`, or a `kerasgan.networks.SpectralDense` when `spectral`.

    Args:
        units: output size.
        spectral: whether to normalise the kernel by its spectral norm.
        **kwargs: passed to the layer (`name`, `use_bias`, `activation`).

    Returns:
        The layer.

    Example:
        >>> dense_layer(8, spectral=True, name="logits").units
        8
    """
    return (SpectralDense if spectral else keras.layers.Dense)(units, **kwargs)


@keras.saving.register_keras_serializable(package="kerasgan")
class PositionEmbedding(keras.layers.Layer):
    """Adds a learned embedding to each position of a sequence of tokens.

    The layer holds one trainable vector per position, `(num_tokens,
    width)`, initialised from a truncated normal of standard deviation
    0.02 (as ViT), and adds it to every example: tokens that would be
    interchangeable under attention (which is blind to order) learn where
    they are in the image.

    Args:
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Input shape: `(batch, num_tokens, width)`, both known when built.
    Output shape: the same.

    Example:
        >>> layer = PositionEmbedding()
        >>> tuple(layer(ops.zeros((2, 5, 8))).shape), tuple(layer.embeddings.shape)
        ((2, 5, 8), (5, 8))

    Reference:
        Dosovitskiy et al., "An Image is Worth 16x16 Words: Transformers for
        Image Recognition at Scale", ICLR 2021.
    """

    def build(self, input_shape):
        if len(input_shape) != 3 or input_shape[1] is None or input_shape[2] is None:
            raise ValueError(
                "PositionEmbedding expects tokens (batch, num_tokens, width) with both sizes known; "
                f"received shape {tuple(input_shape)}."
            )
        self.embeddings = self.add_weight(
            shape=(input_shape[1], input_shape[2]),
            initializer=keras.initializers.TruncatedNormal(stddev=0.02),
            name="embeddings",
        )

    def call(self, inputs):
        return inputs + ops.cast(self.embeddings, inputs.dtype)[None]

    def compute_output_shape(self, input_shape):
        return input_shape


@keras.saving.register_keras_serializable(package="kerasgan")
class ClassToken(keras.layers.Layer):
    """Prepends one learned token to every sequence, read out by the head (ViT's `[class]`).

    Args:
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Input shape: `(batch, num_tokens, width)`. Output shape:
    `(batch, num_tokens + 1, width)`, the learned token first.

    Example:
        >>> tuple(ClassToken()(ops.ones((2, 4, 8))).shape)
        (2, 5, 8)

    Reference:
        Dosovitskiy et al., "An Image is Worth 16x16 Words: Transformers for
        Image Recognition at Scale", ICLR 2021.
    """

    def build(self, input_shape):
        self.token = self.add_weight(
            shape=(1, 1, input_shape[-1]),
            initializer=keras.initializers.TruncatedNormal(stddev=0.02),
            name="token",
        )

    def call(self, inputs):
        token = ops.cast(self.token, inputs.dtype)
        return ops.concatenate([ops.tile(token, (ops.shape(inputs)[0], 1, 1)), inputs], axis=1)

    def compute_output_shape(self, input_shape):
        tokens = None if input_shape[1] is None else input_shape[1] + 1
        return (input_shape[0], tokens, input_shape[2])


@keras.saving.register_keras_serializable(package="kerasgan")
class PatchTokens(keras.layers.Layer):
    """Cuts images into non-overlapping square patches, one flat token per patch.

    Patches are read row by row; each token holds its patch's pixels, row
    by row, channels last: `patch_size**2 * C` values.

    Args:
        patch_size: side of a patch, positive; it must divide the image's
            height and width.
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Input shape: `(batch, H, W, C)`. Output shape:
    `(batch, (H // p) * (W // p), p * p * C)`.

    Example:
        >>> tuple(PatchTokens(4)(ops.zeros((2, 28, 28, 1))).shape)
        (2, 49, 16)
    """

    def __init__(self, patch_size, **kwargs):
        super().__init__(**kwargs)
        self.patch_size = validate_positive_int(patch_size, "PatchTokens patch_size")

    def build(self, input_shape):
        _, height, width, _ = input_shape
        if height % self.patch_size or width % self.patch_size:
            raise ValueError(
                f"PatchTokens with patch_size={self.patch_size} needs images whose sides it divides; "
                f"received shape {tuple(input_shape)}. Pass a patch_size that divides {height} and {width}."
            )

    def call(self, inputs):
        _, height, width, channels = inputs.shape
        size = self.patch_size
        x = ops.reshape(inputs, (-1, height // size, size, width // size, size, channels))
        x = ops.transpose(x, (0, 1, 3, 2, 4, 5))
        return ops.reshape(x, (-1, (height // size) * (width // size), size * size * channels))

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        size = self.patch_size
        return (batch, (height // size) * (width // size), size * size * channels)

    def get_config(self):
        return {**super().get_config(), "patch_size": self.patch_size}


@keras.saving.register_keras_serializable(package="kerasgan")
class SpectralSelfAttention(keras.layers.Layer):
    """Multi-head self-attention with L2-distance scores and spectral-normalised projections.

    ViTGAN's discriminator attention: the query and key projections are one
    tied matrix `W` (`W_q = W_k`), and the score of token `i` for token `j`
    in a head is `-||x_i W - x_j W||^2 / sqrt(head_width)` instead of a dot
    product, which makes attention Lipschitz (Kim et al. 2021). The
    projections (tied query/key, value, output) are
    `kerasgan.networks.SpectralDense` layers, so their power-iteration
    vectors move only while training. Every token attends to every token.

    Args:
        num_heads: number of heads, positive; it must divide the width.
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Input shape: `(batch, num_tokens, width)`. Output shape: the same.

    Example:
        >>> attention = SpectralSelfAttention(num_heads=2)
        >>> tuple(attention(ops.ones((2, 5, 8))).shape)
        (2, 5, 8)

    Reference:
        Lee et al., "ViTGAN: Training GANs with Vision Transformers", ICLR
        2022; Kim et al., "The Lipschitz Constant of Self-Attention", ICML 2021.
    """

    def __init__(self, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.num_heads = validate_positive_int(num_heads, "SpectralSelfAttention num_heads")

    def build(self, input_shape):
        width = input_shape[-1]
        check_heads(width, self.num_heads, "SpectralSelfAttention")
        self.query_key = SpectralDense(width, use_bias=False, name="query_key")
        self.value = SpectralDense(width, use_bias=False, name="value")
        self.projection = SpectralDense(width, name="projection")
        for layer in (self.query_key, self.value):
            layer.build(input_shape)
        self.projection.build(input_shape)

    def _heads(self, x):
        # (batch, tokens, width) -> (batch, heads, tokens, head_width)
        width = x.shape[-1]
        x = ops.reshape(x, (ops.shape(x)[0], -1, self.num_heads, width // self.num_heads))
        return ops.transpose(x, (0, 2, 1, 3))

    def call(self, inputs, training=False):
        width = inputs.shape[-1]
        queries = self._heads(self.query_key(inputs, training=training))
        values = self._heads(self.value(inputs, training=training))
        squares = ops.sum(ops.square(queries), axis=-1)
        # ||q_i - q_j||^2 = |q_i|^2 + |q_j|^2 - 2 q_i . q_j
        products = ops.matmul(queries, ops.swapaxes(queries, -1, -2))
        distances = squares[..., :, None] + squares[..., None, :] - 2.0 * products
        scale = (width // self.num_heads) ** -0.5
        weights = ops.softmax(ops.cast(-distances * scale, "float32"), axis=-1)
        x = ops.matmul(ops.cast(weights, values.dtype), values)
        x = ops.reshape(ops.transpose(x, (0, 2, 1, 3)), (ops.shape(inputs)[0], -1, width))
        return self.projection(x, training=training)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "num_heads": self.num_heads}


def check_heads(width, num_heads, what):
    """Raises a clear ValueError unless `num_heads` divides `width`.

    Args:
        width: the token width.
        num_heads: the number of attention heads.
        what: what is checked, for the message (`"the generator's stage 1"`).

    Example:
        >>> check_heads(64, 4, "a block")
    """
    if width % num_heads:
        raise ValueError(
            f"{what} has tokens of width {width}, which {num_heads} attention heads do not divide; "
            "pass a num_heads that divides the width, or a width that is a multiple of num_heads."
        )


@keras.saving.register_keras_serializable(package="kerasgan")
class TransformerBlock(keras.layers.Layer):
    """A pre-norm Transformer encoder block: attention, then an MLP, each residual.

    `x + attention(LayerNorm(x))`, then `x + MLP(LayerNorm(x))` with an MLP
    of `mlp_ratio * width` GELU units. Without `spectral` the attention is
    `keras.layers.MultiHeadAttention` (scaled dot product, `width //
    num_heads` per head) and the MLP plain `Dense` layers (TransGAN's and
    ViTGAN's generators); with `spectral` it is `SpectralSelfAttention` and
    the MLP `SpectralDense` layers (ViTGAN's discriminator). No mask:
    every token attends to every token.

    Args:
        num_heads: attention heads, positive; they must divide the width.
        mlp_ratio: hidden units of the MLP per unit of width, positive.
            Defaults to 4.
        spectral: whether to use the spectrally normalised layers. Defaults
            to False.
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Input shape: `(batch, num_tokens, width)`. Output shape: the same.

    Example:
        >>> block = TransformerBlock(num_heads=2, mlp_ratio=2)
        >>> tuple(block(ops.ones((2, 5, 8))).shape)
        (2, 5, 8)

    Reference:
        Vaswani et al., "Attention Is All You Need", NeurIPS 2017; Xiong et
        al., "On Layer Normalization in the Transformer Architecture", ICML
        2020 (pre-norm); Jiang et al., "TransGAN: Two Pure Transformers Can
        Make One Strong GAN, and That Can Scale Up", NeurIPS 2021.
    """

    def __init__(self, num_heads, mlp_ratio=4, spectral=False, **kwargs):
        super().__init__(**kwargs)
        self.num_heads = validate_positive_int(num_heads, "TransformerBlock num_heads")
        self.mlp_ratio = validate_positive_int(mlp_ratio, "TransformerBlock mlp_ratio")
        self.spectral = bool(spectral)

    def build(self, input_shape):
        width = input_shape[-1]
        check_heads(width, self.num_heads, "TransformerBlock")
        self.attention_norm = LayerNormalization(epsilon=1e-5, name="attention_norm")
        self.mlp_norm = LayerNormalization(epsilon=1e-5, name="mlp_norm")
        if self.spectral:
            self.attention = SpectralSelfAttention(self.num_heads, name="attention")
        else:
            self.attention = keras.layers.MultiHeadAttention(
                self.num_heads, width // self.num_heads, name="attention"
            )
        self.hidden = dense_layer(self.mlp_ratio * width, self.spectral, activation="gelu", name="hidden")
        self.output_dense = dense_layer(width, self.spectral, name="output_dense")
        self.attention_norm.build(input_shape)
        self.mlp_norm.build(input_shape)
        if self.spectral:
            self.attention.build(input_shape)
        else:
            self.attention.build(input_shape, input_shape)
        self.hidden.build(input_shape)
        self.output_dense.build((*input_shape[:-1], self.mlp_ratio * width))

    def call(self, inputs, training=False):
        x = self.attention_norm(inputs)
        if self.spectral:
            x = self.attention(x, training=training)
        else:
            x = self.attention(x, x, training=training)
        x = inputs + x
        y = self.hidden(self.mlp_norm(x), training=training)
        return x + self.output_dense(y, training=training)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "num_heads": self.num_heads,
            "mlp_ratio": self.mlp_ratio,
            "spectral": self.spectral,
        }
