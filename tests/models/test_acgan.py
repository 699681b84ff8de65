"""ACGAN: the shared checks, plus its class heads and what they learn."""

import keras
import numpy as np
import pytest

import kerasgan
from tests.gan_test_case import (
    run_export_check,
    run_save_load_check,
    run_serialization_check,
    run_training_check,
)

TINY = {"image_shape": (28, 28, 1), "latent_dim": 8, "seed": 1, "num_classes": 10}


def test_trains_on_real_data(fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    gan = kerasgan.ACGAN(**TINY)
    history = run_training_check(gan, images, labels)
    assert {"d_loss", "d_aux", "g_loss", "g_aux"} <= set(history.history)


def test_discriminator_takes_images_only_and_classifies():
    gan = kerasgan.ACGAN(**TINY)
    assert len(gan.discriminator.inputs) == 1 and len(gan.generator.inputs) == 2
    logits, classes = gan.discriminator(np.zeros((3, 28, 28, 1), "float32"))
    assert logits.shape == (3, 1) and classes.shape == (3, 10)


def _class_loss_after_training(class_weight, images, labels):
    keras.utils.set_random_seed(0)
    gan = kerasgan.ACGAN(class_weight=class_weight, **TINY)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5))
    for _ in range(2):
        for start in range(0, 256, 32):
            gan.train_on_batch(images[start : start + 32], labels[start : start + 32])
    class_logits = gan.discriminator(images[:128])[1]
    return float(
        np.mean(keras.ops.sparse_categorical_crossentropy(labels[:128], class_logits, from_logits=True))
    )


def test_class_head_learns_the_classes_only_through_its_loss(fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    with_aux = _class_loss_after_training(1.0, images, labels)
    without_aux = _class_loss_after_training(0.0, images, labels)
    # Measured: 1.90 with the class loss, about chance (ln 10 = 2.30) without.
    assert with_aux < without_aux - 0.2, (with_aux, without_aux)


def test_config_and_keras_file_round_trip(fashion_mnist_sample, tmp_path):
    images, labels = fashion_mnist_sample
    run_serialization_check(kerasgan.ACGAN(class_weight=0.5, **TINY))
    keras.utils.set_random_seed(0)
    run_save_load_check(kerasgan.ACGAN(**TINY), str(tmp_path / "acgan.keras"), images, labels)


def test_exports_with_labels(fashion_mnist_sample, tmp_path):
    images, labels = fashion_mnist_sample
    run_export_check(kerasgan.ACGAN(**TINY), tmp_path, images, labels)


def test_gradient_penalty_sees_the_adversarial_head(fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    gan = kerasgan.ACGAN(loss="wasserstein", regularizers=[kerasgan.losses.GradientPenalty()], **TINY)
    run_training_check(gan, images, labels)


def test_bad_arguments():
    with pytest.raises(ValueError, match="num_classes"):
        kerasgan.ACGAN(num_classes=None)
    with pytest.raises(ValueError, match="class_weight"):
        kerasgan.ACGAN(num_classes=10, class_weight=-1.0)
