"""Training throughput (images/s) of kerasgan variants with `fit` on Fashion-MNIST.

Usage: python benchmarks/throughput.py [--variants dcgan wgan_gp] [--batch-size 128] [--steps 30]

Each variant is timed over `--steps` steps after one warm-up epoch (tracing
excluded), on real Fashion-MNIST batches. Prints one JSON line per variant.
"""

import argparse
import json
import time

import keras

import kerasgan


class _Timer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds = time.perf_counter() - self.start


def measure(variant, batch_size, steps):
    """Returns images/s of `fit` for one variant (second epoch, after tracing)."""
    ds = kerasgan.data.load(
        "fashion_mnist",
        batch_size=batch_size,
        limit=batch_size * steps,
        seed=0,
        with_labels=kerasgan.VARIANTS[variant].requires_labels,
    ).cache()
    options = {"num_classes": 10} if kerasgan.VARIANTS[variant].requires_labels else {}
    gan = kerasgan.VARIANTS[variant](image_shape=(28, 28, 1), seed=0, **options)
    gan.compile()
    timer = _Timer()
    gan.fit(ds, epochs=2, verbose=0, callbacks=[timer])
    return batch_size * steps / timer.seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--variants", nargs="+", default=["dcgan", "wgan_gp"])
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--steps", type=int, default=30)
    args = parser.parse_args()
    for variant in args.variants:
        rate = measure(variant, args.batch_size, args.steps)
        print(json.dumps({"variant": variant, "batch_size": args.batch_size,
                          "images_per_second": round(rate, 1)}))


if __name__ == "__main__":
    main()
