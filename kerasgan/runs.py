"""Training runs kept in a folder: train, resume and sample from the shell or Python.

A run folder holds `model.keras` (saved atomically after every epoch and
every `save_every_steps` training steps), `run.json` (epochs and steps
completed and the run's settings), `log.csv`, the sample pictures under
`samples/` and the loss plot `losses.png`. A run killed at any moment
resumes from its last checkpoint's step, on the batch it would have trained
on next. Every registered variant (`kerasgan.VARIANTS`) trains in a run
folder: latent models on image data sets, image-to-image models (`pix2pix`,
`cyclegan`) on the paired and unpaired sets of
`kerasgan.data.translation_sets`.
"""

import inspect
import json
import os
import re

import keras
import numpy as np

import kerasgan.remedies  # noqa: F401, E402 (registers the augmentations)
from kerasgan import callbacks as gan_callbacks
from kerasgan import data, export
from kerasgan.callbacks.run_checkpoint import MODEL_FILENAME, STATE_FILENAME
from kerasgan.callbacks.sample_grid import translation_panel
from kerasgan.data.catalog import get_spec
from kerasgan.evaluation import evaluate
from kerasgan.images import make_grid, save_png
from kerasgan.learning_rates import LinearDecay
from kerasgan.losses import regularizer_from_spec
from kerasgan.models import VARIANTS, BaseGAN, ImageToImageGAN, Pix2Pix, Schedule, variants_of
from kerasgan.models.controller import AUGMENTATIONS as REGISTERED_AUGMENTATIONS
from kerasgan.models.loading import load_gan
from kerasgan.utils.files import write_json_atomically
from kerasgan.utils.precision import dtype_policy_scope, resolve_precision
from kerasgan.utils.resume import (
    check_written_by_older_or_same_version,
    completed_steps,
    count_steps,
    fit_from_step,
)
from kerasgan.utils.run_lock import RunLock
from kerasgan.utils.validation import validate_positive_int

DEFAULT_SAVE_EVERY_STEPS = 100
# The discriminator augmentations `train(augment=...)` (`--augment`) passes to
# the model as `augmentation=`.
# The discriminator augmentations `--augment` takes: those kerasgan registers.
AUGMENTATIONS = tuple(REGISTERED_AUGMENTATIONS)
# What `evaluate_run` scores for image-to-image runs on paired data.
TRANSLATION_METRICS = ("l1", "psnr")
# Held-out sources an image-to-image run translates in its pictures.
NUM_SAMPLE_TRANSLATIONS = 8
_CRITIC_STEPS = re.compile(r"^\s*(\d+)\s*(?::\s*(\d+)\s*)?$")


def _variant_class(variant):
    if variant not in VARIANTS:
        raise ValueError(f"Unknown GAN variant {variant!r}. Choose one of {sorted(VARIANTS)}.")
    return VARIANTS[variant]


def parse_critic_steps(critic_steps):
    """Reads a number of critic steps: a count, or a schedule of counts by training step.

    `"5"` is 5 discriminator updates per training step. `"5:1000,1"` is 5
    until step 1000, then 1: comma-separated pieces `COUNT:UNTIL`, the last
    one a bare `COUNT` that holds from there on, e.g. `"100:25,5"` for
    WGAN's warm-up of 100 critic updates over the first 25 steps.

    Args:
        critic_steps: an int `>= 1`, a `kerasgan.Schedule`, or a string as
            above (the `--critic-steps` spelling).

    Returns:
        An int, or a `kerasgan.Schedule` (`[(0, 5), (1000, 1)]` for
        `"5:1000,1"`): what the GAN family's `n_critic=` takes.

    Raises:
        ValueError: another spelling, a count below 1, or steps that do not
            increase; the message shows the expected form.

    Example:
        >>> parse_critic_steps("5")
        5
        >>> parse_critic_steps("5:1000,1")
        Schedule(pieces=((0, 5), (1000, 1)))
    """
    if isinstance(critic_steps, Schedule):
        return critic_steps
    if isinstance(critic_steps, (int, np.integer)) and not isinstance(critic_steps, bool):
        return validate_positive_int(int(critic_steps), "critic_steps")
    how = (
        "Give a count such as 5, or COUNT:UNTIL pieces ending in a bare COUNT, e.g. 5:1000,1 for 5 "
        "discriminator updates per step until step 1000, then 1."
    )
    if not isinstance(critic_steps, str):
        raise ValueError(
            f"critic_steps must be an int, a Schedule or a string; received {critic_steps!r}. {how}"
        )
    matches = [_CRITIC_STEPS.match(part) for part in critic_steps.split(",")]
    bounded = [match is not None and match.group(2) is not None for match in matches]
    if None in matches or any(not b for b in bounded[:-1]) or bounded[-1]:
        raise ValueError(f"Cannot read critic steps {critic_steps!r}. {how}")
    counts = [int(match.group(1)) for match in matches]
    starts = [0] + [int(match.group(2)) for match in matches[:-1]]
    if len(counts) == 1:
        return validate_positive_int(counts[0], "critic_steps")
    try:
        return Schedule(list(zip(starts, counts)))
    except ValueError as error:
        raise ValueError(f"Cannot use critic steps {critic_steps!r}: {error} {how}") from error


def critic_steps_spelling(critic_steps):
    """The `--critic-steps` spelling of a count or `Schedule`, as `run.json` records it.

    Args:
        critic_steps: anything `parse_critic_steps` reads.

    Returns:
        A string: `"5"`, or `"5:1000,1"` for `Schedule([(0, 5), (1000, 1)])`.

    Example:
        >>> from kerasgan.models import Schedule
        >>> critic_steps_spelling(Schedule([(0, 5), (1000, 1)]))
        '5:1000,1'
        >>> critic_steps_spelling(" 5 ")
        '5'
    """
    parsed = parse_critic_steps(critic_steps)
    if not isinstance(parsed, Schedule):
        return str(parsed)
    pieces = parsed.pieces
    bounded = [f"{count}:{until}" for (_, count), (until, _) in zip(pieces, pieces[1:])]
    return ",".join(bounded + [str(pieces[-1][1])])


def _constructor_accepts(cls, argument):
    """Whether a kerasgan model class's constructor takes `argument` by name.

    Walks the class and its kerasgan bases as far as each passes `**kwargs`
    on, so an argument added to `BaseGAN` counts for every variant.
    """
    for klass in cls.__mro__:
        if not issubclass(klass, BaseGAN):
            return False
        if "__init__" not in vars(klass):
            continue
        parameters = inspect.signature(klass.__init__).parameters
        if argument in parameters:
            return True
        if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
            return False
    return False


def read_run_state(run_dir):
    """Reads `run.json` of a run folder.

    Args:
        run_dir: the run folder.

    Returns:
        Dict with `epochs_completed`, `settings` and (runs saved by this
        version) `steps_completed`.

    Raises:
        ValueError: no run there, or a corrupt `run.json`.

    Example:
        >>> read_run_state("runs/dcgan")["epochs_completed"]  # doctest: +SKIP
        5
    """
    path = os.path.join(run_dir, STATE_FILENAME)
    if not os.path.exists(path) or not os.path.exists(os.path.join(run_dir, MODEL_FILENAME)):
        raise ValueError(
            f"{run_dir!r} holds no checkpoint ({STATE_FILENAME} and "
            f"{MODEL_FILENAME} missing). Train first: kerasgan train VARIANT --out {run_dir}"
        )
    try:
        with open(path) as f:
            state = json.load(f)
        int(state["epochs_completed"])
        if not isinstance(state["settings"], dict):
            raise TypeError(f"settings is a {type(state['settings']).__name__}, not a dict")
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(
            f"{path} is corrupt ({type(error).__name__}: {error}), so the run cannot "
            f"be continued. Its {MODEL_FILENAME} may still be intact: load it with "
            "keras.saving.load_model to sample or export it, and train a new run in "
            "another folder (or here with --overwrite, which replaces it)."
        ) from error
    return state


def load_run_model(run_dir):
    """Loads the GAN saved in a run folder.

    Args:
        run_dir: the run folder.

    Returns:
        The model (a `kerasgan.GAN` or `kerasgan.ImageToImageGAN` subclass
        instance, of any registered variant), compiled with its optimizers.

    Raises:
        ValueError: missing, corrupt or foreign model file, a model of
            another variant than `run.json` names, or corrupt `run.json`.

    Example:
        >>> gan = load_run_model("runs/dcgan")  # doctest: +SKIP
    """
    variant = read_run_state(run_dir)["settings"].get("variant")
    gan = load_gan(os.path.join(run_dir, MODEL_FILENAME))
    _check_model_is_of_variant(gan, variant, run_dir)
    return gan


def _check_model_is_of_variant(gan, variant, run_dir):
    """Refuses a run whose `model.keras` is of another variant than its `run.json` names."""
    if variant is None:
        return
    cls = _variant_class(variant)
    if type(gan) is not cls:
        raise ValueError(
            f"The run in {run_dir!r} holds a {type(gan).__name__} in {MODEL_FILENAME}, but its "
            f"{STATE_FILENAME} names {variant!r} ({cls.__name__}); its files disagree, so one of them "
            f"was replaced. Put back the run's own {MODEL_FILENAME} or {STATE_FILENAME}, or load the "
            "model file alone with keras.saving.load_model."
        )


def train(
    variant,
    out_dir,
    dataset="fashion_mnist",
    epochs=5,
    batch_size=128,
    latent_dim=None,
    d_learning_rate=None,
    g_learning_rate=None,
    limit=None,
    seed=None,
    resume=False,
    verbose="auto",
    save_every_steps=DEFAULT_SAVE_EVERY_STEPS,
    callbacks=(),
    regularizers=(),
    overwrite=False,
    precision="auto",
    base_filters=None,
    residual_blocks=None,
    augment=None,
    critic_steps=None,
    lr_decay_epochs=None,
):
    """Trains a registered variant on a named data set into a run folder.

    Writes `model.keras` and `run.json` (atomically) after every epoch and
    every `save_every_steps` training steps, a sample picture per epoch
    under `samples/`, `log.csv` and `losses.png`. With `resume=True`,
    continues an existing run from the training step of its last
    checkpoint, mid-epoch included, up to `epochs` in total: the resumed run
    takes the same number of optimizer steps as an uninterrupted one and,
    with a `seed`, trains on the same batches with the same random draws, so
    on CPU it ends with the same weights. The step count comes from the
    saved model, which is written in the same file as the weights. A resumed
    epoch's row in `log.csv` averages only the steps run after resuming.

    Latent models (`dcgan`, `wgan_gp`, ...) train on image sets and draw a
    grid of samples from fixed latents. Image-to-image models train on the
    sets of `kerasgan.data.translation_sets`: `pix2pix` on the paired
    `"fashion_mnist_edges"`, `cyclegan` on the unpaired
    `"fashion_mnist_sneaker_sandal"` (or on a paired set, whose pairing it
    ignores). They are built for the data's image shape (32x32x1 there) and
    their pictures show the first 8 held-out (test-split) sources over their
    translations, and over their targets for paired data.

    Args:
        variant: the short name of a registered variant (`kerasgan.VARIANTS`),
            e.g. `"dcgan"` or `"pix2pix"`.
        out_dir: the run folder.
        dataset: a name from `kerasgan.data.available()`. Defaults to
            `"fashion_mnist"`; image-to-image models need a paired or
            unpaired set.
        epochs: total number of epochs. Defaults to 5.
        batch_size: defaults to 128.
        latent_dim: defaults to the variant's (latent models only).
        d_learning_rate: learning rate of every discriminator; None keeps
            the variant's paper optimizer.
        g_learning_rate: learning rate of every generator, likewise.
        limit: use only the first `limit` training examples (quick runs):
            images, pairs, or images of each domain for an unpaired set.
        seed: int seed for the initial weights (through
            `keras.utils.set_random_seed`, which also seeds Python, NumPy and
            TensorFlow globally), the model's random draws and the data
            order: two runs with the same seed end with the same weights on
            CPU. None leaves all three random.
        resume: continue the run in `out_dir`.
        verbose: `fit` verbosity (progress bar by default).
        save_every_steps: also checkpoint every this many training steps
            (default 100); None checkpoints at epoch ends only.
        callbacks: extra Keras callbacks, run after the run's own (which
            save the checkpoint first), e.g. a `QualityCallback`.
        regularizers: regularizers added to the variant's own, as
            `"kind:weight[:every]"` strings (`kerasgan.losses.regularizer_from_spec`),
            e.g. `("r1:5:16",)` for StyleGAN2's lazy R1. Their state (a
            path-length mean) is saved and resumed with the model.
        overwrite: start a new run in `out_dir` even if it holds a run or a
            `model.keras` (they are replaced as the new run checkpoints).
            Without it an existing model is never overwritten.
        precision: `"auto"` (default), `"float32"`, `"mixed_bfloat16"` or
            `"mixed_float16"`: the Keras dtype policy the GAN is built and
            trained in (`kerasgan.utils.precision.resolve_precision`).
            `"auto"` picks `"mixed_bfloat16"` on a CPU with bfloat16 units
            (AMX or AVX512-BF16) and no GPU, `"float32"` elsewhere; for a
            resumed run it keeps the run's own policy. The policy is
            recorded in `run.json`; resuming with another explicit one is
            refused. The global policy is restored when training ends.
        base_filters: None (the variant's), or the width of the default
            networks of a variant that takes `base_filters=` (`pix2pix`,
            `cyclegan`; 64 in their papers, 4 to 16 for a CPU run).
        residual_blocks: None (the variant's), or the number of residual
            blocks of CycleGAN's generators (`num_residual_blocks=`).
        augment: None, or a discriminator augmentation from `AUGMENTATIONS`
            (`"diffaugment"`, `"ada"`, `"instance_noise"`), passed to the model as
            `augmentation=`.
        critic_steps: None (the variant's `n_critic`), or discriminator
            updates per training step for the GAN family: an int, a
            `kerasgan.Schedule` or a string read by `parse_critic_steps`
            (`"5:1000,1"`: 5 until step 1000, then 1). `base_filters`,
            `residual_blocks`, `augment` and `critic_steps` are recorded in
            `run.json` when given, so a resumed run must name them alike.
        lr_decay_epochs: None (constant learning rates), or a number of
            epochs `1 .. epochs`: every network's learning rate (the
            variant's, or `d_learning_rate` / `g_learning_rate`) stays
            constant, then falls linearly to 0 over the last
            `lr_decay_epochs` epochs, the policy of pix2pix and CycleGAN
            (`epochs=200, lr_decay_epochs=100`). Each optimizer gets a
            `kerasgan.learning_rates.LinearDecay` over its own iterations
            (`updates_before`: a critic with 5 updates per step decays over
            5 times as many), so the decay ends with the last step unless a
            gate skips updates, which leaves a gated network's rate higher.
            `log.csv` and `losses_steps.csv` then log each rate
            (`d_learning_rate`, `g_learning_rate`, ...; `LearningRateLogger`).
            The decay is planned for `epochs`: it and `epochs` are recorded,
            so a resumed run must name both alike.

    Returns:
        The trained model.

    Raises:
        ValueError: unknown variant or data set, a data set of the wrong
            kind for the variant, an option the variant does not take, an
            existing run or model without `resume` or `overwrite`, a resumed
            run written by a newer kerasgan or with different settings, or
            another process training in `out_dir`.
        kerasgan.callbacks.TrainingDivergedError: a loss became NaN or
            infinite; the last checkpoint with finite weights is kept.

    Example:
        >>> gan = train("dcgan", "runs/dcgan", epochs=5)  # doctest: +SKIP
        >>> translator = train("pix2pix", "runs/edges", dataset="fashion_mnist_edges",
        ...                    base_filters=8, epochs=2)  # doctest: +SKIP
    """
    cls = _variant_class(variant)
    validate_positive_int(epochs, "epochs")
    settings = {
        "variant": variant,
        "dataset": dataset,
        "batch_size": batch_size,
        "latent_dim": latent_dim,
        "d_learning_rate": d_learning_rate,
        "g_learning_rate": g_learning_rate,
        "limit": limit,
        "seed": seed,
        "precision": resolve_precision(precision),
    }
    extra_regularizers = [regularizer_from_spec(spec) for spec in regularizers]
    if regularizers:
        settings["regularizers"] = [str(spec) for spec in regularizers]
    spec = get_spec(dataset)
    options = _model_options(
        cls, spec, latent_dim, seed, base_filters, residual_blocks, augment, critic_steps
    )
    for name, value in (("base_filters", base_filters), ("residual_blocks", residual_blocks)):
        if value is not None:
            settings[name] = value
    if augment is not None:
        settings["augment"] = augment
    if critic_steps is not None:
        settings["critic_steps"] = critic_steps_spelling(critic_steps)
    if lr_decay_epochs is not None:
        validate_positive_int(lr_decay_epochs, "lr_decay_epochs")
        if lr_decay_epochs > epochs:
            raise ValueError(
                f"lr_decay_epochs={lr_decay_epochs} (--lr-decay-epochs) is more than the run's "
                f"epochs={epochs}; the decay takes place within the run's last epochs. Give at most "
                f"{epochs}, or train for more epochs."
            )
        settings["lr_decay_epochs"] = lr_decay_epochs
        settings["lr_decay_planned_epochs"] = epochs
    has_run = os.path.exists(os.path.join(out_dir, STATE_FILENAME))
    if resume and overwrite:
        raise ValueError("Pass resume=True (--resume) or overwrite=True (--overwrite), not both.")
    if has_run and not resume and not overwrite:
        raise ValueError(
            f"{out_dir!r} already holds a run. Pass resume=True (--resume) to "
            "continue it, overwrite=True (--overwrite) to replace it, or choose "
            "another output folder."
        )
    if resume and not has_run and not os.path.exists(os.path.join(out_dir, MODEL_FILENAME)):
        raise ValueError(
            f"resume=True (--resume), but {out_dir!r} holds no run to continue (no "
            f"{STATE_FILENAME}: nothing was checkpointed there). Drop --resume to start "
            "a new run in that folder."
        )
    if not has_run and not overwrite and os.path.exists(os.path.join(out_dir, MODEL_FILENAME)):
        raise ValueError(
            f"{out_dir!r} holds a {MODEL_FILENAME} but no {STATE_FILENAME}, so it is not a "
            "run kerasgan can continue, and training would overwrite that model. Train "
            "into another folder, or pass overwrite=True (--overwrite) to replace it."
        )
    conditional = "num_classes" in options

    def make_dataset():
        return data.load(
            dataset,
            split="train",
            batch_size=batch_size,
            with_labels=conditional,
            seed=seed,
            limit=limit,
        )

    first_dataset = make_dataset()  # fails early on a data set that cannot be loaded
    decay_steps = None
    if lr_decay_epochs is not None:
        steps_per_epoch = count_steps(first_dataset)
        decay_steps = ((epochs - lr_decay_epochs) * steps_per_epoch, epochs * steps_per_epoch)
    del first_dataset
    held = _held_examples(dataset, NUM_SAMPLE_TRANSLATIONS) if spec.pairing is not None else None
    if seed is not None:
        # Seeds the initial weights of a new run and, new or resumed, the data
        # order: a tf.data shuffle's order depends on the global seed too.
        keras.utils.set_random_seed(seed)
    if resume and has_run and precision == "auto":
        settings["precision"] = _recorded_precision(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    with RunLock(out_dir), dtype_policy_scope(settings["precision"]):
        start_step = 0
        if resume and has_run:
            state = read_run_state(out_dir)
            check_written_by_older_or_same_version(state.get("kerasgan_version"), out_dir)
            if {"precision": "float32", **state["settings"]} != settings:
                raise ValueError(
                    f"The run in {out_dir!r} was made with settings {state['settings']}; "
                    f"resuming with {settings} would mix two runs. Use the same "
                    "arguments, or choose another output folder."
                )
            gan = load_run_model(out_dir)
            start_step = completed_steps(gan)
        else:
            gan = cls(**options)
            if extra_regularizers:
                gan = cls(**options, regularizers=gan.default_regularizers() + extra_regularizers)
            gan.compile(**_optimizers(gan, d_learning_rate, g_learning_rate, decay_steps))

        def make_callbacks(step):
            own = _run_callbacks(out_dir, settings, save_every_steps, append_log=step > 0)
            if decay_steps is not None:
                own = [gan_callbacks.LearningRateLogger(), *own]  # before the logs are written
            if held is not None:
                own = _with_translation_pictures(own, *held)
            return own + list(callbacks)

        fit_from_step(gan, make_dataset, epochs, start_step, make_callbacks, verbose=verbose)
        return gan


def _model_options(cls, spec, latent_dim, seed, base_filters, residual_blocks, augment, critic_steps):
    """The constructor arguments of a new run's model, refusing data or options that do not fit it."""
    options = {"image_shape": spec.image_shape, "seed": seed}
    if issubclass(cls, ImageToImageGAN):
        _check_translation_data(cls, spec)
        if latent_dim is not None:
            raise ValueError(
                f"{cls.__name__} translates images and has no latent vector; received "
                f"latent_dim={latent_dim!r} (--latent-dim). Drop it."
            )
    else:
        if spec.pairing is not None:
            translators = ", ".join(sorted(variants_of(ImageToImageGAN)))
            raise ValueError(
                f"{cls.__name__} generates images from latents and trains on images, but {spec.name!r} "
                f"yields {_batch_kind(spec)} batches for image-to-image models ({translators}). "
                "Choose an image data set such as 'fashion_mnist', or an image-to-image variant."
            )
        options["latent_dim"] = latent_dim
        if cls.requires_labels:
            if spec.num_classes is None:
                raise ValueError(
                    f"{cls.__name__} needs class labels and {spec.name!r} has none. Choose "
                    "a labelled data set or an unconditional variant."
                )
            options["num_classes"] = spec.num_classes
    if augment is not None and augment not in AUGMENTATIONS:
        raise ValueError(
            f"Unknown augmentation {augment!r} (--augment). Choose one of {list(AUGMENTATIONS)}."
        )
    given = {
        "base_filters": ("base_filters", "--base-filters", base_filters),
        "num_residual_blocks": ("residual_blocks", "--residual-blocks", residual_blocks),
        "augmentation": ("augment", "--augment", augment),
        "n_critic": (
            "critic_steps",
            "--critic-steps",
            None if critic_steps is None else parse_critic_steps(critic_steps),
        ),
    }
    for argument, (name, flag, value) in given.items():
        if value is None:
            continue
        if not _constructor_accepts(cls, argument):
            takers = sorted(n for n, c in VARIANTS.items() if _constructor_accepts(c, argument))
            which = (
                f"the variants that take it are {takers}"
                if takers
                else "no variant of this kerasgan takes it yet"
            )
            raise ValueError(
                f"{cls.__name__} does not take {argument}=, so {name}= ({flag}) does not apply to "
                f"{cls.variant_name!r}; {which}. Drop {flag}."
            )
        options[argument] = value
    return options


def _batch_kind(spec):
    return "(sources, targets)" if spec.pairing == "paired" else "(images_a, images_b)"


def _check_translation_data(cls, spec):
    """Refuses a data set that an image-to-image variant cannot learn from."""
    paired_sets = [n for n in data.available() if get_spec(n).pairing == "paired"]
    if spec.pairing is None:
        raise ValueError(
            f"{cls.__name__} translates images and trains on pairs of images, but {spec.name!r} yields "
            f"single images. Choose a paired set ({', '.join(paired_sets)}) or an unpaired one "
            f"({', '.join(n for n in data.available() if get_spec(n).pairing == 'unpaired')})."
        )
    if issubclass(cls, Pix2Pix) and spec.pairing != "paired":
        raise ValueError(
            f"{cls.__name__} learns from corresponding (source, target) pairs, but {spec.name!r} is "
            "unpaired: its A and B images do not correspond. Choose a paired set "
            f"({', '.join(paired_sets)}), or train cyclegan, which learns from unpaired domains."
        )


def _held_split(spec):
    return "test" if "test" in spec.splits else "train"


def _held_examples(dataset, num_examples, direction_index=0):
    """The first held-out (test-split) inputs of a pair set, in file order, and their targets when paired.

    Returns:
        `(inputs, targets)`: float32 NumPy arrays, targets None for an
        unpaired set. Direction index 1 (`"b2a"`) swaps the two sides.
    """
    spec = get_spec(dataset)
    split = _held_split(spec)
    batches = data.load(
        dataset, split=split, batch_size=num_examples, shuffle=False, drop_remainder=False, limit=num_examples
    )
    first, second = (np.asarray(part) for part in next(iter(batches)))
    if len(first) < num_examples:
        raise ValueError(
            f"{dataset!r} {split!r} holds {len(first)} held-out examples to translate; received "
            f"num_samples={num_examples}. Pass a smaller number (--n)."
        )
    inputs, other = (first, second) if direction_index == 0 else (second, first)
    return inputs, other if spec.pairing == "paired" else None


def _with_translation_pictures(run_callbacks, images, targets):
    """The run's callbacks, its sample grid drawing fixed held-out translations instead of latents."""
    return [
        gan_callbacks.SampleGrid(callback.out_dir, run=callback.run, images=images, targets=targets)
        if isinstance(callback, gan_callbacks.SampleGrid)
        else callback
        for callback in run_callbacks
    ]


def _recorded_precision(run_dir):
    """The dtype policy a run was trained in (runs that predate the setting: float32)."""
    return read_run_state(run_dir)["settings"].get("precision", "float32")


def _run_callbacks(out_dir, settings, save_every_steps, append_log):
    """The callbacks of one `fit()` of a run: divergence, checkpoint, pictures, log."""
    return [
        gan_callbacks.StopOnDivergence(os.path.join(out_dir, MODEL_FILENAME)),
        gan_callbacks.RunCheckpoint(out_dir, settings, save_every_steps=save_every_steps),
        gan_callbacks.SampleGrid(os.path.join(out_dir, "samples"), run=out_dir),
        gan_callbacks.LossPlot(
            os.path.join(out_dir, "losses.png"),
            run=out_dir,
            steps_path=os.path.join(out_dir, "losses_steps.csv"),
        ),
        keras.callbacks.CSVLogger(os.path.join(out_dir, "log.csv"), append=append_log),
    ]


def _optimizers(gan, d_learning_rate, g_learning_rate, decay_steps=None):
    """The variant's paper optimizers, with the given learning rates and linear decay.

    `decay_steps` is None or `(first, last)` training steps of the decay;
    each optimizer's `LinearDecay` counts its own iterations at those steps.
    """
    generators = set(gan.directions.values()) if isinstance(gan, ImageToImageGAN) else {"generator"}
    chosen = {}
    for name in gan.networks:
        rate = g_learning_rate if name in generators else d_learning_rate
        slot = gan.optimizer_attribute(name)
        if slot not in gan.optimizer_slots() or (rate is None and decay_steps is None):
            continue
        optimizer = gan.default_optimizer(name)
        config = optimizer.get_config()
        if rate is not None:
            config["learning_rate"] = rate
        if decay_steps is not None:
            first, last = (gan.updates_before(name, step) for step in decay_steps)
            # A rate read back from its float32 variable, as 2e-4 to 7 digits (not 1.9999999e-4).
            initial = float(f"{float(config['learning_rate']):.7g}")
            config["learning_rate"] = LinearDecay(
                initial, decay_start=first, decay_steps=max(last - first, 1)
            )
        chosen[slot] = type(optimizer).from_config(config)
    return chosen


def sample(run_dir, out_path, num_samples=64, seed=0, labels=None, direction=None):
    """Writes a PNG of samples from the model in a run folder.

    A latent model draws a grid of `num_samples` images from latents of
    `seed`. An image-to-image model translates the first `num_samples`
    held-out sources of its data set (the test split, in file order) and
    draws a panel of three rows: sources, translations, targets (two rows,
    without targets, for unpaired data); translation is deterministic, so
    `seed` is not used there.

    Args:
        run_dir: the run folder.
        out_path: PNG file to write.
        num_samples: number of images (of sources). Defaults to 64.
        seed: int seed of the latents. Defaults to 0.
        labels: for conditional models, one class id or a list; None draws
            the classes in turn (0, 1, ..., 0, 1, ...).
        direction: for image-to-image models, e.g. `"a2b"` or `"b2a"`
            (CycleGAN); None for the first direction.

    Returns:
        The path written.

    Raises:
        ValueError: no run there, `labels` for a model without classes,
            `direction` for a latent model or an unknown direction.

    Example:
        >>> sample("runs/dcgan", "grid.png", num_samples=64)  # doctest: +SKIP
        >>> sample("runs/cyclegan", "shoes.png", num_samples=8, direction="b2a")  # doctest: +SKIP
    """
    gan = load_run_model(run_dir)
    if isinstance(gan, ImageToImageGAN):
        if labels is not None:
            raise ValueError(
                f"labels (--labels) choose the classes of conditional latent models; {type(gan).__name__} "
                "translates images and takes none. Drop them."
            )
        direction, _ = gan.translator(direction)
        dataset_name = read_run_state(run_dir)["settings"]["dataset"]
        images, targets = _held_examples(dataset_name, num_samples, list(gan.directions).index(direction))
        panel = translation_panel(gan, images, direction=direction, targets=targets)
        extra = {"Direction": direction, "Dataset": dataset_name}
        return save_png(out_path, panel, model=gan, run=os.fspath(run_dir), extra=extra)
    if direction is not None:
        raise ValueError(
            f"direction (--direction) chooses the translation of image-to-image models; "
            f"{type(gan).__name__} generates from latents. Drop it."
        )
    if gan.num_classes is not None and labels is None:
        labels = [i % gan.num_classes for i in range(num_samples)]
    images = gan.generate(num_samples, seed=seed, labels=labels)
    return save_png(out_path, make_grid(images), model=gan, run=os.fspath(run_dir))


def evaluate_run(
    run_dir,
    metrics=None,
    num_samples=10000,
    feature_extractor="fashion_mnist",
    seed=0,
    json_path=None,
):
    """Scores the model in a run folder against its data set and writes JSON.

    Uses the run's data set, its `"test"` split where there is one (else
    `"train"`), unshuffled. A latent model's samples are scored against real
    images (`kerasgan.evaluate`: FID, KID, IS, precision and recall). An
    image-to-image model trained on paired data is scored on how close its
    translations of the held-out sources come to their targets: `"l1"`, the
    mean absolute difference per pixel in `[-1, 1]` units (0 is exact, 2 the
    largest), and `"psnr"`, the peak signal-to-noise ratio in dB over the
    `[-1, 1]` range, `10 * log10(4 / mse)` per image, averaged over images
    (higher is closer; an exact translation counts as 100 dB). Unpaired data
    has no targets, so a run on it is refused: look at its translations
    with `sample`.

    Args:
        run_dir: the run folder.
        metrics: names among `"fid"`, `"kid"`, `"is"`, `"pr"` for latent
            models, among `TRANSLATION_METRICS` (`"l1"`, `"psnr"`) for
            image-to-image models. None (default): `("fid",)` or
            `("l1", "psnr")`.
        num_samples: real and generated images each, or sources
            translated. Defaults to 10000.
        feature_extractor: `"fashion_mnist"` (default) or `"inception_v3"`
            (latent models).
        seed: int seed of the latents. Defaults to 0.
        json_path: report file; defaults to `run_dir/evaluation.json`.

    Returns:
        `(report, path)`: the report dict (run, dataset, split, num_samples,
        feature_extractor and seed, or direction for image-to-image runs,
        and scores) and the JSON path written.

    Raises:
        ValueError: no run there, unknown or inapplicable metrics, an
            image-to-image run on unpaired data, or too few test examples.

    Example:
        >>> report, path = evaluate_run("runs/dcgan", metrics=("fid", "kid"))  # doctest: +SKIP
        >>> report, path = evaluate_run("runs/edges")  # doctest: +SKIP
        >>> sorted(report["scores"])  # doctest: +SKIP
        ['l1', 'psnr']
    """
    gan = load_run_model(run_dir)
    dataset_name = read_run_state(run_dir)["settings"].get("dataset", "fashion_mnist")
    split = _held_split(get_spec(dataset_name))
    report = {"run": os.fspath(run_dir), "dataset": dataset_name, "split": split, "num_samples": num_samples}
    if isinstance(gan, ImageToImageGAN):
        direction, scores = _score_translations(gan, dataset_name, split, metrics, num_samples)
        report.update(direction=direction, scores=scores)
    else:
        batch_size = min(250, num_samples)
        ds = data.load(
            dataset_name,
            split=split,
            batch_size=batch_size,
            with_labels=gan.num_classes is not None,
            shuffle=False,
            drop_remainder=False,
            limit=num_samples,
        )
        scores = evaluate(
            gan,
            ds,
            metrics=("fid",) if metrics is None else metrics,
            num_samples=num_samples,
            feature_extractor=feature_extractor,
            batch_size=batch_size,
            seed=seed,
        )
        report.update(feature_extractor=feature_extractor, seed=seed, scores=scores)
    path = json_path or os.path.join(run_dir, "evaluation.json")
    return report, write_json_atomically(path, report)


def _score_translations(gan, dataset_name, split, metrics, num_samples):
    """`(direction, {"l1": ..., "psnr": ...})` of a model's translations of held-out paired sources."""
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
    if spec.pairing != "paired":
        raise ValueError(
            f"{dataset_name!r} is unpaired: no translation has a target to be compared with, so "
            f"{list(TRANSLATION_METRICS)} do not apply, and the FID-style metrics need the "
            "28x28 images of a latent run. Look at the translations with `kerasgan sample RUN`, or "
            "train on a paired set such as 'fashion_mnist_edges' to score l1 and psnr."
        )
    direction = next(iter(gan.directions))
    batch_size = min(250, num_samples)
    ds = data.load(
        dataset_name,
        split=split,
        batch_size=batch_size,
        shuffle=False,
        drop_remainder=False,
        limit=num_samples,
    )
    errors, psnrs = [], []
    for sources, targets in ds:
        difference = gan.translate(np.asarray(sources), direction=direction) - np.asarray(targets)
        errors.append(np.abs(difference).mean(axis=(1, 2, 3)))
        mse = np.maximum(np.square(difference).mean(axis=(1, 2, 3)), 4e-10)
        psnrs.append(10.0 * np.log10(4.0 / mse))
    count = sum(len(e) for e in errors)
    if count < num_samples:
        raise ValueError(
            f"Scoring {num_samples} translations needs as many {dataset_name!r} {split!r} pairs; the "
            f"split holds {count}. Pass a smaller num_samples (--n)."
        )
    scores = {"l1": float(np.concatenate(errors).mean()), "psnr": float(np.concatenate(psnrs).mean())}
    return direction, {name: scores[name] for name in names}


def export_run(run_dir, out, format="tf_saved_model", tflite_path=None, use_ema=True, direction=None):
    """Exports the generator of a run folder as a SavedModel, LiteRT or ONNX file.

    Every target is checked before the model is loaded, so a taken path
    fails fast and nothing is written. `format` takes the same names as
    `kerasgan.export.export_generator`. A latent model's generator is
    written by `export_generator` (`serving_default(latents)` and
    `sample(n, seed)`), an image-to-image model's translator of `direction`
    by `export_translator` (`serving_default(images)`).

    Args:
        run_dir: a run folder written by `kerasgan.runs.train` (`kerasgan train`).
        out: the SavedModel folder (missing or empty) or the file to create.
        format: `"tf_saved_model"` (default), `"litert"` or `"onnx"`.
        tflite_path: None, or a LiteRT (`.tflite`) file to write as well.
        use_ema: export the EMA generator when the model keeps one.
            Defaults to True.
        direction: for image-to-image models, the direction to export
            (`"a2b"`, `"b2a"`); None for the first one.

    Returns:
        Dict `{format: out}`, plus `"litert": tflite_path` when given.

    Raises:
        ValueError: a target path is taken, `format` is unknown, no model
            in `run_dir`, or `direction` for a latent model.

    Example:
        >>> export_run("runs/dcgan", "dcgan.tflite", format="litert")  # doctest: +SKIP
        {'litert': 'dcgan.tflite'}
        >>> export_run("runs/cyclegan", "exported/b2a", direction="b2a")  # doctest: +SKIP
        {'tf_saved_model': 'exported/b2a'}
    """
    targets = {format: out}
    if tflite_path is not None:
        if format == "litert":
            raise ValueError(
                "--tflite writes a LiteRT file beside another format; with --format litert, "
                "--out is the LiteRT file already. Drop --tflite."
            )
        targets["litert"] = tflite_path
    for target_format, path in targets.items():
        export.start_export(path, target_format)
    gan = load_run_model(run_dir)
    if isinstance(gan, ImageToImageGAN):
        direction, _ = gan.translator(direction)
        return {
            target_format: export.export_translator(gan, path, direction=direction, format=target_format)
            for target_format, path in targets.items()
        }
    if direction is not None:
        raise ValueError(
            f"direction (--direction) chooses which translator of an image-to-image model to export; "
            f"{type(gan).__name__} generates from latents. Drop it."
        )
    return {
        target_format: export.export_generator(gan, path, use_ema=use_ema, format=target_format)
        for target_format, path in targets.items()
    }
