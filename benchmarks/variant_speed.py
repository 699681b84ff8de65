"""Training images/s of latent variants as ratios to the DCGAN's, in one process.

Usage:
    python benchmarks/variant_speed.py [--rows acgan projection_gan projection_gan_n_critic_1 sngan r3gan]
        [--rounds 5] [--steps 10] [--batch-size 64]
        [--out benchmarks/results/variant_speed.json]

Every model is built in this process (TensorFlow, float32) as
`setups.build_gan` builds it: 28x28x1, the variant's default networks and
paper optimizers, 10 classes for the conditional ones; `<name>_n_critic_1`
is the variant with one discriminator update per step instead of its
default (the per-update cost). Each trains on cached Fashion-MNIST batches
(`setups.benchmark_dataset`, with labels where the variant takes them), is
traced by one untimed `fit` epoch, then timed once per round, in turn, the
order reversed on odd rounds, as `image_to_image_speed.py` times its rows:
`ratio` is the median over rounds of the row's images/s over the DCGAN's of
the same round, `cpu` the same per CPU second of this process (steadier on a
shared machine).
"""

import argparse
import json

from image_to_image_speed import BASELINE, summary, time_once
from machine import describe_machine
from setups import benchmark_dataset, build_gan

from kerasgan.utils.validation import positive_int_argument

SUFFIX = "_n_critic_1"


def prepare_row(row, batch_size, steps):
    """Builds a row's model, caches its batches, runs one untimed epoch; returns `(model, dataset)`."""
    variant = row.removesuffix(SUFFIX)
    gan = build_gan(variant)
    if row.endswith(SUFFIX):
        gan = type(gan).from_config({**gan.get_config(), "n_critic": 1})
    gan.compile()
    dataset = benchmark_dataset(variant, batch_size, steps)
    gan.fit(dataset, epochs=1, verbose=0)  # traces, and the first epoch's one-off costs
    return gan, dataset


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", nargs="+", default=["acgan", "projection_gan", "projection_gan" + SUFFIX])
    parser.add_argument("--rounds", type=positive_int_argument, default=5)
    parser.add_argument("--steps", type=positive_int_argument, default=10, help="timed steps per fit")
    parser.add_argument("--batch-size", type=positive_int_argument, default=64)
    parser.add_argument("--out", default="benchmarks/results/variant_speed.json")
    args = parser.parse_args()
    names = [BASELINE] + [row for row in args.rows if row != BASELINE]
    prepared = {row: prepare_row(row, args.batch_size, args.steps) for row in names}
    rounds = []
    for index in range(args.rounds):
        order = names if index % 2 == 0 else names[::-1]
        rounds.append({row: time_once(*prepared[row], args.batch_size, args.steps) for row in order})
        print(
            f"round {index + 1}: "
            + ", ".join(f"{r} {v['images_per_second']:.0f}" for r, v in rounds[-1].items())
        )
    result = {"command": vars(args), "machine": describe_machine(), "rounds": rounds, "rows": {}}
    for row in names[1:]:
        result["rows"][row] = summary(rounds, row) | {"cpu": summary(rounds, row, "images_per_cpu_second")}
        figures = result["rows"][row]
        print(
            f"{row}: {figures['images_per_second']:.0f} images/s, {figures['ratio']:.3f} x DCGAN "
            f"({figures['cpu']['ratio']:.3f} per CPU second)"
        )
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
