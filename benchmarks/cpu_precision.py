"""DCGAN training speed on CPU in float32 and bfloat16, kerasgan and PyTorch.

Usage:
    python benchmarks/cpu_precision.py [--batch-size 256] [--steps 10]
        [--repeats 4] [--no-torch] [--out benchmarks/results/cpu_precision.json]

In one process, on the same cached Fashion-MNIST batches of the 28x28
DCGAN, after a warm-up that traces and compiles each of them, the
contenders below are timed once per repeat, in turn:

- `fit_float32`: `gan.fit` of a DCGAN built under the `float32` policy;
- `fit_mixed_bfloat16`: the same under `mixed_bfloat16` (layers compute in
  bfloat16, variables stay float32);
- `torch_float32`: the same DCGAN in PyTorch eager (`pytorch_dcgan.py`);
- `torch_bfloat16`: the same with forward passes under
  `torch.autocast("cpu", dtype=torch.bfloat16)`.

`OMP_WAIT_POLICY=PASSIVE` is set before TensorFlow and PyTorch start, unless
the environment already sets it: PyTorch's OpenMP threads otherwise spin
while idle and take CPU time from the contender being timed. The JSON
records which bfloat16 units (`amx_bf16`, `avx512_bf16`) the CPU reports:
without them bfloat16 is emulated and slower than float32.

Figures are images/s of the median repeat; each `*_vs_*` ratio is the
median over repeats of the ratio of two contenders timed in the same round.
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import argparse  # noqa: E402
import functools  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402

import torch_first  # noqa: E402, F401  (before TensorFlow)
from machine import describe_machine  # noqa: E402
from setups import benchmark_dataset, build_gan  # noqa: E402
from timing import fit_seconds, interleaved_medians, loop_seconds  # noqa: E402

from kerasgan.utils.precision import describe_precision, dtype_policy_scope  # noqa: E402
from kerasgan.utils.validation import positive_int_argument  # noqa: E402

POLICIES = ("float32", "mixed_bfloat16")
# (faster candidate, baseline) pairs reported as throughput ratios.
RATIOS = (
    ("fit_mixed_bfloat16", "fit_float32"),
    ("torch_bfloat16", "torch_float32"),
    ("fit_float32", "torch_float32"),
    ("fit_mixed_bfloat16", "torch_bfloat16"),
)


def _kerasgan_contenders(dataset):
    contenders = {}
    for policy in POLICIES:
        with dtype_policy_scope(policy):
            gan = build_gan("dcgan")
            gan.compile()
        contenders[f"fit_{policy}"] = (fit_seconds, gan, dataset)
    return contenders


def _torch_contenders(dataset):
    from pytorch_dcgan import TorchDCGAN, import_torch

    torch = import_torch()
    contenders = {}
    for name, dtype in (("torch_float32", None), ("torch_bfloat16", torch.bfloat16)):
        model = TorchDCGAN(autocast_dtype=dtype)
        batches = [model.to_torch(images) for images in dataset]
        contenders[name] = (loop_seconds, model.step, batches)
    return contenders


def _paired_ratios(seconds):
    ratios = {}
    for name, baseline in RATIOS:
        if name in seconds and baseline in seconds:
            per_round = [b / a for a, b in zip(seconds[name], seconds[baseline])]
            ratios[f"{name}_vs_{baseline}"] = round(statistics.median(per_round), 3)
    return ratios


def measure(batch_size, steps, repeats, torch=True):
    """Times the four contenders, interleaved, and returns their figures.

    Args:
        batch_size: images per batch.
        steps: training steps per timed pass.
        repeats: interleaved rounds.
        torch: also time the PyTorch contenders. Defaults to True.

    Returns:
        Dict with `images_per_second` per contender, the `ratios` and the
        raw `seconds`.

    Example:
        >>> result = measure(batch_size=64, steps=2, repeats=1, torch=False)  # doctest: +SKIP
    """
    dataset = benchmark_dataset("dcgan", batch_size, steps)
    contenders = _kerasgan_contenders(dataset)
    if torch:
        contenders.update(_torch_contenders(dataset))
    for timer, target, batches in contenders.values():  # traces, compiles, warms caches
        timer(target, batches)
    timings = interleaved_medians(
        {name: functools.partial(*contender) for name, contender in contenders.items()}, repeats
    )
    seconds = {name: timing["seconds"] for name, timing in timings.items()}
    return {
        "images_per_second": {
            name: round(batch_size * steps / timing["median_seconds"], 1) for name, timing in timings.items()
        },
        "ratios": _paired_ratios(seconds),
        "seconds": {name: [round(s, 4) for s in values] for name, values in seconds.items()},
    }


def parse_args(argv=None):
    """Parses the command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch-size", type=positive_int_argument, default=256)
    parser.add_argument("--steps", type=positive_int_argument, default=10, help="training steps per timing")
    parser.add_argument("--repeats", type=positive_int_argument, default=4, help="interleaved rounds")
    parser.add_argument("--no-torch", dest="torch", action="store_false", help="time kerasgan only")
    parser.add_argument("--out", default="benchmarks/results/cpu_precision.json")
    return parser.parse_args(argv)


def main(argv=None):
    """Runs the measurement and writes the JSON file named by `--out`."""
    args = parse_args(argv)
    machine = describe_machine()
    machine["omp_wait_policy"] = os.environ["OMP_WAIT_POLICY"]
    machine["precision"] = describe_precision()
    result = measure(args.batch_size, args.steps, args.repeats, torch=args.torch)
    machine["load_average_at_end"] = describe_machine()["load_average_1_5_15"]
    print(json.dumps({key: result[key] for key in ("images_per_second", "ratios")}), flush=True)
    with open(args.out, "w") as file:
        json.dump({"machine": machine, "settings": vars(args), "result": result}, file, indent=1)


if __name__ == "__main__":
    main()
