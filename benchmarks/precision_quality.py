"""Sample quality of a DCGAN trained in float32 and in mixed_bfloat16 from the same seed.

Usage:
    python benchmarks/precision_quality.py [--epochs 5] [--limit N]
        [--batch-size 128] [--seeds 0] [--num-samples 10000] [--jit-compile]
        [--precisions float32 mixed_bfloat16]
        [--out benchmarks/results/precision_quality.json]

For each seed and precision, builds the 28x28 DCGAN under that Keras dtype
policy and trains it on Fashion-MNIST as `kerasgan train dcgan --seed S`
does (the same global seeding, model seed, paper optimizers and data order,
without the run folder's checkpoints), then scores it as `kerasgan
evaluate` does: FID, KID, precision/recall and the class score (the
Inception Score computed with the shipped Fashion-MNIST classifier) against
the test split, with the shipped Fashion-MNIST features. With the defaults
this repeats `docs/dcgan_5_epochs_evaluation.json` (5 epochs, batch 128,
seed 0, 10,000 samples) once per precision.

`--jit-compile` trains with XLA. On a CPU without bfloat16 units,
TensorFlow's own bfloat16 kernels are emulated and about 20x slower than
float32, while XLA computes each bfloat16 convolution in float32 and rounds
its result to bfloat16 (as oneDNN does on AMX and AVX512-BF16 units, which
accumulate in float32) at nearly float32 speed: use it to measure bfloat16's
effect on quality on such a CPU, with
`XLA_FLAGS=--xla_allow_excess_precision=false` so that XLA keeps every
rounding to bfloat16 (by default it may skip a float32 -> bfloat16 ->
float32 round trip). XLA draws other random numbers than graph mode for the
same seed.

Two runs that differ only in precision start from the same weights and see
the same batches and latents, but rounding makes them drift apart, so the
difference between them is of the same kind as the difference between two
seeds: pass several `--seeds` to see how large that is.
"""

import argparse
import json
import time

import keras
from machine import describe_machine

import kerasgan
from kerasgan.utils.precision import describe_precision, dtype_policy_scope
from kerasgan.utils.validation import positive_int_argument

METRICS = ("fid", "kid", "pr", "is")


def train_and_score(precision, seed, args):
    """Trains one DCGAN and scores it.

    Args:
        precision: a Keras policy name (`"float32"`, `"mixed_bfloat16"`, ...).
        seed: int seed of the run.
        args: parsed options (`epochs`, `limit`, `batch_size`, `num_samples`,
            `jit_compile`).

    Returns:
        Dict with `precision`, `seed`, `steps`, `train_seconds`,
        `final_losses` and `scores`.

    Example:
        >>> row = train_and_score("float32", 0, parse_args(["--epochs", "1"]))  # doctest: +SKIP
    """
    keras.utils.set_random_seed(seed)  # as kerasgan.runs.train does
    train = kerasgan.data.load(
        "fashion_mnist", split="train", batch_size=args.batch_size, seed=seed, limit=args.limit
    )
    with dtype_policy_scope(precision):
        gan = kerasgan.DCGAN(image_shape=(28, 28, 1), seed=seed)
        gan.compile(jit_compile=args.jit_compile)
        start = time.perf_counter()
        history = gan.fit(train, epochs=args.epochs, verbose=2)
        train_seconds = time.perf_counter() - start
    test = kerasgan.data.load(
        "fashion_mnist",
        split="test",
        batch_size=250,
        shuffle=False,
        drop_remainder=False,
        limit=args.num_samples,
    )
    scores = kerasgan.evaluate(
        gan,
        test,
        metrics=METRICS,
        num_samples=args.num_samples,
        feature_extractor="fashion_mnist",
        batch_size=250,
        seed=0,
    )
    return {
        "precision": precision,
        "seed": seed,
        "steps": gan.completed_steps(),
        "train_seconds": round(train_seconds, 1),
        "final_losses": {key: round(values[-1], 4) for key, values in history.history.items()},
        "scores": scores,
    }


def parse_args(argv=None):
    """Parses the command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=positive_int_argument, default=5)
    parser.add_argument(
        "--limit",
        type=positive_int_argument,
        default=None,
        help="train on the first N images only (default: all 60,000)",
    )
    parser.add_argument("--batch-size", type=positive_int_argument, default=128)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--num-samples", type=positive_int_argument, default=10000)
    parser.add_argument(
        "--precisions",
        nargs="+",
        default=["float32", "mixed_bfloat16"],
        choices=("float32", "mixed_bfloat16", "mixed_float16"),
    )
    parser.add_argument(
        "--jit-compile",
        action="store_true",
        help="train with XLA (on CPUs without bfloat16 units, bfloat16 at nearly float32 speed)",
    )
    parser.add_argument("--out", default="benchmarks/results/precision_quality.json")
    return parser.parse_args(argv)


def main(argv=None):
    """Trains and scores every (seed, precision) pair, writing JSON after each."""
    args = parse_args(argv)
    machine = describe_machine()
    machine["precision"] = describe_precision()
    results = []
    for seed in args.seeds:
        for precision in args.precisions:
            results.append(train_and_score(precision, seed, args))
            print(json.dumps(results[-1]), flush=True)
            machine["load_average_at_end"] = describe_machine()["load_average_1_5_15"]
            with open(args.out, "w") as file:
                json.dump({"machine": machine, "settings": vars(args), "results": results}, file, indent=1)


if __name__ == "__main__":
    main()
