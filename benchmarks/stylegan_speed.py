"""Training images/s of StyleGAN at 28x28 as a ratio to the DCGAN's, in one process.

Usage:
    python benchmarks/stylegan_speed.py [--rounds 3] [--steps 16] [--batch-size 64]
        [--filters 32 64] [--out benchmarks/results/stylegan_speed.json]

Every model is built in this process (TensorFlow, float32, graph mode):
`kerasgan.DCGAN(seed=0)` at its default width and `kerasgan.StyleGAN(seed=0)`
at each `--filters` width (32 is the default), with its default lazy R1
(every 16 steps) and path length (every 4 steps): `--steps 16` covers one
whole lazy cycle. Each is traced and warmed up by one untimed `fit` epoch over
the same cached Fashion-MNIST batches, then timed once per round, in turn
(`timing.fit_seconds`). `ratio` is the median over rounds of the row's
images/s over the DCGAN's of the same round (below 1: slower).
"""

import argparse
import json
import statistics

import keras
from setups import benchmark_dataset
from timing import fit_seconds

import kerasgan
from kerasgan.utils.validation import positive_int_argument


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=positive_int_argument, default=3)
    parser.add_argument("--steps", type=positive_int_argument, default=16)
    parser.add_argument("--batch-size", type=positive_int_argument, default=64)
    parser.add_argument("--filters", type=positive_int_argument, nargs="+", default=[32])
    parser.add_argument("--out", default=None)
    args = parser.parse_args()

    dataset = benchmark_dataset("dcgan", args.batch_size, args.steps)
    builders = {"dcgan": lambda: kerasgan.DCGAN(image_shape=(28, 28, 1), seed=0)}
    for filters in args.filters:
        builders[f"stylegan_f{filters}"] = lambda f=filters: kerasgan.StyleGAN(filters=f, seed=0)
    models = {}
    for name, build in builders.items():
        keras.utils.set_random_seed(0)
        models[name] = build()
        models[name].compile()
        fit_seconds(models[name], dataset)  # traces and warms up
    rates = {name: [] for name in models}
    for _ in range(args.rounds):
        for name, model in models.items():
            rates[name].append(args.batch_size * args.steps / fit_seconds(model, dataset))
    results = {}
    for name, values in rates.items():
        ratios = [value / base for value, base in zip(values, rates["dcgan"])]
        results[name] = {"images_per_second": statistics.median(values), "ratio": statistics.median(ratios)}
        rate, ratio = results[name]["images_per_second"], results[name]["ratio"]
        print(f"{name}: {rate:.0f} images/s, ratio {ratio:.3f}")
    if args.out:
        with open(args.out, "w") as file:
            json.dump({"arguments": vars(args), "results": results}, file, indent=2)


if __name__ == "__main__":
    main()
