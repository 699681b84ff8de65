"""Training runs kept in a folder: train, resume and sample from the shell or Python.

A run folder holds `model.keras` (saved atomically after every epoch and
every `save_every_steps` training steps), `run.json` (epochs and steps
completed and the run's settings), `log.csv`, the sample grids under
`samples/` and the loss plot `losses.png`. A run killed at any moment
resumes from its last checkpoint's step, on the batch it would have trained
on next.
"""

import json
import os

import keras

from kerasgan import callbacks as gan_callbacks
from kerasgan import data, export
from kerasgan.callbacks.run_checkpoint import MODEL_FILENAME, STATE_FILENAME
from kerasgan.data.catalog import get_spec
from kerasgan.evaluation import evaluate
from kerasgan.images import make_grid, save_png
from kerasgan.losses import regularizer_from_spec
from kerasgan.models import GAN, variants_of
from kerasgan.models.loading import load_gan
from kerasgan.utils.files import write_json_atomically
from kerasgan.utils.precision import dtype_policy_scope, resolve_precision
from kerasgan.utils.resume import check_written_by_older_or_same_version, completed_steps, fit_from_step
from kerasgan.utils.run_lock import RunLock
from kerasgan.utils.validation import validate_positive_int

DEFAULT_SAVE_EVERY_STEPS = 100


def _variant_class(variant):
    variants = variants_of(GAN)
    if variant not in variants:
        raise ValueError(f"Unknown GAN variant {variant!r}. Choose one of {sorted(variants)}.")
    return variants[variant]


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
        The `kerasgan.GAN` subclass instance, compiled with its optimizers.

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
):
    """Trains a GAN variant on a named data set into a run folder.

    Writes `model.keras` and `run.json` (atomically) after every epoch and
    every `save_every_steps` training steps, a sample grid per epoch under
    `samples/`, `log.csv` and `losses.png`. With `resume=True`, continues an
    existing run from the training step of its last checkpoint, mid-epoch
    included, up to `epochs` in total: the resumed run takes the same number
    of optimizer steps as an uninterrupted one and, with a `seed`, trains on
    the same batches with the same latents, so on CPU it ends with the same
    weights. The step count comes from the saved model's generator
    optimizer, which is written in the same file as the weights. A resumed
    epoch's row in `log.csv` averages only the steps run after resuming.

    Args:
        variant: the short name of a registered latent GAN (`kerasgan.VARIANTS`),
            e.g. `"dcgan"`.
        out_dir: the run folder.
        dataset: a name from `kerasgan.data.available()`. Defaults to
            `"fashion_mnist"`.
        epochs: total number of epochs. Defaults to 5.
        batch_size: defaults to 128.
        latent_dim: defaults to the variant's.
        d_learning_rate: discriminator learning rate; None keeps the
            variant's paper optimizer.
        g_learning_rate: generator learning rate, likewise.
        limit: use only the first `limit` training images (quick runs).
        seed: int seed for the initial weights (through
            `keras.utils.set_random_seed`, which also seeds Python, NumPy and
            TensorFlow globally), the model's latents and the data order: two
            runs with the same seed end with the same weights on CPU. None
            leaves all three random.
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

    Returns:
        The trained GAN.

    Raises:
        ValueError: unknown variant or data set, an existing run or model
            without `resume` or `overwrite`, a resumed run written by a newer
            kerasgan or with different settings, or another process training
            in `out_dir`.
        kerasgan.callbacks.TrainingDivergedError: a loss became NaN or
            infinite; the last checkpoint with finite weights is kept.

    Example:
        >>> gan = train("dcgan", "runs/dcgan", epochs=5)  # doctest: +SKIP
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
    spec = get_spec(dataset)
    conditional = cls.requires_labels
    if conditional and spec.num_classes is None:
        raise ValueError(
            f"{cls.__name__} needs class labels and {dataset!r} has none. Choose "
            "a labelled data set or an unconditional variant."
        )

    def make_dataset():
        return data.load(
            dataset,
            split="train",
            batch_size=batch_size,
            with_labels=conditional,
            seed=seed,
            limit=limit,
        )

    make_dataset()  # fails early on a data set that cannot be loaded
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
            options = {"image_shape": spec.image_shape, "latent_dim": latent_dim, "seed": seed}
            if conditional:
                options["num_classes"] = spec.num_classes
            gan = cls(**options)
            if extra_regularizers:
                gan = cls(**options, regularizers=gan.default_regularizers() + extra_regularizers)
            gan.compile(**_optimizers(gan, d_learning_rate, g_learning_rate))

        def make_callbacks(step):
            own = _run_callbacks(out_dir, settings, save_every_steps, append_log=step > 0)
            return own + list(callbacks)

        fit_from_step(gan, make_dataset, epochs, start_step, make_callbacks, verbose=verbose)
        return gan


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


def _optimizers(gan, d_learning_rate, g_learning_rate):
    """The variant's paper optimizers, with learning rates overridden if given."""
    d_default, g_default = gan.default_optimizer("discriminator"), gan.default_optimizer("generator")
    if d_learning_rate is not None:
        d_default.learning_rate = d_learning_rate
    if g_learning_rate is not None:
        g_default.learning_rate = g_learning_rate
    return {"d_optimizer": d_default, "g_optimizer": g_default}


def sample(run_dir, out_path, num_samples=64, seed=0, labels=None):
    """Writes a PNG grid of samples from the GAN in a run folder.

    Args:
        run_dir: the run folder.
        out_path: PNG file to write.
        num_samples: number of images. Defaults to 64.
        seed: int seed of the latents. Defaults to 0.
        labels: for conditional models, one class id or a list; None draws
            the classes in turn (0, 1, ..., 0, 1, ...).

    Returns:
        The path written.

    Example:
        >>> sample("runs/dcgan", "grid.png", num_samples=64)  # doctest: +SKIP
    """
    gan = load_run_model(run_dir)
    if gan.num_classes is not None and labels is None:
        labels = [i % gan.num_classes for i in range(num_samples)]
    images = gan.generate(num_samples, seed=seed, labels=labels)
    return save_png(out_path, make_grid(images), model=gan, run=os.fspath(run_dir))


def evaluate_run(
    run_dir,
    metrics=("fid",),
    num_samples=10000,
    feature_extractor="fashion_mnist",
    seed=0,
    json_path=None,
):
    """Scores the GAN in a run folder against its data set and writes JSON.

    Uses the run's data set, its `"test"` split where there is one (else
    `"train"`), unshuffled.

    Args:
        run_dir: the run folder.
        metrics: names among `"fid"`, `"kid"`, `"is"`, `"pr"`.
        num_samples: real and generated images each. Defaults to 10000.
        feature_extractor: `"fashion_mnist"` (default) or `"inception_v3"`.
        seed: int seed of the latents. Defaults to 0.
        json_path: report file; defaults to `run_dir/evaluation.json`.

    Returns:
        `(report, path)`: the report dict (run, dataset, split, num_samples,
        feature_extractor, seed, scores) and the JSON path written.

    Example:
        >>> report, path = evaluate_run("runs/dcgan", metrics=("fid", "kid"))  # doctest: +SKIP
    """
    gan = load_run_model(run_dir)
    dataset_name = read_run_state(run_dir)["settings"].get("dataset", "fashion_mnist")
    split = "test" if "test" in get_spec(dataset_name).splits else "train"
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
        metrics=metrics,
        num_samples=num_samples,
        feature_extractor=feature_extractor,
        batch_size=batch_size,
        seed=seed,
    )
    report = {
        "run": os.fspath(run_dir),
        "dataset": dataset_name,
        "split": split,
        "num_samples": num_samples,
        "feature_extractor": feature_extractor,
        "seed": seed,
        "scores": scores,
    }
    path = json_path or os.path.join(run_dir, "evaluation.json")
    return report, write_json_atomically(path, report)


def export_run(run_dir, out, format="tf_saved_model", tflite_path=None, use_ema=True):
    """Exports the generator of a run folder as a SavedModel, LiteRT or ONNX file.

    Every target is checked before the model is loaded, so a taken path
    fails fast and nothing is written. `format` takes the same names as
    `kerasgan.export.export_generator`.

    Args:
        run_dir: a run folder written by `kerasgan.runs.train` (`kerasgan train`).
        out: the SavedModel folder (missing or empty) or the file to create.
        format: `"tf_saved_model"` (default), `"litert"` or `"onnx"`.
        tflite_path: None, or a LiteRT (`.tflite`) file to write as well.
        use_ema: export the EMA generator when the model keeps one.
            Defaults to True.

    Returns:
        Dict `{format: out}`, plus `"litert": tflite_path` when given.

    Raises:
        ValueError: a target path is taken, `format` is unknown, or no model
            in `run_dir`.

    Example:
        >>> export_run("runs/dcgan", "dcgan.tflite", format="litert")  # doctest: +SKIP
        {'litert': 'dcgan.tflite'}
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
    return {
        target_format: export.export_generator(gan, path, use_ema=use_ema, format=target_format)
        for target_format, path in targets.items()
    }
