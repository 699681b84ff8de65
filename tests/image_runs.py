"""Helpers for the image-to-image run-folder tests (translation and restoration): shell
arguments, run state, held-out examples, panel rows and resume checks."""

import json
import os
import shutil

import numpy as np
import tensorflow as tf
from PIL import Image

import kerasgan
from kerasgan import cli, runs
from kerasgan.callbacks import SampleGrid
from kerasgan.images import make_grid

SIDE, PADDING = 32, 2


def shell_arguments(variant, run_dir, settings, epochs=1):
    """`kerasgan train` arguments equal to `runs.train(variant, run_dir, epochs=epochs, **settings)`."""
    flags = {"d_learning_rate": "--d-lr", "g_learning_rate": "--g-lr"}
    arguments = ["train", variant, "--out", str(run_dir), "--epochs", str(epochs)]
    for name, value in settings.items():
        if name != "verbose":
            arguments += [flags.get(name, "--" + name.replace("_", "-")), str(value)]
    return arguments


def trained_from_the_shell(tmp_path_factory, variant, settings):
    """A one-epoch run folder of `variant` trained by `kerasgan train`; its path."""
    run_dir = tmp_path_factory.mktemp(variant) / "run"
    assert cli.main(shell_arguments(variant, run_dir, settings)) == 0
    return run_dir


def resumed_from_the_shell(variant, run_dir, settings, tmp_path, epochs=2):
    """`(resumed, reference)`: a copy of `run_dir` resumed by `kerasgan train --resume` to
    `epochs`, and a run trained to `epochs` without interruption; the copy's folder is `tmp_path/run`."""
    reference = runs.train(variant, str(tmp_path / "reference"), epochs=epochs, **settings)
    copy = shutil.copytree(run_dir, tmp_path / "run")
    tf.random.set_seed(None)  # a new process starts without a global seed
    assert cli.main(shell_arguments(variant, copy, settings, epochs=epochs) + ["--resume"]) == 0
    return runs.load_run_model(copy), reference


def assert_same_state(a, b):
    """Every variable of two models equal: networks, pools, seed state and every optimizer's."""

    def state(model):
        optimizers = [getattr(model, slot) for slot in model.optimizer_slots()]
        return [np.asarray(v.numpy()) for v in model.variables + [v for o in optimizers for v in o.variables]]

    for x, y in zip(state(a), state(b), strict=True):
        np.testing.assert_array_equal(x, y)


def read_state(run_dir):
    with open(os.path.join(run_dir, "run.json")) as f:
        return json.load(f)


def held_out(dataset, count):
    """The first `count` test examples, as the runs draw them: a list of arrays (one per part)."""
    batch = next(iter(kerasgan.data.load(dataset, "test", batch_size=count, limit=count, shuffle=False)))
    return [part.numpy() for part in (batch if isinstance(batch, tuple) else (batch,))]


def rows_of(picture, count, side=SIDE):
    """The rows of a panel of `count` images per row, each as `make_grid(row, num_rows=1)` draws it."""
    picture = np.asarray(picture)
    assert picture.shape[1] == count * side + (count + 1) * PADDING
    return [
        panel_row(picture, index, side) for index in range((picture.shape[0] - PADDING) // (side + PADDING))
    ]


def assert_rows(picture, expected_rows, side=SIDE):
    """A grayscale panel's rows are `expected_rows` (image batches), each drawn by `make_grid`."""
    rows = rows_of(picture, len(expected_rows[0]), side)
    assert len(rows) == len(expected_rows)
    for row, images in zip(rows, expected_rows):
        np.testing.assert_array_equal(row, make_grid(images, num_rows=1)[..., 0])


def panel_row(panel, index, side=SIDE):
    """Row `index` of a grayscale panel of `side`-pixel images, with its padding above and below."""
    top = index * (side + PADDING)
    return panel[top : top + side + 2 * PADDING]


def written_grid(model, out_dir, run, **options):
    """`(path, pixels)` of the first epoch's picture that `SampleGrid(out_dir, run=run, **options)` writes."""
    callback = SampleGrid(out_dir, run=run, **options)
    callback.set_model(model)
    callback.on_train_begin()
    callback.on_epoch_end(0)
    path = os.path.join(out_dir, "epoch_001.png")
    return path, np.asarray(Image.open(path))
