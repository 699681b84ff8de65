"""Trains a preset with a fixed seed and budget, scores it and writes it into `kerasgan/presets/`.

Usage:
    python scripts/train_presets.py NAME [--variant VARIANT] [--epochs N] [--batch-size N]
        [--seed N] [--ema-decay D] [--latent-dim N] [--dataset NAME] [--limit N]
        [--run-dir DIR] [--out DIR] [--eval-samples N] [--evaluate-only] [--resume]

NAME is a recipe below (`dcgan_fashion_mnist`, `acgan_fashion_mnist`,
`infogan_fashion_mnist`, `conditional_gan_fashion_mnist`) or a new name given with `--variant`. The
script trains through `kerasgan.runs.train` (what `kerasgan train` runs) in
float32 into `runs/presets/NAME`, writes the generator and EMA generator
weights (only those) and `card.json` into `kerasgan/presets/NAME/`, loads the
preset back as `kerasgan.GAN.from_preset` does and scores it with
`kerasgan.evaluate` on the data set's test split: FID, KID, precision and
recall with the shipped Fashion-MNIST feature extractor (plus, for a
conditional model, the shipped classifier's accuracy on its samples), EMA
and raw generator both. `--evaluate-only` re-scores the shipped preset and
rewrites its card's scores.
"""

import argparse
import json
import os
import platform
import shlex
import sys
import time

import keras
import numpy as np

import kerasgan
from kerasgan import runs
from kerasgan.models.presets import build_from_card, save_preset_weights
from kerasgan.presets import CARD_FILENAME, PRESETS_DIR
from kerasgan.utils.files import write_json_atomically
from kerasgan.utils.resume import completed_steps

METRICS = ("fid", "kid", "pr")
CHECK_SAMPLES = 1000  # the slow test's sample size
DATA_LICENSES = {
    "fashion_mnist": "Fashion-MNIST (Xiao, Rasul and Vollgraf, Zalando Research, 2017), MIT License; "
    "https://github.com/zalandoresearch/fashion-mnist",
}

# The recipes of the shipped presets: each trains in about 10 to 20 minutes on two CPU cores.
RECIPES = {
    "dcgan_fashion_mnist": {
        "variant": "dcgan",
        "description": "DCGAN (Radford et al. 2016) with an EMA generator, unconditional Fashion-MNIST "
        "28x28x1.",
    },
    "acgan_fashion_mnist": {
        "variant": "acgan",
        "description": "ACGAN (Odena et al. 2017) with an EMA generator, class-conditional Fashion-MNIST "
        "28x28x1 (labels 0-9).",
    },
    "infogan_fashion_mnist": {
        "variant": "infogan",
        "description": "InfoGAN (Chen et al. 2016) with an EMA generator, unconditional Fashion-MNIST "
        "28x28x1: 62 noise values, a 10-way categorical code and 2 continuous codes it learnt without "
        "labels.",
    },
    "conditional_gan_fashion_mnist": {
        "variant": "conditional_gan",
        "description": "Conditional DCGAN (Mirza and Osindero 2014) with an EMA generator, "
        "class-conditional Fashion-MNIST 28x28x1 (labels 0-9).",
    },
}
DEFAULTS = {"dataset": "fashion_mnist", "epochs": 5, "batch_size": 128, "seed": 0, "ema_decay": 0.999}


def card_config(gan):
    """The constructor arguments a card records: the GAN's shape, latents and EMA, and the variant's own.

    The variant's own are the plain values its `get_config` adds to
    `kerasgan.GAN`'s (InfoGAN's codes, ACGAN's class weight), so that
    `from_preset` builds the generator the weights were trained in.
    """
    config = {"image_shape": list(gan.image_shape), "latent_dim": gan.latent_dim, "ema_decay": gan.ema_decay}
    if gan.num_classes is not None:
        config["num_classes"] = gan.num_classes
    base = set(kerasgan.GAN.get_config(gan))
    for key, value in gan.get_config().items():
        if key not in base and isinstance(value, (bool, int, float, str)):
            config[key] = value
    return config


def optimizers_description(gan):
    """`"generator: Adam(lr 0.001, beta_1 0.5); discriminator: ..."`: the optimizers the run trained with."""
    parts = []
    for name in gan.network_names:
        optimizer = getattr(gan, gan.optimizer_attribute(name), None)
        if optimizer is None:
            continue
        rate = optimizer.learning_rate
        rate = f"{float(rate.numpy() if hasattr(rate, 'numpy') else rate):g}"
        beta = f", beta_1 {optimizer.beta_1:g}" if hasattr(optimizer, "beta_1") else ""
        parts.append(f"{name}: {type(optimizer).__name__}(lr {rate}{beta})")
    return "; ".join(parts) + " (the variant's paper defaults)"


def score_model(gan, dataset="fashion_mnist", num_samples=10000, seed=0, use_ema=True):
    """Scores a GAN as the cards do: the test split, unshuffled, FID, KID, precision and recall.

    The same pipeline as `kerasgan evaluate` (`kerasgan.runs.evaluate_run`):
    `num_samples` test images against as many generated ones (conditional
    models on the test images' labels), latents from `seed`, the shipped
    Fashion-MNIST feature extractor; a conditional model also gets
    `class_accuracy`, the shipped classifier's accuracy on `num_samples`
    samples of the classes 0, 1, ..., 9, 0, ... drawn from `seed`.

    Args:
        gan: a `kerasgan.GAN`.
        dataset: the data set's name.
        num_samples: real and generated images each.
        seed: int seed of the latents.
        use_ema: score the EMA generator (True) or the raw one.

    Returns:
        A dict of floats: fid, kid, kid_std, precision, recall (and class_accuracy).
    """
    ema = gan.ema_generator
    if not use_ema:
        gan.ema_generator = None
    try:
        batch_size = min(250, num_samples)
        conditional = gan.num_classes is not None
        real = kerasgan.data.load(
            dataset,
            split="test",
            batch_size=batch_size,
            with_labels=conditional,
            shuffle=False,
            drop_remainder=False,
            limit=num_samples,
        )
        scores = kerasgan.evaluate(
            gan, real, metrics=METRICS, num_samples=num_samples, batch_size=batch_size, seed=seed
        )
        if conditional:
            from kerasgan.class_evaluation import classifier_accuracy

            labels = np.arange(num_samples) % gan.num_classes
            images = gan.generate(num_samples, seed=seed, labels=labels)
            scores["class_accuracy"] = float(classifier_accuracy(images, labels))
    finally:
        gan.ema_generator = ema
    return scores


def _parser():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("name", help=f"a recipe ({', '.join(RECIPES)}) or a new name with --variant")
    parser.add_argument("--variant", default=None, help="the registered variant (kerasgan.VARIANTS)")
    parser.add_argument("--dataset", default=None)
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--ema-decay", type=float, default=None)
    parser.add_argument("--latent-dim", type=int, default=None)
    parser.add_argument("--limit", type=int, default=None, help="train on the first N images (quick tries)")
    parser.add_argument("--run-dir", default=None, help="run folder (default runs/presets/NAME)")
    parser.add_argument("--out", default=PRESETS_DIR, help="presets folder (default kerasgan/presets)")
    parser.add_argument("--eval-samples", type=int, default=10000)
    parser.add_argument("--evaluate-only", action="store_true", help="re-score the preset in --out")
    parser.add_argument("--resume", action="store_true", help="continue the run in --run-dir")
    return parser


def _recipe(args):
    recipe = {**DEFAULTS, **RECIPES.get(args.name, {})}
    for key in ("variant", "dataset", "epochs", "batch_size", "seed", "ema_decay", "latent_dim", "limit"):
        if getattr(args, key) is not None:
            recipe[key] = getattr(args, key)
    if "variant" not in recipe:
        raise SystemExit(f"{args.name!r} is not a recipe ({', '.join(RECIPES)}): give --variant.")
    return recipe


def _command(argv):
    return " ".join(["python", "scripts/train_presets.py", *(shlex.quote(a) for a in argv)])


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    folder = os.path.join(args.out, args.name)
    card_path = os.path.join(folder, CARD_FILENAME)
    weights = os.path.join(folder, f"{args.name}.weights.h5")
    if args.evaluate_only:
        with open(card_path) as file:
            card = json.load(file)
    else:
        recipe = _recipe(args)
        run_dir = args.run_dir or os.path.join("runs", "presets", args.name)
        train_options = {
            "dataset": recipe["dataset"],
            "epochs": recipe["epochs"],
            "batch_size": recipe["batch_size"],
            "latent_dim": recipe.get("latent_dim"),
            "limit": recipe.get("limit"),
            "seed": recipe["seed"],
            "ema_decay": recipe["ema_decay"],
            "precision": "float32",
        }
        start = time.time()
        gan = runs.train(
            recipe["variant"],
            run_dir,
            resume=args.resume,
            overwrite=not args.resume,
            verbose=2,
            **train_options,
        )
        seconds = time.time() - start
        steps = completed_steps(gan)
        config = card_config(gan)
        card = {
            "name": args.name,
            "description": recipe.get("description", f"{recipe['variant']} on {recipe['dataset']}."),
            "variant": recipe["variant"],
            "class": type(gan).__name__,
            "config": config,
            "dataset": recipe["dataset"],
            "split": "train",
            "budget": {
                "epochs": recipe["epochs"],
                "steps": steps,
                "batch_size": recipe["batch_size"],
                "limit": recipe.get("limit"),
                "precision": "float32",
                "optimizers": optimizers_description(gan),
                "wall_seconds": round(seconds),
                "machine": f"{platform.machine()} CPU, {os.cpu_count()} cores shared with other jobs",
            },
            "seed": recipe["seed"],
            "command": _command(argv),
            "training_call": f"kerasgan.runs.train({recipe['variant']!r}, {run_dir!r}, overwrite=True, "
            + ", ".join(f"{k}={v!r}" for k, v in train_options.items())
            + ")",
            "synthetic": "Every image this preset generates is synthetic: drawn by a generator trained on "
            f"{recipe['dataset']}, not a photograph of a real item.",
            "data_license": DATA_LICENSES.get(recipe["dataset"], "see the data set's own license"),
            "files": {"weights": os.path.basename(weights), "holds": ["generator", "ema_generator"]},
            "kerasgan_version": kerasgan.__version__,
            "keras_version": keras.__version__,
        }
        os.makedirs(folder, exist_ok=True)
        save_preset_weights(gan, weights)
    # Score both networks of the preset as it ships (built from its card and weights file, as
    # from_preset does); generate() draws from the one with the lower FID (`sample_from`).
    model = build_from_card(kerasgan.VARIANTS[card["variant"]], card, weights, name=args.name)
    scored = {
        network: score_model(
            model, card["dataset"], args.eval_samples, seed=0, use_ema=network == "ema_generator"
        )
        for network in ("ema_generator", "generator")
    }
    best = min(scored, key=lambda network: scored[network]["fid"])
    card["sample_from"] = best
    card["scores"] = {key: round(value, 5) for key, value in scored[best].items()}
    card["scores_by_network"] = {
        network: {key: round(value, 5) for key, value in scores.items()} for network, scores in scored.items()
    }
    card.pop("scores_raw_generator", None)
    card["scores_setup"] = {
        "split": "test",
        "num_samples": args.eval_samples,
        "seed": 0,
        "feature_extractor": "fashion_mnist (shipped)",
        "network": f"{best} (the lower FID of the two; what generate() of from_preset uses)",
        "kid": "as kerasgan.metrics.KernelInceptionDistance returns it (not x 1000)",
    }
    # A small-sample measurement that tests/test_presets.py's slow test repeats (FID is biased
    # upwards at small samples: compare it only with the same num_samples).
    model = build_from_card(kerasgan.VARIANTS[card["variant"]], card, weights, name=args.name)
    check = score_model(model, card["dataset"], CHECK_SAMPLES, seed=0)
    card["scores_check"] = {
        "num_samples": CHECK_SAMPLES,
        "seed": 0,
        "network": best,
        "scores": {key: round(value, 5) for key, value in check.items()},
    }
    card["scores_command"] = _command(
        [args.name, "--evaluate-only", "--eval-samples", str(args.eval_samples)]
    )
    write_json_atomically(card_path, card)
    print(json.dumps(card["scores_by_network"], indent=1), f"sample_from={best}")
    print(f"Wrote {folder}")


if __name__ == "__main__":
    main()
