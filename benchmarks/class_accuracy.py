"""How often the shipped Fashion-MNIST classifier recognises each generated class.

Trains `ConditionalGAN` and `ACGAN` with the same command settings (seeded,
`kerasgan.runs.train`, the same code path as `kerasgan train`), then runs
`kerasgan.evaluate_per_class` on each: the fraction of class-labelled samples
that the shipped classifier (91.2% on real test images) assigns to the
requested class, and the per-class FID with Fashion-MNIST features. Writes
one JSON file and prints a table.

    python benchmarks/class_accuracy.py --epochs 2 --seed 0 --per-class 900 --out runs/class_accuracy

(The test split in batches of 128 keeps at least 997 images of each class.)
"""

import argparse
import json
import os

import kerasgan
from kerasgan import runs
from kerasgan.utils.validation import positive_int_argument


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=positive_int_argument, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-class", type=positive_int_argument, default=900, help="samples per class")
    parser.add_argument("--variants", default="conditional_gan,acgan")
    parser.add_argument("--out", default="runs/class_accuracy")
    args = parser.parse_args()
    results = {"command": vars(args)}
    test = kerasgan.data.load("fashion_mnist", split="test", with_labels=True, shuffle=False)
    for variant in args.variants.split(","):
        run_dir = os.path.join(args.out, variant)
        resume = os.path.exists(os.path.join(run_dir, "run.json"))
        gan = runs.train(variant, run_dir, epochs=args.epochs, seed=args.seed, resume=resume, verbose=2)
        report = kerasgan.evaluate_per_class(gan, test, num_samples_per_class=args.per_class, seed=0)
        results[variant] = {key: report[key] for key in ("class_accuracy", "mean_class_fid")}
        results[variant]["accuracy_per_class"] = report.get("accuracy_per_class")
        print(
            f"{variant:16s} class accuracy {report['class_accuracy']:.3f}  "
            f"mean per-class FID {report['mean_class_fid']:.2f}"
        )
    with open(os.path.join(args.out, "class_accuracy.json"), "w") as f:
        json.dump(results, f, indent=2, default=float)


if __name__ == "__main__":
    main()
