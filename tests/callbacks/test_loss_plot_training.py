"""LossPlot on real training: each step's own values, the schedule's axis, and resumed runs.

Tiny DCGANs train a few real steps on the Fashion-MNIST sample.
"""

import dataclasses
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

import kerasgan
from kerasgan import runs
from kerasgan.callbacks import LossPlot
from kerasgan.callbacks.loss_steps import read_steps_file
from kerasgan.images import METADATA_KEYS, read_png_metadata
from kerasgan.losses import R1Penalty
from tests.gan_test_case import make_dataset
from tests.utils.test_resume import RUN, STEPS, AtStep, Crash, crash

BATCH_SIZE = 32
STEPS_PER_EPOCH = 3


class ScheduledDCGAN(kerasgan.DCGAN):
    """A critic trained 3 times per step for 2 steps then once, and a gated generator."""

    def phases(self):
        critic, generator = super().phases()
        return [
            dataclasses.replace(critic, repeat=kerasgan.Schedule([(0, 3), (2, 1)])),
            dataclasses.replace(generator, gate=lambda terms: terms["g_loss"] > 0.75),
        ]


def _scheduled_gan():
    keras.utils.set_random_seed(5)
    # A lazy R1 every 2 steps: its own phase, due at steps 0, 2, 4.
    gan = ScheduledDCGAN(latent_dim=8, seed=5, regularizers=[R1Penalty(1.0, every=2)])
    gan.compile()
    return gan


@pytest.mark.jax
def test_records_each_training_steps_own_values(tmp_path, fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    images = images[: BATCH_SIZE * STEPS_PER_EPOCH]
    path = tmp_path / "losses.png"
    plot = LossPlot(path)
    gan = _scheduled_gan()
    gan.fit(make_dataset(images, batch_size=BATCH_SIZE), epochs=2, verbose=0, callbacks=[plot], shuffle=False)
    # The same model trained one batch at a time: each call's logs are that step's own values.
    reference = _scheduled_gan()
    batches = [images[i : i + BATCH_SIZE] for i in range(0, len(images), BATCH_SIZE)] * 2
    truth = [reference.train_on_batch(batch, return_dict=True) for batch in batches]

    curves = plot.series()
    assert sorted(curves) == sorted(truth[0])
    all_steps = np.arange(1, 2 * STEPS_PER_EPOCH + 1)
    for key in ("d_loss", "g_loss", "generator_skipped", "discriminator_updates"):
        np.testing.assert_array_equal(curves[key]["steps"], all_steps, err_msg=key)
        expected = [float(logs[key]) for logs in truth]
        np.testing.assert_allclose(curves[key]["values"], expected, rtol=2e-5, atol=2e-6, err_msg=key)
    np.testing.assert_allclose(curves["discriminator_updates"]["values"], [3, 3, 1, 1, 1, 1], atol=1e-5)
    # r1 is logged at every step but only updated when its phase runs.
    np.testing.assert_array_equal(curves["r1"]["steps"], [1, 3, 5])
    np.testing.assert_allclose(curves["r1"]["values"], [float(truth[i]["r1"]) for i in (0, 2, 4)], rtol=2e-5)

    axes = {key: curve["axis"] for key, curve in curves.items()}
    assert axes == {"d_loss": "losses", "g_loss": "losses", "r1": "losses"} | {
        "generator_skipped": "schedule",
        "discriminator_updates": "schedule",
    }
    losses, schedule = plot.figure().axes
    assert sorted(line.get_label() for line in schedule.get_lines()[1::2]) == [
        "discriminator_updates",
        "generator_skipped",
    ]
    assert sorted(line.get_label() for line in losses.get_lines()[1::2]) == ["d_loss", "g_loss", "r1"]
    metadata = read_png_metadata(path)
    assert set(METADATA_KEYS) <= set(metadata)
    assert metadata["Model"] == f"ScheduledDCGAN {gan.name!r}"


def test_a_second_fit_continues_the_step_axis(tmp_path, fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = kerasgan.DCGAN(latent_dim=8, seed=0)
    gan.compile()
    plot = LossPlot(tmp_path / "losses.png")
    for _ in range(2):
        gan.fit(make_dataset(images[:64]), epochs=1, verbose=0, callbacks=[plot])
    np.testing.assert_array_equal(plot.series()["d_loss"]["steps"], [1, 2, 3, 4])


def _steps_rows(run_dir):
    rows, clean = read_steps_file(os.path.join(run_dir, "losses_steps.csv"))
    assert clean
    return rows


def test_a_run_resumed_after_a_crash_plots_all_its_steps(tmp_path):
    runs.train("dcgan", str(tmp_path / "uninterrupted"), **RUN)
    reference = _steps_rows(tmp_path / "uninterrupted")
    assert sorted({step for step, _, _ in reference}) == list(range(1, STEPS + 1))
    run_dir = str(tmp_path / "run")
    # Crashes after step 7; the last checkpoint is at step 6, and step 7's rows are in the file.
    with pytest.raises(Crash):
        runs.train("dcgan", run_dir, callbacks=[AtStep(7, crash)], **RUN)
    assert max(step for step, _, _ in _steps_rows(run_dir)) == 7
    tf.random.set_seed(None)
    runs.train("dcgan", run_dir, resume=True, **RUN)

    # Step 7 is trained again: its first rows are gone, and the resumed plot is the uninterrupted one.
    resumed = _steps_rows(run_dir)
    assert [(step, key) for step, key, _ in resumed] == [(step, key) for step, key, _ in reference]
    np.testing.assert_allclose([v for *_, v in resumed], [v for *_, v in reference], rtol=1e-5, atol=1e-6)
    metadata = read_png_metadata(os.path.join(run_dir, "losses.png"))
    assert metadata["Run"] == run_dir
    assert not [name for name in os.listdir(run_dir) if name.startswith(".tmp-")]
