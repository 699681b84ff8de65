"""Tests for kerasgan.style: the loss terms against NumPy, the optimisation, the feature networks, the panel.

Tests marked `jax` also run on JAX:
`KERAS_BACKEND=jax JAX_PLATFORMS=cpu python3 -m pytest tests/test_style_transfer.py --backend=jax -q`.
They use the shared Fashion-MNIST sample; the photograph tests need scikit-image's bundled images.
"""

import keras
import numpy as np
import pytest

from kerasgan import style
from kerasgan.images import METADATA_KEYS, make_grid, read_png_metadata

SIZE = 32


def _rgb(garment, size=SIZE):
    """A Fashion-MNIST image (28, 28, 1) in [-1, 1] as an RGB image, padded with background to `size`."""
    pad = (size - garment.shape[0]) // 2
    padded = np.pad(garment[..., 0], pad, constant_values=-1.0)
    # Different gains per channel, so that the three channels are not copies.
    return np.stack([padded, 0.8 * padded, -0.6 * padded], axis=-1).astype("float32")


@pytest.fixture(scope="module")
def pair(fashion_mnist_sample):
    """(content (32, 32, 3), style (28, 28, 3)): a trouser and a textured bag of the real sample."""
    images, labels = fashion_mnist_sample
    content = _rgb(images[np.flatnonzero(labels == 1)[0]])
    bag = images[np.flatnonzero(labels == 8)[0]]
    return content, np.repeat(bag, 3, axis=-1).astype("float32")


def _photo(name, size=64):
    """One of scikit-image's bundled pictures, RGB in [-1, 1], resized to (size, size, 3)."""
    skimage = pytest.importorskip("skimage", reason="the photograph tests read scikit-image's bundled images")
    from skimage import transform

    image = getattr(skimage.data, name)()
    image = image if image.ndim == 3 else np.repeat(image[..., None], 3, axis=-1)
    image = transform.resize(image[..., :3], (size, size), anti_aliasing=True)
    return (2.0 * image - 1.0).astype("float32")


def _small_network(scale=1.0):
    inputs = keras.Input(shape=(None, None, 3))
    x = keras.layers.Conv2D(
        8, 3, padding="same", activation="relu", name="c1", kernel_initializer=_seeded(1)
    )(inputs)
    x = keras.layers.AveragePooling2D(2, name="p1")(x)
    x = keras.layers.Conv2D(
        8, 3, padding="same", activation="relu", name="c2", kernel_initializer=_seeded(2)
    )(x)
    x = keras.layers.Rescaling(scale, name="scaled")(x)
    return keras.Model(inputs, x, name="small")


def _seeded(seed):
    return keras.initializers.GlorotUniform(seed=seed)


def _fast(**overrides):
    return {"steps": 4, "feature_extractor": "fashion_mnist", **overrides}


# The loss terms against NumPy.


@pytest.mark.jax
def test_gram_matrix_matches_numpy():
    features = np.random.default_rng(0).normal(size=(2, 5, 7, 4)).astype("float32")
    expected = np.einsum("byxi,byxj->bij", features, features) / 35.0
    got = keras.ops.convert_to_numpy(style.gram_matrix(features))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got, np.transpose(got, (0, 2, 1)), atol=1e-6)


@pytest.mark.jax
def test_total_variation_matches_numpy():
    images = np.random.default_rng(1).uniform(-1, 1, size=(2, 6, 9, 3)).astype("float32")
    expected = np.mean(np.diff(images, axis=1) ** 2) + np.mean(np.diff(images, axis=2) ** 2)
    got = float(style.total_variation_loss(images))
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    assert float(style.total_variation_loss(np.full((1, 4, 4, 3), 0.3, "float32"))) == 0.0


@pytest.mark.jax
def test_content_and_style_losses_match_numpy_and_vanish_at_their_targets():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(2, 1, 4, 6, 3)).astype("float32")
    np.testing.assert_allclose(float(style.content_loss(a, b)), np.mean((a - b) ** 2), rtol=1e-5)
    gram = lambda f: np.einsum("byxi,byxj->bij", f, f) / 24.0  # noqa: E731
    np.testing.assert_allclose(
        float(style.style_loss(a, gram(b))), np.mean((gram(a) - gram(b)) ** 2), rtol=1e-4
    )
    assert float(style.content_loss(a, a)) == 0.0
    assert float(style.style_loss(a, style.gram_matrix(a))) == 0.0


# The optimisation.


@pytest.mark.jax
def test_transfer_lowers_its_own_loss(pair):
    content, texture = pair
    image, history = style.transfer(content, texture, **_fast(steps=8))
    assert set(history) == set(style.HISTORY_KEYS)
    assert all(len(values) == 8 for values in history.values())
    assert history["total"][-1] < 0.8 * history["total"][0]
    assert history["style"][-1] < history["style"][0]
    np.testing.assert_allclose(
        history["total"], np.add(np.add(history["content"], history["style"]), history["tv"]), rtol=1e-5
    )
    assert image.shape == content.shape and image.dtype == np.float32
    assert not np.array_equal(image, content)


@pytest.mark.jax
def test_without_style_and_smoothing_the_content_does_not_move(pair):
    content, texture = pair
    image, history = style.transfer(content, texture, **_fast(style_weight=0.0, tv_weight=0.0))
    np.testing.assert_array_equal(image, content)
    assert history["total"] == [0.0] * 4


@pytest.mark.jax
def test_the_feature_network_never_changes(pair):
    content, texture = pair
    network = _small_network()
    named = style.get_feature_network("fashion_mnist")
    before = _weights(network), _weights(named)
    style.transfer(
        content, texture, steps=3, feature_extractor=network, content_layers=["c2"], style_layers=["c1"]
    )
    style.transfer(content, texture, **_fast(steps=3, learning_rate=0.5))
    for old, new in zip(before, (_weights(network), _weights(named))):
        assert len(old) == len(new) > 0
        for a, b in zip(old, new):
            np.testing.assert_array_equal(a, b)


def _weights(network):
    return [keras.ops.convert_to_numpy(keras.ops.copy(variable)) for variable in network.weights]


@pytest.mark.jax
def test_output_keeps_the_content_shape_and_stays_in_range(pair):
    content, texture = pair
    batched, _ = style.transfer(
        content[None], texture, **_fast(steps=3, learning_rate=0.9, style_weight=100.0)
    )
    assert batched.shape == (1, *content.shape) and batched.dtype == np.float32
    assert batched.min() >= -1.0 and batched.max() <= 1.0
    # A step of 0.9 pushes pixels inside the range past it; they are clipped to its ends.
    assert np.any((np.abs(batched[0]) == 1.0) & (np.abs(content) < 0.99))
    gray, _ = style.transfer(content[..., :1], texture[..., :1], **_fast(steps=2))
    assert gray.shape == (SIZE, SIZE, 1)


def test_normalized_terms_do_not_depend_on_the_scale_of_the_features(pair):
    content, texture = pair

    def history(scale, normalize):
        network = _small_network(scale)  # the same weights, its last layer's features times `scale`
        options = {"feature_extractor": network, "content_layers": ["scaled"], "style_layers": ["scaled"]}
        return style.transfer(content, texture, steps=3, normalize=normalize, **options).history

    np.testing.assert_allclose(history(1.0, True)["total"], history(10.0, True)["total"], rtol=1e-4)
    # Without normalisation the Gram matrices grow 100-fold and the style term 10,000-fold.
    raw_style = history(10.0, False)["style"][0] / history(1.0, False)["style"][0]
    assert raw_style == pytest.approx(1e4, rel=1e-3)


def test_layer_weights_are_applied_per_layer(pair):
    content, texture = pair
    run = lambda layers: style.transfer(content, texture, **_fast(steps=2, style_layers=layers)).history  # noqa: E731
    only_conv1 = run(["conv1"])["style"]
    # A zero weight removes a layer from the loss and from the gradient.
    np.testing.assert_allclose(run({"conv1": 1.0, "conv2": 0.0})["style"], only_conv1, rtol=1e-6)
    assert run({"conv1": 2.0})["style"][0] == pytest.approx(2 * only_conv1[0], rel=1e-6)


def test_noise_init_is_repeatable_with_a_seed(pair):
    content, texture = pair
    first, _ = style.transfer(content, texture, **_fast(steps=2, init="noise", seed=3))
    again, _ = style.transfer(content, texture, **_fast(steps=2, init="noise", seed=3))
    other, _ = style.transfer(content, texture, **_fast(steps=2, init="noise", seed=4))
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)
    assert np.abs(first - content).mean() > 0.2  # it started from noise, not from the content


# Feature networks.


def test_a_custom_model_with_named_layers_works(pair):
    content, texture = pair
    network = _small_network()
    image, history = style.transfer(
        content, texture, steps=6, feature_extractor=network, content_layers=["c2"], style_layers={"c1": 1.0}
    )
    assert history["total"][-1] < history["total"][0]
    sequential = keras.Sequential([keras.Input((None, None, 3)), keras.layers.Conv2D(4, 3, name="only")])
    _, history = style.transfer(
        content, texture, steps=2, feature_extractor=sequential, content_layers="only", style_layers="only"
    )
    assert np.isfinite(history["total"]).all()


def test_fashion_mnist_network_reads_a_photograph_channel_by_channel():
    astronaut = _photo("astronaut")
    network = style.get_feature_network("fashion_mnist")
    assert style.layer_names(network) == ["channels_to_batch", "conv1", "pool1", "conv2", "pool2"]
    features = keras.ops.convert_to_numpy(network(astronaut[None]))
    assert features.shape == (3, 16, 16, 64)
    # Channel c of the photograph is batch entry c, read as a grayscale image.
    green = keras.ops.convert_to_numpy(network(np.repeat(astronaut[None, ..., 1:2], 3, axis=-1)))
    np.testing.assert_allclose(features[1], green[0], rtol=1e-5, atol=1e-5)
    # The convolutions are the shipped classifier's, with its trained weights.
    classifier = keras.Model(*_classifier_first_convolution())
    expected = keras.ops.convert_to_numpy(classifier(np.asarray(astronaut[None, ..., :1])))
    taps = style.feature_taps(network, ["conv1"])
    got = keras.ops.convert_to_numpy(taps(astronaut[None]))[0]  # one layer: one tensor
    np.testing.assert_allclose(got, expected[0], rtol=1e-4, atol=1e-5)


def _classifier_first_convolution():
    from kerasgan.metrics.fashion_mnist_classifier import load_fashion_mnist_classifier

    trained = load_fashion_mnist_classifier().layers[1]
    inputs = keras.Input((None, None, 1))
    convolution = keras.layers.Conv2D(trained.filters, 3, padding="same", activation="relu")
    outputs = convolution(inputs)
    convolution.set_weights(trained.get_weights())
    return inputs, outputs


def test_fashion_mnist_extractor_stylises_a_64_pixel_photograph():
    content, texture = _photo("astronaut"), _photo("brick", size=48)
    image, history = style.transfer(content, texture, **_fast(steps=5))
    assert image.shape == (64, 64, 3)
    assert history["total"][-1] < history["total"][0]
    assert np.abs(image - content).max() > 0.05


@pytest.mark.jax
def test_vgg19_preprocessing_is_keras_caffe_preprocessing():
    images = np.random.default_rng(4).uniform(-1, 1, size=(2, 3, 5, 3)).astype("float32")
    expected = keras.applications.vgg19.preprocess_input((images + 1.0) * 127.5)
    got = keras.ops.convert_to_numpy(style.CaffePreprocessing()(images))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-3)


def test_vgg19_network_has_the_paper_layers():
    network = style.build_vgg19_features(weights=None)
    content_layers, style_layers = style.NAMED_FEATURE_NETWORKS["vgg19"]
    taps = style.feature_taps(network, [*content_layers, *style_layers])
    shapes = [tuple(o.shape) for o in taps(np.zeros((1, 32, 48, 3), "float32"))]
    assert shapes == [
        (1, 4, 6, 512),
        (1, 32, 48, 64),
        (1, 16, 24, 128),
        (1, 8, 12, 256),
        (1, 4, 6, 512),
        (1, 2, 3, 512),
    ]


def test_vgg19_without_its_weights_says_what_to_do(monkeypatch):
    def offline(**kwargs):
        raise Exception("URL fetch failure on https://storage.googleapis.com/...: None -- [Errno -3]")

    monkeypatch.setattr(keras.applications, "VGG19", offline)
    with pytest.raises(RuntimeError, match="ImageNet weights of VGG19.*feature_extractor='fashion_mnist'"):
        style.build_vgg19_features()


# Bad input.

GOOD = np.zeros((SIZE, SIZE, 3), "float32")
BAD_IMAGES = {
    "a batch of two": (np.zeros((2, SIZE, SIZE, 3), "float32"), "one image of shape"),
    "no channel axis": (np.zeros((SIZE, SIZE), "float32"), "one image of shape"),
    "four channels": (np.zeros((SIZE, SIZE, 4), "float32"), "channels"),
    "uint8": (np.zeros((SIZE, SIZE, 3), "uint8"), "float images"),
    "0..255 range": (np.full((SIZE, SIZE, 3), 200.0, "float32"), r"values in \[200, 200\]"),
    "NaN": (np.full((SIZE, SIZE, 3), np.nan, "float32"), "NaN"),
}


@pytest.mark.parametrize("which", ["content", "style"])
@pytest.mark.parametrize("case", sorted(BAD_IMAGES))
def test_bad_images_are_refused(which, case):
    bad, message = BAD_IMAGES[case]
    images = {"content": GOOD, "style": GOOD, which: bad}
    with pytest.raises(ValueError, match=message):
        style.transfer(images["content"], images["style"], **_fast())


BAD_ARGUMENTS = {
    "steps=0": ({"steps": 0}, "steps must be a positive integer; received steps=0"),
    "steps=-3": ({"steps": -3}, "steps must be a positive integer"),
    "steps=2.5": ({"steps": 2.5}, "steps must be a positive integer"),
    "negative style_weight": ({"style_weight": -1.0}, "style_weight must be a non-negative number"),
    "negative content_weight": ({"content_weight": -0.1}, "content_weight must be a non-negative"),
    "negative tv_weight": ({"tv_weight": -2}, "tv_weight must be a non-negative"),
    "learning_rate=0": ({"learning_rate": 0}, "learning_rate must be a positive number"),
    "unknown style layer": (
        {"style_layers": ["conv1", "block1_conv1"]},
        r"no layer named 'block1_conv1'; its layers are \['channels_to_batch', 'conv1', 'pool1', 'conv2'",
    ),
    "unknown content layer": ({"content_layers": ["conv9"]}, "no layer named 'conv9'"),
    "negative layer weight": (
        {"style_layers": {"conv1": -1.0}},
        r"style_layers\['conv1'\] must be a non-negative",
    ),
    "no layers": ({"content_layers": []}, "content_layers must name at least one layer"),
    "unknown extractor": ({"feature_extractor": "vgg16"}, "feature_extractor must be one of"),
    "unknown init": ({"init": "style"}, "init must be one of"),
    "init of another shape": ({"init": np.zeros((8, 8, 3), "float32")}, "init must have the content's shape"),
    "seed": ({"seed": "1"}, "seed must be None or an int"),
}


@pytest.mark.parametrize("case", sorted(BAD_ARGUMENTS))
def test_bad_arguments_are_refused(case):
    overrides, message = BAD_ARGUMENTS[case]
    with pytest.raises(ValueError, match=message):
        style.transfer(GOOD, GOOD, **_fast(**overrides))


def test_mismatched_channels_small_images_and_unnamed_layers_are_refused():
    with pytest.raises(ValueError, match="style must have the content's 3 channels"):
        style.transfer(GOOD, GOOD[..., :1], **_fast())
    with pytest.raises(ValueError, match=r"style image of shape \(1, 1, 3\)"):
        style.transfer(GOOD, np.zeros((1, 1, 3), "float32"), **_fast())
    with pytest.raises(
        ValueError, match=r"content_layers is required with a custom feature network; 'small'"
    ):
        style.transfer(GOOD, GOOD, steps=1, feature_extractor=_small_network())


# The panel.


def test_panel_png_shows_content_style_and_result_with_metadata(tmp_path, pair):
    content, texture = pair
    result = np.clip(content + 0.25, -1.0, 1.0)
    path = style.save_style_panel(tmp_path / "panel.png", content, texture, result, run="runs/s1", padding=1)
    metadata = read_png_metadata(path)
    assert set(METADATA_KEYS) <= set(metadata)
    assert metadata["Synthetic"] == "true" and metadata["Run"] == "runs/s1"
    assert metadata["Panel"] == "content | style | result" and "Gatys" in metadata["Method"]
    from PIL import Image

    pixels = np.asarray(Image.open(path))
    assert pixels.shape == (SIZE + 2, 3 * SIZE + 4, 3)
    tiles = make_grid(np.stack([content, result]), num_rows=1, padding=0)
    np.testing.assert_array_equal(pixels[1 : SIZE + 1, 1 : SIZE + 1], tiles[:, :SIZE])
    np.testing.assert_array_equal(pixels[1 : SIZE + 1, 2 * SIZE + 3 : 3 * SIZE + 3], tiles[:, SIZE:])
    with pytest.raises(ValueError, match="a result of the content's shape"):
        style.save_style_panel(tmp_path / "bad.png", content, texture, result[:16])
