"""Each latent variant at one budget on Fashion-MNIST: FID, KID, precision, recall and images/s.

Usage:
    python benchmarks/variant_quality.py [--variants dcgan sngan ...] [--epochs 5] [--batch-size 256]
        [--limit N] [--num-samples 10000] [--seed 0] [--runs runs/quality]
        [--out benchmarks/results/variant_quality.json] [--no-reference]

Each variant trains with its own defaults through `kerasgan.runs.train`
(what `kerasgan train VARIANT --epochs 5 --batch-size 256 --seed 0
--precision float32` runs) into `RUNS/VARIANT`, then
`kerasgan.runs.evaluate_run` scores `--num-samples` samples against as many
Fashion-MNIST test images with the shipped extractor (FID, KID, precision,
recall, and the classes covered, `kerasgan.metrics.ClassCoverage`; the EMA
generator where the variant has one, and then the trained generator too,
under `trained_generator_scores`). Training speed is the images of every
epoch after the first (which compiles the step) divided by their wall time,
so compilation does not count; each variant runs in this one process, one
after another, so the images/s ratios against DCGAN hold on a shared host
even where the absolute figures move. A finished run folder is reused
(delete it to train again); a run that a stopped process left unfinished
resumes from its last checkpoint (every 100 steps) with the epochs it timed,
its first epoch in each process left out of the speed (`processes` counts
them). Conditional variants (ACGAN, ProjectionGAN, ...) are scored on their
unconditional samples here, their labels drawn uniformly.

The result file holds, per variant, the scores, `images_per_second`,
`speed_vs_dcgan`, `train_seconds` and the exact settings; the table printed
at the end is the one in the README.
"""

import argparse
import json
import time
from pathlib import Path

import keras

import kerasgan
from kerasgan import runs
from kerasgan.utils.validation import positive_int_argument

DEFAULT_VARIANTS = ("dcgan",)
TRAIN_IMAGES = 60000
# FID, KID, precision and recall, and the classes the samples cover (kerasgan.metrics.ClassCoverage).
METRICS = ("fid", "kid", "pr", "classes")


class EpochTimer(keras.callbacks.Callback):
    """Wall seconds of each epoch's training (without the end-of-epoch saving and pictures).

    Each epoch is kept as `[seconds, timed]`, and written to `path` as it
    ends, so that a run stopped and resumed by a later process keeps the
    epochs timed before. The first epoch of each process is not `timed`: it
    compiles the step (and a resumed one is only the rest of an epoch).
    """

    def __init__(self, path, earlier=()):
        super().__init__()
        self.path = Path(path)
        self.epochs = [list(epoch) for epoch in earlier]
        self.first = True

    def on_epoch_begin(self, epoch, logs=None):
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.epochs.append([time.perf_counter() - self.started, not self.first])
        self.first = False
        self.path.write_text(json.dumps({"epochs": self.epochs}))


def timed_epochs(timing):
    """`[[seconds, timed], ...]` from a `timing.json` (of this script, or of its one-process form)."""
    if "epoch_seconds" in timing:  # one process: every epoch but the first is timed
        return [[seconds, index > 0] for index, seconds in enumerate(timing["epoch_seconds"])]
    return timing["epochs"]


def scores_on_the_test_split(gan, num_samples, seed, use_ema=True):
    """FID, KID, precision and recall of `num_samples` samples of `gan` (its EMA generator or not)
    against as many Fashion-MNIST test images, with the shipped extractor."""
    real = kerasgan.data.load(
        "fashion_mnist", "test", batch_size=250, shuffle=False, drop_remainder=False, limit=num_samples
    )
    return kerasgan.evaluate(
        gan,
        real,
        metrics=METRICS,
        num_samples=num_samples,
        seed=seed,
        sampling_options={"use_ema": use_ema},
    )


def trained_run(out, variant, args, dataset="fashion_mnist", **options):
    """Trains `variant` into the run folder `out` (or resumes or reuses it); returns its speed.

    `args` gives `epochs`, `batch_size`, `limit` and `seed`; `options` are
    more `kerasgan.runs.train` arguments (`augment=`, `regularizers=`, ...).

    Returns:
        `{"images_per_second", "train_seconds", "processes"}`.
    """
    out = Path(out)
    timing = out / "timing.json"
    if not ((out / "model.keras").exists() and timing.exists()):
        # A run this script started and a process stopped (a checkpoint and the epochs timed so far,
        # no timing.json) continues from its last checkpoint; anything else starts afresh.
        partial = out / "timing_partial.json"
        resume = partial.exists() and (out / "model.keras").exists()
        earlier = json.loads(partial.read_text())["epochs"] if resume else []
        out.mkdir(parents=True, exist_ok=True)
        timer = EpochTimer(partial, earlier)
        partial.write_text(json.dumps({"epochs": timer.epochs}))
        runs.train(
            variant,
            str(out),
            dataset=dataset,
            epochs=args.epochs,
            batch_size=args.batch_size,
            limit=args.limit,
            seed=args.seed,
            precision="float32",
            verbose=0,
            callbacks=[timer],
            resume=resume,
            overwrite=not resume,
            **options,
        )
        partial.replace(timing)
    epochs = timed_epochs(json.loads(timing.read_text()))
    images_per_epoch = (args.limit or TRAIN_IMAGES) // args.batch_size * args.batch_size
    timed = [seconds for seconds, counts in epochs if counts] or [seconds for seconds, _ in epochs]
    return {
        "images_per_second": round(images_per_epoch * len(timed) / sum(timed), 1),
        "train_seconds": round(sum(seconds for seconds, _ in epochs), 1),
        "processes": sum(1 for _, counts in epochs if not counts),
    }


def train_and_score(variant, args):
    """Trains `variant` (or reuses its finished run) and scores it; returns its result dict."""
    out = Path(args.runs) / variant
    speed = trained_run(out, variant, args)
    report, _ = runs.evaluate_run(str(out), metrics=METRICS, num_samples=args.num_samples, seed=args.seed)
    extra = {}
    gan = runs.load_run_model(str(out))
    if getattr(gan, "ema_generator", None) is not None:  # the scores above are the average's
        extra["trained_generator_scores"] = scores_on_the_test_split(
            gan, args.num_samples, args.seed, use_ema=False
        )
    return {
        "scores": report["scores"],
        **extra,
        **speed,
        "command": (
            f"kerasgan train {variant} --dataset fashion_mnist --epochs {args.epochs} "
            f"--batch-size {args.batch_size} --seed {args.seed} --precision float32"
            + (f" --limit {args.limit}" if args.limit else "")
        ),
    }


def add_run_arguments(parser, num_samples, runs_dir, out):
    """The budget, scoring and file options of the scripts that train through `trained_run`."""
    parser.add_argument("--epochs", type=positive_int_argument, default=5)
    parser.add_argument("--batch-size", type=positive_int_argument, default=256)
    parser.add_argument("--limit", type=positive_int_argument, default=None)
    parser.add_argument("--num-samples", type=positive_int_argument, default=num_samples)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", default=runs_dir)
    parser.add_argument("--out", default=out)


def write_results(args, results):
    """Writes `{"settings": ..., "results": results}` to `args.out`, the settings from `args`."""
    settings = {k: getattr(args, k) for k in ("epochs", "batch_size", "limit", "num_samples", "seed")}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"settings": settings, "results": results}, indent=2) + "\n")


def table(results):
    """The README's markdown table of `results` (`{variant: result}`)."""
    lines = [
        "| variant | FID ↓ | KID ↓ | precision ↑ | recall ↑ | images/s | vs DCGAN |",
        "|---|---|---|---|---|---|---|",
    ]
    for variant, result in results.items():
        s = result["scores"]
        ratio = f"{result['speed_vs_dcgan']:.2f}x" if "speed_vs_dcgan" in result else "–"
        lines.append(
            f"| {variant} | {s['fid']:.1f} | {s['kid']:.2f} | {s['precision']:.3f} | {s['recall']:.3f} "
            f"| {result['images_per_second']:.0f} | {ratio} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--variants", nargs="+", default=list(DEFAULT_VARIANTS), choices=sorted(kerasgan.VARIANTS)
    )
    add_run_arguments(parser, 10000, "runs/quality", "benchmarks/results/variant_quality.json")
    parser.add_argument(
        "--no-reference",
        action="store_true",
        help="do not train DCGAN beside the variants: saves its run (about 17 minutes on 2 cores) when "
        "its row is already measured; the rows then carry no speed_vs_dcgan (take the speed ratios "
        "from benchmarks/variant_speed.py, which times every variant in one process)",
    )
    args = parser.parse_args(argv)
    # DCGAN is the reference of the speed column unless --no-reference.
    variants = list(dict.fromkeys(([] if args.no_reference else ["dcgan"]) + args.variants))
    results = {}
    for variant in variants:
        results[variant] = train_and_score(variant, args)
        print(variant, json.dumps(results[variant]), flush=True)
    if "dcgan" in results:
        reference = results["dcgan"]["images_per_second"]
        for result in results.values():
            result["speed_vs_dcgan"] = round(result["images_per_second"] / reference, 2)
    write_results(args, results)
    print(table(results))


if __name__ == "__main__":
    main()
