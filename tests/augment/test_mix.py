"""mix: the ratio it promises, one pass over the real data, its checks, and fit on the result."""

import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf

import kerasgan
from kerasgan.augment import mix, synthetic_dataset


def _marked(num_examples, mark, batch_size=64, one_hot=False, side=4):
    """Tiny batched (images, labels) whose label says where an example came from."""
    images = np.full((num_examples, side, side, 1), mark, "float32")
    labels = np.full((num_examples,), mark, "int32")
    if one_hot:
        labels = np.eye(2, dtype="float32")[labels]
    return tf.data.Dataset.from_tensor_slices((images, labels)).batch(batch_size, drop_remainder=True)


def _labels(dataset):
    return np.concatenate([labels.numpy() for _, labels in dataset])


@pytest.mark.parametrize("ratio", [0.0, 0.3, 0.5])
def test_ratio_holds_over_a_long_stream_and_each_real_example_comes_once(ratio):
    real_images = np.arange(3200, dtype="float32").reshape(3200, 1, 1, 1)
    real = tf.data.Dataset.from_tensor_slices((real_images, np.zeros(3200, "int32")))
    real = real.shuffle(3200).batch(64, drop_remainder=True)
    train = mix(real, _marked(320, 1, side=1), ratio, seed=0)  # the synthetic stream repeats
    images, labels = zip(*[(x.numpy()[:, 0, 0, 0], y.numpy()) for x, y in train])
    images, labels = np.concatenate(images), np.concatenate(labels)
    assert sorted(images[labels == 0].tolist()) == list(range(3200))
    assert (labels == 1).sum() == round(3200 * ratio / (1 - ratio))
    assert abs((labels == 1).mean() - ratio) < 1e-3
    # Spread over the whole stream, not gathered at one end.
    assert abs((labels[: len(labels) // 2] == 1).mean() - ratio) < 0.05
    assert int(train.cardinality()) == -(-len(labels) // 64)


def test_batches_mix_both_kinds_and_keep_the_real_batch_size():
    batches = [labels.numpy() for _, labels in mix(_marked(2560, 0), _marked(640, 1), 0.5, seed=1)]
    assert [len(b) for b in batches] == [64] * 80
    assert np.mean([0 < b.mean() < 1 for b in batches]) > 0.9


def test_same_seed_same_order_and_each_epoch_draws_anew():
    first = mix(_marked(1280, 0), _marked(640, 1), 0.5, batch_size=32, seed=3)
    second = mix(_marked(1280, 0), _marked(640, 1), 0.5, batch_size=32, seed=3)
    epoch_one = _labels(first)
    np.testing.assert_array_equal(epoch_one, _labels(second))
    assert not np.array_equal(epoch_one, _labels(first))


def test_real_data_without_fixed_batches_is_counted():
    ragged = _marked(100, 0, batch_size=100).unbatch().batch(48)  # 48 + 48 + 4 examples
    train = mix(ragged, _marked(64, 1), 0.2, batch_size=10, seed=0)
    labels = _labels(train)
    assert (labels == 0).sum() == 100 and (labels == 1).sum() == 25
    assert int(train.cardinality()) == 13


@pytest.mark.parametrize("ratio", [1.0, -0.1, 1.5, True, "0.5"])
def test_ratio_outside_zero_to_one_is_refused(ratio):
    with pytest.raises(ValueError, match=r"fraction of synthetic examples.*\[0, 1\)"):
        mix(_marked(64, 0), _marked(64, 1), ratio)


def test_mismatched_or_unbatched_inputs_are_refused():
    with pytest.raises(
        ValueError,
        match=r"real_ds has images float32 \(4, 4, 1\) with labels int32 \(\).*"
        r"synthetic_ds has images float32 \(4, 4, 1\) with labels float32 \(2,\).*one_hot",
    ):
        mix(_marked(64, 0), _marked(64, 1, one_hot=True), 0.5)
    with pytest.raises(ValueError, match=r"real_ds must yield batches.*shape \(4, 4, 1\).*ds.batch"):
        mix(_marked(64, 0).unbatch(), _marked(64, 1), 0.5)
    with pytest.raises(ValueError, match=r"synthetic_ds must yield \(images, labels\) pairs"):
        mix(_marked(64, 0), _marked(64, 1).map(lambda x, y: x), 0.5)
    with pytest.raises(ValueError, match="real_ds must be a tf.data.Dataset; received ndarray"):
        mix(np.zeros((64, 4, 4, 1)), _marked(64, 1), 0.5)
    with pytest.raises(ValueError, match="no fixed batch size.*pass batch_size="):
        mix(_marked(64, 0).unbatch().batch(48), _marked(64, 1), 0.5)
    with pytest.raises(ValueError, match=r"real_ds is infinite \(.repeat\(\)\)"):
        mix(_marked(64, 0).repeat(), _marked(64, 1), 0.5)
    with pytest.raises(ValueError, match="real_ds holds no examples"):
        mix(_marked(64, 0).take(0), _marked(64, 1), 0.5)


def test_a_keras_classifier_fits_on_real_images_mixed_with_gan_images(tiny_cgan, two_class_sample):
    images, labels = two_class_sample
    real = kerasgan.data.from_numpy(images, labels, batch_size=16, seed=0)
    synthetic = synthetic_dataset(tiny_cgan, 16, batch_size=8, seed=0)
    keras.utils.set_random_seed(0)
    classifier = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(2, activation="softmax")]
    )
    classifier.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    before = [w.numpy() for w in classifier.trainable_weights]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = classifier.fit(mix(real, synthetic, 0.5, seed=0), epochs=2, verbose=0)
    assert not [w for w in caught if "ran out of data" in str(w.message)]
    assert np.isfinite(history.history["loss"]).all()
    assert any(not np.array_equal(b, w.numpy()) for b, w in zip(before, classifier.trainable_weights))
