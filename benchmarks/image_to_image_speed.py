"""Training images/s of SRGAN, InpaintingGAN, Pix2Pix and CycleGAN as ratios to the DCGAN's, in one process.

Usage:
    python benchmarks/image_to_image_speed.py [--rows srgan_x4_warm_up srgan_x4 ...] [--rounds 5]
        [--steps 10] [--batch-size 32]
        [--out benchmarks/results/image_to_image_speed.json]

Every model is built in this process (TensorFlow, float32): the 28x28
`kerasgan.DCGAN(seed=0)` at its default width, and the image-to-image models
at the small sizes the quality benchmarks train
(`restoration_common.SMALL_SETTINGS`):

- `srgan_x4_warm_up`, `srgan_x4`, `srgan_x2`: SRGAN on 28x28 targets during
  its pixel-loss warm-up (generator only) and after it (critic, generator
  with the perceptual term);
- `inpainting`: InpaintingGAN, 28x28, centre hole;
- `pix2pix`: Pix2Pix on the 32x32 edge maps;
- `cyclegan`: CycleGAN on the 32x32 sneakers and sandals (one image of each
  domain per batch entry: a batch of 32 counts as 32 images).

Each model trains on cached batches of real Fashion-MNIST data of its own
kind, is traced and warmed up by one untimed `fit` epoch of the same
`--steps` batches (a first epoch is several times slower than the next
ones), and is then timed once per round, in turn, on that `fit` epoch
(`timing.fit_seconds`), the order reversed on odd rounds. `ratio` is the
median over rounds of the row's images/s over the DCGAN's of the same round
(below 1: slower than the DCGAN); `ratio_spread` the smallest and largest
per-round ratio; `cpu` the same per CPU second of this process. About 15
minutes on 2 shared cores at the defaults (most of it tracing).
"""

import argparse
import statistics
import time

import keras
import restoration_common as common
import tensorflow as tf
from timing import fit_seconds

import kerasgan
from kerasgan.utils.validation import positive_int_argument

BASELINE = "dcgan"


def _images(limit):
    return common.dataset_arrays("fashion_mnist", "train", limit)


def _sr_pairs(scale):
    return lambda limit: common.dataset_arrays(f"fashion_mnist_sr{scale}", "train", limit)


# Row -> (function building the model, function of a count giving the training arrays).
ROWS = {
    BASELINE: (lambda: kerasgan.DCGAN(image_shape=(28, 28, 1), seed=0), _images),
    "srgan_x4_warm_up": (lambda: common.build_srgan(4, warmup_steps=10**9), _sr_pairs(4)),
    "srgan_x4": (lambda: common.build_srgan(4, warmup_steps=0), _sr_pairs(4)),
    "srgan_x2": (lambda: common.build_srgan(2, warmup_steps=0), _sr_pairs(2)),
    "inpainting": (common.build_inpainting, _images),
    "pix2pix": (
        common.build_pix2pix,
        lambda limit: common.dataset_arrays("fashion_mnist_edges", "train", limit),
    ),
    "cyclegan": (
        common.build_cyclegan,
        lambda limit: common.dataset_arrays("fashion_mnist_sneaker_sandal", "train", limit),
    ),
}


def prepare_row(row, batch_size, steps):
    """Builds a row's model, caches its batches, runs one untimed epoch; returns `(model, dataset)`."""
    keras.utils.set_random_seed(0)
    build, data = ROWS[row]
    model = build()
    model.compile()
    arrays = data(batch_size * steps)
    dataset = tf.data.Dataset.from_tensor_slices(arrays if len(arrays) > 1 else arrays[0])
    dataset = dataset.batch(batch_size, drop_remainder=True).cache()
    for _ in dataset:  # fills the cache before timing
        pass
    model.fit(dataset, epochs=1, verbose=0, shuffle=False)  # traces, and the first epoch's one-off costs
    return model, dataset


def time_once(model, dataset, batch_size, steps):
    """One timed `fit` epoch: `{"images_per_second", "images_per_cpu_second"}`."""
    cpu_start = time.process_time()
    seconds = fit_seconds(model, dataset)
    cpu_seconds = time.process_time() - cpu_start
    images = batch_size * steps
    return {
        "images_per_second": round(images / seconds, 2),
        "images_per_cpu_second": round(images / cpu_seconds, 2),
    }


def summary(rounds, row, key="images_per_second"):
    """Median figures of a row and its median per-round ratio to the DCGAN."""
    ratios = [r[row][key] / r[BASELINE][key] for r in rounds]
    return {
        key: statistics.median(r[row][key] for r in rounds),
        f"{BASELINE}_{key}": statistics.median(r[BASELINE][key] for r in rounds),
        "ratio": round(statistics.median(ratios), 3),
        "ratio_spread": [round(min(ratios), 3), round(max(ratios), 3)],
    }


def measure(args):
    """Prepares every row, times the rounds and returns `{"rounds", "rows"}`."""
    names = [BASELINE] + [row for row in args.rows if row != BASELINE]
    prepared = {}
    for row in names:
        prepared[row] = prepare_row(row, args.batch_size, args.steps)
        print(f"prepared {row}", flush=True)
    rounds = []
    for index in range(args.rounds):
        order = names if index % 2 == 0 else names[::-1]
        results = {row: time_once(*prepared[row], args.batch_size, args.steps) for row in order}
        print(
            f"round {index + 1}: "
            + ", ".join(f"{r} {v['images_per_second']:.0f}" for r, v in results.items())
        )
        rounds.append(results)
    rows = {
        row: summary(rounds, row) | {"cpu": summary(rounds, row, "images_per_cpu_second")}
        for row in names
        if row != BASELINE
    }
    parameters = {row: int(model.count_params()) for row, (model, _) in prepared.items()}
    return {"rounds": rounds, "rows": rows, "parameters": parameters}


def parse_args(argv=None):
    """Parses the command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    choices = [row for row in ROWS if row != BASELINE]
    parser.add_argument(
        "--rows", nargs="+", choices=choices, default=choices, help="models timed beside the DCGAN"
    )
    parser.add_argument("--rounds", type=positive_int_argument, default=5)
    parser.add_argument("--steps", type=positive_int_argument, default=10, help="timed steps per fit")
    parser.add_argument("--batch-size", type=positive_int_argument, default=32)
    parser.add_argument("--out", default="benchmarks/results/image_to_image_speed.json")
    return parser.parse_args(argv)


def main(argv=None):
    """Times the rows and writes the JSON file named by `--out`."""
    args = parse_args(argv)
    start = time.perf_counter()
    result = {"uptime_at_start": common.uptime()} | measure(args)
    report = common.write_report(args.out, args, result, start)
    for row, figures in result["rows"].items():
        low, high = figures["ratio_spread"]
        print(
            f"{row}: {figures['images_per_second']:.0f} images/s, {figures['ratio']:.3f} x DCGAN "
            f"({low}-{high})"
        )
    return report


if __name__ == "__main__":
    main()
