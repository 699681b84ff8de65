"""Re-trains the Fashion-MNIST classifier used as a metrics feature extractor.

Writes `fashion_mnist_classifier.weights.h5` and `fashion_mnist_classifier.json`
(its measured test accuracy and the training recipe) into `--output-dir`,
by default the `kerasgan/metrics/` folder the package ships them from.

The recipe is fixed (seed, epochs, batch size, Adam learning rate) and uses
the training split only; the test split is read once, at the end, to measure
the accuracy that goes into the JSON. Op determinism is switched on, so two
runs on the same machine and TensorFlow version write identical weights.

Usage:
    python scripts/train_feature_extractor.py            # about 3 min on 2 CPU cores
    python scripts/train_feature_extractor.py --epochs 1 --output-dir /tmp/fx
"""

import argparse
import hashlib
import json
import os
import time

import keras

from kerasgan.data import load_arrays
from kerasgan.metrics import fashion_mnist_classifier as fmc


def load_fashion_mnist(split, data_dir):
    """One Fashion-MNIST split: float32 images in [-1, 1] and int64 labels."""
    images, labels = load_arrays("fashion_mnist", split, data_dir=data_dir, download=False)
    return images.astype("float32") / 127.5 - 1.0, labels


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--output-dir", default=os.path.dirname(fmc.WEIGHTS_PATH))
    return parser.parse_args(argv)


def enable_determinism(seed):
    """Seeds Python, NumPy and the backend, and asks TF for deterministic ops."""
    keras.utils.set_random_seed(seed)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()


def train(args):
    """Trains the classifier with the recipe in `args` and writes its files."""
    enable_determinism(args.seed)
    x_train, y_train = load_fashion_mnist("train", args.data_dir)
    x_test, y_test = load_fashion_mnist("test", args.data_dir)

    model = fmc.build_fashion_mnist_classifier()
    model.compile(
        optimizer=keras.optimizers.Adam(args.learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    start = time.time()
    model.fit(
        x_train,
        y_train,
        batch_size=args.batch_size,
        epochs=args.epochs,
        shuffle=True,
        verbose=2,
    )
    train_seconds = time.time() - start
    _, test_accuracy = model.evaluate(x_test, y_test, batch_size=512, verbose=0)

    os.makedirs(args.output_dir, exist_ok=True)
    weights_path = os.path.join(args.output_dir, os.path.basename(fmc.WEIGHTS_PATH))
    # A compiled model's weights file also holds the optimizer's moments;
    # ship only the network's weights (about a third of the size).
    inference_model = fmc.build_fashion_mnist_classifier()
    inference_model.set_weights(model.get_weights())
    inference_model.save_weights(weights_path)
    with open(weights_path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    metadata = {
        "test_accuracy": round(float(test_accuracy), 4),
        "num_test_images": int(len(y_test)),
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "learning_rate": args.learning_rate,
        "seed": args.seed,
        "num_parameters": int(model.count_params()),
        "weights_bytes": os.path.getsize(weights_path),
        "weights_sha256": digest,
        "train_seconds": round(train_seconds, 1),
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
    }
    metadata_path = os.path.join(args.output_dir, os.path.basename(fmc.METADATA_PATH))
    with open(metadata_path, "w") as f:
        json.dump(metadata, f, indent=2)
        f.write("\n")
    print(json.dumps(metadata, indent=2))
    return metadata


if __name__ == "__main__":
    train(parse_args())
