"""A diverging run stops with a message naming the network and the step."""

import math
import os

import numpy as np
import pytest

import kerasgan
from kerasgan.callbacks import RunCheckpoint, StopOnDivergence, TrainingDivergedError
from tests.gan_test_case import make_dataset


def test_message_names_generator_for_g_loss():
    callback = StopOnDivergence(checkpoint_hint="Last good: runs/x/model.keras.")
    callback.on_epoch_begin(2)
    with pytest.raises(TrainingDivergedError, match=r"g_loss \(generator\).*epoch 3, step 5.*runs/x"):
        callback.on_train_batch_end(4, {"d_loss": 0.5, "g_loss": math.nan})


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
