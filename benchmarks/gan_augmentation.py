"""Does a conditional GAN trained on 50 images per class help a classifier trained on the same images?

For each seed: draw 50 labelled Fashion-MNIST training images per class (500
in all); train a small CNN on them alone; train `kerasgan.ConditionalGAN`
(DCGAN networks 32 filters wide) on the same 500 images; train the same CNN (same initial weights, same number
of passes over the real images) on the real images mixed half and half with
GAN samples (`kerasgan.augment.synthetic_dataset` + `kerasgan.augment.mix`),
once with every sample and once with the half of the candidates that the
GAN's discriminator scores highest. A control trains the real-only CNN for
as many steps as the mixed runs take, so that "more steps" cannot pass for
"more data". Every classifier is scored on the 10,000 Fashion-MNIST test
images. No image outside the 500 is used for training, selection or
filtering; the shipped Fashion-MNIST classifier only reports how
recognisable the GAN's samples are.

    python benchmarks/gan_augmentation.py                 # full budget, ~60 min on 2 busy cores
    python benchmarks/gan_augmentation.py --budget ci     # smoke run, ~2 min
    python benchmarks/gan_augmentation.py --augmentation diffaugment \
        --out docs/gan_augmentation_diffaugment.json --plot gan_augmentation_diffaugment.png
        # the GAN regularised for small data (DiffAugment or ADA), the quality table's small-data setting

Writes the per-seed and summary figures to `--out` (default
docs/gan_augmentation.json) and a plot to `--plot` (default
docs/tutorials/02_conditional_gan_and_data_augmentation.png). Tutorial 02
runs the same experiment with the same settings.
"""

import argparse
import json
import os
import statistics
import time

import keras
import numpy as np
from machine import describe_machine

import kerasgan
from kerasgan.class_evaluation import classifier_predictions

BUDGETS = {
    "full": {
        "seeds": [0, 1, 2],
        "per_class": 50,
        "gan_epochs": 200,
        "gan_width": 32,
        "classifier_epochs": 30,
        "synthetic_per_class": 500,
        "ratio": 0.5,
        "discriminator_top_fraction": 0.5,
        "batch_size": 50,
    },
    "ci": {
        "seeds": [0],
        "per_class": 50,
        "gan_epochs": 2,
        "gan_width": 32,
        "classifier_epochs": 2,
        "synthetic_per_class": 20,
        "ratio": 0.5,
        "discriminator_top_fraction": 0.5,
        "batch_size": 50,
    },
}
ARMS = {
    "real": "real only",
    "real_more_steps": "real only, as many steps as the mixed runs",
    "real_plus_gan": "real + GAN samples",
    "real_plus_gan_top_half": "real + GAN samples, discriminator's top half",
}


def labelled_subset(images, labels, per_class, seed):
    """`per_class` random examples of each class (seeded), grouped by class."""
    rng = np.random.default_rng(seed)
    chosen = [rng.choice(np.flatnonzero(labels == c), per_class, replace=False) for c in np.unique(labels)]
    keep = np.concatenate(chosen)
    return images[keep], labels[keep].astype("int32")


def build_classifier(seed):
    """A small CNN on images in [-1, 1]; the same seed gives the same initial weights."""
    keras.utils.set_random_seed(seed)
    classifier = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(64, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    classifier.compile(
        optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return classifier


def build_cgan(width, seed, augmentation=None):
    """`ConditionalGAN` with DCGAN networks of `width` filters (64 by default; 32 trains ~4x faster).

    `augmentation` is the model's `augmentation=` (None, `"diffaugment"`,
    `"ada"`): the small-data setting of the quality table.
    """
    keras.utils.set_random_seed(seed)
    networks = kerasgan.networks
    return kerasgan.ConditionalGAN(
        num_classes=10,
        seed=seed,
        augmentation=augmentation,
        generator=networks.build_dcgan_generator((28, 28, 1), 100, base_filters=width, num_classes=10),
        discriminator=networks.build_dcgan_discriminator((28, 28, 1), base_filters=width, num_classes=10),
    )


def test_accuracy(train, epochs, test, seed):
    """Trains a fresh classifier on `train` and returns its accuracy on `test`."""
    classifier = build_classifier(seed)
    classifier.fit(train, epochs=epochs, verbose=0)
    return float(classifier.evaluate(test, verbose=0, return_dict=True)["accuracy"])


def run_seed(seed, settings, train_arrays, test):
    """The whole experiment for one seed; returns a dict of its figures."""
    images, labels = labelled_subset(*train_arrays, settings["per_class"], seed)
    real = kerasgan.data.from_numpy(images, labels, batch_size=settings["batch_size"], seed=seed)
    epochs, ratio = settings["classifier_epochs"], settings["ratio"]
    result = {"seed": seed, "accuracy": {}}
    result["accuracy"]["real"] = test_accuracy(real, epochs, test, seed)
    result["accuracy"]["real_more_steps"] = test_accuracy(real, round(epochs / (1 - ratio)), test, seed)

    gan = build_cgan(settings["gan_width"], seed, settings.get("augmentation"))
    gan.compile()
    start = time.time()
    gan.fit(real, epochs=settings["gan_epochs"], verbose=0)
    result["gan_seconds"] = round(time.time() - start, 1)
    print(f"seed {seed}: GAN trained in {result['gan_seconds']:.0f} s", flush=True)

    n = settings["synthetic_per_class"]
    variants = {
        "real_plus_gan": {},
        "real_plus_gan_top_half": {"discriminator_top_fraction": settings["discriminator_top_fraction"]},
    }
    result["samples_recognised"] = {}
    for arm, options in variants.items():
        synthetic = kerasgan.augment.synthetic_dataset(
            gan, n, batch_size=settings["batch_size"], seed=seed, **options
        )
        mixed = kerasgan.augment.mix(real, synthetic, ratio, seed=seed)
        result["accuracy"][arm] = test_accuracy(mixed, epochs, test, seed)
        # How often the shipped classifier (trained on all 60,000 images) sees the intended class.
        parts = zip(*synthetic.as_numpy_iterator())
        sample_images, sample_labels = (np.concatenate(part) for part in parts)
        recognised = classifier_predictions(sample_images) == sample_labels
        result["samples_recognised"][arm] = float(np.mean(recognised))
    return result


def summarize(results):
    """Mean and standard deviation per arm, and the paired gains over real-only."""
    summary = {}
    for arm in ARMS:
        values = [r["accuracy"][arm] for r in results]
        gains = [r["accuracy"][arm] - r["accuracy"]["real"] for r in results]
        summary[arm] = {
            "mean": statistics.mean(values),
            "std": statistics.stdev(values) if len(values) > 1 else 0.0,
            "gain_over_real_mean": statistics.mean(gains),
            "gain_over_real_std": statistics.stdev(gains) if len(gains) > 1 else 0.0,
            "seeds_improved": sum(g > 0 for g in gains),
        }
    return summary


def plot(results, summary, settings, path):
    """Test accuracy per arm: one dot per seed (a line joins a seed's arms), the mean and ±1 std."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 3.6))
    for r in results:
        axes.plot(range(len(ARMS)), [r["accuracy"][arm] for arm in ARMS], color="tab:gray", alpha=0.35, lw=1)
    for position, arm in enumerate(ARMS):
        values = [r["accuracy"][arm] for r in results]
        axes.scatter([position] * len(values), values, color="tab:gray", s=18, zorder=2)
        axes.errorbar(
            position,
            summary[arm]["mean"],
            yerr=summary[arm]["std"],
            fmt="o",
            color="tab:blue",
            capsize=6,
            markersize=8,
            zorder=3,
        )
    axes.set_xticks(range(len(ARMS)), [label.replace(", ", ",\n") for label in ARMS.values()], fontsize=8)
    axes.set_ylabel("test accuracy (10,000 images)")
    axes.set_title(
        f"Fashion-MNIST, {settings['per_class']} labelled images per class, "
        f"{len(results)} seed(s); mean ± std",
        fontsize=9,
    )
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", choices=sorted(BUDGETS), default="full")
    parser.add_argument("--out", default="docs/gan_augmentation.json")
    parser.add_argument("--plot", default="docs/tutorials/02_conditional_gan_and_data_augmentation.png")
    parser.add_argument("--replot", action="store_true", help="only redraw --plot from the JSON in --out")
    parser.add_argument(
        "--augmentation",
        choices=("diffaugment", "ada"),
        default=None,
        help="train the GAN with this discriminator augmentation (the quality table's small-data setting)",
    )
    args = parser.parse_args()
    if args.replot:
        with open(args.out) as f:
            report = json.load(f)
        plot(report["seeds"], report["summary"], report["settings"], args.plot)
        return
    settings = {**BUDGETS[args.budget], "augmentation": args.augmentation}
    train_arrays = kerasgan.data.load_arrays("fashion_mnist", "train")
    test = kerasgan.data.load(
        "fashion_mnist", split="test", batch_size=1000, with_labels=True, shuffle=False, drop_remainder=False
    )
    classifier_predictions(np.zeros((1, 28, 28, 1), "float32"))  # loads the shipped classifier now
    results = []
    for seed in settings["seeds"]:
        start = time.time()
        results.append(run_seed(seed, settings, train_arrays, test))
        results[-1]["seconds"] = round(time.time() - start, 1)
        print(json.dumps(results[-1]), flush=True)
    summary = summarize(results)
    for arm, label in ARMS.items():
        figures = summary[arm]
        print(
            f"{label:45s} {figures['mean']:.4f} ± {figures['std']:.4f}  "
            f"gain {figures['gain_over_real_mean']:+.4f} ± {figures['gain_over_real_std']:.4f}"
        )
    report = {
        "budget": args.budget,
        "settings": settings,
        "arms": ARMS,
        "summary": summary,
        "seeds": results,
        "machine": describe_machine(),
    }
    for path in (args.out, args.plot):
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(report, f, indent=2)
    plot(results, summary, settings, args.plot)


if __name__ == "__main__":
    main()
