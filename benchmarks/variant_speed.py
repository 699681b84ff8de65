"""Training throughput of latent variants with their default networks, timed in one process.

Usage:
    python benchmarks/variant_speed.py [--variants acgan projection_gan ...]
        [--batch-size 64] [--steps 10] [--repeats 3] [--one-critic-step]
        [--out benchmarks/results/variant_speed.json]

Each variant is built as `benchmarks/setups.py` builds it (28x28x1, default
networks, conditional ones with 10 classes), compiled with its paper
optimizers, warmed up by one `fit` epoch (tracing), then timed by
`fit` epochs over the same cached Fashion-MNIST batches, one variant after
the other in each round (`--repeats` rounds). With `--one-critic-step` a
variant whose default takes several discriminator updates per step is
timed again with `n_critic=1` (`<name>_n_critic_1`), so the per-update cost
compares too. Prints images/s (training images per second of the median
round) and writes one JSON file.
"""

import argparse
import json

from machine import describe_machine
from setups import benchmark_dataset, build_gan
from timing import fit_seconds, interleaved_medians

from kerasgan.utils.validation import positive_int_argument


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="+", default=["acgan", "projection_gan"])
    parser.add_argument("--batch-size", type=positive_int_argument, default=64)
    parser.add_argument("--steps", type=positive_int_argument, default=10, help="training steps per timing")
    parser.add_argument("--repeats", type=positive_int_argument, default=3)
    parser.add_argument("--one-critic-step", action="store_true")
    parser.add_argument("--out", default="benchmarks/results/variant_speed.json")
    args = parser.parse_args()
    contenders = {}
    for variant in args.variants:
        dataset = benchmark_dataset(variant, args.batch_size, args.steps)
        settings = [(variant, {})]
        if args.one_critic_step and build_gan(variant).n_critic != 1:
            settings.append((f"{variant}_n_critic_1", {"n_critic": 1}))
        for name, options in settings:
            gan = build_gan(variant)
            if options:
                gan = type(gan).from_config({**gan.get_config(), **options})
            gan.compile()
            fit_seconds(gan, dataset.take(1))  # traces the step
            contenders[name] = lambda gan=gan, dataset=dataset: fit_seconds(gan, dataset)
    timings = interleaved_medians(contenders, args.repeats)
    images = args.batch_size * args.steps
    results = {"command": vars(args), "machine": describe_machine(), "images_per_second": {}}
    for name, timing in timings.items():
        rate = images / timing["median_seconds"]
        results["images_per_second"][name] = rate
        print(f"{name:28s} {rate:8.1f} images/s  (rounds: {[round(s, 2) for s in timing['seconds']]} s)")
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
