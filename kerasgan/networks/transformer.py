"""Transformer generator and discriminator over patch tokens (TransGAN / ViTGAN style).

The generator maps the latent vector to a small grid of tokens, runs
Transformer blocks at each stage and doubles the grid between stages by
pixel shuffle (each token's width splits into a 2x2 block of tokens a
quarter as wide, as TransGAN does); a linear head turns every token of the
last grid into a patch of pixels. The discriminator is a Vision Transformer
with spectrally normalised layers (ViTGAN).
"""

import keras

from kerasgan.networks.conditioning import discriminator_inputs, generator_inputs
from kerasgan.networks.layers import LayerNormalization
from kerasgan.networks.srgan import PixelShuffle
from kerasgan.networks.transformer_layers import (
    ClassToken,
    PatchTokens,
    PositionEmbedding,
    TransformerBlock,
    check_heads,
    dense_layer,
)
from kerasgan.utils.validation import (
    validate_image_shape,
    validate_num_classes,
    validate_positive_int,
)


def transformer_generator_layout(image_shape, patch_size, num_stages):
    """Returns the token grid side of each stage of the generator.

    The last stage's grid is `side // patch_size`; each earlier one is half
    the next. Images must be square, `patch_size` must divide the side, and
    the last grid must halve `num_stages - 1` times.

    Args:
        image_shape: `(H, W, C)`.
        patch_size: side of the pixel patch each last-stage token becomes.
        num_stages: number of stages (one more than the upsamplings).

    Returns:
        List of grid sides, e.g. `[7, 14]` for 28x28 with patch 2 and two
        stages.

    Example:
        >>> transformer_generator_layout((28, 28, 1), patch_size=2, num_stages=2)
        [7, 14]
    """
    height, width, _ = validate_image_shape(image_shape)
    patch_size = validate_positive_int(patch_size, "patch_size")
    num_stages = validate_positive_int(num_stages, "the number of stages (len(depths))")
    if height != width:
        raise ValueError(
            f"The Transformer generator makes square images; received image_shape {tuple(image_shape)}."
        )
    if height % patch_size:
        raise ValueError(
            f"The image side {height} is not divisible by patch_size={patch_size}; pass a patch_size "
            f"that divides it (for 28x28: 1, 2, 4, 7, 14)."
        )
    last = height // patch_size
    if last % 2 ** (num_stages - 1):
        raise ValueError(
            f"{num_stages} stages double the token grid {num_stages - 1} times, so the last grid "
            f"({height} // patch_size={patch_size} = {last}) must be divisible by {2 ** (num_stages - 1)}; "
            "use fewer stages (depths) or another patch_size."
        )
    return [last // 2 ** (num_stages - 1 - stage) for stage in range(num_stages)]


def _check_depths(depths):
    if isinstance(depths, int) or not depths:
        raise ValueError(
            f"depths must be a non-empty list of blocks per stage, e.g. (2, 2); received {depths!r}."
        )
    return tuple(validate_positive_int(depth, "each entry of depths") for depth in depths)


def build_transformer_generator(
    image_shape,
    latent_dim,
    width=128,
    depths=(2, 2),
    num_heads=4,
    patch_size=2,
    mlp_ratio=4,
    num_classes=None,
    name="generator",
):
    """Builds a Transformer generator: latents → token grid → blocks and upsamplings → patches.

    A Dense layer maps the latents (with a label embedding for conditional
    models) to `g x g` tokens of `width`, the first stage's grid; each stage
    adds its own learned `PositionEmbedding` and runs its `TransformerBlock`s
    (`keras.layers.MultiHeadAttention`, pre-norm); between stages a pixel
    shuffle (`ops.depth_to_space`) doubles the grid's side and divides the
    width by 4. After a final LayerNorm, a Dense head maps each last-stage
    token to a `patch_size x patch_size x C` patch (pixel output when
    `patch_size` is 1), with tanh. At 28x28 with the defaults: 7x7 tokens
    of 128 → 14x14 tokens of 32 → 2x2 patches.

    Args:
        image_shape: `(H, W, C)`, square; see `transformer_generator_layout`.
        latent_dim: size of the latent vector.
        width: token width of the first stage, positive; divided by 4 at
            each upsampling, so a multiple of `4**(len(depths) - 1)`.
            Defaults to 128.
        depths: Transformer blocks per stage, e.g. `(2, 2)` (default).
        num_heads: attention heads of every block; must divide every
            stage's width. Defaults to 4.
        patch_size: side of the pixel patch each last-stage token becomes.
            Defaults to 2.
        mlp_ratio: MLP hidden units per unit of width. Defaults to 4.
        num_classes: None, or the number of classes (adds a `labels` input).
        name: model name. Defaults to `"generator"`.

    Returns:
        A functional `keras.Model`: latents `(batch, latent_dim)` (and labels
        `(batch,)`) → float32 images `(batch, H, W, C)` in `[-1, 1]`.

    Example:
        >>> generator = build_transformer_generator((28, 28, 1), latent_dim=16, width=32)
        >>> generator.output_shape
        (None, 28, 28, 1)

    Reference:
        Jiang et al., "TransGAN: Two Pure Transformers Can Make One Strong
        GAN, and That Can Scale Up", NeurIPS 2021; Lee et al., "ViTGAN:
        Training GANs with Vision Transformers", ICLR 2022 (patch output).
    """
    depths = _check_depths(depths)
    grids = transformer_generator_layout(image_shape, patch_size, len(depths))
    validate_positive_int(latent_dim, "latent_dim")
    validate_num_classes(num_classes)
    width = validate_positive_int(width, "width")
    num_heads = validate_positive_int(num_heads, "num_heads")
    mlp_ratio = validate_positive_int(mlp_ratio, "mlp_ratio")
    if width % 4 ** (len(depths) - 1):
        raise ValueError(
            f"width={width} is divided by 4 at each of the {len(depths) - 1} upsamplings, so it must be a "
            f"multiple of {4 ** (len(depths) - 1)}; received {width}."
        )
    for stage in range(len(depths)):
        check_heads(width // 4**stage, num_heads, f"The generator's stage {stage}")
    inputs, x = generator_inputs(latent_dim, num_classes)
    x = keras.layers.Dense(grids[0] ** 2 * width, name="project")(x)
    x = keras.layers.Reshape((grids[0] ** 2, width))(x)
    for stage, (grid, depth) in enumerate(zip(grids, depths)):
        stage_width = width // 4**stage
        if stage:
            x = keras.layers.Reshape((grids[stage - 1], grids[stage - 1], 4 * stage_width))(x)
            x = PixelShuffle(2, name=f"upsample{stage}")(x)
            x = keras.layers.Reshape((grid * grid, stage_width))(x)
        x = PositionEmbedding(name=f"position{stage}")(x)
        for block in range(depth):
            x = TransformerBlock(num_heads, mlp_ratio, name=f"stage{stage}_block{block}")(x)
    x = LayerNormalization(epsilon=1e-5, name="final_norm")(x)
    channels = image_shape[-1]
    x = keras.layers.Dense(patch_size * patch_size * channels, name="to_patches")(x)
    x = keras.layers.Reshape((grids[-1], grids[-1], patch_size * patch_size * channels))(x)
    if patch_size > 1:
        x = PixelShuffle(patch_size, name="to_image")(x)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)
    return keras.Model(inputs, outputs, name=name)


def build_transformer_discriminator(
    image_shape,
    width=64,
    depth=2,
    num_heads=4,
    patch_size=4,
    mlp_ratio=4,
    num_classes=None,
    spectral=True,
    name="discriminator",
):
    """Builds a Vision Transformer discriminator, spectrally normalised as in ViTGAN.

    The images (with a learned label plane for conditional models) are cut
    into `patch_size x patch_size` patches (`PatchTokens`), each projected
    to `width`; a learned `ClassToken` goes first and a learned
    `PositionEmbedding` is added; `depth` pre-norm `TransformerBlock`s
    follow, then a LayerNorm and a Dense logit read from the class token.
    With `spectral` (default) every Dense layer, the attention's included,
    is a `kerasgan.networks.SpectralDense` and the attention scores are L2
    distances (`SpectralSelfAttention`), ViTGAN's Lipschitz discriminator.

    Args:
        image_shape: `(H, W, C)`; `patch_size` must divide H and W.
        width: token width, positive. Defaults to 64.
        depth: number of Transformer blocks, positive. Defaults to 2.
        num_heads: attention heads; must divide `width`. Defaults to 4.
        patch_size: side of a patch. Defaults to 4 (49 tokens at 28x28).
        mlp_ratio: MLP hidden units per unit of width. Defaults to 4.
        num_classes: None, or the number of classes (adds a `labels` input).
        spectral: whether to normalise the layers spectrally. Defaults to True.
        name: model name. Defaults to `"discriminator"`.

    Returns:
        A functional `keras.Model`: images `(batch, H, W, C)` (and labels) →
        float32 logits `(batch, 1)`.

    Example:
        >>> critic = build_transformer_discriminator((28, 28, 1), width=32, depth=1)
        >>> critic.output_shape
        (None, 1)

    Reference:
        Lee et al., "ViTGAN: Training GANs with Vision Transformers", ICLR
        2022; Dosovitskiy et al., "An Image is Worth 16x16 Words:
        Transformers for Image Recognition at Scale", ICLR 2021.
    """
    height, image_width, _ = validate_image_shape(image_shape)
    patch_size = validate_positive_int(patch_size, "patch_size")
    if height % patch_size or image_width % patch_size:
        raise ValueError(
            f"The image sides ({height}, {image_width}) are not divisible by patch_size={patch_size}; "
            "pass a patch_size that divides both (for 28x28: 1, 2, 4, 7, 14)."
        )
    validate_num_classes(num_classes)
    width = validate_positive_int(width, "width")
    depth = validate_positive_int(depth, "depth")
    num_heads = validate_positive_int(num_heads, "num_heads")
    mlp_ratio = validate_positive_int(mlp_ratio, "mlp_ratio")
    check_heads(width, num_heads, "The discriminator")
    inputs, x = discriminator_inputs(image_shape, num_classes)
    x = PatchTokens(patch_size, name="patches")(x)
    x = dense_layer(width, spectral, name="embed")(x)
    x = ClassToken(name="class_token")(x)
    x = PositionEmbedding(name="position")(x)
    for block in range(depth):
        x = TransformerBlock(num_heads, mlp_ratio, spectral=spectral, name=f"block{block}")(x)
    x = LayerNormalization(epsilon=1e-5, name="final_norm")(x)
    num_patches = (height // patch_size) * (image_width // patch_size)
    x = keras.layers.Cropping1D((0, num_patches), name="class_token_only")(x)
    x = keras.layers.Flatten(name="read_class_token")(x)
    outputs = dense_layer(1, spectral, dtype="float32", name="logits")(x)
    return keras.Model(inputs, outputs, name=name)
