"""Train-step throughput of kerasgan's `fit` against a plain two-tape loop.

Usage:
    python benchmarks/train_step.py [--variants dcgan wgan_gp ...]
        [--batch-sizes 64 128 256] [--xla {off,on,both}] [--steps 20]
        [--repeats 3] [--steps-per-execution 1 4 16] [--in-graph-reference]
        [--torch [--torch-threads N]]
        [--out benchmarks/results/train_step.json] [--quick]

For each variant and batch size, in one process, on the same cached
Fashion-MNIST batches, the contenders below are timed once per repeat, in
turn, after a warm-up that traces and compiles them:

- `reference` (`reference_xla`): the plain `@tf.function` loop of
  `reference_loop.py` over the same networks, without (with) XLA, fed by a
  Python `for batch in dataset` loop (the TensorFlow tutorial's way);
- `reference_in_graph` (with `--in-graph-reference`): the same step pulling
  its batches with `iterator.get_next()` inside the graph, as `fit` does;
- `fit` (`fit_xla`): `gan.fit` of a GAN compiled with `jit_compile=False`
  (`True`); `fit_spe<k>` for each extra `steps_per_execution` value;
- `torch` (dcgan only, with `--torch`): the same DCGAN in PyTorch eager.

Each figure is images/s of the median repeat; each `*_vs_*` figure is the
median over repeats of the ratio of two contenders timed in the same round.
Writes one JSON file; prints one line per configuration.
"""

import torch_first  # noqa: F401, I001  (PyTorch before TensorFlow)

import argparse
import functools
import json
import statistics

from machine import describe_machine
from reference_loop import feed_in_graph, make_reference_step
from setups import XLA_MODES, benchmark_dataset, build_gan
from timing import fit_seconds, interleaved_medians, iterator_loop_seconds, loop_seconds

import kerasgan
from kerasgan.utils.validation import positive_int_argument


def _suffix(xla):
    return "_xla" if xla else ""


def _tensorflow_contenders(variant, dataset, xla_modes, steps_per_execution, in_graph_reference):
    contenders = {}
    for xla in xla_modes:
        for k in steps_per_execution:
            gan = build_gan(variant)
            gan.compile(jit_compile=xla, steps_per_execution=k)
            name = "fit" + _suffix(xla) + ("" if k == 1 else f"_spe{k}")
            contenders[name] = (fit_seconds, gan, dataset)
        step = make_reference_step(gan, jit_compile=xla)
        contenders["reference" + _suffix(xla)] = (loop_seconds, step, dataset)
        if in_graph_reference:
            contenders["reference_in_graph" + _suffix(xla)] = (
                iterator_loop_seconds,
                feed_in_graph(step),
                dataset,
            )
    return contenders


def _torch_contender(dataset, num_threads):
    from pytorch_dcgan import TorchDCGAN

    model = TorchDCGAN(num_threads=num_threads)
    return loop_seconds, model.step, [model.to_torch(images) for images in dataset]


def _first(batches, count):
    return batches[:count] if isinstance(batches, list) else batches.take(count)


def _paired_ratios(seconds, pairs):
    ratios = {}
    for name, baseline in pairs:  # throughput of name / throughput of baseline
        if name in seconds and baseline in seconds:
            per_round = [b / a for a, b in zip(seconds[name], seconds[baseline])]
            ratios[f"{name}_vs_{baseline}"] = round(statistics.median(per_round), 3)
    return ratios


def _comparisons(names):
    pairs = [
        ("fit", "reference"),
        ("fit_xla", "reference_xla"),
        ("fit_xla", "fit"),
        ("fit", "reference_in_graph"),
        ("fit_xla", "reference_in_graph_xla"),
        ("reference_in_graph", "reference"),
        ("reference_xla", "reference"),
        ("fit", "torch"),
        ("fit_xla", "torch"),
    ]
    pairs += [(name, "fit") for name in names if "_spe" in name and "_xla" not in name]
    pairs += [(name, "fit_xla") for name in names if "_spe" in name and "_xla" in name]
    return pairs


def measure(variant, batch_size, args):
    """Times every contender for one variant and batch size.

    Args:
        variant: a key of `kerasgan.VARIANTS`.
        batch_size: images per batch.
        args: parsed command-line options (`xla`, `steps`, `repeats`,
            `steps_per_execution`, `in_graph_reference`, `torch`,
            `torch_threads`).

    Returns:
        Dict with `variant`, `batch_size`, `images_per_second` per contender,
        the paired `ratios` and the raw `seconds`.
    """
    dataset = benchmark_dataset(variant, batch_size, args.steps)
    contenders = _tensorflow_contenders(
        variant, dataset, XLA_MODES[args.xla], args.steps_per_execution, args.in_graph_reference
    )
    if args.torch and variant == "dcgan":
        contenders["torch"] = _torch_contender(dataset, args.torch_threads)
    for timer, target, batches in contenders.values():  # traces and compiles
        timer(target, _first(batches, max(args.steps_per_execution) + 1))
    timings = interleaved_medians(
        {name: functools.partial(*contender) for name, contender in contenders.items()},
        args.repeats,
    )
    images = batch_size * args.steps
    return {
        "variant": variant,
        "batch_size": batch_size,
        "images_per_second": {
            name: round(images / timing["median_seconds"], 1) for name, timing in timings.items()
        },
        "ratios": _paired_ratios(
            {name: timing["seconds"] for name, timing in timings.items()},
            _comparisons(list(contenders)),
        ),
        "seconds": {name: [round(s, 4) for s in timing["seconds"]] for name, timing in timings.items()},
    }


def parse_args(argv=None):
    """Parses the command line; `--quick` shrinks the grid to a smoke test."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--variants", nargs="+", default=sorted(kerasgan.VARIANTS), choices=sorted(kerasgan.VARIANTS)
    )
    parser.add_argument("--batch-sizes", nargs="+", type=positive_int_argument, default=[64, 128, 256])
    parser.add_argument("--xla", choices=sorted(XLA_MODES), default="both")
    parser.add_argument("--steps", type=positive_int_argument, default=20, help="training steps per timing")
    parser.add_argument("--repeats", type=positive_int_argument, default=3, help="interleaved rounds")
    parser.add_argument(
        "--steps-per-execution",
        nargs="+",
        type=positive_int_argument,
        default=[1],
        help="values for compile(steps_per_execution=); 1 must be first",
    )
    parser.add_argument(
        "--in-graph-reference",
        action="store_true",
        help="also time the reference step pulling batches in-graph, as fit does",
    )
    parser.add_argument(
        "--torch", action="store_true", help="also time the same DCGAN in PyTorch (needs torch)"
    )
    parser.add_argument(
        "--torch-threads",
        type=positive_int_argument,
        default=None,
        help="torch.set_num_threads value; default: PyTorch's own",
    )
    parser.add_argument("--out", default="benchmarks/results/train_step.json")
    parser.add_argument(
        "--quick", action="store_true", help="dcgan at batch 64, 4 steps, 1 repeat: a smoke test"
    )
    args = parser.parse_args(argv)
    if args.steps_per_execution[0] != 1:
        parser.error("--steps-per-execution must start with 1 (the reference setting).")
    if args.quick:
        args.variants, args.batch_sizes, args.steps, args.repeats = ["dcgan"], [64], 4, 1
    return args


def main(argv=None):
    """Runs the grid and writes the JSON file named by `--out`."""
    args = parse_args(argv)
    machine = describe_machine()
    results = []
    for variant in args.variants:
        for batch_size in args.batch_sizes:
            result = measure(variant, batch_size, args)
            print(
                json.dumps(
                    {key: result[key] for key in ("variant", "batch_size", "ratios")}
                    | {"images_per_second": result["images_per_second"]}
                ),
                flush=True,
            )
            results.append(result)
            with open(args.out, "w") as file:
                json.dump({"machine": machine, "settings": vars(args), "results": results}, file, indent=1)
    machine["load_average_at_end"] = describe_machine()["load_average_1_5_15"]
    with open(args.out, "w") as file:
        json.dump({"machine": machine, "settings": vars(args), "results": results}, file, indent=1)


if __name__ == "__main__":
    main()
