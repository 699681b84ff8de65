"""A run folder's saved state: `run.json` and the model it holds."""

import json
import os

from kerasgan.callbacks.run_checkpoint import MODEL_FILENAME, STATE_FILENAME
from kerasgan.models.loading import load_gan
from kerasgan.runs.options import variant_class


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
    check_model_is_of_variant(gan, variant, run_dir)
    return gan


def check_model_is_of_variant(gan, variant, run_dir):
    """Refuses a run whose `model.keras` is of another variant than its `run.json` names."""
    if variant is None:
        return
    cls = variant_class(variant)
    if type(gan) is not cls:
        raise ValueError(
            f"The run in {run_dir!r} holds a {type(gan).__name__} in {MODEL_FILENAME}, but its "
            f"{STATE_FILENAME} names {variant!r} ({cls.__name__}); its files disagree, so one of them "
            f"was replaced. Put back the run's own {MODEL_FILENAME} or {STATE_FILENAME}, or load the "
            "model file alone with keras.saving.load_model."
        )


def recorded_precision(run_dir):
    """The dtype policy a run was trained in (runs that predate the setting: float32)."""
    return read_run_state(run_dir)["settings"].get("precision", "float32")
