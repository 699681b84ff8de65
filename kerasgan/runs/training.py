"""`train`: a registered variant trained on a named data set into a run folder."""

import os

import keras

from kerasgan import callbacks as gan_callbacks
from kerasgan import data
from kerasgan.callbacks.run_checkpoint import MODEL_FILENAME, STATE_FILENAME
from kerasgan.data.catalog import get_spec
from kerasgan.losses import regularizer_from_spec
from kerasgan.models import ImageToImageGAN
from kerasgan.runs.options import critic_steps_spelling, model_options, run_optimizers, variant_class
from kerasgan.runs.preset_tools import preset_overrides
from kerasgan.runs.state import load_run_model, read_run_state, recorded_precision
from kerasgan.runs.translation import NUM_SAMPLE_TRANSLATIONS, held_examples, with_translation_pictures
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
    warmup_steps=None,
    mask=None,
    ema_decay=None,
    preset=None,
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
    data their class accepts (`ImageToImageGAN.options_for_data`, which
    also gives the model's shape): `pix2pix` on the paired
    `"fashion_mnist_edges"`, `cyclegan` on the unpaired
    `"fashion_mnist_sneaker_sandal"` (or on a paired set of one shape,
    whose pairing it ignores), `srgan` on the super-resolution sets
    (`"fashion_mnist_sr2"`, `"fashion_mnist_sr4"`, `"div2k_x4"`, ...; its
    `scale` from the set, and on grayscale sets the offline
    `perceptual_network="fashion_mnist"`, since VGG19's ImageNet features
    need colour photographs), `inpainting` on plain image sets
    (`"fashion_mnist"`), drawing its own masks. Their pictures show the
    first 8 held-out examples (the test split, else the validation split)
    as the model's `display_inputs` draws them (low-resolution images
    enlarged, images with grey holes), over their translations, and over
    their targets where there are any (the complete images, for
    inpainting, whose masks come from the model's sampler with seed 0).

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
            `cyclegan`, `srgan`, `inpainting`; 64 in their papers, 4 to 16
            for a CPU run).
        residual_blocks: None (the variant's), or the number of residual
            blocks of CycleGAN's or SRGAN's generators (`num_residual_blocks=`).
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
        warmup_steps: None (the variant's), or the pixel-loss-only warm-up
            steps of `srgan` (`warmup_steps=`, an int `>= 0`).
        mask: None (the variant's, `"centre"`), or the training masks of
            `inpainting`: `"centre"`, `"rectangles"` or `"strokes"`.
            `warmup_steps` and `mask` are recorded in `run.json` when given,
            as `base_filters` is, so a resumed run must name them alike.
        ema_decay: None (no average), or a decay in `[0, 1)` (e.g. 0.999)
            for a latent model's `ema_decay=`: an exponential moving average
            of the generator, which `generate`, `sample` and `evaluate` then
            use. Recorded in `run.json` when given.
        preset: None, or a shipped preset of this variant (`kerasgan
            presets`): a new run then fine-tunes the preset's trained
            generator (and EMA copy) on `dataset`, with a fresh
            discriminator. The card fixes the networks' shape, so the data
            set must have its image shape (and class count), and
            `latent_dim`, `base_filters` and `residual_blocks` must be
            left unset or equal the card's. Recorded in `run.json`, so a resumed run must name
            it alike.

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
        >>> tuned = train("dcgan", "runs/tuned", preset="dcgan_fashion_mnist", epochs=1)  # doctest: +SKIP
    """
    cls = variant_class(variant)
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
    options = model_options(
        cls, spec, latent_dim, seed, base_filters, residual_blocks, augment, critic_steps, warmup_steps, mask
    )
    shapes = {"base_filters": base_filters, "residual_blocks": residual_blocks}
    for name, value in {**shapes, "warmup_steps": warmup_steps, "mask": mask}.items():
        if value is not None:
            settings[name] = value
    if augment is not None:
        settings["augment"] = augment
    if ema_decay is not None:
        if issubclass(cls, ImageToImageGAN):
            raise ValueError(
                f"ema_decay= (--ema-decay) averages a latent model's generator; {cls.__name__} has no "
                "ema_decay. Drop it."
            )
        options["ema_decay"] = settings["ema_decay"] = float(ema_decay)
    if critic_steps is not None:
        settings["critic_steps"] = critic_steps_spelling(critic_steps)
    overrides = None
    if preset is not None:
        overrides = preset_overrides(cls, variant, preset, options)
        settings["preset"] = preset

    def new_model(**more):
        if overrides is None:
            return cls(**options, **more)
        return cls.from_preset(preset, **overrides, **more)

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
    held = held_examples(dataset, NUM_SAMPLE_TRANSLATIONS) if issubclass(cls, ImageToImageGAN) else None
    if seed is not None:
        # Seeds the initial weights of a new run and, new or resumed, the data
        # order: a tf.data shuffle's order depends on the global seed too.
        keras.utils.set_random_seed(seed)
    if resume and has_run and precision == "auto":
        settings["precision"] = recorded_precision(out_dir)
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
            gan = new_model()
            if extra_regularizers:
                gan = new_model(regularizers=gan.default_regularizers() + extra_regularizers)
            gan.compile(**run_optimizers(gan, d_learning_rate, g_learning_rate, decay_steps))

        def make_callbacks(step):
            own = run_callbacks(out_dir, settings, save_every_steps, append_log=step > 0)
            if decay_steps is not None:
                own = [gan_callbacks.LearningRateLogger(), *own]  # before the logs are written
            if held is not None:
                own = with_translation_pictures(own, *gan.example_inputs(*held))
            return own + list(callbacks)

        fit_from_step(gan, make_dataset, epochs, start_step, make_callbacks, verbose=verbose)
        return gan


def run_callbacks(out_dir, settings, save_every_steps, append_log):
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
