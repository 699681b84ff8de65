"""InfoGAN: how well Q recovers the categorical code after a short run, and its speed against DCGAN.

Usage:
    python benchmarks/infogan.py [--steps 200] [--batch-size 64] [--speed-steps 20]
        [--repeats 3] [--out benchmarks/results/infogan.json] [--picture docs/images/infogan_codes.png]

In one process, on cached Fashion-MNIST batches (28x28x1), with the
paper's defaults (10 categories, 2 continuous codes, 62 noise values,
lambda 1, Adam 1e-3 / 2e-4):

- trains an InfoGAN for `--steps` steps and reports `code_accuracy` (Q's
  most likely category of 1,000 generated images against the drawn one;
  chance is 0.1) before and after, and the logged `q_accuracy`;
- times `fit` epochs of `--speed-steps` batches of InfoGAN and DCGAN (both
  with their default networks) in turn, `--repeats` rounds after a warm-up,
  and reports images/s of each (median round) and the median over rounds
  of their ratio within a round;
- with `--picture`, writes the trained model's code grid (rows: the
  category; columns: the first continuous code from -2 to 2).

Writes one JSON file; prints a summary.
"""

import argparse
import json
import statistics
import time

from machine import describe_machine
from setups import benchmark_dataset, build_gan
from timing import fit_seconds, interleaved_medians

from kerasgan.images import code_grid, save_png
from kerasgan.utils.validation import positive_int_argument


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=positive_int_argument, default=200)
    parser.add_argument("--batch-size", type=positive_int_argument, default=64)
    parser.add_argument("--speed-steps", type=positive_int_argument, default=20)
    parser.add_argument("--repeats", type=positive_int_argument, default=3)
    parser.add_argument("--out", default="benchmarks/results/infogan.json")
    parser.add_argument("--picture", default=None)
    args = parser.parse_args()

    data = benchmark_dataset("infogan", args.batch_size, args.steps)
    gan = build_gan("infogan")
    gan.compile()
    before = gan.code_accuracy(1000, seed=0)
    start = time.perf_counter()
    history = gan.fit(data, epochs=1, verbose=0).history
    train_seconds = time.perf_counter() - start
    after = gan.code_accuracy(1000, seed=0)
    if args.picture:
        save_png(args.picture, code_grid(gan, continuous_index=0, num_values=8), model=gan)

    speed_data = benchmark_dataset("dcgan", args.batch_size, args.speed_steps)
    models = {name: build_gan(name) for name in ("infogan", "dcgan")}
    for model in models.values():
        model.compile()
        model.fit(speed_data.take(2), epochs=1, verbose=0)  # traces the step
    timed = interleaved_medians(
        {name: (lambda model=model: fit_seconds(model, speed_data)) for name, model in models.items()},
        args.repeats,
    )
    images = args.batch_size * args.speed_steps
    speed = {name: images / result["median_seconds"] for name, result in timed.items()}
    report = {
        "command": "python benchmarks/infogan.py "
        + " ".join(
            f"--{key.replace('_', '-')} {value}" for key, value in vars(args).items() if value is not None
        ),
        "machine": describe_machine(),
        "steps": args.steps,
        "batch_size": args.batch_size,
        "code_accuracy_before": before,
        "code_accuracy_after": after,
        "chance": 1.0 / gan.num_categories,
        "logged": {name: values[-1] for name, values in history.items()},
        "train_seconds_with_tracing": train_seconds,
        "images_per_second": speed,
        # The median over rounds of the ratio within a round: robust to a machine whose load changes.
        "infogan_vs_dcgan": statistics.median(
            dcgan / infogan for infogan, dcgan in zip(timed["infogan"]["seconds"], timed["dcgan"]["seconds"])
        ),
        "speed_seconds": timed,
    }
    with open(args.out, "w") as f:
        json.dump(report, f, indent=2)
    print(
        f"Q's category accuracy {before:.3f} -> {after:.3f} after {args.steps} steps (chance "
        f"{report['chance']:.2f}); images/s InfoGAN {speed['infogan']:.0f}, DCGAN {speed['dcgan']:.0f} "
        f"(ratio {report['infogan_vs_dcgan']:.2f}). Wrote {args.out}"
    )


if __name__ == "__main__":
    main()
