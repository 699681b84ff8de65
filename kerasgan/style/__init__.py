"""Neural style transfer (Gatys et al.): a photograph repainted in another image's textures.

`transfer(content, style, ...)` optimises the pixels of an image so that a
frozen network's feature maps match the content image's at some layers
and their Gram matrices match the style image's at others, with a total
variation term for smoothness; it returns the image and the loss history.
`save_style_panel` draws content, style and result side by side as a PNG
with kerasgan's synthetic-image metadata.

The feature network is pluggable: `"vgg19"` (Keras's ImageNet VGG19, as in
the paper; its weights are downloaded once), `"fashion_mnist"` (offline:
the convolutions of the Fashion-MNIST classifier kerasgan ships, reading
each colour channel as a grayscale image, so its "style" is fine texture
and contrast, not painterly strokes) or any functional `keras.Model`.

Example:
    >>> import numpy as np
    >>> from kerasgan import style
    >>> content = np.zeros((32, 32, 3), dtype="float32")
    >>> texture = np.random.default_rng(0).uniform(-1, 1, (24, 24, 3)).astype("float32")
    >>> image, history = style.transfer(content, texture, steps=3, feature_extractor="fashion_mnist")
    >>> image.shape, sorted(history)
    ((32, 32, 3), ['content', 'style', 'total', 'tv'])

Reference:
    Gatys, Ecker, Bethge, "Image Style Transfer Using Convolutional Neural
    Networks", CVPR 2016.
"""

from kerasgan.style.features import (
    NAMED_FEATURE_NETWORKS,
    CaffePreprocessing,
    ChannelsToBatch,
    build_fashion_mnist_features,
    build_vgg19_features,
    feature_taps,
    get_feature_network,
    layer_names,
)
from kerasgan.style.losses import content_loss, gram_matrix, style_loss, total_variation_loss
from kerasgan.style.panel import save_style_panel
from kerasgan.style.stylize import HISTORY_KEYS, StyleTransferResult, transfer

__all__ = [
    "HISTORY_KEYS",
    "NAMED_FEATURE_NETWORKS",
    "CaffePreprocessing",
    "ChannelsToBatch",
    "StyleTransferResult",
    "build_fashion_mnist_features",
    "build_vgg19_features",
    "content_loss",
    "feature_taps",
    "get_feature_network",
    "gram_matrix",
    "layer_names",
    "save_style_panel",
    "style_loss",
    "total_variation_loss",
    "transfer",
]
