"""Pix2Pix and CycleGAN on real Fashion-MNIST pairs: the shared checks, translate, export."""

import keras
import numpy as np
import pytest

import kerasgan
from tests.gan_test_case import (
    run_save_load_check,
    run_serialization_check,
    run_translation_export_check,
    run_translation_training_check,
)

SHAPE = (28, 28, 1)


def edges(images):
    """Gradient magnitude of each image, scaled to [-1, 1]: the source of edges→garment pairs."""
    x = images[..., 0]
    dy, dx = np.gradient(x, axis=(1, 2))
    magnitude = np.sqrt(dx**2 + dy**2)
    magnitude /= magnitude.max(axis=(1, 2), keepdims=True) + 1e-6
    return (2.0 * magnitude - 1.0)[..., None].astype("float32")


@pytest.fixture(scope="module")
def pairs(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    return edges(images[:64]), images[:64]


@pytest.fixture(scope="module")
def domains(fashion_mnist_sample):
    """Unpaired domains: T-shirts (class 0) as A, trousers (class 1) as B."""
    images, labels = fashion_mnist_sample
    a, b = images[labels == 0], images[labels == 1]
    n = min(len(a), len(b)) // 4 * 4
    return a[:n], b[:n]


def pix2pix(**kwargs):
    return kerasgan.Pix2Pix(image_shape=SHAPE, base_filters=4, seed=1, **kwargs)


def cyclegan(**kwargs):
    return kerasgan.CycleGAN(image_shape=SHAPE, base_filters=4, num_residual_blocks=1, seed=1, **kwargs)


def test_pix2pix_trains_on_real_pairs(pairs):
    keras.utils.set_random_seed(0)
    history = run_translation_training_check(pix2pix(), *pairs)
    assert {"d_loss", "g_loss", "l1"} <= set(history.history)


def _pix2pix_error_after_training(l1_weight, sources, targets):
    keras.utils.set_random_seed(0)
    model = pix2pix(l1_weight=l1_weight)
    model.compile(g_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5))
    history = model.fit(sources, targets, batch_size=8, epochs=4, verbose=0, shuffle=False)
    return history.history["l1"][0], history.history["l1"][-1]


def test_pix2pix_l1_term_pulls_towards_the_target(pairs):
    """The logged L1 distance (training mode) falls with the L1 term, not without it."""
    first, with_l1 = _pix2pix_error_after_training(100.0, *pairs)
    _, without_l1 = _pix2pix_error_after_training(0.0, *pairs)
    # Measured: 0.76 at the first epoch, 0.54 after four with the term, 0.67 without.
    assert with_l1 < 0.8 * first and with_l1 < without_l1 - 0.07, (first, with_l1, without_l1)


@pytest.mark.slow  # long; the default suite checks saving and CycleGAN elsewhere
def test_cyclegan_trains_on_unpaired_domains(domains):
    keras.utils.set_random_seed(0)
    model = cyclegan()
    history = run_translation_training_check(model, *domains)
    assert {"g_loss", "cycle", "identity", "d_a_loss", "d_b_loss"} <= set(history.history)
    assert model.optimizer_slots() == ["g_ab_optimizer", "g_ba_optimizer", "d_a_optimizer", "d_b_optimizer"]
    assert int(model.pools[0].count) > 0 and int(model.pools[1].count) > 0


def test_cyclegan_translates_in_both_directions_with_its_own_generator(domains):
    a, b = domains
    model = cyclegan()
    np.testing.assert_array_equal(model.translate(a[:2], direction="a2b"), model.g_ab(a[:2]).numpy())
    np.testing.assert_array_equal(model.translate(b[:2], direction="b2a"), model.g_ba(b[:2]).numpy())
    with pytest.raises(ValueError, match="directions"):
        model.translate(a[:2], direction="sideways")


@pytest.mark.parametrize("make", [pix2pix, cyclegan], ids=["pix2pix", "cyclegan"])
def test_config_round_trip(make):
    run_serialization_check(make())


def test_pix2pix_keras_file_round_trip_resumes(pairs, tmp_path):
    keras.utils.set_random_seed(0)
    run_save_load_check(pix2pix(), str(tmp_path / "p.keras"), *pairs, batch_size=4)


@pytest.mark.slow  # long; run with -m slow (suite time)
def test_cyclegan_keras_file_round_trip_resumes_with_its_pools(domains, tmp_path):
    keras.utils.set_random_seed(0)
    model = cyclegan(pool_size=3)
    loaded = run_save_load_check(model, str(tmp_path / "c.keras"), *domains, batch_size=4)
    for pool, restored in zip(model.pools, loaded.pools):
        np.testing.assert_array_equal(pool.images.numpy(), restored.images.numpy())


@pytest.mark.parametrize(
    "make",
    [pix2pix, pytest.param(cyclegan, marks=pytest.mark.slow)],  # the same export code path
    ids=["pix2pix", "cyclegan"],
)
def test_exported_translator_serves_without_kerasgan(make, pairs, domains, tmp_path):
    data = pairs if make is pix2pix else domains
    run_translation_export_check(make(), tmp_path, *data)


def test_translate_refuses_bad_images(pairs):
    model = pix2pix()
    sources, _ = pairs
    with pytest.raises(ValueError, match=r"shape \(N, 28, 28, 1\)"):
        model.translate(sources[0])
    with pytest.raises(ValueError, match="/ 127.5 - 1"):
        model.translate((sources * 127.5 + 127.5).astype("uint8"))
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        model.translate(sources * 255.0)


def test_fit_refuses_unpaired_or_missing_targets(pairs):
    model = pix2pix()
    model.compile()
    sources, _ = pairs
    with pytest.raises(ValueError, match="target images"):
        model.fit(sources, batch_size=4, epochs=1, verbose=0)


def test_bad_arguments():
    with pytest.raises(ValueError, match="l1_weight"):
        pix2pix(l1_weight=-1)
    with pytest.raises(ValueError, match="pool_size"):
        cyclegan(pool_size=0)
    with pytest.raises(ValueError, match="identity_weight=0"):
        kerasgan.CycleGAN(image_shape=SHAPE, target_shape=(28, 28, 3), base_filters=4, num_residual_blocks=1)


def test_sample_grid_shows_inputs_over_translations(pairs, tmp_path):
    from PIL import Image

    sources, targets = pairs
    model = pix2pix()
    model.compile()
    grid = kerasgan.callbacks.SampleGrid(tmp_path / "grids", images=sources[:4])
    model.fit(sources[:8], targets[:8], batch_size=4, epochs=1, verbose=0, callbacks=[grid])
    picture = np.asarray(Image.open(grid.paths[0]))
    assert picture.shape[0] < picture.shape[1], "two rows of four images"
    with pytest.raises(ValueError, match="images="):
        model.fit(
            sources[:8],
            targets[:8],
            batch_size=4,
            verbose=0,
            callbacks=[kerasgan.callbacks.SampleGrid(tmp_path / "other")],
        )


def test_pix2pix_test_time_dropout_draws_noise_and_keeps_the_model_as_it_was(pairs):
    sources = pairs[0][:4]
    model = pix2pix()
    state = [v.numpy().copy() for v in model.generator.weights if "seed" not in v.path]
    plain = model.translate(sources)
    first, second = model.translate(sources, dropout=True), model.translate(sources, dropout=True)
    assert not np.array_equal(first, plain) and not np.array_equal(first, second)  # noise, new each call
    assert first.shape == plain.shape and first.min() >= -1.0 and first.max() <= 1.0
    # Weights and batch-norm moving statistics are untouched; inference mode is still deterministic.
    after = [v.numpy() for v in model.generator.weights if "seed" not in v.path]
    assert all(np.array_equal(b, a) for b, a in zip(state, after))
    np.testing.assert_array_equal(model.translate(sources), plain)
