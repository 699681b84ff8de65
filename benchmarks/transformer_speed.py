"""Training images/s of TransformerGAN (both discriminator kinds) as ratios to the DCGAN's, in one process.

Usage:
    python benchmarks/transformer_speed.py [--rows dcgan transformer_gan transformer_gan_vit]
        [--batch-size 64] [--steps 10] [--repeats 3] [--xla {off,on,both}]
        [--out benchmarks/results/transformer_speed.json]

Every model is built in this process at 28x28x1 with its defaults
(`setups.build_gan`), compiled with its paper's optimizers, traced and
warmed up by one untimed `fit` epoch on the same cached Fashion-MNIST
batches (`setups.benchmark_dataset`), then timed once per round, in turn
(`timing.interleaved_medians` of `timing.fit_seconds`):

- `dcgan`: `kerasgan.DCGAN`, the baseline;
- `transformer_gan`: `kerasgan.TransformerGAN` (Transformer generator,
  convolutional discriminator, lazy R1 every 4 steps);
- `transformer_gan_vit`: the same with `discriminator_kind="transformer"`
  (the spectrally normalised ViT discriminator).

`ratio` is the median over rounds of the row's images/s over the DCGAN's of
the same round (below 1: slower than the DCGAN). With `--xla both` each row
is timed with `jit_compile=False` and `True` (suffix `_xla`), each against
the DCGAN of the same setting.
"""

import argparse
import functools
import json
import statistics

from machine import describe_machine
from setups import XLA_MODES, benchmark_dataset, build_gan
from timing import fit_seconds, interleaved_medians

import kerasgan
from kerasgan.utils.validation import positive_int_argument

BASELINE = "dcgan"
# Row -> function of the seed building the model.
ROWS = {
    BASELINE: functools.partial(build_gan, "dcgan"),
    "transformer_gan": functools.partial(build_gan, "transformer_gan"),
    "transformer_gan_vit": lambda seed: kerasgan.TransformerGAN(
        image_shape=(28, 28, 1), discriminator_kind="transformer", seed=seed
    ),
}


def measure(rows, batch_size, steps, repeats, xla_modes):
    """Times each row's `fit` epoch in interleaved rounds and compares it with the DCGAN.

    Args:
        rows: keys of `ROWS`; the DCGAN is added when missing.
        batch_size: images per batch.
        steps: batches per timed epoch.
        repeats: rounds.
        xla_modes: the `jit_compile` values to time.

    Returns:
        Dict `{row: {"images_per_second", "ratio", "ratio_spread", "seconds"}}`.
    """
    dataset = benchmark_dataset("dcgan", batch_size, steps)
    contenders = {}
    for xla in xla_modes:
        for row in dict.fromkeys([BASELINE, *rows]):
            gan = ROWS[row](0)
            gan.compile(jit_compile=xla)
            fit_seconds(gan, dataset)  # traces, compiles and warms up
            contenders[row + ("_xla" if xla else "")] = functools.partial(fit_seconds, gan, dataset)
    timings = interleaved_medians(contenders, repeats)
    results = {}
    for name, timing in timings.items():
        baseline = timings[BASELINE + ("_xla" if name.endswith("_xla") else "")]["seconds"]
        ratios = [b / s for s, b in zip(timing["seconds"], baseline)]
        results[name] = {
            "images_per_second": round(batch_size * steps / timing["median_seconds"], 1),
            "ratio": round(statistics.median(ratios), 3),
            "ratio_spread": [round(min(ratios), 3), round(max(ratios), 3)],
            "seconds": [round(s, 3) for s in timing["seconds"]],
        }
    return results


def main(argv=None):
    """Parses the command line, measures, prints one line per row and writes the JSON file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", nargs="+", choices=sorted(ROWS), default=list(ROWS))
    parser.add_argument("--batch-size", type=positive_int_argument, default=64)
    parser.add_argument("--steps", type=positive_int_argument, default=10, help="batches per timed epoch")
    parser.add_argument("--repeats", type=positive_int_argument, default=3, help="interleaved rounds")
    parser.add_argument("--xla", choices=sorted(XLA_MODES), default="off")
    parser.add_argument("--out", default="benchmarks/results/transformer_speed.json")
    args = parser.parse_args(argv)
    machine = describe_machine()
    results = measure(args.rows, args.batch_size, args.steps, args.repeats, XLA_MODES[args.xla])
    for name, result in results.items():
        print(json.dumps({"row": name, **{k: result[k] for k in ("images_per_second", "ratio")}}), flush=True)
    machine["load_average_at_end"] = describe_machine()["load_average_1_5_15"]
    with open(args.out, "w") as file:
        json.dump({"machine": machine, "settings": vars(args), "results": results}, file, indent=1)


if __name__ == "__main__":
    main()
