"""Neural style transfer: optimising an image's pixels against a frozen network's features."""

import numbers
from typing import NamedTuple

import keras
import numpy as np
from keras import ops

from kerasgan.backend.input_descent import compiled_input_step
from kerasgan.style.features import NAMED_FEATURE_NETWORKS, feature_taps, get_feature_network
from kerasgan.style.losses import content_loss, gram_matrix, style_loss, total_variation_loss
from kerasgan.utils.validation import (
    validate_image_batch,
    validate_non_negative,
    validate_positive_int,
    validate_positive_number,
    validate_seed,
)

HISTORY_KEYS = ("total", "content", "style", "tv")
INITS = ("content", "noise")
BACKENDS = ("tensorflow", "jax")


class StyleTransferResult(NamedTuple):
    """What `transfer` returns: the stylised image and its loss history.

    Unpacks as a pair: `image, history = transfer(...)`.

    Attributes:
        image: float32 NumPy array in `[-1, 1]`, the shape of the content
            image.
        history: dict with the keys `HISTORY_KEYS` (`"total"`, `"content"`,
            `"style"`, `"tv"`), each a list of `steps` floats: the loss of the
            image each step's gradient was taken at (so entry 0 is the loss of
            the starting image). Each term is weighted as it enters the total,
            and `total = content + style + tv`.
    """

    image: np.ndarray
    history: dict


def transfer(
    content,
    style,
    *,
    steps=200,
    feature_extractor="vgg19",
    content_layers=None,
    style_layers=None,
    content_weight=1.0,
    style_weight=10.0,
    tv_weight=0.1,
    learning_rate=0.02,
    normalize=True,
    seed=None,
    init="content",
):
    """Paints `content` in the textures of `style` by optimising the image's pixels.

    The method of Gatys et al.: a frozen network reads the image; the loss
    is `content_weight * content + style_weight * style + tv_weight * tv`,
    where `content` is the mean squared difference between the image's and
    the content image's feature maps at `content_layers`, `style` the mean
    squared difference between the Gram matrices (`gram_matrix`, normalised
    by the positions) of the image's and the style image's feature maps at
    `style_layers`, and `tv` the total variation of the image
    (`total_variation_loss`). The pixels, a `keras.Variable`, take `steps`
    Adam steps (a Keras optimizer; the paper used L-BFGS) and are clipped
    to `[-1, 1]` after each.

    With `normalize=True` (default; not in the paper) each layer's term is
    divided by the mean square of its target (the content features, or the
    style image's Gram matrix), so each is a relative error: feature
    magnitudes differ by orders of magnitude between networks and layers
    (Keras's VGG19 is not the paper's rescaled one), and relative errors let
    the same weights serve every network. `normalize=False` gives the plain
    terms above, as `kerasgan.style.losses` computes them. The default
    weights were chosen on the `"fashion_mnist"` network (docs/style_transfer.md
    shows two panels); they are untried on VGG19, whose weights the build
    machines cannot download: tune `style_weight` there.

    Gradients are taken with respect to the image only, in one compiled step
    per iteration (`kerasgan.backend.input_descent`, on TensorFlow and JAX);
    the network's weights never change. Other backends get a `ValueError`.

    Args:
        content: the content image, float array `(H, W, C)` or `(1, H, W, C)`
            in `[-1, 1]`, `C` 1 or 3; `H, W` large enough for the network
            (at least 16 for VGG19's `block5_conv1`).
        style: the style image, float array `(h, w, C)` or `(1, h, w, C)` in
            `[-1, 1]` with the content's channels and any size.
        steps: Adam steps, a positive int. Defaults to 200.
        feature_extractor: `"vgg19"` (default; Keras's ImageNet VGG19, whose
            weights Keras downloads on first use), `"fashion_mnist"` (the
            offline network kerasgan ships, see
            `kerasgan.style.build_fashion_mnist_features`), or a functional
            or `Sequential` `keras.Model` that takes images in `[-1, 1]`
            (put any preprocessing inside it).
        content_layers: layer names, or a dict `{name: weight}` with
            non-negative weights; names get equal weights summing to 1.
            Defaults to the paper's `("block4_conv2",)` for VGG19 and
            `("conv2",)` for `"fashion_mnist"`; required for other models.
        style_layers: as `content_layers`. Defaults to `block1_conv1` ...
            `block5_conv1` for VGG19 and `("conv1", "conv2")` for
            `"fashion_mnist"`; required for other models.
        content_weight: weight of the content term, `>= 0`. Defaults to 1.
        style_weight: weight of the style term, `>= 0`. Defaults to 10.
        tv_weight: weight of the total variation term, `>= 0`. Defaults to 0.1.
        learning_rate: Adam's step size in `[-1, 1]` pixel units, `> 0`.
            Defaults to 0.02 (about 2.5 grey levels of 255).
        normalize: whether each layer's term is divided by its target's mean
            square (see above). Defaults to True.
        seed: None or an int, for `init="noise"`. Defaults to None.
        init: where the pixels start: `"content"` (default), `"noise"`
            (uniform in `[-1, 1]`, the paper's white noise), or a float array
            of the content's shape in `[-1, 1]`.

    Returns:
        A `StyleTransferResult` `(image, history)`: the image, float32 in
        `[-1, 1]` and the shape of `content`, and the loss history, a dict
        of `steps` floats per term (see `StyleTransferResult`).

    Raises:
        ValueError: for images of the wrong shape, dtype or range, or too
            small for a layer; a non-positive `steps` or `learning_rate`;
            negative weights; unknown layer names (the error lists the known
            ones); an unknown `init` or `feature_extractor`; another backend.
        RuntimeError: if VGG19's ImageNet weights cannot be downloaded.

    Example:
        >>> import numpy as np
        >>> y, x = np.mgrid[0:32, 0:32] / 31.0
        >>> content = np.stack([x, y, 1 - x], axis=-1).astype("float32") * 2 - 1
        >>> style = np.where((np.arange(32) // 4) % 2 == 0, 0.8, -0.8)[None, :, None]
        >>> style = np.broadcast_to(style, (32, 32, 3)).astype("float32")
        >>> image, history = transfer(content, style, steps=5, feature_extractor="fashion_mnist")
        >>> image.shape, bool(history["total"][-1] < history["total"][0])
        ((32, 32, 3), True)

    Reference:
        Gatys, Ecker, Bethge, "Image Style Transfer Using Convolutional
        Neural Networks", CVPR 2016.
    """
    backend = keras.backend.backend()
    if backend not in BACKENDS:
        raise ValueError(
            f"kerasgan.style.transfer runs on the {' and '.join(BACKENDS)} backends; this process uses "
            f"{backend!r}. Set KERAS_BACKEND=tensorflow (or jax) before Keras is imported."
        )
    content_image, batched = _validate_image(content, "content")
    style_image, _ = _validate_image(style, "style")
    if style_image.shape[-1] != content_image.shape[-1]:
        raise ValueError(
            f"style must have the content's {content_image.shape[-1]} channels; received shape "
            f"{style_image.shape} for a content of shape {content_image.shape}. Convert one of them, "
            "e.g. np.repeat(gray, 3, axis=-1)."
        )
    steps = validate_positive_int(steps, "steps")
    weights = {
        "content": validate_non_negative(content_weight, "content_weight"),
        "style": validate_non_negative(style_weight, "style_weight"),
        "tv": validate_non_negative(tv_weight, "tv_weight"),
    }
    learning_rate = validate_positive_number(learning_rate, "learning_rate")
    seed = validate_seed(seed)
    start = _initial_image(init, content_image, seed)

    network = get_feature_network(feature_extractor)
    defaults = NAMED_FEATURE_NETWORKS.get(feature_extractor) if isinstance(feature_extractor, str) else None
    content_layers = _layer_weights(content_layers, defaults and defaults[0], "content_layers", network)
    style_layers = _layer_weights(style_layers, defaults and defaults[1], "style_layers", network)
    names = list(dict.fromkeys([*content_layers, *style_layers]))
    taps = feature_taps(network, names)
    content_features = _features_at(taps, content_image, names, "content")
    style_features = _features_at(taps, style_image, names, "style")
    targets = (
        [content_features[names.index(name)] for name in content_layers],
        [gram_matrix(style_features[names.index(name)]) for name in style_layers],
    )
    scales = (
        _layer_scales(content_layers, targets[0], normalize),
        _layer_scales(style_layers, targets[1], normalize),
    )
    indices = ([names.index(name) for name in content_layers], [names.index(name) for name in style_layers])

    def loss_terms(image, outputs, targets):
        outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        content_targets, style_targets = targets
        content_term = sum(
            scale * content_loss(outputs[i], target)
            for i, target, scale in zip(indices[0], content_targets, scales[0])
        )
        style_term = sum(
            scale * style_loss(outputs[i], target)
            for i, target, scale in zip(indices[1], style_targets, scales[1])
        )
        terms = [
            weights["content"] * content_term,
            weights["style"] * style_term,
            weights["tv"] * total_variation_loss(image),
        ]
        return ops.stack([terms[0] + terms[1] + terms[2], *terms])

    image = keras.Variable(start, dtype="float32", trainable=True, name="stylized_image")
    step = compiled_input_step(taps, loss_terms, image, keras.optimizers.Adam(learning_rate=learning_rate))
    history = {key: [] for key in HISTORY_KEYS}
    for _ in range(steps):
        for key, value in zip(HISTORY_KEYS, ops.convert_to_numpy(step(targets))):
            history[key].append(float(value))
    result = ops.convert_to_numpy(ops.copy(image)).astype(np.float32)  # a tensor: no __array__ of a variable
    return StyleTransferResult(result if batched else result[0], history)


def _validate_image(image, name):
    """`image` as float32 `(1, H, W, C)`, and whether it came with the batch axis."""
    array = np.asarray(image)
    batched = array.ndim == 4
    if array.ndim not in (3, 4) or (batched and array.shape[0] != 1):
        raise ValueError(
            f"{name} must be one image of shape (H, W, C) or (1, H, W, C) in [-1, 1]; received shape "
            f"{array.shape}. Stylise a batch one image at a time."
        )
    return validate_image_batch(array if batched else array[None], name, channels=(1, 3)), batched


def _initial_image(init, content_image, seed):
    if isinstance(init, str):
        if init not in INITS:
            raise ValueError(f"init must be one of {INITS} or an image; received init={init!r}.")
        if init == "content":
            return content_image
        rng = np.random.default_rng(seed)
        return rng.uniform(-1.0, 1.0, size=content_image.shape).astype(np.float32)
    start, _ = _validate_image(init, "init")
    if start.shape != content_image.shape:
        raise ValueError(
            f"init must have the content's shape {content_image.shape[1:]}; received shape {np.shape(init)}."
        )
    return start


def _layer_weights(layers, default, argument, network):
    """`{layer name: weight}` from a sequence of names (equal weights summing to 1) or a dict."""
    if layers is None:
        if default is None:
            raise ValueError(
                f"{argument} is required with a custom feature network; {network.name!r} has the layers "
                f"{[layer.name for layer in network.layers]}."
            )
        layers = default
    if isinstance(layers, str):
        layers = (layers,)
    if not isinstance(layers, dict):
        layers = list(layers)
        layers = {name: 1.0 / len(layers) for name in layers} if layers else {}
    if not layers:
        raise ValueError(f"{argument} must name at least one layer; received {layers!r}.")
    checked = {}
    for name, weight in layers.items():
        if not isinstance(name, str):
            raise ValueError(f"{argument} holds layer names (strings); received {name!r}.")
        if isinstance(weight, bool) or not isinstance(weight, numbers.Real) or not weight >= 0:
            raise ValueError(f"{argument}[{name!r}] must be a non-negative weight; received {weight!r}.")
        checked[name] = float(weight)
    return checked


def _features_at(taps, image, names, which):
    """The feature maps of `image` at each layer, checked to be `(batch, h, w, c)` with `h, w >= 1`."""
    advice = "Use a larger image or an earlier layer."
    try:
        outputs = taps(image, training=False)
    except Exception as err:  # e.g. oneDNN refuses to pool a 1x1 map; JAX returns an empty one.
        raise ValueError(
            f"The feature network could not read the {which} image of shape {image.shape[1:]} at the "
            f"layers {names} ({type(err).__name__}); it is probably too small for them. {advice}"
        ) from err
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    for name, output in zip(names, outputs):
        if len(output.shape) != 4 or output.shape[1] * output.shape[2] == 0:
            raise ValueError(
                f"The {which} image of shape {image.shape[1:]} gives layer {name!r} a feature map of shape "
                f"{tuple(output.shape)}; style transfer needs feature maps (batch, h, w, channels) with "
                f"h, w >= 1. {advice}"
            )
    return outputs


def _layer_scales(layers, targets, normalize):
    """Each layer's weight, divided by its target's mean square when `normalize` (and that is not 0)."""
    scales = []
    for weight, target in zip(layers.values(), targets):
        mean_square = float(ops.convert_to_numpy(ops.mean(ops.square(ops.cast(target, "float32")))))
        scales.append(weight / mean_square if normalize and mean_square > 0 else weight)
    return scales
