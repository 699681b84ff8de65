"""synthetic_arrays / synthetic_dataset: counts, labels, ranges, seeds and both filters."""

import keras
import numpy as np
import pytest

import kerasgan
from kerasgan.augment import synthetic_arrays, synthetic_dataset


def _collect(dataset):
    images, labels = zip(*[(x.numpy(), y.numpy()) for x, y in dataset])
    return np.concatenate(images), np.concatenate(labels)


def brightness_classifier(threshold, sharpness=200.0):
    """A two-class Keras classifier whose output we know exactly.

    p(class 0) = sigmoid(2 * sharpness * (mean pixel - threshold)): bright
    images are class 0, dark ones class 1, and the confidence in the
    intended class is at least 0.5 exactly on the right side of `threshold`.
    """
    inputs = keras.Input((28, 28, 1))
    mean = keras.layers.GlobalAveragePooling2D()(inputs)
    dense = keras.layers.Dense(2)
    logits = dense(mean)
    dense.set_weights([np.array([[sharpness, -sharpness]]), np.array([-sharpness, sharpness]) * threshold])
    return keras.Model(inputs, keras.layers.Softmax()(logits))


def test_dataset_has_exact_counts_shapes_and_dtypes(tiny_cgan):
    dataset = synthetic_dataset(tiny_cgan, 7, batch_size=4, seed=0)
    sizes = [int(x.shape[0]) for x, _ in dataset]
    assert sizes == [4, 4, 4, 2]
    images, labels = _collect(dataset)
    assert images.shape == (14, 28, 28, 1) and images.dtype == np.float32
    assert labels.dtype == np.int32
    assert np.bincount(labels).tolist() == [7, 7]
    assert images.min() >= -1.0 and images.max() <= 1.0
    assert len(set(labels[:7].tolist())) == 2, "shuffle=True must mix the classes"


def test_images_are_the_generator_s_images_of_their_label(tiny_cgan):
    images, labels = synthetic_arrays(tiny_cgan, 3, seed=5)
    assert labels.tolist() == [0, 0, 0, 1, 1, 1]
    expected = tiny_cgan.generate(6, seed=5, labels=labels)
    np.testing.assert_array_equal(images, expected)
    # The label reaches the generator: the same latents drawn as the other class differ.
    swapped = tiny_cgan.generate(6, seed=5, labels=1 - labels)
    assert not np.allclose(images, swapped)


def test_value_range_and_one_hot(tiny_cgan):
    images, labels = synthetic_arrays(tiny_cgan, 4, seed=2)
    unit, one_hot = synthetic_arrays(tiny_cgan, 4, seed=2, value_range=(0, 1), one_hot=True)
    np.testing.assert_allclose(unit, (images + 1.0) / 2.0, atol=1e-6)
    assert one_hot.dtype == np.float32 and one_hot.shape == (8, 2)
    np.testing.assert_array_equal(one_hot.argmax(axis=1), labels)
    assert one_hot.sum(axis=1).tolist() == [1.0] * 8
    _, batch_labels = next(iter(synthetic_dataset(tiny_cgan, 4, seed=2, one_hot=True)))
    assert batch_labels.dtype == "float32" and tuple(batch_labels.shape) == (8, 2)


def test_same_seed_same_batches_other_seed_other_images(tiny_cgan):
    first = _collect(synthetic_dataset(tiny_cgan, 5, batch_size=4, seed=3))
    again = _collect(synthetic_dataset(tiny_cgan, 5, batch_size=4, seed=3))
    other = _collect(synthetic_dataset(tiny_cgan, 5, batch_size=4, seed=4, shuffle=False))
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.allclose(np.sort(first[0], axis=0), np.sort(other[0], axis=0))
    keras.utils.set_random_seed(7)
    unseeded = synthetic_arrays(tiny_cgan, 2)[0]
    keras.utils.set_random_seed(7)
    np.testing.assert_array_equal(unseeded, synthetic_arrays(tiny_cgan, 2)[0])


def test_classifier_filter_keeps_only_confident_samples(tiny_cgan):
    candidates, candidate_labels = synthetic_arrays(tiny_cgan, 20, seed=0)
    brightness = candidates.mean(axis=(1, 2, 3))
    threshold = float(np.median(brightness))
    # Unfiltered, both classes hold samples on the wrong side of the threshold.
    assert (brightness[candidate_labels == 0] <= threshold).any()
    assert (brightness[candidate_labels == 1] >= threshold).any()
    classifier = brightness_classifier(threshold)
    images, labels = synthetic_arrays(tiny_cgan, 20, seed=0, classifier=classifier, min_confidence=0.5)
    assert images.shape == (40, 28, 28, 1) and np.bincount(labels).tolist() == [20, 20]
    kept = images.mean(axis=(1, 2, 3))
    assert (kept[labels == 0] >= threshold - 1e-4).all()
    assert (kept[labels == 1] <= threshold + 1e-4).all()
    # The first round is the unfiltered draw: its confident samples come first, in order.
    confident = np.asarray(classifier(candidates))[np.arange(40), candidate_labels] >= 0.5
    first_round = candidates[(candidate_labels == 0) & confident]
    assert 0 < len(first_round) < 20
    np.testing.assert_array_equal(images[: len(first_round)], first_round)


def test_classifier_filter_that_keeps_too_few_says_how_many(tiny_cgan):
    undecided = brightness_classifier(0.0, sharpness=0.0)  # 0.5 for both classes, always
    with pytest.raises(ValueError, match=r"kept only \(class 0: 0 of 12, class 1: 0 of 12"):
        synthetic_arrays(
            tiny_cgan, 4, seed=0, classifier=undecided, min_confidence=0.6, max_candidates_per_class=12
        )


def test_classifier_must_return_probabilities_over_the_model_s_classes(tiny_cgan):
    logits = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(2)])
    logits.layers[-1].set_weights([np.full((784, 2), 0.1), np.array([5.0, 0.0])])
    with pytest.raises(ValueError, match="not probabilities.*Softmax"):
        synthetic_arrays(tiny_cgan, 2, seed=0, classifier=logits)
    ten_classes = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")]
    )
    with pytest.raises(ValueError, match=r"shape \(batch, 2\).*\(10,\)"):
        synthetic_arrays(tiny_cgan, 2, seed=0, classifier=ten_classes)


def test_discriminator_filter_keeps_the_top_scored_candidates(tiny_cgan):
    candidates, candidate_labels = synthetic_arrays(tiny_cgan, 8, seed=1)
    scores = np.asarray(tiny_cgan.discriminate(candidates, candidate_labels)).reshape(-1)
    expected = []
    for label in (0, 1):
        members = np.flatnonzero(candidate_labels == label)
        expected.extend(sorted(members[np.argsort(-scores[members])[:3]]))
    images, labels = synthetic_arrays(tiny_cgan, 3, seed=1, discriminator_top_fraction=0.4)
    np.testing.assert_array_equal(labels, [0, 0, 0, 1, 1, 1])
    np.testing.assert_allclose(images, candidates[expected], atol=1e-6)


def test_discriminator_filter_with_an_acgan():
    acgan = kerasgan.ACGAN(num_classes=3, latent_dim=8, seed=0)
    images, labels = synthetic_arrays(acgan, 2, seed=0, discriminator_top_fraction=0.5)
    assert images.shape == (6, 28, 28, 1) and labels.tolist() == [0, 0, 1, 1, 2, 2]


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"n_per_class": 0}, "n_per_class must be a positive int; received n_per_class=0"),
        ({"n_per_class": -3}, "n_per_class must be a positive int; received n_per_class=-3"),
        ({"n_per_class": 2.5}, "n_per_class must be a positive int"),
        ({"seed": -1}, "seed must be None or a non-negative int"),
        ({"value_range": (1, 0)}, r"value_range must be a pair \(low, high\)"),
        ({"discriminator_top_fraction": 0.0}, r"discriminator_top_fraction must be a number in \(0, 1\]"),
        ({"discriminator_top_fraction": 1.5}, r"in \(0, 1\]; received 1.5"),
        ({"min_confidence": 0.9}, "only apply with a classifier"),
        (
            {"classifier": brightness_classifier(0.0), "discriminator_top_fraction": 0.5},
            "not both",
        ),
        ({"classifier": brightness_classifier(0.0), "min_confidence": 1.0}, r"in \[0, 1\)"),
        (
            {"classifier": brightness_classifier(0.0), "max_candidates_per_class": 1},
            r"max_candidates_per_class \(1\) must be at least n_per_class \(2\)",
        ),
    ],
)
def test_bad_arguments_are_refused(tiny_cgan, arguments, message):
    arguments = {"n_per_class": 2, **arguments}
    with pytest.raises(ValueError, match=message):
        synthetic_arrays(tiny_cgan, **arguments)


def test_unconditional_models_and_bad_batch_sizes_are_refused(tiny_cgan):
    with pytest.raises(ValueError, match="needs a trained conditional model.*DCGAN with num_classes=None"):
        synthetic_dataset(kerasgan.DCGAN(latent_dim=8), 5)
    with pytest.raises(ValueError, match="batch_size must be a positive int; received batch_size=0"):
        synthetic_dataset(tiny_cgan, 5, batch_size=0)
