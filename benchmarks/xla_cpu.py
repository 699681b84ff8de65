"""Why XLA is slower on CPU: DCGAN layers and convolutions with and without XLA.

Usage:
    [XLA_FLAGS=...] python benchmarks/xla_cpu.py [--batch-size 256]
        [--iterations 5] [--repeats 5] [--out benchmarks/results/xla_cpu.json]

Each case is one function timed as a plain `tf.function` (TensorFlow's
oneDNN kernels) and as the same function with `jit_compile=True` (XLA's CPU
code), interleaved; `xla_vs_tf` is the median over rounds of XLA time /
TensorFlow time (above 1: XLA is slower). Two groups of cases:

- `layers`: forward + backward (gradients with respect to inputs and
  weights) of each layer of the 28x28 DCGAN and of each whole network;
- `convolutions`: forward only, a transposed convolution 7x7x128 → 14x14x64
  against the strided convolution with the same 2.6 GMAC, and against the
  4x larger stride-1 convolution that the zero-inflated input of a
  transposed convolution amounts to (10.3 GMAC).

`XLA_FLAGS` is recorded, so runs with other XLA CPU settings can be
compared; `XLA_FLAGS=--xla_dump_to=DIR` writes the HLO XLA compiled.
"""

import argparse
import json
import os
import statistics
import time

import keras
import tensorflow as tf
from machine import describe_machine
from setups import build_gan

from kerasgan.utils.validation import positive_int_argument


def _layer_cases(batch_size):
    gan = build_gan("dcgan")
    layers = {layer.name: layer for layer in gan.generator.layers + gan.discriminator.layers}
    shapes = {
        "G project Dense 100->7x7x128": ("project", (100,)),
        "G up1 Conv2DTranspose 7x7x128->14x14x64": ("up1", (7, 7, 128)),
        "G to_image Conv2DTranspose 14x14x64->28x28x1": ("to_image", (14, 14, 64)),
        "G up1_norm BatchNorm 14x14x64": ("up1_norm", (14, 14, 64)),
        "D down0 Conv2D 28x28x1->14x14x64": ("down0", (28, 28, 1)),
        "D down1 Conv2D 14x14x64->7x7x128": ("down1", (14, 14, 64)),
    }
    cases = {
        name: (_forward_backward(layers[layer]), tf.random.normal((batch_size, *shape)))
        for name, (layer, shape) in shapes.items()
    }
    cases["G whole generator"] = (_forward_backward(gan.generator), tf.random.normal((batch_size, 100)))
    cases["D whole discriminator"] = (
        _forward_backward(gan.discriminator),
        tf.random.normal((batch_size, 28, 28, 1)),
    )
    return cases


def _forward_backward(layer):
    def run(inputs):
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            loss = tf.reduce_sum(tf.square(layer(inputs, training=True)))
        return [loss] + tape.gradient(loss, [inputs] + layer.trainable_variables)

    return run


def _convolution_cases(batch_size):
    kernel = tf.random.normal((5, 5, 64, 128))
    flipped = tf.random.normal((5, 5, 128, 64))
    output_shape = (batch_size, 14, 14, 64)
    return {
        "conv_transpose 7x7x128->14x14x64 (2.6 GMAC)": (
            lambda x: tf.nn.conv2d_transpose(x, kernel, output_shape, 2, "SAME"),
            tf.random.normal((batch_size, 7, 7, 128)),
        ),
        "conv stride 2 14x14x64->7x7x128 (2.6 GMAC)": (
            lambda x: tf.nn.conv2d(x, kernel, 2, "SAME"),
            tf.random.normal((batch_size, 14, 14, 64)),
        ),
        "conv stride 1 14x14x128->14x14x64 (10.3 GMAC, a zero-inflated conv_transpose)": (
            lambda x: tf.nn.conv2d(x, flipped, 1, "SAME"),
            tf.random.normal((batch_size, 14, 14, 128)),
        ),
    }


def _seconds(function, inputs, iterations):
    start = time.perf_counter()
    for _ in range(iterations):
        outputs = function(inputs)
    float(tf.reduce_sum(keras.tree.flatten(outputs)[0]))
    return (time.perf_counter() - start) / iterations


def measure(function, inputs, iterations, repeats):
    """Interleaved per-call seconds of `function` compiled without and with XLA.

    Args:
        function: a TensorFlow function of one tensor.
        inputs: the tensor.
        iterations: calls per timing.
        repeats: interleaved rounds.

    Returns:
        Dict: median `tf_ms` and `xla_ms` per call and `xla_vs_tf`, the
        median over rounds of XLA time / TensorFlow time.

    Example:
        >>> measure(lambda x: x * 2.0, tf.ones((8,)), iterations=5, repeats=3)
    """
    compiled = {
        "tf": tf.function(function, autograph=False),
        "xla": tf.function(function, autograph=False, jit_compile=True),
    }
    for run in compiled.values():
        _seconds(run, inputs, 2)  # traces and compiles
    times = {name: [] for name in compiled}
    for _ in range(repeats):
        for name, run in compiled.items():
            times[name].append(_seconds(run, inputs, iterations))
    return {
        "tf_ms": round(1000 * statistics.median(times["tf"]), 2),
        "xla_ms": round(1000 * statistics.median(times["xla"]), 2),
        "xla_vs_tf": round(statistics.median(x / t for x, t in zip(times["xla"], times["tf"])), 3),
    }


def main(argv=None):
    """Times every case and writes the JSON file named by `--out`."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch-size", type=positive_int_argument, default=256)
    parser.add_argument("--iterations", type=positive_int_argument, default=5)
    parser.add_argument("--repeats", type=positive_int_argument, default=5)
    parser.add_argument("--out", default="benchmarks/results/xla_cpu.json")
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(0)
    groups = {
        "convolutions": _convolution_cases(args.batch_size),
        "layers": _layer_cases(args.batch_size),
    }
    results = {}
    for group, cases in groups.items():
        results[group] = {}
        for name, (function, inputs) in cases.items():
            results[group][name] = measure(function, inputs, args.iterations, args.repeats)
            print(json.dumps({name: results[group][name]}), flush=True)
    with open(args.out, "w") as file:
        json.dump(
            {
                "machine": describe_machine(),
                "xla_flags": os.environ.get("XLA_FLAGS", ""),
                "settings": vars(args),
                "results": results,
            },
            file,
            indent=1,
        )


if __name__ == "__main__":
    main()
