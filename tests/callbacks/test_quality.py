"""kerasgan.callbacks.QualityCallback feeds FID into fit()'s logs."""

import os
import warnings

import keras
import pytest
import tensorflow as tf

import kerasgan
from kerasgan.callbacks import QualityCallback


@pytest.fixture(scope="module")
def data(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    train = tf.data.Dataset.from_tensor_slices(images[:128]).batch(64)  # 2 steps
    held_out = tf.data.Dataset.from_tensor_slices(images[128:]).batch(64)
    return train, held_out


def _gan():
    gan = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=8, seed=0)
    gan.compile()
    return gan


def test_val_fid_reaches_history_and_model_checkpoint(tmp_path, data):
    train, held_out = data
    path = str(tmp_path / "best.keras")
    callbacks = [
        QualityCallback(held_out, metrics=("fid", "kid"), every=1, num_samples=128),
        keras.callbacks.ModelCheckpoint(path, monitor="val_fid", mode="min", save_best_only=True),
    ]
    gan = _gan()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = gan.fit(train, epochs=2, callbacks=callbacks, verbose=0, shuffle=False)
    assert not [w for w in caught if "val_fid" in str(w.message)]
    for key in ("val_fid", "val_kid", "val_kid_std"):
        assert len(history.history[key]) == 2, key
    assert all(v > 0 for v in history.history["val_fid"])
    assert os.path.exists(path)
    assert not hasattr(gan, "fid") and not any("fid" in m.name for m in gan.metrics)


def test_every_skips_epochs(data):
    train, held_out = data
    callback = QualityCallback(held_out, every=2, num_samples=64, prefix="q_")
    history = _gan().fit(train, epochs=2, callbacks=[callback], verbose=0, shuffle=False)
    assert "q_fid" not in history.history or len(history.history["q_fid"]) == 1
    logs = {}
    callback.on_epoch_end(0, logs)
    assert logs == {}


def test_bad_arguments():
    with pytest.raises(ValueError, match="fdi"):
        QualityCallback(None, metrics=("fdi",))
    with pytest.raises(ValueError, match="every"):
        QualityCallback(None, every=0)
