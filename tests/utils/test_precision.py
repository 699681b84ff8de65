"""Precision: bfloat16 units read from /proc/cpuinfo text, "auto", `kerasgan train --precision`."""

import json
import os

import keras
import pytest

from kerasgan import cli
from kerasgan.runs import load_run_model
from kerasgan.utils import precision

# /proc/cpuinfo excerpts of real CPU families (two logical CPUs each, flags shortened).
SAPPHIRE_RAPIDS = (
    "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Platinum 8480+\n"
    "flags\t\t: fpu sse2 avx2 avx512f avx512_bf16 amx_bf16 amx_tile amx_int8\n\n"
    "processor\t: 1\nmodel name\t: Intel(R) Xeon(R) Platinum 8480+\n"
    "flags\t\t: fpu sse2 avx2 avx512f avx512_bf16 amx_bf16 amx_tile amx_int8\n"
)
ZEN4 = (
    "processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512_vnni\n\n"
    "processor\t: 1\nflags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512_vnni\n"
)
AVX2_ONLY = (
    "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\n\nprocessor\t: 1\nflags\t\t: fpu sse2 avx avx2 fma\n"
)
# A flag that one logical CPU lacks is not usable by every thread.
MIXED = "processor\t: 0\nflags\t\t: avx2 amx_bf16\n\nprocessor\t: 1\nflags\t\t: avx2\n"
# aarch64 lists "Features", not "flags": no x86 bfloat16 units.
ARM = "processor\t: 0\nFeatures\t: fp asimd sve bf16 i8mm\n"


@pytest.mark.parametrize(
    "cpuinfo, expected",
    [
        (SAPPHIRE_RAPIDS, ("amx_bf16", "avx512_bf16")),
        (ZEN4, ("avx512_bf16",)),
        (AVX2_ONLY, ()),
        (MIXED, ()),
        (ARM, ()),
        ("", ()),
    ],
)
def test_bfloat16_flags_are_read_from_cpuinfo_text(cpuinfo, expected):
    assert precision.cpu_bfloat16_flags(cpuinfo) == expected


def test_no_cpuinfo_falls_back_to_float32(tmp_path, monkeypatch):
    assert precision.read_cpuinfo(str(tmp_path / "missing")) is None
    monkeypatch.setattr(precision, "read_cpuinfo", lambda: None)  # macOS, Windows
    assert precision.cpu_bfloat16_flags() == ()
    assert precision.resolve_precision("auto", has_gpu=False) == "float32"


@pytest.mark.parametrize(
    "cpuinfo, has_gpu, expected",
    [
        (SAPPHIRE_RAPIDS, False, "mixed_bfloat16"),
        (ZEN4, False, "mixed_bfloat16"),
        (SAPPHIRE_RAPIDS, True, "float32"),  # training runs on the GPU
        (AVX2_ONLY, False, "float32"),  # bfloat16 would be emulated, slower
        (MIXED, False, "float32"),
    ],
)
def test_auto_rule(cpuinfo, has_gpu, expected):
    assert precision.resolve_precision("auto", cpuinfo=cpuinfo, has_gpu=has_gpu) == expected


@pytest.mark.parametrize("name", ["float32", "mixed_bfloat16", "mixed_float16"])
def test_explicit_precisions_are_kept_on_any_machine(name):
    for cpuinfo, has_gpu in ((SAPPHIRE_RAPIDS, False), (AVX2_ONLY, True)):
        assert precision.resolve_precision(name, cpuinfo=cpuinfo, has_gpu=has_gpu) == name


@pytest.mark.parametrize("name", ["bfloat16", "fp32", "Auto", "", None])
def test_unknown_precision_names_the_choices(name):
    with pytest.raises(ValueError, match=r"Unknown precision .*'auto', 'float32', 'mixed_bfloat16'"):
        precision.resolve_precision(name, cpuinfo=SAPPHIRE_RAPIDS, has_gpu=False)


def test_policy_scope_restores_the_global_policy_after_an_error():
    with pytest.raises(RuntimeError):
        with precision.dtype_policy_scope("mixed_bfloat16"):
            assert keras.layers.Dense(2).compute_dtype == "bfloat16"
            raise RuntimeError("inside the block")
    assert keras.mixed_precision.global_policy().name == "float32"


def _settings(run):
    with open(os.path.join(run, "run.json")) as f:
        return json.load(f)["settings"]


def _compute_and_variable_dtypes(gan):
    """Compute dtypes of the hidden layers with weights, and the dtypes of all variables.

    The first layer is the input; the last (the generator's tanh, the
    discriminator's logits) computes in float32 under every policy.
    """
    networks = (gan.generator, gan.discriminator)
    compute = {layer.compute_dtype for net in networks for layer in net.layers[1:-1] if layer.weights}
    variables = {weight.dtype for net in networks for weight in net.weights}
    return compute, variables


TINY_RUN = [
    "train",
    "dcgan",
    "--epochs",
    "1",
    "--limit",
    "32",
    "--batch-size",
    "16",
    "--latent-dim",
    "8",
    "--seed",
    "0",
    "--save-every",
    "0",
]


def test_train_auto_picks_bfloat16_on_a_bfloat16_cpu(tmp_path, monkeypatch, capsys):
    run = str(tmp_path / "run")
    monkeypatch.setattr(precision, "read_cpuinfo", lambda: SAPPHIRE_RAPIDS)
    monkeypatch.setattr(precision, "gpu_visible", lambda: False)
    assert cli.main(TINY_RUN + ["--out", run]) == 0  # --precision auto, the default
    assert _settings(run)["precision"] == "mixed_bfloat16"
    assert keras.mixed_precision.global_policy().name == "float32", "global policy not restored"
    gan = load_run_model(run)
    assert gan.completed_steps() == 2
    assert _compute_and_variable_dtypes(gan) == ({"bfloat16"}, {"float32"})

    # Another explicit precision would mix two runs: refused before any training.
    assert cli.main(TINY_RUN + ["--out", run, "--resume", "--precision", "float32"]) == 1
    assert "mixed_bfloat16" in capsys.readouterr().err
    assert load_run_model(run).completed_steps() == 2


@pytest.mark.slow
def test_resume_with_auto_keeps_the_runs_precision_on_another_host(tmp_path, monkeypatch):
    run = str(tmp_path / "run")
    monkeypatch.setattr(precision, "gpu_visible", lambda: False)
    monkeypatch.setattr(precision, "read_cpuinfo", lambda: SAPPHIRE_RAPIDS)
    assert cli.main(TINY_RUN + ["--out", run]) == 0
    monkeypatch.setattr(precision, "read_cpuinfo", lambda: AVX2_ONLY)
    resumed = [a if a != "1" else "2" for a in TINY_RUN] + ["--out", run, "--resume"]
    assert cli.main(resumed) == 0
    assert _settings(run)["precision"] == "mixed_bfloat16"
    gan = load_run_model(run)
    assert gan.completed_steps() == 4
    assert _compute_and_variable_dtypes(gan) == ({"bfloat16"}, {"float32"})


@pytest.mark.slow
def test_train_with_explicit_float32_on_a_bfloat16_cpu(tmp_path, monkeypatch):
    monkeypatch.setattr(precision, "read_cpuinfo", lambda: SAPPHIRE_RAPIDS)
    monkeypatch.setattr(precision, "gpu_visible", lambda: False)
    run = str(tmp_path / "run")
    assert cli.main(TINY_RUN + ["--out", run, "--precision", "float32"]) == 0
    assert _settings(run)["precision"] == "float32"
    assert _compute_and_variable_dtypes(load_run_model(run)) == ({"float32"}, {"float32"})
