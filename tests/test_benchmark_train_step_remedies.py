"""`benchmarks/train_step_remedies.py` keeps running: one remedy row for one step, and its ratios."""

import math
import os

import pytest

from tests.benchmark_scripts import script_fixture

remedies_bench = script_fixture("train_step_remedies")


def test_a_remedy_row_trains_with_its_settings_and_is_timed(remedies_bench, fashion_mnist_sample):
    import kerasgan

    images, _ = fashion_mnist_sample
    result = remedies_bench.time_row("n_critic_schedule", images, batch_size=16, steps=1, warmup_steps=1)
    for key in ("images_per_second", "images_per_cpu_second"):
        assert math.isfinite(result[key]) and result[key] > 0
    assert result["logged"]["discriminator_updates"] == 2.0  # the row's Schedule([(0, 2), ...]) ran
    assert result["dtype_policy"] == "float32"
    assert result["kerasgan"] == os.path.dirname(os.path.abspath(kerasgan.__file__))


def test_every_row_builds_and_compiles_its_model(remedies_bench):
    import kerasgan

    for settings in remedies_bench.ROW_SETTINGS.values():
        settings = settings()
        gan = kerasgan.DCGAN(latent_dim=8, seed=0, **settings.get("model", {}))
        gan.compile(**settings.get("compile", {}))
        assert gan.is_compiled


def test_a_row_ratio_is_the_median_of_per_round_ratios(remedies_bench):
    speeds = [(100.0, 100.0), (200.0, 100.0), (300.0, 200.0)]  # (row, plain) images/s per round
    rounds = [{"diffaugment": {"images_per_second": a}, "plain": {"images_per_second": b}} for a, b in speeds]
    summary = remedies_bench._summary(rounds, "diffaugment", "plain")
    assert summary["ratios_per_round"] == [1.0, 2.0, 1.5]
    assert summary["ratio"] == 1.5  # not median(row) / median(plain) = 2.0
    assert summary["ratio_spread"] == [1.0, 2.0]
    assert summary["images_per_second"] == 200.0 and summary["plain_images_per_second"] == 100.0


def test_unknown_rows_are_refused(remedies_bench):
    with pytest.raises(SystemExit):
        remedies_bench.parse_args(["--rows", "no_such_remedy"])
