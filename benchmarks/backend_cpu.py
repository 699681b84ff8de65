"""Training speed of kerasgan's 28x28 DCGAN on the CPU: TensorFlow against JAX.

Usage:
    python benchmarks/backend_cpu.py [--batch-size 128] [--steps 20]
        [--rounds 3] [--out benchmarks/results/backend_cpu.json]

Keras reads its backend once per process, so each measurement is a child
process (`--child BACKEND`): it builds `kerasgan.DCGAN()` (the default
networks, latent size 100), compiles it, runs one warm-up `fit` of
`--steps` steps on cached real Fashion-MNIST batches (tracing and XLA
compilation), then times a second `fit` of `--steps` steps. The children
alternate (TensorFlow, JAX, TensorFlow, JAX, ...) for `--rounds` rounds,
so both backends see the same load on a shared host; the ratio reported is
the median of each round's TensorFlow / JAX ratio. `JAXOnCPUWarning`
quotes this benchmark's figures.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from machine import describe_machine

from kerasgan.utils.validation import positive_int_argument

BACKENDS = ("tensorflow", "jax")


def child(backend, batch_size, steps):
    """Times `fit` on `backend` in this process; prints `{"images_per_second": ...}`."""
    import warnings

    import keras

    import kerasgan

    assert keras.backend.backend() == backend
    warnings.filterwarnings("ignore", category=kerasgan.JAXOnCPUWarning)
    images, _ = kerasgan.data.load_arrays("fashion_mnist", split="train", limit=batch_size * steps)
    images = images[: batch_size * steps].astype("float32") / 127.5 - 1.0  # uint8 to [-1, 1]
    keras.utils.set_random_seed(0)
    gan = kerasgan.DCGAN(seed=0)
    gan.compile()
    gan.fit(images, batch_size=batch_size, epochs=1, verbose=0, shuffle=False)  # warm-up
    start = time.perf_counter()
    gan.fit(images, batch_size=batch_size, epochs=1, verbose=0, shuffle=False)
    # Reading a weight waits for the last step (JAX dispatches asynchronously).
    keras.ops.convert_to_numpy(gan.generator.weights[0])
    seconds = time.perf_counter() - start
    print(json.dumps({"images_per_second": batch_size * steps / seconds}))


def measure(backend, batch_size, steps):
    environment = dict(os.environ, KERAS_BACKEND=backend, JAX_PLATFORMS="cpu", TF_CPP_MIN_LOG_LEVEL="3")
    command = [sys.executable, __file__, "--child", backend, "--batch-size", str(batch_size)]
    command += ["--steps", str(steps)]
    process = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if process.returncode != 0:
        raise RuntimeError(f"the {backend} child failed:\n{process.stderr[-3000:]}")
    return json.loads(process.stdout.strip().splitlines()[-1])["images_per_second"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=positive_int_argument, default=128)
    parser.add_argument("--steps", type=positive_int_argument, default=20)
    parser.add_argument("--rounds", type=positive_int_argument, default=3)
    parser.add_argument("--out", default="benchmarks/results/backend_cpu.json")
    parser.add_argument("--child", choices=BACKENDS, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.batch_size, args.steps)
    rounds = []
    for index in range(args.rounds):
        speeds = {backend: measure(backend, args.batch_size, args.steps) for backend in BACKENDS}
        rounds.append(speeds)
        print(
            f"round {index + 1}: TensorFlow {speeds['tensorflow']:.0f} images/s, "
            f"JAX {speeds['jax']:.0f} images/s",
            flush=True,
        )
    result = {
        "command": "python " + " ".join(sys.argv),
        "machine": describe_machine(),
        "model": "kerasgan.DCGAN() 28x28x1, latent 100, fit on real Fashion-MNIST",
        "batch_size": args.batch_size,
        "steps": args.steps,
        "rounds": rounds,
        "median_images_per_second": {b: statistics.median(r[b] for r in rounds) for b in BACKENDS},
        "tensorflow_vs_jax": statistics.median(r["tensorflow"] / r["jax"] for r in rounds),
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
    print(f"TensorFlow / JAX: {result['tensorflow_vs_jax']:.1f}x; wrote {args.out}")


if __name__ == "__main__":
    main()
