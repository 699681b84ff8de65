"""Stacked Fashion-MNIST mode coverage: how many of 1,000 modes a GAN draws, with and without remedies.

Usage:
    python benchmarks/mode_coverage.py [--rows dcgan dcgan_mode_seeking ...] [--epochs 5]
        [--batch-size 256] [--limit N] [--num-samples 26000] [--seed 0] [--runs runs/modes]
        [--out benchmarks/results/mode_coverage.json]

The Stacked-MNIST protocol (Metz et al. 2017; VEEGAN, PacGAN, R3GAN) on
Fashion-MNIST: each row trains on `stacked_fashion_mnist` (three garments
as the channels of one image, 1,000 modes) through `kerasgan.runs.train`
(what `kerasgan train` runs) and `kerasgan.runs.evaluate_run(metrics=("modes",))`
classifies each channel of `--num-samples` samples with the shipped
classifier: the modes covered and the KL divergence of their histogram
from uniform, beside the same figures for as many real test stacks (the
classifier's own errors included). A row is a variant with its defaults
plus the switches of one remedy aimed at mode collapse (`ROWS`). Runs are
kept in `RUNS/ROW` and reused or resumed as in `variant_quality.py`.
"""

import argparse
import json
from pathlib import Path

from variant_quality import add_run_arguments, trained_run, write_results

from kerasgan import runs
from kerasgan.data.stacked import STACKS

# Row name -> (variant, extra kerasgan.runs.train arguments): the remedies aimed at mode collapse.
ROWS = {
    "dcgan": ("dcgan", {}),
    "dcgan_mode_seeking": ("dcgan", {"regularizers": ("ms:1",)}),
    "dcgan_diffaugment": ("dcgan", {"augment": "diffaugment"}),
    "dcgan_cr_lecam": ("dcgan", {"regularizers": ("cr:1", "lecam:0.3")}),
    **{variant: (variant, {}) for variant in ("infogan", "stylegan", "r3gan", "sngan")},
}
DEFAULT_ROWS = ("dcgan", "dcgan_mode_seeking", "dcgan_diffaugment")


def command_of(variant, options, args):
    """The `kerasgan train` command of a row."""
    flags = [f"--regularizer {spec}" for spec in options.get("regularizers", ())]
    if "augment" in options:
        flags.append(f"--augment {options['augment']}")
    limit = [f"--limit {args.limit}"] if args.limit else []
    return " ".join(
        [f"kerasgan train {variant} --dataset stacked_fashion_mnist --epochs {args.epochs}"]
        + [f"--batch-size {args.batch_size} --seed {args.seed} --precision float32", *flags, *limit]
    )


def row_result(name, args):
    """Trains (or reuses) row `name` and scores its modes; returns its result dict."""
    variant, options = ROWS[name]
    out = Path(args.runs) / name
    speed = trained_run(out, variant, args, dataset="stacked_fashion_mnist", **options)
    report, _ = runs.evaluate_run(str(out), metrics=("modes",), num_samples=args.num_samples, seed=args.seed)
    scores = {key: int(value) if key.endswith("modes") else value for key, value in report["scores"].items()}
    return {"scores": scores, **speed, "command": command_of(variant, options, args)}


def table(results):
    """The README's markdown table of `results` (`{row: result}`)."""
    lines = ["| row | modes ↑ (of 1,000) | KL to uniform ↓ | images/s |", "|---|---|---|---|"]
    for name, result in results.items():
        s = result["scores"]
        lines.append(f"| {name} | {s['modes']} | {s['modes_kl']:.3f} | {result['images_per_second']:.0f} |")
    real = next(iter(results.values()))["scores"]
    lines.append(f"| real test stacks | {real['real_modes']} | {real['real_modes_kl']:.3f} | |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", nargs="+", default=list(DEFAULT_ROWS), choices=sorted(ROWS))
    add_run_arguments(parser, 26000, "runs/modes", "benchmarks/results/mode_coverage.json")
    args = parser.parse_args(argv)
    if args.num_samples > STACKS["test"]:
        parser.error(f"--num-samples is at most {STACKS['test']}, the number of real test stacks")
    results = {}
    for name in args.rows:
        results[name] = row_result(name, args)
        print(name, json.dumps(results[name]), flush=True)
    write_results(args, results)
    print(table(results))


if __name__ == "__main__":
    main()
