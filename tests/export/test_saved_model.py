"""The exported SavedModel serves every variant exactly, without kerasgan."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import kerasgan
from kerasgan.export import normal_latents, read_export_metadata
from kerasgan.networks import build_dcgan_discriminator, build_dcgan_generator
from tests.gan_test_case import run_export_check

SHAPE = (28, 28, 1)
LATENT_DIM = 8


def tiny_gan(variant, **options):
    """A variant with latent size 8 and, for DCGAN-style variants, 8 base filters."""
    cls = kerasgan.VARIANTS[variant]
    num_classes = 10 if cls.requires_labels else options.pop("num_classes", None)
    if issubclass(cls, kerasgan.DCGAN):
        options["generator"] = build_dcgan_generator(
            SHAPE, LATENT_DIM, base_filters=8, num_classes=num_classes
        )
        classifying = num_classes is not None and not cls.discriminator_takes_labels  # ACGAN
        options["discriminator"] = build_dcgan_discriminator(
            SHAPE,
            base_filters=8,
            normalization=cls.discriminator_normalization,
            num_classes=None if classifying else num_classes,
            num_aux_classes=num_classes if classifying else None,
            code_outputs=(4, 1) if issubclass(cls, kerasgan.InfoGAN) else None,
        )
    if issubclass(cls, kerasgan.InfoGAN):  # 8 latents: 3 noise values, 4 categories, 1 continuous code
        options.update(num_categories=4, num_continuous=1)
    if num_classes is not None:
        options["num_classes"] = num_classes
    return cls(image_shape=SHAPE, latent_dim=LATENT_DIM, seed=1, **options)


def labels_for(gan, labels):
    return labels if gan.num_classes else None


@pytest.mark.parametrize("seed", [0, 1, 123, -5, 2**31 - 2, 2**31, 2**40])
def test_latents_equal_keras_random_normal(seed):
    expected = keras.random.normal((6, LATENT_DIM), seed=seed)
    np.testing.assert_array_equal(normal_latents(6, LATENT_DIM, seed), expected)


# Image-to-image variants export with export_translator, checked by
# tests/models/test_image_to_image.py (run_translation_export_check).
@pytest.mark.slow
@pytest.mark.parametrize("variant", sorted(kerasgan.variants_of(kerasgan.GAN)))
def test_every_variant_serves_exactly_without_kerasgan(variant, fashion_mnist_sample, tmp_path):
    images, labels = fashion_mnist_sample
    gan = tiny_gan(variant)
    run_export_check(gan, tmp_path, images, labels_for(gan, labels))


def test_sample_chunks_like_generate_past_256(fashion_mnist_sample, tmp_path):
    images, _ = fashion_mnist_sample
    gan = tiny_gan("gan")
    served = run_export_check(gan, tmp_path, images, sample_cases=((1, 0), (300, 7)))
    assert served["sample_300_7"].shape == (300,) + SHAPE


def _seed(value):
    return tf.constant(value, tf.int64)


def test_conditional_ema_generator_is_exported_unless_disabled(fashion_mnist_sample, tmp_path):
    images, labels = fashion_mnist_sample
    gan = tiny_gan("conditional_gan", ema_decay=0.5, ema_warmup=False)
    with_ema = run_export_check(gan, tmp_path, images, labels, use_ema=True)

    raw_path = gan.export_generator(tmp_path / "raw", use_ema=False)
    sample = tf.saved_model.load(raw_path).signatures["sample"]
    class_ids = np.arange(5, dtype="int32") % 10
    raw = sample(n=tf.constant(5), seed=_seed(123), labels=tf.constant(class_ids))["images"]
    np.testing.assert_array_equal(raw, gan.generate(5, seed=123, labels=class_ids, use_ema=False))
    assert not np.array_equal(raw, with_ema["sample_5_123"])
    assert read_export_metadata(tmp_path / "saved_model")["ema"] is True
    assert read_export_metadata(raw_path)["ema"] is False


def test_untrained_model_exports_and_samples_like_generate(tmp_path):
    gan = tiny_gan("dcgan")
    path = gan.export_generator(tmp_path / "untrained")
    served = tf.saved_model.load(path)
    images = served.signatures["sample"](n=tf.constant(3), seed=_seed(9))["images"]
    np.testing.assert_array_equal(images.numpy(), gan.generate(3, seed=9))


def test_metadata_describes_the_model(tmp_path):
    gan = tiny_gan("conditional_gan")
    metadata = read_export_metadata(gan.export_generator(tmp_path / "model"))
    assert metadata["model_class"] == "ConditionalGAN"
    assert metadata["latent_dim"] == LATENT_DIM
    assert metadata["num_classes"] == 10
    assert metadata["image_shape"] == list(SHAPE)
    assert metadata["kerasgan_version"] == kerasgan.__version__
    assert set(metadata["signatures"]) == {"serving_default", "sample"}


def test_endpoints_check_their_inputs(tmp_path):
    served = tf.saved_model.load(tiny_gan("conditional_gan").export_generator(tmp_path / "model"))
    serve, sample = served.signatures["serving_default"], served.signatures["sample"]
    two = tf.constant([1, 2], tf.int32)
    for latents, message in [
        (tf.zeros((2, 64)), r"expects latents of shape \(batch, 8\); received shape\] \[2 64\]"),
        (tf.zeros((8,)), r"expects latents of shape \(batch, 8\); received shape\] \[8\]"),
    ]:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            serve(latents=latents, labels=two)
    out_of_range = r"labels in \[0, 10\); received labels from\] \[1\] \[to\] \[12\]"
    with pytest.raises(tf.errors.InvalidArgumentError, match=out_of_range):
        serve(latents=tf.zeros((2, 8)), labels=tf.constant([1, 12]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="one class id per row of latents"):
        serve(latents=tf.zeros((3, 8)), labels=two)
    with pytest.raises(tf.errors.InvalidArgumentError, match="one class id per sample"):
        sample(n=tf.constant(4), seed=_seed(0), labels=two)
    with pytest.raises(tf.errors.InvalidArgumentError, match="n must be at least 1"):
        sample(n=tf.constant(0), seed=_seed(0), labels=tf.zeros((0,), tf.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"labels in \[0, 10\)"):
        sample(n=tf.constant(2), seed=_seed(0), labels=tf.constant([-1, 3]))
    assert serve(latents=tf.zeros((2, 8)), labels=two)["images"].shape == (2,) + SHAPE


def test_refuses_to_overwrite_and_accepts_an_empty_folder(tmp_path):
    gan = tiny_gan("gan")
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("keep me")
    with pytest.raises(ValueError, match="already exists"):
        gan.export_generator(taken)
    assert sorted(p.name for p in taken.iterdir()) == ["notes.txt"]

    empty = tmp_path / "empty"
    empty.mkdir()
    assert gan.export_generator(empty) == str(empty)
    assert "sample" in tf.saved_model.load(str(empty)).signatures
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "taken"]  # no temporaries
