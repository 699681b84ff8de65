"""Tests for kerasgan.callbacks.LossPlot, fed fake logs directly."""

import numpy as np
import pytest
from PIL import Image

from kerasgan.callbacks import LossPlot
from kerasgan.images import METADATA_KEYS, read_png_metadata


class _FakeModel:
    name = "wgan_gp"


def _train(plot, num_epochs=3):
    plot.on_train_begin()
    for epoch in range(num_epochs):
        plot.on_epoch_end(
            epoch,
            {
                "d_loss": 1.0 - 0.1 * epoch,
                "g_loss": np.float32(0.5 + 0.2 * epoch),
                "gp": np.array(0.3),
                "note": "not a number",
                "flag": True,
                "vector": np.zeros(3),
            },
        )
    plot.on_train_end()


def test_writes_png_with_chart_metadata(tmp_path):
    path = tmp_path / "run" / "losses.png"
    plot = LossPlot(path)
    plot.set_model(_FakeModel())
    _train(plot)

    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size[0] > 100 and image.size[1] > 100
    metadata = read_png_metadata(path)
    assert set(METADATA_KEYS) <= set(metadata)
    assert metadata["Model"] == "_FakeModel 'wgan_gp'"
    assert metadata["Run"] == str(tmp_path / "run")
    assert metadata["Digital Source Type"].endswith("dataDrivenMedia")


def test_records_every_numeric_key(tmp_path):
    plot = LossPlot(tmp_path / "losses.png")
    _train(plot)
    assert sorted(plot.history) == ["d_loss", "g_loss", "gp"]
    assert plot.history["d_loss"] == [(1, 1.0), (2, 0.9), (3, 0.8)]
    assert [epoch for epoch, _ in plot.history["gp"]] == [1, 2, 3]


def test_keys_restrict_the_curves(tmp_path):
    plot = LossPlot(tmp_path / "losses.png", keys=["gp"], run="exp-1")
    _train(plot)
    assert list(plot.history) == ["gp"]
    assert read_png_metadata(tmp_path / "losses.png")["Run"] == "exp-1"


def test_every_redraws_during_training(tmp_path):
    path = tmp_path / "losses.png"
    plot = LossPlot(path, every=2)
    plot.on_train_begin()
    plot.on_epoch_end(0, {"d_loss": 1.0})
    assert not path.exists()
    plot.on_epoch_end(1, {"d_loss": 0.5})
    assert path.exists()


def test_nothing_recorded_writes_nothing(tmp_path):
    plot = LossPlot(tmp_path / "losses.png")
    plot.on_train_begin()
    plot.on_train_end()
    assert not list(tmp_path.iterdir())
    with pytest.raises(ValueError, match="no values to plot"):
        plot.save()


def test_history_restarts_with_each_fit(tmp_path):
    plot = LossPlot(tmp_path / "losses.png")
    _train(plot, num_epochs=3)
    _train(plot, num_epochs=1)
    assert len(plot.history["d_loss"]) == 1


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"path": "losses.jpg"}, r"ending in '\.png'"),
        ({"every": 0}, "every"),
        ({"every": 1.5}, "every"),
        ({"keys": "d_loss"}, r"keys=\['d_loss'\]"),
    ],
)
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        LossPlot(**kwargs)
