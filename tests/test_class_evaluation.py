"""Per-class FID and classifier accuracy on real Fashion-MNIST."""

import math

import numpy as np
import pytest
import tensorflow as tf

import kerasgan
from kerasgan.class_evaluation import classifier_accuracy

NUM_CLASSES = 10
PER_CLASS = 20


@pytest.fixture(scope="module")
def labelled_test_split():
    return kerasgan.data.load(
        "fashion_mnist", split="test", batch_size=100, with_labels=True, shuffle=False, limit=2000
    )


@pytest.fixture(scope="module")
def test_arrays(labelled_test_split):
    images, labels = zip(*((x.numpy(), y.numpy()) for x, y in labelled_test_split))
    return np.concatenate(images), np.concatenate(labels)


@pytest.fixture(scope="module")
def cgan():
    return kerasgan.ConditionalGAN(num_classes=NUM_CLASSES, image_shape=(28, 28, 1), latent_dim=8, seed=0)


def test_classifier_recognizes_real_test_images(test_arrays):
    images, labels = test_arrays
    assert len(images) == 2000
    assert classifier_accuracy(images, labels) >= 0.85


def test_classifier_rejects_labels_rotated_by_one_class(test_arrays):
    images, labels = test_arrays
    rotated = (labels + 1) % NUM_CLASSES
    assert classifier_accuracy(images, rotated) < 0.3
    shuffled = np.random.default_rng(0).permutation(labels)
    assert classifier_accuracy(images, shuffled) < 0.3


def test_classifier_accuracy_checks_its_inputs(test_arrays):
    images, labels = test_arrays
    with pytest.raises(ValueError, match=r"shape \(10,\)"):
        classifier_accuracy(images[:10], labels[:9])
    with pytest.raises(ValueError, match=r"\[0, 10\)"):
        classifier_accuracy(images[:10], labels[:10] + 10)
    with pytest.raises(ValueError, match=r"\(28, 28, 1\)"):
        classifier_accuracy(np.zeros((2, 32, 32, 3)), labels[:2])


def test_untrained_conditional_gan_gives_finite_scores(cgan, labelled_test_split):
    scores = kerasgan.evaluate_per_class(cgan, labelled_test_split, num_samples_per_class=PER_CLASS)
    assert set(scores) == {"fid_per_class", "mean_class_fid", "class_accuracy", "accuracy_per_class"}
    assert set(scores["fid_per_class"]) == set(range(NUM_CLASSES))
    assert set(scores["accuracy_per_class"]) == set(range(NUM_CLASSES))
    values = [
        *scores["fid_per_class"].values(),
        *scores["accuracy_per_class"].values(),
        scores["mean_class_fid"],
        scores["class_accuracy"],
    ]
    assert all(isinstance(v, float) and math.isfinite(v) for v in values)
    assert all(v >= 0.0 for v in scores["fid_per_class"].values())
    assert all(0.0 <= v <= 1.0 for v in scores["accuracy_per_class"].values())
    assert scores["mean_class_fid"] == pytest.approx(np.mean(list(scores["fid_per_class"].values())))
    # The same seed gives the same scores.
    again = kerasgan.evaluate_per_class(cgan, labelled_test_split, num_samples_per_class=PER_CLASS)
    assert again == scores


def test_unconditional_gan_is_rejected(labelled_test_split):
    dcgan = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=8, seed=0)
    with pytest.raises(ValueError, match="conditional GAN.*DCGAN.*kerasgan.evaluate"):
        kerasgan.evaluate_per_class(dcgan, labelled_test_split, num_samples_per_class=PER_CLASS)


def test_unlabelled_data_is_rejected(cgan, test_arrays):
    images = tf.data.Dataset.from_tensor_slices(test_arrays[0][:200]).batch(100)
    with pytest.raises(ValueError, match="with_labels=True"):
        kerasgan.evaluate_per_class(cgan, images, num_samples_per_class=PER_CLASS)


def test_wrong_classes_or_image_shape_are_rejected(labelled_test_split):
    five = kerasgan.ConditionalGAN(num_classes=5, image_shape=(28, 28, 1), latent_dim=8, seed=0)
    with pytest.raises(ValueError, match="num_classes=5"):
        kerasgan.evaluate_per_class(five, labelled_test_split, num_samples_per_class=PER_CLASS)


def test_too_few_real_images_of_a_class(cgan):
    # 200 test images hold about 20 of each class, fewer than the 50 asked for.
    small = kerasgan.data.load(
        "fashion_mnist", split="test", batch_size=100, with_labels=True, shuffle=False, limit=200
    )
    with pytest.raises(ValueError, match="num_samples_per_class=50 real images"):
        kerasgan.evaluate_per_class(cgan, small, num_samples_per_class=50)
