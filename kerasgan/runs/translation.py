"""What image-to-image runs add: their held-out examples, pictures and scores."""

import numpy as np

from kerasgan import callbacks as gan_callbacks
from kerasgan import data
from kerasgan.data.catalog import get_spec
from kerasgan.utils.validation import validate_positive_int

# What `evaluate_run` scores for image-to-image runs on paired data.
TRANSLATION_METRICS = ("l1", "psnr")


# Held-out sources an image-to-image run translates in its pictures.
NUM_SAMPLE_TRANSLATIONS = 8


def batch_kind(spec):
    return "(sources, targets)" if spec.pairing == "paired" else "(images_a, images_b)"


def held_split(spec):
    """The split held-out examples come from: `"test"`, else `"validation"` (div2k), else `"train"`."""
    return next((split for split in ("test", "validation") if split in spec.splits), "train")


def held_examples(dataset, num_examples, direction_index=0):
    """The first held-out examples of a data set, in file order: sources, and their targets when paired.

    Read from `held_split(spec)`, unshuffled, with the data's own random
    draws (div2k's crops) seeded by 0, so every call gives the same ones.

    Args:
        dataset: a name from `kerasgan.data.available()`.
        num_examples: positive int.
        direction_index: 1 (`"b2a"`) swaps the two sides of a pair set.

    Returns:
        `(sources, targets)`: float32 NumPy arrays, targets None for an
        unpaired or a plain image set (whose images are the sources).

    Raises:
        ValueError: the split holds fewer than `num_examples` examples.
    """
    validate_positive_int(num_examples, "num_samples")
    spec = get_spec(dataset)
    split = held_split(spec)
    batches = data.load(
        dataset,
        split=split,
        batch_size=min(250, num_examples),
        shuffle=False,
        drop_remainder=False,
        limit=num_examples,
        seed=0,
    )
    parts = [[np.asarray(part) for part in (batch if spec.pairing else (batch,))] for batch in batches]
    columns = [np.concatenate(column) for column in zip(*parts)]
    count = len(columns[0]) if columns else 0
    if count < num_examples:
        raise ValueError(
            f"{dataset!r} {split!r} holds {count} held-out examples; received num_samples={num_examples}. "
            "Pass a smaller number (--n)."
        )
    if spec.pairing is None:
        return columns[0], None
    sources, other = columns if direction_index == 0 else columns[::-1]
    return sources, other if spec.pairing == "paired" else None


def with_translation_pictures(run_callbacks, images, targets):
    """The run's callbacks, its sample grid drawing fixed held-out translations instead of latents."""
    return [
        gan_callbacks.SampleGrid(callback.out_dir, run=callback.run, images=images, targets=targets)
        if isinstance(callback, gan_callbacks.SampleGrid)
        else callback
        for callback in run_callbacks
    ]


def score_translations(gan, dataset_name, split, metrics, num_samples, seed=0):
    """`(direction, {"l1": ..., "psnr": ...})` of a model's translations of held-out examples.

    The inputs and targets come from `gan.example_inputs` (seeded masks for
    inpainting), and only the pixels of `gan.scored_pixels` count (all of
    them, or an inpainting model's missing pixels): per image, `l1` is the
    mean absolute difference over the scored pixels and channels and
    `psnr` is `10 log10(4 / MSE)` over them (100 dB when exact); both are
    averaged over the images.
    """
    validate_positive_int(num_samples, "num_samples")
    names = (
        TRANSLATION_METRICS
        if metrics is None
        else tuple(dict.fromkeys([metrics] if isinstance(metrics, str) else metrics))
    )
    unknown = [name for name in names if name not in TRANSLATION_METRICS]
    if unknown or not names:
        raise ValueError(
            f"{type(gan).__name__} translates images; its runs are scored with {list(TRANSLATION_METRICS)} "
            f"against the targets of paired data, not with {unknown or list(names)}. Pass --metrics "
            f"{','.join(TRANSLATION_METRICS)}, or leave --metrics out."
        )
    spec = get_spec(dataset_name)
    if spec.pairing == "unpaired":
        raise ValueError(
            f"{dataset_name!r} is unpaired: no translation has a target to be compared with, so "
            f"{list(TRANSLATION_METRICS)} do not apply, and the FID-style metrics need the "
            "28x28 images of a latent run. Look at the translations with `kerasgan sample RUN`, or "
            "train on a paired set such as 'fashion_mnist_edges' to score l1 and psnr."
        )
    direction = next(iter(gan.directions))
    sources, targets = held_examples(dataset_name, num_samples)
    inputs, targets = gan.example_inputs(sources, targets, seed=seed)
    if targets is None:
        raise ValueError(
            f"{type(gan).__name__} on {dataset_name!r} has no targets to compare its translations with, "
            "so l1 and psnr do not apply. Look at them with `kerasgan sample RUN`."
        )
    difference = gan.translate(inputs, direction=direction) - targets
    weights = gan.scored_pixels(inputs)
    weights = np.ones(difference.shape[:-1] + (1,), "float32") if weights is None else weights
    count = np.maximum(weights.sum(axis=(1, 2, 3)) * difference.shape[-1], 1.0)
    l1 = (np.abs(difference) * weights).sum(axis=(1, 2, 3)) / count
    mse = np.maximum((np.square(difference) * weights).sum(axis=(1, 2, 3)) / count, 4e-10)
    scores = {"l1": float(l1.mean()), "psnr": float(np.mean(10.0 * np.log10(4.0 / mse)))}
    return direction, {name: scores[name] for name in names}
