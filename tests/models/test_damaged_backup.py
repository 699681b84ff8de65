"""Restoring from a `BackupAndRestore` backup cut short names its folder and changes nothing."""

import os

import keras
import numpy as np
import pytest

import kerasgan
from tests.gan_test_case import make_dataset, weights_of


def _gan():
    gan = kerasgan.DCGAN(latent_dim=8, seed=0)
    gan.compile()
    return gan


def test_a_truncated_backup_names_its_folder_and_leaves_model_and_file_as_they_were(
    fashion_mnist_sample, tmp_path
):
    backup_dir = str(tmp_path / "backup")
    data = make_dataset(fashion_mnist_sample[0][:64])
    keep = keras.callbacks.BackupAndRestore(backup_dir, delete_checkpoint=False)
    _gan().fit(data.take(1), epochs=1, verbose=0, callbacks=[keep])
    weights_file = os.path.join(backup_dir, "latest.weights.h5")
    with open(weights_file, "rb") as f:
        cut = f.read()[: os.path.getsize(weights_file) // 2]
    with open(weights_file, "wb") as f:
        f.write(cut)

    gan = _gan()
    before = weights_of(gan)
    message = rf"(?s)Cannot load the weights in {weights_file}: .*cut short.*delete its folder {backup_dir}"
    with pytest.raises(OSError, match=message):
        gan.fit(data.take(1), epochs=1, verbose=0, callbacks=[keras.callbacks.BackupAndRestore(backup_dir)])
    for old, new in zip(before, weights_of(gan)):
        np.testing.assert_array_equal(old, new)
    with open(weights_file, "rb") as f:
        assert f.read() == cut
    assert gan.completed_steps() == 0
