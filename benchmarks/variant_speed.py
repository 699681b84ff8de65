"""Training images/s of latent variants with their defaults, against DCGAN, in one process.

Usage:
    python benchmarks/variant_speed.py [--variants sngan r3gan] [--batch-size 64]
        [--steps 8] [--repeats 3]

Each variant (and DCGAN, the baseline) is built at 28x28x1 with its
default networks and `compile()`, traced on two batches, then timed over
`--steps` cached Fashion-MNIST batches per repeat, the variants in turn in
each repeat. Prints images/s of the median repeat and the median ratio to
DCGAN of the same repeats (a figure that a busy machine disturbs less).
"""

import argparse
import statistics

from setups import benchmark_dataset, build_gan
from timing import fit_seconds

from kerasgan.utils.validation import positive_int_argument


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="+", default=["sngan", "r3gan"])
    parser.add_argument("--batch-size", type=positive_int_argument, default=64)
    parser.add_argument("--steps", type=positive_int_argument, default=8)
    parser.add_argument("--repeats", type=positive_int_argument, default=3)
    args = parser.parse_args()
    names = ["dcgan", *(name for name in args.variants if name != "dcgan")]
    data = benchmark_dataset("dcgan", args.batch_size, args.steps)
    gans = {}
    for name in names:
        gans[name] = build_gan(name)
        gans[name].compile()
        fit_seconds(gans[name], data.take(2))  # traces the step
    seconds = {name: [] for name in names}
    for _ in range(args.repeats):
        for name in names:
            seconds[name].append(fit_seconds(gans[name], data))
    for name in names:
        rate = args.batch_size * args.steps / statistics.median(seconds[name])
        ratio = statistics.median(d / s for d, s in zip(seconds["dcgan"], seconds[name]))
        print(f"{name}: {rate:.0f} images/s, {ratio:.2f}x DCGAN (n_critic={gans[name].n_critic})")


if __name__ == "__main__":
    main()
