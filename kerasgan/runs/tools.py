"""What the shell does with a finished run: sample, evaluate, export."""

import os

from kerasgan import data, export
from kerasgan.callbacks.sample_grid import translation_panel
from kerasgan.data.catalog import get_spec
from kerasgan.evaluation import evaluate
from kerasgan.images import make_grid, save_png
from kerasgan.images.code_grid import code_grid
from kerasgan.models import ImageToImageGAN
from kerasgan.runs.state import load_run_model, read_run_state
from kerasgan.runs.translation import held_examples, held_split, score_translations
from kerasgan.utils.files import write_json_atomically


def sample(run_dir, out_path, num_samples=64, seed=0, labels=None, direction=None):
    """Writes a PNG of samples from the model in a run folder.

    A latent model draws a grid of `num_samples` images from latents of
    `seed`. An image-to-image model translates the first `num_samples`
    held-out examples of its data set (the test split, else the validation
    split, in file order) and draws a panel of three rows: its inputs as
    the model's `display_inputs` draws them (a super-resolution model's
    low-resolution images enlarged by nearest neighbour, an inpainting
    model's images with grey holes), translations, targets (two rows,
    without targets, for unpaired data). An inpainting model's masks come
    from its own mask sampler, drawn from `seed`; other translations are
    deterministic and do not use it.

    Args:
        run_dir: the run folder.
        out_path: PNG file to write.
        num_samples: number of images (of sources). Defaults to 64.
        seed: int seed of the latents (or of an inpainting model's masks).
            Defaults to 0.
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
        sources, targets = held_examples(dataset_name, num_samples, list(gan.directions).index(direction))
        inputs, targets = gan.example_inputs(sources, targets, seed=seed)
        panel = translation_panel(gan, inputs, direction=direction, targets=targets)
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


def codes_run(run_dir, out_path, continuous_index=0, num_values=8, seed=0):
    """Writes the code grid of an InfoGAN run: rows vary the category, columns one continuous code.

    See `kerasgan.images.code_grid`.

    Args:
        run_dir: the run folder of an `infogan` run.
        out_path: PNG file to write.
        continuous_index: the continuous code the columns vary. Defaults to 0.
        num_values: columns, from -2 to 2. Defaults to 8.
        seed: int seed of the one latent vector. Defaults to 0.

    Returns:
        The path written.

    Raises:
        ValueError: no run there, or its model has no latent codes.

    Example:
        >>> codes_run("runs/infogan", "codes.png", continuous_index=1)  # doctest: +SKIP
    """
    gan = load_run_model(run_dir)
    grid = code_grid(gan, continuous_index=continuous_index, num_values=num_values, seed=seed)
    extra = {"Continuous code": str(continuous_index)}
    return save_png(out_path, grid, model=gan, run=os.fspath(run_dir), extra=extra)


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
    `"validation"`, else `"train"`), unshuffled. A latent model's samples
    are scored against real images (`kerasgan.evaluate`: FID, KID, IS,
    precision and recall). An image-to-image model trained on paired data
    (pix2pix, srgan) is scored on how close its translations of the
    held-out sources come to their targets: `"l1"`, the mean absolute
    difference per pixel in `[-1, 1]` units (0 is exact, 2 the largest),
    and `"psnr"`, the peak signal-to-noise ratio in dB over the `[-1, 1]`
    range, `10 * log10(4 / mse)` per image, averaged over images (higher is
    closer; an exact translation counts as 100 dB). An inpainting model
    completes the held-out images with holes from its own mask sampler
    drawn from `seed` (`example_inputs`), and both scores count the
    missing pixels only (every known pixel is the input's, exactly): `l1`
    the mean absolute difference over an image's missing pixels and
    channels, `psnr` from the mean squared difference over them, each
    averaged over images. Unpaired data has no targets, so a run on it is
    refused: look at its translations with `sample`.

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
        seed: int seed of the latents (or of an inpainting model's masks).
            Defaults to 0.
        json_path: report file; defaults to `run_dir/evaluation.json`.

    Returns:
        `(report, path)`: the report dict (run, dataset, split, num_samples,
        seed, feature_extractor for latent runs or direction for
        image-to-image runs, and scores) and the JSON path written.

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
    split = held_split(get_spec(dataset_name))
    report = {"run": os.fspath(run_dir), "dataset": dataset_name, "split": split, "num_samples": num_samples}
    if isinstance(gan, ImageToImageGAN):
        direction, scores = score_translations(gan, dataset_name, split, metrics, num_samples, seed=seed)
        report.update(direction=direction, seed=seed, scores=scores)
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
            target_format: gan.export_translator(path, direction=direction, format=target_format)
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
