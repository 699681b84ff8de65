"""Peak memory of kerasgan's `fit` against the plain two-tape loop.

Usage:
    python benchmarks/memory.py [--variants dcgan wgan_gp ...]
        [--batch-sizes 64 128 256] [--xla {off,on,both}] [--steps 3]
        [--out benchmarks/results/memory.json]

On CPU, `tf.config.experimental.get_memory_info` does not report, so each
measurement runs in a fresh subprocess and reads its peak resident set size
(`resource.getrusage(RUSAGE_SELF).ru_maxrss`): once after building the model
and the data (`before_training_mb`) and once after `--steps` training steps
(`peak_mb`, tracing included). The same is done for the reference loop of
`reference_loop.py`, and the ratios `fit / reference` are reported for the
peak and for the growth during training (`peak - before_training`), which is
what the training step itself costs.
"""

import argparse
import json
import resource
import subprocess
import sys

from machine import describe_machine
from reference_loop import make_reference_step
from setups import XLA_MODES, benchmark_dataset, build_gan
from timing import fit_seconds, loop_seconds

import kerasgan
from kerasgan.utils.validation import positive_int_argument


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(contender, variant, batch_size, xla, steps):
    """Trains in this process and returns its peak memory before and after.

    Args:
        contender: `"fit"` or `"reference"`.
        variant: a key of `kerasgan.VARIANTS`.
        batch_size: images per batch.
        xla: whether to compile with XLA.
        steps: training steps.

    Returns:
        Dict with `before_training_mb` and `peak_mb`.
    """
    dataset = benchmark_dataset(variant, batch_size, steps)
    gan = build_gan(variant)
    if contender == "fit":
        gan.compile(jit_compile=xla)
        before = _peak_mb()
        fit_seconds(gan, dataset)
    else:
        step = make_reference_step(gan, jit_compile=xla)
        before = _peak_mb()
        loop_seconds(step, dataset)
    return {"before_training_mb": round(before, 1), "peak_mb": round(_peak_mb(), 1)}


def _run_child(contender, variant, batch_size, xla, steps):
    command = [
        sys.executable,
        __file__,
        "--child",
        contender,
        variant,
        str(batch_size),
        str(int(xla)),
        str(steps),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure(variant, batch_size, xla, steps):
    """Peak memory of `fit` and of the reference loop, each in its own process.

    Args:
        variant: a key of `kerasgan.VARIANTS`.
        batch_size: images per batch.
        xla: whether both are compiled with XLA.
        steps: training steps.

    Returns:
        Dict with both measurements and the ratios `peak_fit_vs_reference`
        and `training_growth_fit_vs_reference`.
    """
    fit = _run_child("fit", variant, batch_size, xla, steps)
    reference = _run_child("reference", variant, batch_size, xla, steps)
    growth = {
        name: result["peak_mb"] - result["before_training_mb"]
        for name, result in (("fit", fit), ("reference", reference))
    }
    return {
        "variant": variant,
        "batch_size": batch_size,
        "xla": xla,
        "fit": fit,
        "reference": reference,
        "peak_fit_vs_reference": round(fit["peak_mb"] / reference["peak_mb"], 3),
        "training_growth_fit_vs_reference": round(growth["fit"] / max(growth["reference"], 1.0), 3),
    }


def main(argv=None):
    """Runs the grid (or, with `--child`, one measurement) and writes `--out`."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        contender, variant, batch_size, xla, steps = argv[1:]
        print(json.dumps(child(contender, variant, int(batch_size), bool(int(xla)), int(steps))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--variants", nargs="+", default=sorted(kerasgan.VARIANTS), choices=sorted(kerasgan.VARIANTS)
    )
    parser.add_argument("--batch-sizes", nargs="+", type=positive_int_argument, default=[64, 128, 256])
    parser.add_argument("--xla", choices=sorted(XLA_MODES), default="off")
    parser.add_argument("--steps", type=positive_int_argument, default=3)
    parser.add_argument("--out", default="benchmarks/results/memory.json")
    args = parser.parse_args(argv)
    results = []
    for variant in args.variants:
        for batch_size in args.batch_sizes:
            for xla in XLA_MODES[args.xla]:
                results.append(measure(variant, batch_size, xla, args.steps))
                print(json.dumps(results[-1]), flush=True)
                with open(args.out, "w") as file:
                    json.dump(
                        {"machine": describe_machine(), "settings": vars(args), "results": results},
                        file,
                        indent=1,
                    )


if __name__ == "__main__":
    main()
