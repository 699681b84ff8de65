"""Tests for kerasgan.callbacks.LossPlot fed logs directly: recording, smoothing, drawing, files.

`test_loss_plot_training.py` trains real GANs with it.
"""

import numpy as np
import pytest
from PIL import Image

from kerasgan.callbacks import LossPlot
from kerasgan.callbacks.loss_plot import auto_smoothing, exponential_moving_average, is_schedule_key
from kerasgan.callbacks.loss_steps import PerStepValues, read_steps_file, write_steps_file
from kerasgan.images import METADATA_KEYS, read_png_metadata


class _FakeModel:
    name = "wgan_gp"


def _running_means(values):
    """What Keras logs for per-step `values` within one epoch: the mean since the epoch began."""
    return np.cumsum(values) / np.arange(1, len(values) + 1)


def _train(plot, epochs):
    """Feeds `plot` one fit: `epochs` is a list of epochs, each a list of per-step `{key: value}`."""
    plot.on_train_begin()
    for epoch, steps in enumerate(epochs):
        plot.on_epoch_begin(epoch)
        means = {key: _running_means([step[key] for step in steps]) for key in steps[0]}
        for batch in range(len(steps)):
            logs = {key: float(mean[batch]) for key, mean in means.items()}
            logs.update(note="not a number", flag=True, vector=np.zeros(3))
            plot.on_train_batch_end(batch, logs)
        plot.on_epoch_end(epoch, {**logs, "val_d_loss": 0.25 * (epoch + 1)})
    plot.on_train_end()


def _steps(num_steps, start=0):
    return [
        {"d_loss": 1.0 + np.sin(s), "g_loss": 0.5 + 0.1 * s, "gp": 0.01 * s} for s in range(start, num_steps)
    ]


def test_records_each_step_value_from_the_running_means(tmp_path):
    plot = LossPlot(tmp_path / "losses.png")
    steps = _steps(7)
    _train(plot, [steps[:4], steps[4:]])
    curves = plot.series()
    assert sorted(curves) == ["d_loss", "g_loss", "gp", "val_d_loss"]
    np.testing.assert_array_equal(curves["d_loss"]["steps"], np.arange(1, 8))
    np.testing.assert_allclose(curves["d_loss"]["values"], [s["d_loss"] for s in steps], rtol=1e-12)
    np.testing.assert_allclose(curves["gp"]["values"], [s["gp"] for s in steps], atol=1e-12)
    # Values only in the epoch logs are recorded at the epoch's last step.
    np.testing.assert_array_equal(curves["val_d_loss"]["steps"], [4, 7])
    np.testing.assert_array_equal(curves["val_d_loss"]["values"], [0.25, 0.5])


def test_a_span_of_steps_logged_at_once_gives_its_mean():
    # steps_per_execution=2: Keras logs after steps 2 and 4 of the epoch (batch indices 1 and 3).
    values = PerStepValues()
    values.begin_epoch()
    means = _running_means([1.0, 3.0, 5.0, 11.0])
    assert values.batch_end(1, {"loss": means[1]}) == [(2, "loss", 2.0)]
    assert values.batch_end(3, {"loss": means[3]}) == [(4, "loss", 8.0)]


def test_schedule_counts_weight_the_recovery_and_steps_without_updates_get_no_point():
    # A critic loss updated 3, 3, 1, 0 times in four steps (values per update), a tracker of no phase.
    updates = [3, 3, 1, 0]
    per_update = [[1.0, 2.0, 3.0], [4.0, 4.0, 7.0], [9.0], []]

    def counts(first, end):
        return {"d_loss": sum(updates[first:end])}

    values = PerStepValues(
        step=10, update_counts=lambda f, e: counts(f - 10, e - 10), running_means={"d_loss"}
    )
    values.begin_epoch()
    flat, rows = [], []
    for batch, step_values in enumerate(per_update):
        flat += step_values
        rows += values.batch_end(batch, {"d_loss": float(np.mean(flat)), "ada_p": 0.1 * batch})
    d_loss = [(step, value) for step, key, value in rows if key == "d_loss"]
    assert [step for step, _ in d_loss] == [11, 12, 13]
    np.testing.assert_allclose([value for _, value in d_loss], [2.0, 5.0, 9.0], rtol=1e-12)
    # ada_p is not a running mean here: recorded as logged, at every step.
    assert [value for step, key, value in rows if key == "ada_p"] == pytest.approx([0.0, 0.1, 0.2, 0.3])


def test_writes_png_with_chart_metadata(tmp_path):
    path = tmp_path / "run" / "losses.png"
    plot = LossPlot(path)
    plot.set_model(_FakeModel())
    _train(plot, [_steps(5)])

    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size[0] > 100 and image.size[1] > 100
    metadata = read_png_metadata(path)
    assert set(METADATA_KEYS) <= set(metadata)
    assert metadata["Model"] == "_FakeModel 'wgan_gp'"
    assert metadata["Run"] == str(tmp_path / "run")
    assert metadata["Digital Source Type"].endswith("dataDrivenMedia")
    assert [p.name for p in path.parent.iterdir()] == ["losses.png"]  # no temporary left


def test_schedule_keys_go_on_the_second_axis(tmp_path):
    plot = LossPlot(tmp_path / "losses.png")
    steps = [
        {"d_loss": 1.0 - 0.1 * s, "generator_skipped": float(s % 2), "critic_updates": 5.0, "ada_p": 0.01 * s}
        for s in range(6)
    ]
    _train(plot, [steps])
    curves = plot.series()
    assert {key: curve["axis"] for key, curve in curves.items()} == {
        "d_loss": "losses",
        "val_d_loss": "losses",
        "generator_skipped": "schedule",
        "critic_updates": "schedule",
        "ada_p": "schedule",
    }
    np.testing.assert_allclose(curves["generator_skipped"]["values"], [0, 1, 0, 1, 0, 1], atol=1e-12)
    losses, schedule = plot.figure().axes
    assert (losses.get_ylabel(), schedule.get_ylabel()) == ("loss", "schedule")
    assert schedule.get_xlabel() == "training step"
    assert [line.get_label() for line in losses.get_lines()] == [
        "_d_loss per step",
        "d_loss",
        "_val_d_loss per step",
        "val_d_loss",
    ]
    assert [line.get_label() for line in schedule.get_lines()][1::2] == [
        "generator_skipped",
        "critic_updates",
        "ada_p",
    ]
    # The faint line holds the raw values, the other the smoothed curve.
    raw, smoothed = schedule.get_lines()[:2]
    np.testing.assert_allclose(raw.get_ydata(), curves["generator_skipped"]["values"])
    np.testing.assert_allclose(smoothed.get_ydata(), curves["generator_skipped"]["smoothed"])
    assert raw.get_alpha() < 0.5 and smoothed.get_alpha() is None


def test_learning_rates_go_on_an_axis_of_their_own_below_the_schedule(tmp_path):
    plot = LossPlot(tmp_path / "losses.png")
    steps = [{"d_loss": 1.0, "ada_p": 0.1, "d_learning_rate": 1e-3 * (5 - s) / 5} for s in range(6)]
    _train(plot, [steps])
    assert plot.series()["d_learning_rate"]["axis"] == "learning_rate"
    losses, schedule, rates = plot.figure().axes
    assert [axes.get_ylabel() for axes in (losses, schedule, rates)] == ["loss", "schedule", "learning rate"]
    assert [line.get_label() for line in rates.get_lines()] == [
        "_d_learning_rate per step",
        "d_learning_rate",
    ]
    np.testing.assert_allclose(
        rates.get_lines()[0].get_ydata(), [1e-3 * (5 - s) / 5 for s in range(6)], atol=1e-15
    )
    assert rates.get_xlabel() == "training step" and losses.get_xlabel() == ""


def test_a_plot_of_losses_only_has_one_axis(tmp_path):
    plot = LossPlot(tmp_path / "losses.png")
    _train(plot, [_steps(3)])
    assert [axes.get_ylabel() for axes in plot.figure().axes] == ["loss"]


def _ema_reference(values, weight):
    """Debiased EMA in closed form: sum_i w^(t-i) x_i / sum_i w^(t-i) over the finite x_i up to t."""
    values = np.asarray(values, dtype="float64")
    finite = np.flatnonzero(np.isfinite(values))
    x = values[finite]
    t = np.arange(len(x))
    powers = np.tril(weight ** (t[:, None] - t[None, :]).clip(min=0))
    result = np.full(len(values), np.nan)
    result[finite] = powers @ x / powers.sum(axis=1)
    return result


@pytest.mark.parametrize("weight", [0.0, 0.5, 0.9, 0.99])
def test_smoothing_is_the_debiased_exponential_moving_average(weight):
    values = np.random.default_rng(0).normal(size=200)
    values[[5, 50, 51]] = [np.nan, np.inf, -np.inf]
    smoothed = exponential_moving_average(values, weight)
    np.testing.assert_allclose(smoothed, _ema_reference(values, weight), rtol=1e-10, equal_nan=True)
    assert np.isnan(smoothed[[5, 50, 51]]).all() and np.isfinite(np.delete(smoothed, [5, 50, 51])).all()
    if weight == 0.0:
        np.testing.assert_array_equal(smoothed[:5], values[:5])


def test_the_plot_smooths_with_its_weight(tmp_path):
    steps = [{"d_loss": float(v)} for v in np.random.default_rng(1).normal(size=120)]
    fixed, auto = LossPlot(tmp_path / "a.png", smoothing=0.8), LossPlot(tmp_path / "b.png")
    for plot in (fixed, auto):
        _train(plot, [steps])
    values = fixed.series()["d_loss"]["values"]
    np.testing.assert_allclose(fixed.series()["d_loss"]["smoothed"], _ema_reference(values, 0.8), rtol=1e-10)
    # auto: a horizon of a fiftieth of the curve, 120 / 50 = 2.4 points.
    assert auto_smoothing(120) == pytest.approx(1 - 1 / 2.4)
    np.testing.assert_allclose(
        auto.series()["d_loss"]["smoothed"], _ema_reference(values, 1 - 1 / 2.4), rtol=1e-10
    )
    np.testing.assert_allclose(auto.series()["val_d_loss"]["smoothed"], [0.25])  # 1 point: not smoothed


def test_is_schedule_key():
    assert [
        is_schedule_key(k) for k in ("discriminator_skipped", "g_reg_updates", "ada_p", "augment_rate")
    ] == [True] * 4
    assert [is_schedule_key(k) for k in ("d_loss", "gp", "updates", "val_g_loss", "adap")] == [False] * 5


def test_keys_restrict_the_curves(tmp_path):
    plot = LossPlot(tmp_path / "losses.png", keys=["gp"], run="exp-1")
    _train(plot, [_steps(3)])
    assert list(plot.series()) == ["gp"]
    assert read_png_metadata(tmp_path / "losses.png")["Run"] == "exp-1"


def test_every_redraws_during_training(tmp_path):
    path = tmp_path / "losses.png"
    plot = LossPlot(path, every=2)
    plot.on_train_begin()
    for epoch in range(2):
        plot.on_epoch_begin(epoch)
        plot.on_train_batch_end(0, {"d_loss": 1.0})
        plot.on_epoch_end(epoch, {"d_loss": 1.0})
        assert path.exists() == (epoch == 1)


def test_nothing_recorded_writes_nothing(tmp_path):
    plot = LossPlot(tmp_path / "losses.png")
    plot.on_train_begin()
    plot.on_train_end()
    assert not list(tmp_path.iterdir())
    with pytest.raises(ValueError, match="no values to plot"):
        plot.save()


def test_record_restarts_with_each_fit_of_a_model_without_a_step_count(tmp_path):
    plot = LossPlot(tmp_path / "losses.png")
    _train(plot, [_steps(3)])
    _train(plot, [_steps(1)])
    np.testing.assert_array_equal(plot.series()["d_loss"]["steps"], [1])


def test_a_drawing_failure_warns_and_does_not_stop_training(tmp_path):
    (tmp_path / "losses.png").mkdir()  # a folder where the PNG should go: the rename fails
    plot = LossPlot(tmp_path / "losses.png")
    with pytest.warns(RuntimeWarning, match="could not write"):
        _train(plot, [_steps(2)])
    assert len(plot.series()["d_loss"]["steps"]) == 2
    with pytest.raises(OSError):
        plot.save()  # called directly, the error is the caller's


def test_steps_file_keeps_the_steps_up_to_the_model_step_and_reads_back_exactly(tmp_path):
    path = tmp_path / "losses_steps.csv"

    class Model:
        name = "m"
        step = 0

        def completed_steps(self):
            return self.step

        is_compiled = True

    model = Model()
    first = LossPlot(tmp_path / "losses.png", steps_path=path)
    first.set_model(model)
    steps = _steps(6)
    _train(first, [steps[:3], steps[3:]])
    rows, clean = read_steps_file(path)
    assert clean and len(rows) == 6 * 3 + 2  # 3 keys per step, the validation value per epoch
    # Killed after step 5, its checkpoint at step 4; a cut line at the end.
    with open(path, "a") as f:
        f.write("7,d_lo")
    model.step = 4
    resumed = LossPlot(tmp_path / "losses.png", steps_path=path)
    resumed.set_model(model)
    _train(resumed, [_steps(6, start=4)])
    curves = resumed.series()
    np.testing.assert_array_equal(curves["d_loss"]["steps"], np.arange(1, 7))
    before = first.series()["d_loss"]["values"]
    np.testing.assert_array_equal(curves["d_loss"]["values"][:4], before[:4])  # read back exactly
    np.testing.assert_allclose(curves["d_loss"]["values"], [s["d_loss"] for s in steps], rtol=1e-12)
    np.testing.assert_array_equal(
        curves["val_d_loss"]["steps"], [3, 6]
    )  # the old epoch 2 row (step 6) dropped
    rows, clean = read_steps_file(path)
    assert clean and [r for r in rows if r[1] == "d_loss"] == list(
        zip(curves["d_loss"]["steps"].tolist(), ["d_loss"] * 6, curves["d_loss"]["values"].tolist())
    )


def test_read_steps_file_skips_damaged_lines(tmp_path):
    path = write_steps_file(tmp_path / "s.csv", [(1, "d_loss", 0.5), (2, "d_loss", float("nan"))])
    with open(path, "a") as f:
        f.write("x,y,z\n3,g_loss,1e-3\n4,g_")
    rows, clean = read_steps_file(path)
    assert not clean
    assert rows[0] == (1, "d_loss", 0.5) and np.isnan(rows[1][2]) and rows[2] == (3, "g_loss", 0.001)
    assert len(rows) == 3
    assert read_steps_file(tmp_path / "missing.csv") == ([], True)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"path": "losses.jpg"}, r"ending in '\.png'"),
        ({"every": 0}, "every"),
        ({"every": 1.5}, "every"),
        ({"keys": "d_loss"}, r"keys=\['d_loss'\]"),
        ({"smoothing": 1.0}, r"in \[0, 1\).*received 1.0"),
        ({"smoothing": -0.1}, "smoothing weight"),
        ({"smoothing": "ema"}, "'auto'"),
    ],
)
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        LossPlot(**kwargs)
