"""Where a `fit` train step spends its time: TensorFlow op times from the profiler.

Usage:
    python benchmarks/profile_step.py [--variant dcgan] [--batch-size 256]
        [--steps 4] [--top 25]

Builds the variant at 28x28, traces its train function on cached
Fashion-MNIST batches, profiles `--steps` steps with
`tf.profiler.experimental` and prints the wall time of a step, then the
total time per step of each op type and of the `--top` slowest single ops.
Independent ops run side by side, so op times add up to more than a step.
"""

import argparse
import collections
import glob
import os
import tempfile
import time

import tensorflow as tf
from setups import benchmark_dataset, build_gan
from tensorflow.tsl.profiler.protobuf import xplane_pb2

import kerasgan
from kerasgan.utils.validation import positive_int_argument


def profile_steps(train_function, iterator, steps, log_dir):
    """Runs `steps` calls of `train_function` under the profiler.

    Args:
        train_function: a traced `gan.train_function`.
        iterator: iterator over the batches it takes.
        steps: number of profiled steps.
        log_dir: folder the profiler writes to.

    Returns:
        `(milliseconds per step, parsed XSpace)`.
    """
    tf.profiler.experimental.start(log_dir)
    start = time.perf_counter()
    for _ in range(steps):
        train_function(iterator)
    milliseconds = (time.perf_counter() - start) / steps * 1000
    tf.profiler.experimental.stop()
    space = xplane_pb2.XSpace()
    path = glob.glob(os.path.join(log_dir, "**", "*.xplane.pb"), recursive=True)[0]
    with open(path, "rb") as file:
        space.ParseFromString(file.read())
    return milliseconds, space


def op_times(space, steps):
    """Milliseconds per step of each TensorFlow op, by op name and by op type.

    Args:
        space: an `XSpace` from `profile_steps`.
        steps: the number of profiled steps.

    Returns:
        `(by_name, by_type)`: two `collections.Counter`s of milliseconds.
    """
    by_name, by_type = collections.Counter(), collections.Counter()
    for plane in space.planes:
        for line in plane.lines:
            for event in line.events:
                name = plane.event_metadata[event.metadata_id].name
                if ":" not in name or "::" in name or " " in name:
                    continue  # executor and Python frames, not ops
                milliseconds = event.duration_ps / 1e9 / steps
                by_name[name] += milliseconds
                by_type[name.rsplit(":", 1)[1]] += milliseconds
    return by_name, by_type


def main(argv=None):
    """Profiles the variant's step and prints the op-time tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variant", default="dcgan", choices=sorted(kerasgan.VARIANTS))
    parser.add_argument("--batch-size", type=positive_int_argument, default=256)
    parser.add_argument("--steps", type=positive_int_argument, default=4)
    parser.add_argument("--top", type=positive_int_argument, default=25)
    args = parser.parse_args(argv)
    gan = build_gan(args.variant)
    gan.compile()
    dataset = benchmark_dataset(args.variant, args.batch_size, args.steps)
    gan.fit(dataset, epochs=1, verbose=0)  # traces the train function
    iterator = iter(dataset.repeat())
    for _ in range(2):
        gan.train_function(iterator)
    with tempfile.TemporaryDirectory() as log_dir:
        milliseconds, space = profile_steps(gan.train_function, iterator, args.steps, log_dir)
    by_name, by_type = op_times(space, args.steps)
    print(f"{args.variant}, batch {args.batch_size}: {milliseconds:.1f} ms per step (wall)")
    print("\nms per step by op type:")
    for op_type, value in by_type.most_common(args.top):
        print(f"  {op_type:45s} {value:8.2f}")
    print(f"\nslowest {args.top} ops (ms per step):")
    for name, value in by_name.most_common(args.top):
        print(f"  {name[:100]:100s} {value:8.2f}")


if __name__ == "__main__":
    main()
