"""The shipped presets: each loads offline and generates what its model card says.

Every preset in `kerasgan/presets/` builds from its card with
`from_preset`, loads the generator and EMA generator it ships, and draws
images of the card's shape in `[-1, 1]`, the same for the same seed; the
slow test re-measures a preset's scores as its card records them.
"""

import os

import numpy as np
import pytest

import kerasgan
from kerasgan import presets

SHIPPED = presets.available()
# The required presets, with the class each must build: a DCGAN, the best unconditional model
# measured (InfoGAN) and the best conditional one measured (ACGAN).
REQUIRED = {
    "dcgan_fashion_mnist": "DCGAN",
    "infogan_fashion_mnist": "InfoGAN",
    "acgan_fashion_mnist": "ACGAN",
}
CARD_KEYS = {
    "variant",
    "class",
    "config",
    "dataset",
    "budget",
    "command",
    "seed",
    "scores",
    "scores_command",
    "scores_check",
    "scores_by_network",
    "sample_from",
    "synthetic",
    "data_license",
}
TOTAL_SIZE_LIMIT = 30 * 2**20


def _labels(gan, n):
    return None if gan.num_classes is None else np.arange(n) % gan.num_classes


def _weight_sums(arrays):
    return sorted(float(np.sum(np.asarray(a, dtype="float64"))) for a in arrays)


def _stored_sums(name, network):
    """The sum of each array the preset's file holds for `network`, sorted."""
    import h5py

    arrays = []
    with h5py.File(presets.weights_path(name), "r") as file:
        file[network].visititems(
            lambda key, item: arrays.append(item[()]) if hasattr(item, "shape") else None
        )
    return _weight_sums(arrays)


def test_the_required_presets_ship_with_complete_cards_under_the_size_limit():
    assert set(REQUIRED) <= set(SHIPPED)
    total = 0
    for name in SHIPPED:
        card = presets.get_card(name)
        assert CARD_KEYS <= set(card), f"{name}: the card lacks {sorted(CARD_KEYS - set(card))}"
        assert card["variant"] in kerasgan.VARIANTS
        assert {"epochs", "steps", "batch_size"} <= set(card["budget"])
        assert "synthetic" in card["synthetic"]
        assert {"fid", "kid", "precision", "recall"} <= set(card["scores"])
        assert os.path.isfile(presets.weights_path(name))
        folder = os.path.dirname(presets.weights_path(name))
        total += sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
    assert total < TOTAL_SIZE_LIMIT
    for name, cls in REQUIRED.items():
        assert presets.get_card(name)["class"] == cls


def test_listing_prints_every_preset_with_its_scores(capsys):
    text = presets.describe()
    assert capsys.readouterr().out.strip() == text.strip()
    for row in presets.summary_rows():
        line = next(line for line in text.splitlines() if line.startswith(row["name"] + " "))
        assert row["variant"] in line and f"{row['fid']:.4g}" in line
    card_text = presets.describe("dcgan_fashion_mnist")
    assert "synthetic" in card_text and "scores" in card_text
    assert kerasgan.presets is presets


@pytest.mark.parametrize("name", SHIPPED)
def test_a_preset_loads_offline_and_generates_what_its_card_says(name):
    card = presets.get_card(name)
    gan = kerasgan.GAN.from_preset(name)
    assert type(gan).__name__ == card["class"]
    shape = tuple(card["config"]["image_shape"])
    images = gan.generate(8, seed=0, labels=_labels(gan, 8))
    assert images.shape == (8, *shape)
    assert np.isfinite(images).all() and images.min() >= -1 and images.max() <= 1
    assert images.std() > 0.05  # trained: not one flat image
    np.testing.assert_array_equal(images, gan.generate(8, seed=0, labels=_labels(gan, 8)))
    assert not np.array_equal(images, gan.generate(8, seed=1, labels=_labels(gan, 8)))
    # Both networks hold the file's weights; generate() draws from the one the card names.
    shipped = getattr(kerasgan, card["class"]).from_preset(name, sample_from="ema_generator")
    for network in ("generator", "ema_generator"):
        assert _weight_sums(getattr(shipped, network).get_weights()) == pytest.approx(
            _stored_sums(name, network)
        )
    use_ema = card["sample_from"] == "ema_generator"
    np.testing.assert_allclose(images, shipped.generate(8, seed=0, labels=_labels(gan, 8), use_ema=use_ema))
    assert not np.allclose(images, shipped.generate(8, seed=0, labels=_labels(gan, 8), use_ema=not use_ema))


def test_a_preset_compiles_and_fine_tunes(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = kerasgan.DCGAN.from_preset("dcgan_fashion_mnist", seed=3)
    before = [w.copy() for w in gan.generator.get_weights()]
    gan.compile(run_eagerly=True)  # one step: cheaper than tracing it
    history = gan.fit(images[:16], batch_size=16, epochs=1, verbose=0)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert any(not np.array_equal(a, b) for a, b in zip(before, gan.generator.get_weights()))


def test_an_unknown_preset_lists_the_known_ones():
    with pytest.raises(ValueError, match="Unknown preset 'dcgan_mnist'") as error:
        kerasgan.GAN.from_preset("dcgan_mnist")
    for name in SHIPPED:
        assert name in str(error.value)


def test_the_wrong_class_names_the_right_one():
    with pytest.raises(ValueError, match=r"is a DCGAN \('dcgan'\), not a ACGAN.*kerasgan.DCGAN.from_preset"):
        kerasgan.ACGAN.from_preset("dcgan_fashion_mnist")
    with pytest.raises(ValueError, match="not a WGANGP"):
        kerasgan.WGANGP.from_preset("acgan_fashion_mnist")


def test_overrides_that_change_the_generator_are_refused_clearly():
    with pytest.raises(ValueError, match="does not match the networks of its card"):
        kerasgan.GAN.from_preset("dcgan_fashion_mnist", latent_dim=7)
    with pytest.raises(ValueError, match="sample_from must be 'ema_generator' or 'generator'"):
        kerasgan.GAN.from_preset("dcgan_fashion_mnist", sample_from="discriminator")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "missing"])
def test_a_corrupt_weights_file_is_a_clear_error(damage, tmp_path, monkeypatch):
    path = tmp_path / "dcgan_fashion_mnist.weights.h5"
    if damage == "garbage":
        path.write_bytes(b"not an HDF5 file")
    elif damage == "truncated":
        path.write_bytes(open(presets.weights_path("dcgan_fashion_mnist"), "rb").read()[:50_000])
    monkeypatch.setattr(presets, "weights_path", lambda name: str(path))
    expected = "is missing" if damage == "missing" else "corrupt"
    with pytest.raises(ValueError, match=expected):
        kerasgan.GAN.from_preset("dcgan_fashion_mnist")


def test_the_cli_lists_presets_and_samples_one(tmp_path, capsys):
    from kerasgan.cli import main

    assert main(["presets"]) == 0
    assert "dcgan_fashion_mnist" in capsys.readouterr().out
    out = tmp_path / "grid.png"
    assert main(["sample", "--preset", "acgan_fashion_mnist", "--n", "4", "--out", str(out)]) == 0
    from kerasgan.images import read_png_metadata

    metadata = read_png_metadata(out)
    assert "synthetic" in " ".join(metadata.values()).lower()
    assert metadata.get("Preset") == "acgan_fashion_mnist"
    assert main(["sample", "--out", str(out)]) == 1
    assert "--preset" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("name", SHIPPED)
def test_a_preset_scores_what_its_card_says(name):
    from scripts.train_presets import score_model

    card = presets.get_card(name)
    check = card["scores_check"]
    scores = score_model(kerasgan.GAN.from_preset(name), card["dataset"], check["num_samples"], check["seed"])
    expected = check["scores"]
    assert scores["fid"] == pytest.approx(expected["fid"], rel=0.02)
    assert scores["kid"] == pytest.approx(expected["kid"], rel=0.05, abs=0.01)
    for key in ("precision", "recall", "class_accuracy"):
        if key in expected:
            assert scores[key] == pytest.approx(expected[key], abs=0.02)


def test_ema_decay_is_a_run_option_of_latent_models_only(tmp_path):
    from kerasgan import runs

    with pytest.raises(ValueError, match="ema_decay= .--ema-decay. averages a latent model's generator"):
        runs.train("pix2pix", str(tmp_path / "edges"), dataset="fashion_mnist_edges", ema_decay=0.99)


def test_a_run_with_ema_decay_keeps_and_records_the_average(tmp_path):
    from kerasgan import runs

    run = str(tmp_path / "run")
    gan = runs.train("dcgan", run, epochs=1, batch_size=16, limit=32, latent_dim=8, seed=0, ema_decay=0.9)
    assert gan.ema_decay == 0.9 and gan.ema_generator is not None
    assert runs.read_run_state(run)["settings"]["ema_decay"] == 0.9
    assert runs.load_run_model(run).ema_generator is not None


def test_a_run_from_a_preset_fine_tunes_its_generator_from_the_shell(tmp_path):
    from kerasgan import runs
    from kerasgan.cli import main

    run = tmp_path / "tuned"
    args = ["train", "dcgan", "--preset", "dcgan_fashion_mnist", "--out", str(run)]
    assert main([*args, "--epochs", "1", "--batch-size", "16", "--limit", "32", "--seed", "0"]) == 0
    tuned = runs.load_run_model(str(run))
    shipped = kerasgan.DCGAN.from_preset("dcgan_fashion_mnist")

    def largest_difference(gan, other):
        pairs = zip(gan.generator.trainable_weights, other.generator.trainable_weights)
        return max(float(np.abs(a.numpy() - b.numpy()).max()) for a, b in pairs)

    # Two Adam steps at 2e-4 move a trainable weight by at most about 4e-4:
    # the run started from the preset's generator, not from a fresh one.
    assert 0 < largest_difference(tuned, shipped) < 1e-3
    assert largest_difference(kerasgan.DCGAN(latent_dim=100, seed=0), shipped) > 1e-2
    assert runs.read_run_state(str(run))["settings"]["preset"] == "dcgan_fashion_mnist"


def test_a_run_from_a_preset_refuses_what_does_not_fit_its_card(tmp_path):
    from kerasgan import runs

    with pytest.raises(ValueError, match=r"is a 'dcgan' model, not 'acgan'.*kerasgan train dcgan --preset"):
        runs.train("acgan", str(tmp_path / "a"), preset="dcgan_fashion_mnist")
    with pytest.raises(ValueError, match=r"latent_dim=100 .*asks for latent_dim=8 \(--latent-dim\)"):
        runs.train("dcgan", str(tmp_path / "b"), preset="dcgan_fashion_mnist", latent_dim=8)
    with pytest.raises(ValueError, match="Unknown preset 'dcgan_mnist'"):
        runs.train("dcgan", str(tmp_path / "c"), preset="dcgan_mnist")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
