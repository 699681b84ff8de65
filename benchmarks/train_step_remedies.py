"""What core v3 and each remedy cost the 28x28 DCGAN's `fit` on TensorFlow, as ratios.

Usage:
    python benchmarks/train_step_remedies.py [--rows before_after diffaugment ada ...]
        [--reference a85ec18] [--rounds 3] [--steps 20] [--warmup-steps 2]
        [--batch-size 128] [--precision float32]
        [--out benchmarks/results/train_step_remedies.json]

Every measurement is a fresh child process (`--child ROW`) that builds
`kerasgan.DCGAN(seed=0)` with the row's constructor arguments, compiles it
with the row's compile arguments (see `ROW_SETTINGS`), runs a warm-up `fit`
of `--warmup-steps` batches (tracing), then times one `fit` epoch of
`--steps` batches (`timing.fit_seconds`). Every child reads the same
Fashion-MNIST images, which the parent writes to a temporary `.npy` file,
under the same Keras dtype policy (`--precision`, float32 by default).

Rows:

- `before_after`: the DCGAN with no remedy at the git ref `--reference`
  (default `a85ec18`, the commit before core v3: one discriminator call
  with augmentation, reported statistics, controllers, gates, step
  schedules), checked out with `git worktree add --detach` into a
  temporary folder and imported from there (`PYTHONPATH`), against the
  same DCGAN of this checkout (the `plain` child of the same round).
- one row per remedy of `ROW_SETTINGS`, on this checkout, against `plain`.
  `n_critic_schedule` runs two discriminator updates per step: it does
  more work, so its ratio is not an overhead.

Each round runs the reference child, the `plain` child, then the remedy
children (in reverse order on odd rounds, so that a drifting load hits
early and late rows alike). Speeds on a shared host move 2-4x, so read the
ratios: each is the median over rounds of the row's images/s over the
images/s of the `plain` child of the same round; `ratio_spread` gives
the smallest and largest per-round ratio. `cpu` repeats them for images
per second of the child's CPU time over the `fit` call (its one-off setup
included, the same for every row), which a busy host disturbs less than the
wall clock, though not at all (caches, TensorFlow's spinning threads). The
JSON records the command,
the machine, `uptime` before and after, and each child's load average.

The default (all rows, 3 rounds of 20 steps at batch 128) starts 39
children; on 2 shared cores that took 19-21 minutes. The before/after row
alone, with more rounds (16 children, about 8 minutes):

    python benchmarks/train_step_remedies.py --rows before_after --rounds 8 \
        --out benchmarks/results/train_step_remedies_before_after.json
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import keras
import numpy as np
from machine import describe_machine
from timing import fit_seconds

import kerasgan
from kerasgan.utils.precision import dtype_policy_scope
from kerasgan.utils.validation import positive_int_argument

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEFORE_AFTER = "before_after"
REFERENCE_CHILD = "reference"  # the plain DCGAN at --reference, run for before_after
PRECISIONS = ("float32", "mixed_bfloat16")
# Logged figures a child returns, so the JSON shows what a row really did.
LOGGED = ("discriminator_skipped", "discriminator_updates", "ada_p")


def _decaying_adam():
    """DCGAN's Adam(2e-4, beta_1=0.5) with a rate that decays linearly from the first step."""
    schedule = kerasgan.learning_rates.LinearDecay(2e-4, decay_start=0, decay_steps=10_000)
    return keras.optimizers.Adam(schedule, beta_1=0.5)


# Row name -> function returning `{"model": kwargs of kerasgan.DCGAN, "compile": kwargs of compile}`.
# Each is called in the child that times its row, so a reference child, whose kerasgan predates the
# remedies, only ever builds "plain". In run order.
ROW_SETTINGS = {
    "plain": lambda: {},
    "diffaugment": lambda: {"model": {"augmentation": "diffaugment"}},
    "ada": lambda: {
        "model": {"augmentation": kerasgan.remedies.AdaptiveAugmentation(initial_probability=0.5)}
    },
    "instance_noise": lambda: {"model": {"augmentation": "instance_noise"}},
    "minibatch_stddev": lambda: {"model": {"minibatch_stddev": True}},
    "mode_seeking": lambda: {"model": {"regularizers": [kerasgan.losses.ModeSeekingPenalty()]}},
    "consistency": lambda: {"model": {"regularizers": [kerasgan.losses.ConsistencyRegularization()]}},
    "lecam": lambda: {"model": {"regularizers": [kerasgan.losses.LeCamRegularization()]}},
    "label_smoothing": lambda: {"model": {"label_smoothing": 0.1}},
    "skip_while_ahead": lambda: {
        "model": {"gates": {"discriminator": kerasgan.SkipWhileAhead("d_accuracy", above=0.9)}}
    },
    "n_critic_schedule": lambda: {"model": {"n_critic": kerasgan.Schedule([(0, 2), (1000, 1)])}},
    "linear_decay": lambda: {"compile": {"d_optimizer": _decaying_adam(), "g_optimizer": _decaying_adam()}},
}
REMEDY_ROWS = tuple(name for name in ROW_SETTINGS if name != "plain")
ROWS = (BEFORE_AFTER,) + REMEDY_ROWS  # what --rows accepts; "plain" always runs
CHILDREN = (REFERENCE_CHILD,) + tuple(ROW_SETTINGS)


def time_row(row, images, batch_size, steps, warmup_steps=2, precision="float32"):
    """Times one row's `fit` in this process.

    Args:
        row: a key of `ROW_SETTINGS`, or `"reference"` (the plain DCGAN of
            whatever kerasgan this process imports).
        images: float32 array `(N, 28, 28, 1)` in `[-1, 1]`,
            `N >= batch_size * steps`.
        batch_size: positive int, images per step.
        steps: positive int, timed steps (one `fit` epoch).
        warmup_steps: positive int, untimed steps run first (tracing).
            Defaults to 2.
        precision: Keras dtype policy name. Defaults to `"float32"`.

    Returns:
        Dict with `images_per_second`, `seconds` (wall clock of the
        epoch), `images_per_cpu_second`, `cpu_seconds` (this process's
        CPU time over the `fit` call), the `kerasgan` folder
        imported, `jit_compile`, the discriminator's `dtype_policy`, the
        load average when the child started and the epoch means of the
        `LOGGED` figures the row logs.

    Example:
        >>> images = np.zeros((8, 28, 28, 1), "float32")
        >>> result = time_row("plain", images, batch_size=4, steps=2, warmup_steps=1)  # doctest: +SKIP
    """
    import tensorflow as tf

    load = os.getloadavg()[0]
    if len(images) < batch_size * steps:
        raise ValueError(f"time_row needs {batch_size * steps} images; received {len(images)}.")
    settings = ROW_SETTINGS["plain" if row == REFERENCE_CHILD else row]()
    keras.utils.set_random_seed(0)
    with dtype_policy_scope(precision):
        gan = kerasgan.DCGAN(image_shape=(28, 28, 1), seed=0, **settings.get("model", {}))
    gan.compile(**settings.get("compile", {}))
    dataset = tf.data.Dataset.from_tensor_slices(images[: batch_size * steps])
    dataset = dataset.batch(batch_size, drop_remainder=True).cache()
    for _ in dataset:  # fills the cache before timing
        pass
    gan.fit(dataset.take(warmup_steps), epochs=1, verbose=0, shuffle=False)
    cpu_start = time.process_time()
    seconds = fit_seconds(gan, dataset)
    cpu_seconds = time.process_time() - cpu_start
    logs = gan.history.history
    return {
        "images_per_second": round(batch_size * steps / seconds, 2),
        "seconds": round(seconds, 3),
        "images_per_cpu_second": round(batch_size * steps / cpu_seconds, 2),
        "cpu_seconds": round(cpu_seconds, 3),
        "kerasgan": os.path.dirname(os.path.abspath(kerasgan.__file__)),
        "jit_compile": gan.jit_compile,
        "dtype_policy": gan.discriminator.dtype_policy.name,
        "load_average_1min_at_start": round(load, 2),
        "logged": {name: round(float(logs[name][-1]), 4) for name in LOGGED if name in logs},
    }


def _run_child(row, root, arguments):
    environment = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=root)
    command = [sys.executable, os.path.abspath(__file__), "--child", row] + arguments
    process = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if process.returncode != 0:
        raise RuntimeError(f"the {row} child (PYTHONPATH={root}) failed:\n{process.stderr[-3000:]}")
    result = json.loads(process.stdout.strip().splitlines()[-1])
    if os.path.commonpath([result["kerasgan"], root]) != root:
        raise RuntimeError(f"the {row} child imported kerasgan from {result['kerasgan']}, not from {root}.")
    return result


def _uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def _summary(rounds, row, baseline, key="images_per_second"):
    ratios = [r[row][key] / r[baseline][key] for r in rounds]
    return {
        key: statistics.median(r[row][key] for r in rounds),
        f"{baseline}_{key}": statistics.median(r[baseline][key] for r in rounds),
        "ratio": round(statistics.median(ratios), 3),
        "ratio_spread": [round(min(ratios), 3), round(max(ratios), 3)],
        "ratios_per_round": [round(x, 3) for x in ratios],
    }


def _write_images(folder, count):
    images, _ = kerasgan.data.load_arrays("fashion_mnist", split="train", limit=count)
    path = os.path.join(folder, "images.npy")
    np.save(path, images[:count].astype("float32") / 127.5 - 1.0)  # uint8 to [-1, 1]
    return path


def measure(args, folder):
    """Runs every round's children and returns the per-round results and the summaries.

    Args:
        args: parsed command line (see `parse_args`).
        folder: a temporary folder for the images and the reference checkout.

    Returns:
        Dict with `rounds` (`[{child: result of time_row}]`) and `rows`
        (`{row: summary}`).
    """
    arguments = ["--images", _write_images(folder, args.batch_size * args.steps)]
    arguments += ["--batch-size", str(args.batch_size), "--steps", str(args.steps)]
    arguments += ["--warmup-steps", str(args.warmup_steps), "--precision", args.precision]
    remedies = [row for row in REMEDY_ROWS if row in args.rows]
    reference_root = None
    if BEFORE_AFTER in args.rows:
        reference_root = os.path.join(folder, "reference")
        subprocess.run(
            ["git", "-C", REPOSITORY, "worktree", "add", "--detach", reference_root, args.reference],
            check=True,
            capture_output=True,
        )
    rounds = []
    try:
        for index in range(args.rounds):
            order = ([REFERENCE_CHILD] if reference_root else []) + ["plain"]
            order += remedies if index % 2 == 0 else remedies[::-1]
            results = {}
            for child in order:
                root = reference_root if child == REFERENCE_CHILD else REPOSITORY
                results[child] = _run_child(child, root, arguments)
                print(
                    f"round {index + 1} {child}: {results[child]['images_per_second']:.0f} images/s",
                    flush=True,
                )
            rounds.append(results)
    finally:
        if reference_root:
            subprocess.run(
                ["git", "-C", REPOSITORY, "worktree", "remove", "--force", reference_root], check=False
            )
    pairs = ([(BEFORE_AFTER, "plain", REFERENCE_CHILD)] if reference_root else []) + [
        (row, row, "plain") for row in remedies
    ]
    rows = {
        name: _summary(rounds, row, baseline)
        | {"cpu": _summary(rounds, row, baseline, "images_per_cpu_second")}
        for name, row, baseline in pairs
    }
    return {"rounds": rounds, "rows": rows}


def parse_args(argv=None):
    """Parses the command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", nargs="+", choices=ROWS, default=list(ROWS), help="rows to time")
    parser.add_argument("--reference", default="a85ec18", help="git ref of the before_after row's reference")
    parser.add_argument("--rounds", type=positive_int_argument, default=3)
    parser.add_argument("--steps", type=positive_int_argument, default=20, help="timed steps per child")
    parser.add_argument("--warmup-steps", type=positive_int_argument, default=2, help="untimed steps first")
    parser.add_argument("--batch-size", type=positive_int_argument, default=128)
    parser.add_argument("--precision", choices=PRECISIONS, default="float32", help="Keras dtype policy")
    parser.add_argument("--out", default="benchmarks/results/train_step_remedies.json")
    parser.add_argument("--child", choices=CHILDREN, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--images", default=None, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None):
    """Runs the rounds (or, with `--child`, one child) and writes the JSON file named by `--out`."""
    args = parse_args(argv)
    if args.child:
        images = np.load(args.images)
        result = time_row(args.child, images, args.batch_size, args.steps, args.warmup_steps, args.precision)
        print(json.dumps(result), flush=True)
        return
    machine = describe_machine()
    machine["uptime_at_start"] = _uptime()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="train_step_remedies_") as folder:
        result = measure(args, folder)
    machine["uptime_at_end"] = _uptime()
    settings = {key: value for key, value in vars(args).items() if key not in ("child", "images")}
    output = {"command": machine["command"], "machine": machine, "settings": settings}
    output |= {"minutes": round((time.perf_counter() - start) / 60, 1)} | result
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as file:
        json.dump(output, file, indent=1)
    for row, summary in result["rows"].items():
        low, high = summary["ratio_spread"]
        print(
            f"{row}: {summary['images_per_second']:.0f} images/s, ratio {summary['ratio']:.3f} "
            f"(rounds {low:.3f}-{high:.3f}); per CPU second {summary['cpu']['ratio']:.3f}"
        )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
