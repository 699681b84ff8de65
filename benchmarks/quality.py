"""The quality table: which variants and remedies help, each row measured with a fixed command and seed.

Usage:
    python benchmarks/quality.py [--rows 'unconditional/*' 'modes/*' ...] [--budget full|short]
        [--runs runs/quality_table] [--out benchmarks/results/quality.json]

Every row is one training run and its scores; `ROWS` lists them by kind:

- `unconditional/VARIANT` (and `unconditional/dcgan+REMEDY`): 5 epochs at
  batch 256 on Fashion-MNIST with the variant's own defaults, through
  `kerasgan.runs.train`; FID, KID, precision, recall and class coverage of
  10,000 samples against the test split (shipped extractor and
  classifier), training images/s and wall time.
- `conditional/VARIANT`: the same, plus the shipped classifier's accuracy
  on 10,000 samples of the classes 0-9 in turn (label accuracy).
- `modes/ROW`: Stacked Fashion-MNIST (`benchmarks/mode_coverage.py`):
  modes covered by 26,000 samples and the KL of their histogram to uniform.
- `small_data/AUGMENTATION/seedN`: DCGAN on 1,000 training images (100 per
  class, drawn with the seed) for 3,000 steps of 64, without augmentation,
  with DiffAugment and with ADA; three seeds each, reported as mean and
  spread.
- `balance/STRATEGY`: DCGAN at the unconditional budget with a critic-step
  schedule, the skip rule or two time-scale learning rates, against the
  fixed 1:1 schedule (`unconditional/dcgan`).

A finished row's result is kept in `RUNS/ROW/result.json` and reused (delete
it to measure again); an unfinished `kerasgan.runs` row resumes from its last
checkpoint, so a table longer than a session is measured over several.
`--budget short` runs every row at a tiny size (what the slow test runs);
its figures mean nothing. The table printed at the end is the README's.
"""

import argparse
import dataclasses
import fnmatch
import json
import statistics
import types
from pathlib import Path

import keras
import numpy as np
from gan_augmentation import labelled_subset
from mode_coverage import ROWS as MODE_ROWS
from variant_quality import METRICS, trained_run

import kerasgan
from kerasgan import runs
from kerasgan.class_evaluation import classifier_accuracy

BUDGETS = {
    "full": {
        "epochs": 5, "batch_size": 256, "limit": None, "num_samples": 10000, "mode_samples": 26000,
        "per_class": 100, "small_steps": 3000, "small_batch_size": 64, "seeds": (0, 1, 2),
    },
    "short": {
        "epochs": 1, "batch_size": 64, "limit": 256, "num_samples": 200, "mode_samples": 200,
        "per_class": 10, "small_steps": 4, "small_batch_size": 16, "seeds": (0,),
    },
}  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Row:
    """One row: its kind, the variant and the `kerasgan.runs.train` options (or model arguments)."""

    kind: str
    variant: str
    options: dict = dataclasses.field(default_factory=dict)
    model: dict = dataclasses.field(default_factory=dict)  # constructor arguments (Python-API rows)
    seed: int = 0


UNCONDITIONAL = ("dcgan", "lsgan", "wgan_gp", "infogan", "transformer_gan", "sngan", "r3gan", "stylegan")
CONDITIONAL = ("conditional_gan", "acgan", "projection_gan")
REMEDIES = {
    "diffaugment": {"augment": "diffaugment"},
    "ada": {"augment": "ada"},
    "mode_seeking": {"regularizers": ("ms:1",)},
    "cr_lecam": {"regularizers": ("cr:1", "lecam:0.3")},
}
BALANCE = {
    "critic_schedule": {"critic_steps": "2:1000,1"},
    "ttur": {"d_learning_rate": 4e-4, "g_learning_rate": 1e-4},
}
SMALL_DATA_AUGMENTATIONS = (None, "diffaugment", "ada")


def _rows():
    rows = {f"unconditional/{v}": Row("unconditional", v) for v in UNCONDITIONAL}
    rows.update(
        {f"unconditional/dcgan+{name}": Row("unconditional", "dcgan", o) for name, o in REMEDIES.items()}
    )
    rows.update({f"conditional/{v}": Row("conditional", v) for v in CONDITIONAL})
    rows.update({f"modes/{name}": Row("modes", v, o) for name, (v, o) in MODE_ROWS.items()})
    for augmentation in SMALL_DATA_AUGMENTATIONS:
        for seed in BUDGETS["full"]["seeds"]:
            model = {} if augmentation is None else {"augmentation": augmentation}
            rows[f"small_data/{augmentation or 'none'}/seed{seed}"] = Row(
                "small_data", "dcgan", model=model, seed=seed
            )
    rows.update({f"balance/{name}": Row("balance", "dcgan", o) for name, o in BALANCE.items()})
    gate = {"gates": {"discriminator": ("d_accuracy", 0.9)}}  # SkipWhileAhead("d_accuracy", above=0.9)
    rows["balance/skip_rule"] = Row("balance", "dcgan", model=gate)
    return rows


ROWS = _rows()


def command_of(name, row, budget):
    """The shell command that trains a `kerasgan.runs` row (Python-API rows name this script)."""
    if row.kind == "small_data" or row.model:
        return f"python benchmarks/quality.py --rows {name} --budget {budget['name']}"
    dataset = "stacked_fashion_mnist" if row.kind == "modes" else "fashion_mnist"
    flags = [f"--regularizer {spec}" for spec in row.options.get("regularizers", ())]
    for key, flag in (("augment", "--augment"), ("critic_steps", "--critic-steps")):
        if key in row.options:
            flags.append(f"{flag} {row.options[key]}")
    for key, flag in (("d_learning_rate", "--d-lr"), ("g_learning_rate", "--g-lr")):
        if key in row.options:
            flags.append(f"{flag} {row.options[key]:g}")
    if budget["limit"]:
        flags.append(f"--limit {budget['limit']}")
    return (
        f"kerasgan train {row.variant} --dataset {dataset} --epochs {budget['epochs']} --batch-size "
        f"{budget['batch_size']} --seed {row.seed} --precision float32 " + " ".join(flags)
    ).strip()


def _train_args(budget, seed):
    return types.SimpleNamespace(
        epochs=budget["epochs"], batch_size=budget["batch_size"], limit=budget["limit"], seed=seed
    )


def label_accuracy(gan, num_samples, seed):
    """The shipped classifier's accuracy on `num_samples` samples of the classes 0, 1, ..., 9, 0, ..."""
    labels = np.arange(num_samples) % gan.num_classes
    return classifier_accuracy(gan.generate(num_samples, seed=seed, labels=labels), labels)


def _runs_row(out, row, budget):
    """A row trained by `kerasgan.runs.train` (resumable): its speed and scores."""
    dataset = "stacked_fashion_mnist" if row.kind == "modes" else "fashion_mnist"
    speed = trained_run(out, row.variant, _train_args(budget, row.seed), dataset=dataset, **row.options)
    metrics = ("modes",) if row.kind == "modes" else METRICS
    samples = budget["mode_samples"] if row.kind == "modes" else budget["num_samples"]
    report, _ = runs.evaluate_run(str(out), metrics=metrics, num_samples=samples, seed=0)
    scores = report["scores"]
    if row.kind == "conditional":
        scores["label_accuracy"] = label_accuracy(runs.load_run_model(str(out)), samples, seed=0)
    return {**speed, "scores": scores}


def _gates(spec):
    return {name: kerasgan.SkipWhileAhead(term, above=above) for name, (term, above) in spec.items()}


def _python_row(row, budget):
    """A row trained with the Python API (a per-class subset, or a gate): its scores."""
    keras.utils.set_random_seed(row.seed)
    model = dict(row.model)
    if "gates" in model:
        model["gates"] = _gates(model["gates"])
    if row.kind == "small_data":
        images, labels = kerasgan.data.load_arrays("fashion_mnist", "train")
        images, _ = labelled_subset(images, labels, budget["per_class"], row.seed)
        batch_size, steps = budget["small_batch_size"], budget["small_steps"]
    else:
        images, _ = kerasgan.data.load_arrays("fashion_mnist", "train", limit=budget["limit"])
        batch_size = budget["batch_size"]
        steps = len(images) // batch_size * budget["epochs"]
    data = kerasgan.data.from_numpy(images, batch_size=batch_size, seed=row.seed)
    per_epoch = len(images) // batch_size
    gan = kerasgan.VARIANTS[row.variant](seed=row.seed, **model)
    gan.compile()
    gan.fit(data.repeat(), epochs=1, steps_per_epoch=steps, verbose=0)
    real = kerasgan.data.load(
        "fashion_mnist", "test", batch_size=min(250, budget["num_samples"]), shuffle=False,
        drop_remainder=False, limit=budget["num_samples"],
    )  # fmt: skip
    scores = kerasgan.evaluate(gan, real, metrics=METRICS, num_samples=budget["num_samples"], seed=0)
    return {"scores": scores, "steps": steps, "epochs_over_the_images": round(steps / per_epoch, 1)}


def row_result(name, budget, runs_dir):
    """Measures row `name` (or reads its finished result); returns its result dict."""
    row = ROWS[name]
    out = Path(runs_dir) / name
    cached = out / "result.json"
    if cached.exists():
        result = json.loads(cached.read_text())
        if result["budget"] == budget["name"]:
            return result
        raise SystemExit(
            f"{cached} holds a {result['budget']!r} result, not {budget['name']!r}: use another --runs "
            "folder."
        )
    if row.kind == "small_data" or row.model:
        result = _python_row(row, budget)
    else:
        result = _runs_row(out, row, budget)
    result.update(kind=row.kind, budget=budget["name"], seed=row.seed, command=command_of(name, row, budget))
    out.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(result, indent=2) + "\n")
    return result


def _spread(values):
    return (
        f"{statistics.mean(values):.1f} ± {statistics.stdev(values):.1f}"
        if len(values) > 1
        else f"{values[0]:.1f}"
    )


def tables(results):
    """The README's markdown tables of `results` (`{row: result}`), one per kind."""
    lines = []
    latent = {n: r for n, r in results.items() if r["kind"] in ("unconditional", "conditional", "balance")}
    if latent:
        lines += [
            "| row | FID ↓ | KID ↓ | precision ↑ | recall ↑ | classes ↑ | label accuracy ↑ | images/s |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, r in latent.items():
            s = r["scores"]
            accuracy = f"{s['label_accuracy']:.3f}" if "label_accuracy" in s else "–"
            speed = f"{r['images_per_second']:.0f}" if "images_per_second" in r else "–"
            lines.append(
                f"| {name} | {s['fid']:.1f} | {s['kid']:.2f} | {s['precision']:.3f} | {s['recall']:.3f} "
                f"| {s['classes']:.0f} | {accuracy} | {speed} |"
            )
    modes = {n: r for n, r in results.items() if r["kind"] == "modes"}
    if modes:
        lines += ["", "| row | modes ↑ (of 1,000) | KL to uniform ↓ | images/s |", "|---|---|---|---|"]
        for name, r in modes.items():
            s = r["scores"]
            lines.append(
                f"| {name} | {s['modes']:.0f} | {s['modes_kl']:.3f} | {r['images_per_second']:.0f} |"
            )
        real = next(iter(modes.values()))["scores"]
        lines.append(f"| real test stacks | {real['real_modes']:.0f} | {real['real_modes_kl']:.3f} | |")
    small = {}
    for name, r in results.items():
        if r["kind"] == "small_data":
            small.setdefault(name.rsplit("/", 1)[0], []).append(r["scores"])
    if small:
        lines += ["", "| row (mean ± sd over seeds) | seeds | FID ↓ | recall ↑ |", "|---|---|---|---|"]
        for name, scores in small.items():
            fid = _spread([s["fid"] for s in scores])
            recall = _spread([100 * s["recall"] for s in scores])
            lines.append(f"| {name} | {len(scores)} | {fid} | {recall} (%) |")
    return "\n".join(lines)


def selected(patterns):
    """The row names matching any of the shell-style `patterns`, in `ROWS` order."""
    names = [name for name in ROWS if any(fnmatch.fnmatch(name, p) for p in patterns)]
    unmatched = [p for p in patterns if not any(fnmatch.fnmatch(name, p) for name in ROWS)]
    if unmatched:
        raise SystemExit(f"No row matches {unmatched}; the rows are:\n  " + "\n  ".join(ROWS))
    return names


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", nargs="+", default=["*"], help="row names or patterns ('modes/*')")
    parser.add_argument("--budget", choices=sorted(BUDGETS), default="full")
    parser.add_argument("--runs", default="runs/quality_table")
    parser.add_argument("--out", default="benchmarks/results/quality.json")
    args = parser.parse_args(argv)
    budget = {"name": args.budget, **BUDGETS[args.budget]}
    results = {}
    for name in selected(args.rows):
        results[name] = row_result(name, budget, args.runs)
        print(name, json.dumps(results[name]["scores"]), flush=True)
    out = Path(args.out)
    previous = json.loads(out.read_text())["results"] if out.exists() else {}
    merged = {**{n: r for n, r in previous.items() if r.get("budget") == args.budget}, **results}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"budget": budget, "results": merged}, indent=2) + "\n")
    print(tables(merged))


if __name__ == "__main__":
    main()
