"""A diverging run stops with a message naming the network and the step."""

import math
import os
import re

import numpy as np
import pytest

import kerasgan
from kerasgan import runs
from kerasgan.callbacks import RunCheckpoint, StopOnDivergence, TrainingDivergedError
from kerasgan.utils.resume import completed_steps
from tests.gan_test_case import make_dataset
from tests.utils.test_resume import RUN, AtStep


def test_message_names_generator_for_g_loss(tmp_path):
    callback = StopOnDivergence(checkpoint_path=tmp_path / "model.keras")
    callback.set_model(kerasgan.DCGAN(latent_dim=8))
    callback.on_epoch_begin(2)
    with pytest.raises(TrainingDivergedError, match=r"g_loss \(generator\).*epoch 3, step 5.*No checkpoint"):
        callback.on_train_batch_end(4, {"d_loss": 0.5, "g_loss": math.nan})


def raise_learning_rates(model):
    model.d_optimizer.learning_rate = 1e10
    model.g_optimizer.learning_rate = 1e10


def test_exploding_run_stops_and_keeps_the_last_good_checkpoint(tmp_path):
    run_dir = str(tmp_path)
    with pytest.raises(TrainingDivergedError) as caught:
        run = dict(RUN, save_every_steps=1)
        runs.train("dcgan", run_dir, callbacks=[AtStep(3, raise_learning_rates)], **run)
    message = str(caught.value)
    match = re.search(
        r"(generator|discriminator).* became .* (?:at|by the end of) epoch \d.*"
        r"\(training step (\d+)\)\. The last good checkpoint, (.+), is kept",
        message,
    )
    assert match, message
    diverged_at = int(match.group(2))
    assert diverged_at > 3
    assert match.group(3) == os.path.join(run_dir, "model.keras")
    gan = runs.load_run_model(run_dir)
    assert 3 <= completed_steps(gan) == runs.read_run_state(run_dir)["steps_completed"] < diverged_at
    assert all(np.isfinite(v.numpy()).all() for v in gan.weights if v.dtype.startswith("float"))


def test_nan_weights_stop_training_and_keep_last_checkpoint(fashion_mnist_sample, tmp_path):
    images, _ = fashion_mnist_sample
    gan = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=8, seed=0)
    gan.compile()
    dataset = make_dataset(images).take(2)
    callbacks = [StopOnDivergence(), RunCheckpoint(tmp_path, {"variant": "dcgan"})]
    gan.fit(dataset, epochs=1, verbose=0, callbacks=callbacks)
    saved = os.path.getmtime(tmp_path / "model.keras")

    kernel = gan.generator.get_layer("project").kernel
    kernel.assign(np.full(kernel.shape, np.inf, "float32"))
    with pytest.raises(TrainingDivergedError, match=r"d_loss \(discriminator\).*step 1"):
        gan.fit(dataset, epochs=2, initial_epoch=1, verbose=0, callbacks=callbacks)
    assert os.path.getmtime(tmp_path / "model.keras") == saved
    assert "epochs_completed" in (tmp_path / "run.json").read_text()
