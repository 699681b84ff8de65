"""InfoGAN: its codes, the information loss, Q's head, the sampling option, the code grid, the export."""

import keras
import numpy as np
import pytest
from keras import ops

import kerasgan
from kerasgan.images import code_grid, code_grid_images
from kerasgan.losses import category_accuracy, information_loss
from kerasgan.networks import build_dcgan_discriminator, build_dcgan_generator
from tests.gan_test_case import make_dataset, run_export_check

SHAPE = (14, 14, 1)
# 8 latents: 3 noise values, a 4-way category, 1 continuous code; 8-filter networks.
CODES = {"latent_dim": 8, "num_categories": 4, "num_continuous": 1}


def tiny_infogan(**kwargs):
    options = {**CODES, **kwargs}
    generator = build_dcgan_generator(SHAPE, options["latent_dim"], base_filters=8)
    discriminator = build_dcgan_discriminator(
        SHAPE, base_filters=8, code_outputs=(options["num_categories"], options["num_continuous"])
    )
    return kerasgan.InfoGAN(
        image_shape=SHAPE, generator=generator, discriminator=discriminator, seed=1, **options
    )


def half_size(images):
    n = len(images)
    return images.reshape(n, 14, 2, 14, 2, 1).mean(axis=(2, 4))


def test_information_loss_is_the_negative_log_likelihood_of_the_codes():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(6, 5)).astype("float32")
    categories = rng.integers(0, 5, size=6).astype("int32")
    codes = rng.uniform(-1, 1, size=(6, 2)).astype("float32")
    means = rng.normal(size=(6, 2)).astype("float32")
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    cross_entropy = -log_softmax[np.arange(6), categories].mean()
    gaussian = (0.5 * (codes - means) ** 2).sum(axis=1).mean()
    loss = information_loss(categories, logits, codes, means)
    np.testing.assert_allclose(float(loss), cross_entropy + gaussian, rtol=1e-5)
    np.testing.assert_allclose(float(information_loss(categories, logits)), cross_entropy, rtol=1e-5)
    expected_accuracy = np.mean(logits.argmax(axis=1) == categories)
    assert float(category_accuracy(categories, logits)) == pytest.approx(expected_accuracy)
    with pytest.raises(ValueError, match="pass both continuous= and continuous_means="):
        information_loss(categories, logits, codes)


def test_latents_hold_noise_a_uniform_category_and_uniform_codes():
    gan = tiny_infogan()
    latents = ops.convert_to_numpy(gan.sampling_noise(4000, seed=0))
    one_hot = latents[:, 3:7]
    np.testing.assert_array_equal(one_hot.sum(axis=1), np.ones(4000))
    assert set(np.unique(one_hot)) == {0.0, 1.0}
    np.testing.assert_allclose(one_hot.mean(axis=0), 0.25, atol=0.03)  # uniform over 4
    continuous = latents[:, 7]
    assert continuous.min() >= -1.0 and continuous.max() <= 1.0
    assert continuous.mean() == pytest.approx(0.0, abs=0.03)
    assert continuous.var() == pytest.approx(1.0 / 3.0, abs=0.02)  # uniform on [-1, 1]
    assert latents[:, :3].std() == pytest.approx(1.0, abs=0.05)
    codes = gan.split_latents(latents)
    np.testing.assert_array_equal(ops.convert_to_numpy(codes["category"]), one_hot.argmax(axis=1))


def test_codes_change_the_output_and_the_category_option_sets_every_sample():
    gan = tiny_infogan()
    drawn = gan.generate(6, seed=3)
    for category in range(4):
        chosen = gan.generate(6, seed=3, category=category)
        by_codes = gan.generate(6, seed=3, codes={"category": category})
        np.testing.assert_array_equal(chosen, by_codes)
        latents = gan.with_codes(gan.sampling_noise(6, seed=3), category=category)
        np.testing.assert_array_equal(chosen, gan.generate_from_noise(latents))
    assert not np.allclose(gan.generate(6, seed=3, category=0), gan.generate(6, seed=3, category=1))
    wide = gan.generate(6, seed=3, codes={"continuous": 1.0})
    narrow = gan.generate(6, seed=3, codes={"continuous": -1.0})
    assert not np.allclose(wide, narrow)
    # NaN keeps the drawn value: the same images as without codes.
    np.testing.assert_array_equal(gan.generate(6, seed=3, codes={"continuous": np.nan}), drawn)
    np.testing.assert_array_equal(gan.generate(6, seed=3, category=-1), drawn)


def test_bad_codes_and_arguments_are_clear_errors():
    gan = tiny_infogan()
    with pytest.raises(
        ValueError, match=r"category must be -1 .* or an integer in \[0, 4\); received category=4"
    ):
        gan.generate(2, seed=0, category=4)
    with pytest.raises(ValueError, match=r"category must be one integer or 2 integers in \[0, 4\)"):
        gan.generate(2, seed=0, codes={"category": [0, 9]})
    with pytest.raises(ValueError, match=r"continuous must broadcast to \(2, 1\)"):
        gan.generate(2, seed=0, codes={"continuous": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match=r"codes takes 'category' and 'continuous'; received \['noise'\]"):
        gan.generate(2, seed=0, codes={"noise": 0.0})
    with pytest.raises(ValueError, match="received latent_dim=5, which leaves no noise"):
        kerasgan.InfoGAN(latent_dim=5, num_categories=4, num_continuous=1)
    with pytest.raises(ValueError, match="InfoGAN is unconditional"):
        kerasgan.InfoGAN(num_classes=10)
    with pytest.raises(ValueError, match="num_categories must be an integer >= 2; received num_categories=1"):
        kerasgan.InfoGAN(num_categories=1)
    with pytest.raises(ValueError, match=r"code_outputs=\(10, 2\)"):
        kerasgan.InfoGAN(discriminator=build_dcgan_discriminator((28, 28, 1), base_filters=8))


def test_paper_defaults():
    gan = kerasgan.InfoGAN()
    assert (gan.noise_dim, gan.num_categories, gan.num_continuous, gan.info_weight) == (62, 10, 2, 1.0)
    assert [tuple(output.shape) for output in gan.discriminator.outputs] == [(None, 1), (None, 10), (None, 2)]
    gan.compile()
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(1e-3)
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(2e-4)
    assert gan.g_optimizer.beta_1 == gan.d_optimizer.beta_1 == 0.5


def test_the_information_term_trains_q_with_the_discriminator_and_the_generator_through_q(
    fashion_mnist_sample,
):
    # Q is the discriminator's second output: the discriminator phase trains
    # it (d_info on its fakes), the generator phase uses it frozen (g_info).
    images = half_size(fashion_mnist_sample[0][:16])
    gan = tiny_infogan()
    gan.compile()
    batch = gan.unpack_batch(ops.convert_to_tensor(images))
    head = [v for v in gan.discriminator.trainable_variables if "q_" in v.path]
    assert head, "the Q head's variables are the discriminator's"
    before = [v.numpy() for v in head]
    logs = gan.run_phase(gan.phase_named("discriminator"), batch)
    assert set(logs) == {"d_loss", "d_info", "q_accuracy"}
    assert all(np.isfinite(float(value)) for value in logs.values())
    assert 0.0 <= float(logs["q_accuracy"]) <= 1.0
    assert any(not np.array_equal(b, v.numpy()) for b, v in zip(before, head))
    after_discriminator = [v.numpy() for v in head]
    logs = gan.run_phase(gan.phase_named("generator"), batch)
    assert set(logs) == {"g_loss", "g_info"} and np.isfinite(float(logs["g_info"]))
    for b, v in zip(after_discriminator, head):
        np.testing.assert_array_equal(b, v.numpy())


def test_code_grid_rows_vary_the_category_and_columns_the_code():
    gan = tiny_infogan()
    images = code_grid_images(gan, num_values=3, seed=2)
    assert images.shape == (12,) + SHAPE
    rows = images.reshape(4, 3, *SHAPE)
    assert not np.allclose(rows[0], rows[1])  # the category changes the images
    assert not np.allclose(rows[:, 0], rows[:, 2])  # and so does the continuous code
    latents = gan.with_codes(gan.sampling_noise(1, seed=2), category=2, continuous=0.0)
    # One image alone, against the grid's batch of 12: float sums in another order.
    np.testing.assert_allclose(rows[2, 1], gan.generate_from_noise(latents)[0], atol=1e-6)
    assert code_grid(gan, num_values=3).shape == (4 * 14 + 5 * 2, 3 * 14 + 4 * 2, 1)
    with pytest.raises(ValueError, match=r"continuous_index must be an integer in \[0, 1\); received 1"):
        code_grid(gan, continuous_index=1)
    with pytest.raises(ValueError, match="needs a model with latent codes"):
        code_grid(kerasgan.DCGAN(latent_dim=8))


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="SavedModel export needs TensorFlow")
def test_the_exported_sample_signature_serves_the_codes_and_the_category_option(tmp_path):
    import tensorflow as tf

    from kerasgan.export import read_export_metadata

    gan = tiny_infogan()
    path = gan.export_generator(str(tmp_path / "infogan"))
    served = tf.saved_model.load(path)
    for category in (-1.0, 0.0, 3.0):
        images = served.signatures["sample"](
            n=tf.constant(5), seed=tf.constant(7, tf.int64), category=tf.constant(category)
        )["images"]
        np.testing.assert_array_equal(images.numpy(), gan.generate(5, seed=7, category=category))
    # serving_default takes the whole latents, codes included, as with_codes writes them.
    latents = gan.with_codes(
        gan.sampling_noise(3, seed=1), category=[0, 1, 2], continuous=[[-2.0], [0.0], [2.0]]
    )
    images = served.signatures["serving_default"](latents=tf.constant(latents))["images"]
    np.testing.assert_array_equal(images.numpy(), gan.generate_from_noise(latents))
    assert read_export_metadata(path)["sampling_options"] == {"category": -1.0}


@pytest.mark.slow
def test_trained_export_serves_exactly_without_kerasgan(fashion_mnist_sample, tmp_path):
    images = half_size(fashion_mnist_sample[0][:64])
    run_export_check(tiny_infogan(), tmp_path, images, sample_cases=((5, 123),))


@pytest.mark.slow
def test_q_recovers_the_category_above_chance_after_a_short_run(fashion_mnist_sample):
    images = half_size(fashion_mnist_sample[0])
    keras.utils.set_random_seed(0)
    gan = tiny_infogan(num_categories=4, num_continuous=1, latent_dim=12)
    gan.compile()
    before = gan.code_accuracy(1000, seed=0)
    gan.fit(
        make_dataset(images, batch_size=32).repeat(), steps_per_epoch=200, epochs=1, verbose=0, shuffle=False
    )
    after = gan.code_accuracy(1000, seed=0)
    # Chance is 1/4; Q learns the generator's categories within 200 steps.
    assert after > 0.6, (before, after)
    assert after > before + 0.2, (before, after)


@pytest.mark.slow
@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="run folders read tf.data pipelines")
def test_codes_command_writes_the_code_grid_of_a_run(tmp_path):
    from kerasgan.cli import main
    from kerasgan.images import read_png_metadata

    run = tmp_path / "run"
    arguments = [
        "train",
        "infogan",
        "--out",
        str(run),
        "--epochs",
        "1",
        "--limit",
        "64",
        "--batch-size",
        "32",
    ]
    assert main([*arguments, "--latent-dim", "16", "--precision", "float32"]) == 0
    out = tmp_path / "codes.png"
    assert main(["codes", str(run), "--code", "1", "--values", "3", "--out", str(out)]) == 0
    assert read_png_metadata(str(out))["Continuous code"] == "1"
    assert main(["codes", str(run), "--code", "2"]) == 1  # two continuous codes: 0 and 1
