"""`benchmarks/variant_quality.py`: a run a stopped process left unfinished resumes where it stopped.

Its 5-epoch rows take up to two hours on two CPU cores, longer than some
hosts stay up; the second process must continue the run (same weights as
one uninterrupted run) and keep the epochs the first one timed.
"""

import json

import numpy as np
import pytest

from tests.benchmark_scripts import script_fixture

TINY = ["--variants", "dcgan", "--no-reference", "--limit", "512", "--batch-size", "256"]
TINY += ["--num-samples", "256", "--seed", "0"]


quality_bench = script_fixture("variant_quality")


def test_old_one_process_timings_still_read(quality_bench):
    assert quality_bench.timed_epochs({"epoch_seconds": [9.0, 2.0, 2.5]}) == [
        [9.0, False],
        [2.0, True],
        [2.5, True],
    ]


@pytest.mark.slow
def test_a_stopped_run_resumes_to_the_weights_of_an_uninterrupted_one(quality_bench, tmp_path):
    from kerasgan import runs

    def bench(folder, epochs):
        out = tmp_path / f"{folder}.json"
        quality_bench.main(
            [*TINY, "--epochs", str(epochs), "--runs", str(tmp_path / folder), "--out", str(out)]
        )
        return json.loads(out.read_text())["results"]["dcgan"]

    whole = bench("whole", 2)
    assert whole["processes"] == 1
    # A process that stopped after its first epoch leaves a checkpoint and the epochs it timed.
    bench("stopped", 1)
    run = tmp_path / "stopped" / "dcgan"
    (run / "timing.json").replace(run / "timing_partial.json")
    resumed = bench("stopped", 2)
    assert resumed["processes"] == 2
    timing = json.loads((run / "timing.json").read_text())["epochs"]
    assert [timed for _, timed in timing] == [False, False]  # each process's first epoch compiles
    assert not (run / "timing_partial.json").exists()
    a = runs.load_run_model(str(tmp_path / "whole" / "dcgan"))
    b = runs.load_run_model(str(run))
    for x, y in zip(a.generator.get_weights(), b.generator.get_weights(), strict=True):
        np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6)
    assert resumed["scores"]["fid"] == pytest.approx(whole["scores"]["fid"], rel=1e-3)
