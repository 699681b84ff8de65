"""`benchmarks/mode_coverage.py` keeps running: tiny rows train on stacks and report their modes."""

import json

import pytest

from tests.benchmark_scripts import script_fixture

modes_bench = script_fixture("mode_coverage")


def test_every_row_names_a_variant_and_its_command_its_switches(modes_bench):
    import kerasgan

    args = type("Args", (), {"epochs": 5, "batch_size": 256, "seed": 0, "limit": None})()
    for variant, options in modes_bench.ROWS.values():
        assert variant in kerasgan.VARIANTS
        command = modes_bench.command_of(variant, options, args)
        assert "--dataset stacked_fashion_mnist" in command
        for spec in options.get("regularizers", ()):
            assert f"--regularizer {spec}" in command
        assert ("--augment" in command) == ("augment" in options)


@pytest.mark.slow
def test_tiny_rows_train_on_stacks_and_count_their_modes(modes_bench, tmp_path):
    out = tmp_path / "modes.json"
    modes_bench.main(
        ["--rows", "dcgan", "dcgan_mode_seeking", "--epochs", "1", "--limit", "512", "--num-samples", "300"]
        + ["--runs", str(tmp_path / "runs"), "--out", str(out)]
    )
    results = json.loads(out.read_text())["results"]
    for name, result in results.items():
        scores = result["scores"]
        assert 1 <= scores["modes"] <= 300 and scores["modes_kl"] >= 0
        assert 200 < scores["real_modes"] <= 300  # 300 real stacks: most modes appear once
        settings = json.loads((tmp_path / "runs" / name / "run.json").read_text())["settings"]
        assert settings["dataset"] == "stacked_fashion_mnist"
    assert results["dcgan_mode_seeking"]["scores"]["real_modes"] == results["dcgan"]["scores"]["real_modes"]
    assert json.loads((tmp_path / "runs" / "dcgan_mode_seeking" / "run.json").read_text())["settings"][
        "regularizers"
    ] == ["ms:1"]
