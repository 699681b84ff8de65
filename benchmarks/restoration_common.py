"""What the image-to-image benchmarks share: the data, the scores, the small models, training, the JSON.

Used by `srgan_quality.py`, `inpainting_quality.py`, `cyclegan_quality.py`,
`pix2pix_quality.py` and `image_to_image_speed.py`. Images are float32 in
`[-1, 1]`; the scores are NumPy figures over whole test sets:

- `psnr`: peak signal-to-noise ratio in dB for the data range 2 of
  `[-1, 1]`, `10 log10(4 / MSE)` per image, averaged over images (optionally
  over the pixels of a mask only).
- `ssim`: `tf.image.ssim` with `max_val=2` and its defaults, which are the
  standard ones of Wang et al. (Gaussian window 11, sigma 1.5, K1 0.01,
  K2 0.03), averaged over images.
- `fid`: FID in the shipped Fashion-MNIST classifier's 128-d features
  (`kerasgan.metrics.FrechetInceptionDistance(feature_extractor=
  "fashion_mnist")`); 32x32 images (the padded Fashion-MNIST sets) are cut
  back to their centre 28x28 first. FID grows as the sample shrinks: only
  figures on the same number of images compare.
- `share_of_class`: the share of images the shipped classifier labels as a
  class.

`SMALL_MODELS` builds each model at the small sizes the benchmarks use, so
that the speed benchmark times what the quality benchmarks train.
"""

import argparse
import json
import os
import subprocess
import time

import keras
import numpy as np
import tensorflow as tf
from machine import describe_machine

import kerasgan
from kerasgan.callbacks.sample_grid import translation_panel
from kerasgan.class_evaluation import classifier_predictions
from kerasgan.images import save_png
from kerasgan.utils.validation import positive_int_argument

SNEAKER, SANDAL = 7, 5  # Fashion-MNIST class ids
# Arguments of the small models the benchmarks train (wider and deeper is better and slower).
SMALL_SETTINGS = {
    "srgan": {"base_filters": 32, "num_residual_blocks": 4, "dense_units": 128},
    "inpainting": {"base_filters": 32},
    "pix2pix": {"base_filters": 32},
    "cyclegan": {"base_filters": 16, "num_residual_blocks": 3},
}


def build_srgan(scale, warmup_steps, seed=0, **overrides):
    """`kerasgan.SRGAN` for 28x28 Fashion-MNIST at `scale`, small networks, the shipped perceptual network."""
    settings = {**SMALL_SETTINGS["srgan"], **overrides}
    return kerasgan.SRGAN(
        scale=scale,
        image_shape=(28, 28, 1),
        warmup_steps=warmup_steps,
        perceptual_network="fashion_mnist",
        seed=seed,
        **settings,
    )


def build_inpainting(seed=0, **overrides):
    """`kerasgan.InpaintingGAN` for 28x28 images with the centre 14x14 hole, small networks."""
    settings = {**SMALL_SETTINGS["inpainting"], **overrides}
    return kerasgan.InpaintingGAN(image_shape=(28, 28, 1), mask="centre", seed=seed, **settings)


def build_pix2pix(seed=0, **overrides):
    """`kerasgan.Pix2Pix` for the 32x32 edge maps, small networks."""
    return kerasgan.Pix2Pix(image_shape=(32, 32, 1), seed=seed, **{**SMALL_SETTINGS["pix2pix"], **overrides})


def build_cyclegan(seed=0, **overrides):
    """`kerasgan.CycleGAN` for the 32x32 unpaired domains, small networks."""
    return kerasgan.CycleGAN(
        image_shape=(32, 32, 1), seed=seed, **{**SMALL_SETTINGS["cyclegan"], **overrides}
    )


def decaying_adam(steps, learning_rate=2e-4):
    """Adam(beta_1=0.5) at `learning_rate` for half of `steps`, then linearly to 0 (pix2pix, CycleGAN)."""
    half = steps // 2
    schedule = kerasgan.learning_rates.LinearDecay(
        learning_rate, decay_start=half, decay_steps=max(1, steps - half)
    )
    return keras.optimizers.Adam(schedule, beta_1=0.5)


# ----------------------------------------------------------------------------- data


def dataset_arrays(name, split, limit):
    """A named data set's first `limit` examples as NumPy arrays, in file order.

    Returns:
        A tuple of float32 arrays: `(images,)` for `"fashion_mnist"`,
        `(sources, targets)` for a paired set, `(images_a, images_b)` for an
        unpaired one (each domain's first `limit` images).
    """
    dataset = kerasgan.data.load(
        name, split=split, batch_size=limit, limit=limit, shuffle=False, drop_remainder=False
    )
    parts = [[] for _ in range(2)]
    for element in dataset:
        element = element if isinstance(element, tuple) else (element,)
        for part, values in zip(parts, element):
            part.append(np.asarray(values, "float32"))
    return tuple(np.concatenate(part) for part in parts if part)


def training_dataset(arrays, batch_size, seed, unpaired=False):
    """An endless `tf.data.Dataset` of batches of `arrays` (a tuple of arrays), shuffled with `seed`.

    Paired arrays (equal lengths) are shuffled together; `unpaired=True`
    shuffles each array on its own (CycleGAN's domains), so that no two
    images stay together from one pass to the next.
    """

    def endless(values, count, seed):
        dataset = tf.data.Dataset.from_tensor_slices(values)
        return dataset.shuffle(count, seed=seed, reshuffle_each_iteration=True).repeat()

    if unpaired:
        dataset = tf.data.Dataset.zip(
            tuple(endless(values, len(values), seed + i) for i, values in enumerate(arrays))
        )
    else:
        dataset = endless(arrays if len(arrays) > 1 else arrays[0], len(arrays[0]), seed)
    return dataset.batch(batch_size, drop_remainder=True).prefetch(2)


def train(model, dataset, steps):
    """Runs `steps` training steps of `model.fit` on an endless `dataset`.

    Returns:
        Dict with `steps`, `seconds` (wall clock) and `last_logs` (the
        epoch's means of each logged figure, rounded).
    """
    if steps <= 0:
        return {"steps": 0, "seconds": 0.0, "last_logs": {}}
    start = time.perf_counter()
    history = model.fit(dataset, steps_per_epoch=steps, epochs=1, verbose=0, shuffle=False)
    logs = {name: round(float(values[-1]), 5) for name, values in history.history.items()}
    return {"steps": steps, "seconds": round(time.perf_counter() - start, 1), "last_logs": logs}


# ----------------------------------------------------------------------------- scores


def centre_crop(images, size=28):
    """The centre `size` x `size` of images `(N, H, W, C)` (the garment of a padded 32x32 image)."""
    height, width = images.shape[1:3]
    top, left = (height - size) // 2, (width - size) // 2
    return images[:, top : top + size, left : left + size]


def psnr(images, references, masks=None):
    """Mean over images of `10 log10(4 / MSE)` in dB (data range 2), the MSE over `masks == 1` if given."""
    squared = np.square(np.asarray(images, "float64") - np.asarray(references, "float64"))
    weights = (
        np.ones_like(squared) if masks is None else np.broadcast_to(masks, squared.shape).astype("float64")
    )
    axes = tuple(range(1, squared.ndim))
    mse = np.sum(squared * weights, axis=axes) / np.maximum(np.sum(weights, axis=axes), 1.0)
    return float(np.mean(10.0 * np.log10(4.0 / np.maximum(mse, 1e-12))))


def ssim(images, references):
    """Mean SSIM over images: `tf.image.ssim(max_val=2.0)` (window 11, sigma 1.5, K1 0.01, K2 0.03)."""
    values = tf.image.ssim(tf.constant(images, tf.float32), tf.constant(references, tf.float32), max_val=2.0)
    return float(tf.reduce_mean(values))


def fid(images, references, batch_size=250):
    """FID between two sets of images in the Fashion-MNIST classifier's features (32x32 cut to 28x28)."""
    metric = kerasgan.metrics.FrechetInceptionDistance(
        feature_extractor="fashion_mnist", batch_size=batch_size
    )
    metric.update_state(real=_classifier_size(references), fake=_classifier_size(images))
    return float(metric.result())


def share_of_class(images, class_id):
    """Share of images (28x28, or 32x32 cut to their centre) that the shipped classifier labels `class_id`."""
    return float(np.mean(classifier_predictions(_classifier_size(images)) == class_id))


def _classifier_size(images):
    images = np.clip(np.asarray(images, "float32"), -1.0, 1.0)
    return centre_crop(images) if images.shape[1] != 28 else images


def rounded(scores, digits=4):
    """A dict of floats rounded for the JSON."""
    return {name: round(float(value), digits) for name, value in scores.items()}


# ----------------------------------------------------------------------------- command line and JSON


def parameter_counts(model):
    """`{network: parameter count}` of each of a model's networks, for the JSON."""
    return {name: network.count_params() for name, network in model.networks.items()}


def quality_parser(doc, out, batch_size, train_limit, test_limit, limit_help=None):
    """The quality benchmarks' shared command line.

    `--batch-size`, `--train-limit`, `--test-limit` (with these defaults),
    `--seed` and `--out` (default `out`); the caller adds its own.
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--batch-size", type=positive_int_argument, default=batch_size)
    parser.add_argument("--train-limit", type=positive_int_argument, default=train_limit, help=limit_help)
    parser.add_argument("--test-limit", type=positive_int_argument, default=test_limit, help=limit_help)
    add_common_arguments(parser, out)
    return parser


def run_and_report(args, measure):
    """A quality benchmark's `main`: times `measure(args)` and writes its JSON to `args.out`."""
    start = time.perf_counter()
    result = {"uptime_at_start": uptime()} | measure(args)
    return write_report(args.out, args, result, start)


def add_common_arguments(parser, out):
    """Adds `--seed`, `--out` (default `out`) and `--panel`."""
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the models, the shuffles and the global RNG"
    )
    parser.add_argument("--out", default=out, help="JSON file to write")
    parser.add_argument(
        "--panel",
        default=None,
        help="also write a before/after PNG of the first 8 test examples here (inputs, the trained "
        "model's outputs, and the targets where there are any), e.g. docs/images/NAME.png",
    )


def write_panel(path, model, inputs, targets=None, direction=None, count=8):
    """Writes `translation_panel` of the first `count` `inputs` (and `targets`) to `path`; returns
    `path`, or None (and writes nothing) when `path` is None. The PNG carries kerasgan's
    synthetic-image metadata and the benchmark's command."""
    if path is None:
        return None
    if isinstance(inputs, dict):
        inputs = {key: value[:count] for key, value in inputs.items()}
    else:
        inputs = inputs[:count]
    grid = translation_panel(
        model, inputs, direction=direction, targets=None if targets is None else targets[:count]
    )
    written = save_png(path, grid, model=model, extra={"Command": describe_machine()["command"]})
    print(f"wrote {written}", flush=True)
    return written


def uptime():
    """The `uptime` line (load averages), for the JSON."""
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def write_report(path, args, result, start_time):
    """Writes `{command, machine, settings, minutes, **result}` to `path` as JSON and returns it."""
    machine = describe_machine()
    machine["uptime_at_end"] = uptime()
    settings = {key: value for key, value in vars(args).items() if key != "out"}
    report = {"command": machine["command"], "machine": machine, "settings": settings}
    report |= {"minutes": round((time.perf_counter() - start_time) / 60, 1)} | result
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as file:
        json.dump(report, file, indent=1)
    print(f"wrote {path}")
    return report
