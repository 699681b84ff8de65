"""Training speed of kerasgan on the JAX backend against a hand-written JAX step and plain PyTorch.

Usage (a GPU machine needs JAX, Keras, kerasgan and, for the comparison,
PyTorch; TensorFlow is not needed):
    KERAS_BACKEND=jax python benchmarks/jax_speed.py [--variants dcgan wgan_gp]
        [--batch-sizes 128 512 2048] [--precisions float32 mixed_bfloat16]
        [--steps 20] [--repeats 3] [--no-torch] [--out benchmarks/results/jax_speed.json]

The networks are the 64x64 DCGAN of PyTorch's tutorial (kerasgan's DCGAN
builders with `base_filters=64, kernel_size=4`: 4x4x512→256→128→64→3 and
back; about 2.5 GFLOP per training image), for DCGAN and for WGAN-GP (layer-
norm critic, 5 critic updates). Per variant, precision and batch size, in one
process, on the same random images in [-1, 1], the contenders are:

- `kerasgan_fit`: `gan.fit(images, batch_size=..., shuffle=False)` of a
  kerasgan model on JAX, one epoch of `--steps` steps (the host-to-device
  copy of every batch included, as users run it);
- `kerasgan_fit_on_device`: the same model's `fit` on a generator of the
  batches already on the device (kerasgan's trainer without the input
  pipeline);
- `reference`: the hand-written stateless Keras-on-JAX step of
  `jax_reference_step.py` over networks of the same build, on batches
  already on the device;
- `torch`: the same networks in plain PyTorch eager (`pytorch_dcgan.py`),
  on batches already on the device, with cuDNN autotuning and TF32 on, and
  bfloat16 autocast for the `mixed_bfloat16` rows.

Each contender is compiled and warmed up, then timed once per repeat in
turn; figures are medians over repeats, ratios medians of per-round ratios.
Model FLOP utilisation (`mfu`) is images/s times the model FLOPs per image
(`flops.py`) over the GPU's dense peak (bfloat16, or TF32 for float32);
it is left out on a CPU. Without a GPU the defaults are small (64x64 at
batch 16 and 32, 4 steps) and the table is a CPU table.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from flops import peak_flops, training_flops_per_image  # noqa: E402
from jax_reference_step import ReferenceStep  # noqa: E402
from machine import describe_machine  # noqa: E402
from timing import interleaved_medians, loop_seconds  # noqa: E402

import kerasgan  # noqa: E402
from kerasgan.networks import build_dcgan_discriminator, build_dcgan_generator  # noqa: E402
from kerasgan.utils.validation import positive_int_argument  # noqa: E402

IMAGE_SHAPE = (64, 64, 3)
NETWORK = {"base_filters": 64, "kernel_size": 4}
VARIANTS = {"dcgan": kerasgan.DCGAN, "wgan_gp": kerasgan.WGANGP}
LATENT_DIM = 100


def on_gpu():
    """True when JAX's default device is a GPU."""
    return jax.default_backend() == "gpu"


def build_networks(variant, policy):
    """A fresh generator and critic of the benchmark's layout under the dtype `policy`."""
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(policy)
    try:
        generator = build_dcgan_generator(IMAGE_SHAPE, LATENT_DIM, **NETWORK)
        critic = build_dcgan_discriminator(
            IMAGE_SHAPE, normalization="layer" if variant == "wgan_gp" else "batch", **NETWORK
        )
    finally:
        keras.config.set_dtype_policy(previous)
    return generator, critic


class EpochTimer(keras.callbacks.Callback):
    """Seconds of the last epoch, from its beginning to its end."""

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds = time.perf_counter() - self.start


def kerasgan_contenders(variant, policy, images, device_batches, batch_size):
    """`({name: seconds function}, model)`: one `fit` epoch on host images and on device batches."""
    generator, critic = build_networks(variant, policy)
    gan = VARIANTS[variant](
        image_shape=IMAGE_SHAPE, latent_dim=LATENT_DIM, generator=generator, discriminator=critic, seed=0
    )
    gan.compile()

    def timed_fit(*args, **kwargs):
        timer = EpochTimer()
        gan.fit(*args, epochs=1, verbose=0, callbacks=[timer], **kwargs)
        return timer.seconds

    def on_device():
        while True:
            yield from ((batch,) for batch in device_batches)

    return {
        "kerasgan_fit": lambda: timed_fit(images, batch_size=batch_size, shuffle=False),
        "kerasgan_fit_on_device": lambda: timed_fit(on_device(), steps_per_epoch=len(device_batches)),
    }, gan


def reference_contender(variant, policy, device_batches):
    """Seconds of one pass of the hand-written step over `device_batches`."""
    generator, critic = build_networks(variant, policy)
    learning_rate, betas = (1e-4, (0.0, 0.9)) if variant == "wgan_gp" else (2e-4, (0.5, 0.999))
    step = ReferenceStep(
        generator,
        critic,
        keras.optimizers.Adam(learning_rate, beta_1=betas[0], beta_2=betas[1]),
        keras.optimizers.Adam(learning_rate, beta_1=betas[0], beta_2=betas[1]),
        LATENT_DIM,
        variant,
        n_critic=5 if variant == "wgan_gp" else 1,
    )
    return lambda: loop_seconds(step, device_batches)


def torch_contender(variant, policy, host_batches):
    """Seconds of one pass of the PyTorch step over the batches, moved to its device first."""
    from pytorch_dcgan import TorchGAN, import_torch

    torch = import_torch()
    cuda = torch.cuda.is_available()
    if cuda:
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    model = TorchGAN(
        latent_dim=LATENT_DIM,
        autocast_dtype=torch.bfloat16 if policy == "mixed_bfloat16" else None,
        image_shape=IMAGE_SHAPE,
        variant=variant,
        device="cuda" if cuda else "cpu",
        **NETWORK,
    )
    batches = [model.to_torch(batch) for batch in host_batches]
    return lambda: loop_seconds(model.step, batches)


def measure(variant, policy, batch_size, steps, repeats, torch=True, seed=0):
    """Times the contenders of one configuration, interleaved; returns their figures.

    Args:
        variant: `"dcgan"` or `"wgan_gp"`.
        policy: `"float32"` or `"mixed_bfloat16"`.
        batch_size: images per step.
        steps: training steps per timed pass.
        repeats: interleaved rounds.
        torch: also time PyTorch. Defaults to True.
        seed: seed of the random images.

    Returns:
        Dict: `images_per_second` and `mfu` per contender, `ratios`, `seconds`,
        `flops_per_image`.

    Example:
        >>> measure("dcgan", "float32", 16, steps=2, repeats=1, torch=False)  # doctest: +SKIP
    """
    images = np.random.default_rng(seed).uniform(-1, 1, (steps * batch_size, *IMAGE_SHAPE)).astype("float32")
    host_batches = [images[i * batch_size : (i + 1) * batch_size] for i in range(steps)]
    device_batches = [jax.device_put(batch) for batch in host_batches]
    contenders, gan = kerasgan_contenders(variant, policy, images, device_batches, batch_size)
    contenders["reference"] = reference_contender(variant, policy, device_batches)
    if torch:
        contenders["torch"] = torch_contender(variant, policy, host_batches)
    for contender in contenders.values():  # compiles, autotunes, warms caches
        contender()
    timings = interleaved_medians(contenders, repeats)
    seconds = {name: timing["seconds"] for name, timing in timings.items()}
    speed = {name: batch_size * steps / timing["median_seconds"] for name, timing in timings.items()}
    flops = training_flops_per_image(gan.generator, gan.discriminator, variant, gan.n_critic)
    peak = peak_flops(jax.devices()[0].device_kind, "bfloat16" if policy == "mixed_bfloat16" else "float32")
    ratios = {}
    for name in ("kerasgan_fit", "kerasgan_fit_on_device"):
        for other in ("reference", "torch"):
            if other in seconds:
                per_round = [b / a for a, b in zip(seconds[name], seconds[other])]
                ratios[f"{name}_vs_{other}"] = round(statistics.median(per_round), 3)
    return {
        "images_per_second": {name: round(value, 1) for name, value in speed.items()},
        "mfu": {name: None if peak is None else round(v * flops / peak, 4) for name, v in speed.items()},
        "ratios": ratios,
        "flops_per_image": flops,
        "seconds": {name: [round(s, 4) for s in values] for name, values in seconds.items()},
    }


def markdown_table(results):
    """The results as a Markdown table, with kerasgan against PyTorch's best figure per batch size."""
    best_torch = {}
    for row in results:
        key = (row["variant"], row["batch_size"])
        torch_speed = row["images_per_second"].get("torch")
        if torch_speed is not None:
            best_torch[key] = max(best_torch.get(key, 0.0), torch_speed)
    lines = [
        "| variant | precision | batch | kerasgan fit img/s | kerasgan fit, batches on device img/s "
        "| hand-written JAX img/s | PyTorch img/s | kerasgan on device / hand-written "
        "| kerasgan / best PyTorch | kerasgan MFU |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in results:
        speed = row["images_per_second"]
        best = best_torch.get((row["variant"], row["batch_size"]))
        mfu = row["mfu"]["kerasgan_fit"]
        versus_torch = "" if best is None else f"{speed['kerasgan_fit'] / best:.2f}"
        utilisation = "" if mfu is None else f"{100 * mfu:.1f}%"
        lines.append(
            f"| {row['variant']} | {row['precision']} | {row['batch_size']} | {speed['kerasgan_fit']:.0f} "
            f"| {speed['kerasgan_fit_on_device']:.0f} | {speed['reference']:.0f} "
            f"| {speed.get('torch', float('nan')):.0f} "
            f"| {row['ratios']['kerasgan_fit_on_device_vs_reference']:.2f} | {versus_torch} | {utilisation} |"
        )
    return "\n".join(lines)


def parse_args(argv=None):
    """Parses the command line (see the module docstring)."""
    gpu = on_gpu()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variants", nargs="+", choices=sorted(VARIANTS), default=["dcgan", "wgan_gp"])
    batch_sizes = [128, 512, 2048] if gpu else [16, 32]
    parser.add_argument("--batch-sizes", nargs="+", type=positive_int_argument, default=batch_sizes)
    policies = ["float32", "mixed_bfloat16"]
    parser.add_argument("--precisions", nargs="+", choices=policies, default=policies)
    parser.add_argument(
        "--steps", type=positive_int_argument, default=20 if gpu else 4, help="steps per timing"
    )
    parser.add_argument("--repeats", type=positive_int_argument, default=3, help="interleaved rounds")
    parser.add_argument("--no-torch", dest="torch", action="store_false", help="leave PyTorch out")
    parser.add_argument("--out", default="benchmarks/results/jax_speed.json")
    return parser.parse_args(argv)


def write(args, machine, results):
    """Writes the JSON file named by `--out`."""
    with open(args.out, "w") as file:
        json.dump({"machine": machine, "settings": vars(args), "results": results}, file, indent=1)


def main(argv=None):
    """Runs every configuration, prints the table and writes the JSON file named by `--out`."""
    args = parse_args(argv)
    if keras.backend.backend() != "jax":
        raise SystemExit(f"Run with KERAS_BACKEND=jax; this process runs Keras on {keras.backend.backend()}.")
    machine = describe_machine()
    machine["jax"] = jax.__version__
    machine["device"] = jax.devices()[0].device_kind
    results = []
    for variant in args.variants:
        for policy in args.precisions:
            for batch_size in args.batch_sizes:
                row = {"variant": variant, "precision": policy, "batch_size": batch_size}
                row.update(measure(variant, policy, batch_size, args.steps, args.repeats, torch=args.torch))
                print(json.dumps({key: row[key] for key in row if key != "seconds"}), flush=True)
                results.append(row)
                write(args, machine, results)  # after every row: a cut-off run keeps what it measured
    machine["load_average_at_end"] = describe_machine()["load_average_1_5_15"]
    write(args, machine, results)
    versions = f"JAX {machine['jax']}, Keras {machine['keras']}, PyTorch {machine['torch']}"
    print(f"\n{machine['device']}, {versions}\n")
    print(markdown_table(results))


if __name__ == "__main__":
    main()
