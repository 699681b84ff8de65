"""`export_run`: exports the GAN of a training run folder (the `kerasgan export` command)."""

from kerasgan.export.paths import check_free_output
from kerasgan.export.saved_model import export_generator
from kerasgan.export.tflite import convert_generator_to_tflite


def export_run(run_dir, out_dir, tflite_path=None, use_ema=True):
    """Exports the generator of a run folder as a SavedModel, and optionally TFLite.

    Both targets are checked before the model is loaded, so a taken path
    fails fast and nothing is written.

    Args:
        run_dir: a run folder written by `kerasgan.runs.train` (`kerasgan train`).
        out_dir: the SavedModel folder to create (missing or empty).
        tflite_path: None, or a `.tflite` file to create as well.
        use_ema: export the EMA generator when the model keeps one.
            Defaults to True.

    Returns:
        Dict `{"saved_model": out_dir, "tflite": tflite_path or None}`.

    Raises:
        ValueError: a target path is taken, or no model in `run_dir`.

    Example:
        >>> export_run("runs/dcgan", "exported/dcgan", tflite_path="dcgan.tflite")  # doctest: +SKIP
        {'saved_model': 'exported/dcgan', 'tflite': 'dcgan.tflite'}
    """
    from kerasgan.runs import load_run_model

    check_free_output(out_dir, "SavedModel", folder=True)
    if tflite_path is not None:
        check_free_output(tflite_path, "TFLite file")
    gan = load_run_model(run_dir)
    written = {"saved_model": export_generator(gan, out_dir, use_ema=use_ema), "tflite": None}
    if tflite_path is not None:
        written["tflite"] = convert_generator_to_tflite(gan, tflite_path, use_ema=use_ema)
    return written
