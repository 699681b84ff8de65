"""The EMA generator with and without its warm-up, on one training trajectory.

Usage:
    python benchmarks/ema_warmup.py [--epochs 2] [--batch-size 128] [--ema-decay 0.999]
        [--num-samples 10000] [--seed 0] [--out benchmarks/results/ema_warmup.json]

Two DCGANs with the same seed train on Fashion-MNIST with the same batches:
one keeps `ema_decay` with `ema_warmup=True` (kerasgan's default), the other
with `ema_warmup=False`. The average never feeds back into training, so both
generators follow the same trajectory (the script checks that their trained
generators end equal) and only the averages differ. Each average and the
trained generator are scored on `--num-samples` samples against as many
test images with the shipped extractor (FID, KID, precision, recall).
"""

import argparse
import json
import time
from pathlib import Path

import keras
import numpy as np
from variant_quality import scores_on_the_test_split

import kerasgan
from kerasgan.utils.validation import positive_int_argument


def trained(ema_warmup, args):
    keras.utils.set_random_seed(args.seed)
    gan = kerasgan.DCGAN(ema_decay=args.ema_decay, ema_warmup=ema_warmup, seed=args.seed)
    gan.compile()
    data = kerasgan.data.load("fashion_mnist", "train", batch_size=args.batch_size, seed=args.seed)
    gan.fit(data, epochs=args.epochs, verbose=0)
    return gan


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=positive_int_argument, default=2)
    parser.add_argument("--batch-size", type=positive_int_argument, default=128)
    parser.add_argument("--ema-decay", type=float, default=0.999)
    parser.add_argument("--num-samples", type=positive_int_argument, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="benchmarks/results/ema_warmup.json")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    warm, plain = trained(True, args), trained(False, args)
    same = all(
        np.array_equal(a, b) for a, b in zip(warm.generator.get_weights(), plain.generator.get_weights())
    )
    result = {
        "settings": vars(args),
        "steps": int(warm.g_optimizer.iterations),
        "trained_generators_equal": same,
        "ema_with_warmup": scores_on_the_test_split(warm, args.num_samples, args.seed),
        "ema_without_warmup": scores_on_the_test_split(plain, args.num_samples, args.seed),
        "trained_generator": scores_on_the_test_split(warm, args.num_samples, args.seed, use_ema=False),
        "minutes": round((time.perf_counter() - start) / 60, 1),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
