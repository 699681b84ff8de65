"""Conditional batch norm, the projection discriminator and the conditional-norm generator."""

import keras
import numpy as np
import pytest
from keras import ops

from kerasgan.networks import (
    ConditionalBatchNormalization,
    build_projection_discriminator,
    build_projection_generator,
)

CLASSES = 3


def _features(seed=0, shape=(6, 4, 4, 5)):
    return np.random.default_rng(seed).normal(2.0, 3.0, size=shape).astype("float32")


def _labels(n=6):
    return (np.arange(n) % CLASSES).astype("int32")


def _numpy(x):
    return ops.convert_to_numpy(x)


@pytest.mark.parametrize("shape", [(6, 4, 4, 5), (6, 5)])
def test_at_initialisation_it_is_a_plain_batch_norm(shape):
    features, labels = _features(shape=shape), _labels()
    conditional = ConditionalBatchNormalization(CLASSES, momentum=0.9)
    plain = keras.layers.BatchNormalization(momentum=0.9)
    for training in (True, True, False):
        np.testing.assert_allclose(
            _numpy(conditional([features, labels], training=training)),
            _numpy(plain(features, training=training)),
            rtol=1e-5,
            atol=1e-5,
        )
    moving = [v for v in conditional.non_trainable_variables]
    np.testing.assert_allclose(_numpy(moving[0]), _numpy(plain.moving_mean), rtol=1e-6)
    np.testing.assert_allclose(_numpy(moving[1]), _numpy(plain.moving_variance), rtol=1e-6)
    assert [tuple(v.shape) for v in conditional.trainable_variables] == [(CLASSES, shape[-1])] * 2


def test_each_label_picks_its_own_scale_and_offset():
    features, labels = _features(), _labels()
    layer = ConditionalBatchNormalization(CLASSES)
    normalized = _numpy(layer([features, labels], training=True))  # gamma 1, beta 0
    gamma = np.arange(1, CLASSES * 5 + 1, dtype="float32").reshape(CLASSES, 5)
    beta = -np.arange(CLASSES * 5, dtype="float32").reshape(CLASSES, 5)
    layer.gamma.assign(gamma)
    layer.beta.assign(beta)
    outputs = _numpy(layer([features, labels], training=True))
    expected = normalized * gamma[labels][:, None, None, :] + beta[labels][:, None, None, :]
    np.testing.assert_allclose(outputs, expected, rtol=1e-5, atol=1e-4)
    # The same features with other labels get other rows.
    shifted = _numpy(layer([features, (labels + 1) % CLASSES], training=True))
    assert not np.allclose(shifted, outputs)


def test_inference_uses_the_moving_statistics_and_leaves_them():
    features, labels = _features(), _labels()
    layer = ConditionalBatchNormalization(CLASSES, epsilon=1e-3)
    layer([features, labels], training=True)
    mean, variance = (_numpy(v).copy() for v in layer.non_trainable_variables)
    assert not np.allclose(mean, 0.0), "training did not move the moving mean"
    layer.gamma.assign(np.full((CLASSES, 5), 2.0, "float32"))
    other = _features(seed=1)
    outputs = _numpy(layer([other, labels], training=False))
    np.testing.assert_allclose(outputs, 2.0 * (other - mean) / np.sqrt(variance + 1e-3), rtol=1e-5, atol=1e-5)
    for before, variable in zip((mean, variance), layer.non_trainable_variables):
        np.testing.assert_array_equal(_numpy(variable), before)


def test_config_round_trip_and_bad_arguments(tmp_path):
    # synchronized=True: TensorFlow only (keras.layers.BatchNormalization's rule).
    synchronized = keras.backend.backend() == "tensorflow"
    layer = ConditionalBatchNormalization(
        CLASSES, momentum=0.8, epsilon=1e-4, synchronized=synchronized, name="cbn"
    )
    clone = ConditionalBatchNormalization.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    features, labels = keras.Input((4, 4, 5)), keras.Input((), dtype="int32")
    model = keras.Model([features, labels], ConditionalBatchNormalization(CLASSES)([features, labels]))
    model.layers[-1].gamma.assign(np.random.default_rng(0).normal(size=(CLASSES, 5)).astype("float32"))
    model.save(tmp_path / "cbn.keras")
    loaded = keras.saving.load_model(tmp_path / "cbn.keras")
    np.testing.assert_array_equal(
        _numpy(loaded([_features(), _labels()])), _numpy(model([_features(), _labels()]))
    )
    with pytest.raises(ValueError, match="num_classes"):
        ConditionalBatchNormalization(0)
    with pytest.raises(ValueError, match="momentum"):
        ConditionalBatchNormalization(CLASSES, momentum=1.5)
    with pytest.raises(ValueError, match=r"\[features, labels\]"):
        ConditionalBatchNormalization(CLASSES)(_features())


def _feature_model(discriminator):
    return keras.Model(discriminator.inputs[0], discriminator.get_layer("features").output)


def test_with_the_linear_part_zeroed_the_logit_is_the_projection():
    critic = build_projection_discriminator((14, 14, 1), num_classes=CLASSES, base_filters=8)
    images = np.random.default_rng(0).uniform(-1, 1, (6, 14, 14, 1)).astype("float32")
    labels = _labels()
    linear = critic.get_layer("linear")
    for variable in linear.trainable_variables:
        variable.assign(np.zeros(variable.shape, "float32"))
    logits = _numpy(critic([images, labels], training=False))
    features = _numpy(_feature_model(critic)(images, training=False))
    embedded = _numpy(critic.get_layer("class_embedding")(labels, training=False))
    assert embedded.shape == features.shape == (6, 16)
    np.testing.assert_allclose(logits[:, 0], np.sum(embedded * features, axis=1), rtol=1e-4, atol=1e-5)
    assert critic.output.dtype == "float32"


def test_labels_change_the_logit_only_through_the_projection():
    critic = build_projection_discriminator((14, 14, 1), num_classes=CLASSES, base_filters=8)
    images = np.random.default_rng(1).uniform(-1, 1, (6, 14, 14, 1)).astype("float32")
    labels = _labels()
    logits = _numpy(critic([images, labels]))
    other = _numpy(critic([images, (labels + 1) % CLASSES]))
    assert not np.allclose(logits, other), "the labels do not change the logit"
    # Embeddings moved by d (after the spectral norm) change the logits by <d, phi(x)>.
    features = _numpy(_feature_model(critic)(images))
    before = _numpy(critic.get_layer("class_embedding")(labels))
    embedding = critic.get_layer("class_embedding")
    table = [v for v in embedding.trainable_variables if len(v.shape) == 2][0]
    table.assign(_numpy(table) + np.random.default_rng(2).normal(size=table.shape).astype("float32"))
    after = _numpy(critic.get_layer("class_embedding")(labels))
    np.testing.assert_allclose(
        _numpy(critic([images, labels])) - logits,
        np.sum((after - before) * features, axis=1, keepdims=True),
        rtol=1e-4,
        atol=1e-4,
    )


def test_the_generator_reads_labels_only_through_its_conditional_norms():
    generator = build_projection_generator((28, 28, 1), latent_dim=8, num_classes=CLASSES, base_filters=8)
    norms = [layer for layer in generator.layers if isinstance(layer, ConditionalBatchNormalization)]
    assert len(norms) == 2
    assert not any(isinstance(layer, keras.layers.Embedding) for layer in generator.layers)
    latents = np.random.default_rng(0).normal(size=(6, 8)).astype("float32")
    labels = _labels()
    # Rows equal across classes (the initial ones, then moved ones): the labels change nothing.
    same = _numpy(generator([latents, labels], training=True))
    np.testing.assert_array_equal(same, _numpy(generator([latents, np.zeros(6, "int32")], training=True)))
    for norm in norms:
        norm.beta.assign(np.tile(np.linspace(-1, 1, norm.beta.shape[1], dtype="float32"), (CLASSES, 1)))
    moved = _numpy(generator([latents, labels], training=True))
    np.testing.assert_array_equal(moved, _numpy(generator([latents, np.ones(6, "int32")], training=True)))
    assert not np.allclose(moved, same)
    # One class's row differs: only that class's images change.
    norms[-1].gamma.assign(_numpy(norms[-1].gamma) * np.array([[1.0], [3.0], [1.0]], "float32"))
    changed = _numpy(generator([latents, labels], training=True))
    affected = labels == 1
    assert not np.allclose(changed[affected], moved[affected])
    np.testing.assert_allclose(changed[~affected], moved[~affected], rtol=1e-5, atol=1e-6)


def test_builders_refuse_bad_arguments():
    with pytest.raises(ValueError, match="num_classes"):
        build_projection_generator((28, 28, 1), latent_dim=8, num_classes=None)
    with pytest.raises(ValueError, match="num_classes"):
        build_projection_discriminator((28, 28, 1), num_classes=1)
    with pytest.raises(ValueError, match="base_filters"):
        build_projection_discriminator((28, 28, 1), num_classes=10, base_filters=0)
    with pytest.raises(ValueError, match="square images"):
        build_projection_generator((30, 30, 1), latent_dim=8, num_classes=10)


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_low_precision_computes_in_the_policy_dtype_with_float32_variables(policy):
    # The cheap half of tests/models/test_mixed_precision.py's projection_gan case (slow).
    features, labels = _features(), _labels()
    reference = _numpy(ConditionalBatchNormalization(CLASSES)([features, labels], training=True))
    layer = ConditionalBatchNormalization(CLASSES, dtype=policy)
    outputs = layer([features, labels], training=True)
    assert outputs.dtype == policy.removeprefix("mixed_")
    assert all(v.dtype == "float32" for v in layer.variables)
    np.testing.assert_allclose(_numpy(ops.cast(outputs, "float32")), reference, atol=0.05)
    keras.mixed_precision.set_global_policy(policy)
    try:
        generator = build_projection_generator((14, 14, 1), latent_dim=8, num_classes=CLASSES, base_filters=8)
        critic = build_projection_discriminator((14, 14, 1), num_classes=CLASSES, base_filters=8)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    latents = np.random.default_rng(0).normal(size=(6, 8)).astype("float32")
    images = generator([latents, labels], training=True)
    logits = critic([images, ops.convert_to_tensor(labels)], training=True)
    assert images.dtype == logits.dtype == "float32"
    assert np.isfinite(_numpy(logits)).all()
    assert all(v.dtype == "float32" for v in generator.weights + critic.weights)
