"""`benchmarks/quality.py`: every row has a command and a kind, and a short row of each kind runs."""

import json

import pytest

from tests.benchmark_scripts import script_fixture

quality = script_fixture("quality")


def test_every_row_has_a_kind_a_variant_and_a_command(quality):
    import kerasgan

    budget = {"name": "full", **quality.BUDGETS["full"]}
    kinds = {row.kind for row in quality.ROWS.values()}
    assert kinds == {"unconditional", "conditional", "modes", "small_data", "balance"}
    for name, row in quality.ROWS.items():
        assert row.variant in kerasgan.VARIANTS and name.startswith(row.kind + "/")
        command = quality.command_of(name, row, budget)
        assert command.startswith(("kerasgan train", "python benchmarks/quality.py"))
        assert ("stacked_fashion_mnist" in command) == (row.kind == "modes")
    assert len(quality.selected(["small_data/*"])) == 3 * len(quality.BUDGETS["full"]["seeds"])
    with pytest.raises(SystemExit, match="No row matches"):
        quality.selected(["nonsense/*"])


@pytest.mark.slow
def test_a_short_row_of_each_kind_runs_and_is_reused(quality, tmp_path):
    rows = [
        "unconditional/dcgan",
        "conditional/acgan",
        "modes/dcgan",
        "small_data/ada/seed0",
        "balance/skip_rule",
    ]
    out = tmp_path / "quality.json"
    argv = ["--budget", "short", "--rows", *rows, "--runs", str(tmp_path / "runs"), "--out", str(out)]
    quality.main(argv)
    results = json.loads(out.read_text())["results"]
    assert sorted(results) == sorted(rows)
    assert 0 <= results["conditional/acgan"]["scores"]["label_accuracy"] <= 1
    assert results["modes/dcgan"]["scores"]["modes"] >= 1
    for name in ("unconditional/dcgan", "small_data/ada/seed0", "balance/skip_rule"):
        assert {"fid", "recall", "classes"} <= set(results[name]["scores"])
    assert results["small_data/ada/seed0"]["steps"] == quality.BUDGETS["short"]["small_steps"]
    # A finished row is read back, not trained again.
    cached = tmp_path / "runs" / "unconditional" / "dcgan" / "result.json"
    before = cached.stat().st_mtime_ns
    quality.main(
        [
            "--budget",
            "short",
            "--rows",
            "unconditional/dcgan",
            "--runs",
            str(tmp_path / "runs"),
            "--out",
            str(out),
        ]
    )
    assert cached.stat().st_mtime_ns == before
    assert sorted(json.loads(out.read_text())["results"]) == sorted(rows)  # merged, none lost
