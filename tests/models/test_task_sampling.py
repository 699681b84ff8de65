"""The task owns sampling: one sampler serves `generate`, the export and the callbacks."""

import keras
import numpy as np
import pytest
from keras import ops

import kerasgan

TINY = {"image_shape": (28, 28, 1), "latent_dim": 8, "seed": 1}


class ScaledDCGAN(kerasgan.DCGAN):
    """A DCGAN with one sampling option, `scale`, multiplying the noise (as truncation would)."""

    sampling_options = {"scale": 1.0}

    def sample_images(self, generator, noise, labels=None, scale=1.0):
        return super().sample_images(generator, noise * scale, labels)


def test_generate_serves_the_variant_sampling_options():
    gan = ScaledDCGAN(**TINY)
    noise = ops.convert_to_numpy(gan.sampling_noise(6, seed=3))
    for scale in (1.0, 0.5, 0.0):
        expected = ops.convert_to_numpy(gan.generator(noise * scale, training=False))
        np.testing.assert_allclose(gan.generate(6, seed=3, scale=scale), expected, atol=1e-6)
    np.testing.assert_array_equal(gan.generate(6, seed=3), gan.generate(6, seed=3, scale=1.0))
    assert not np.allclose(gan.generate(6, seed=3, scale=0.5), gan.generate(6, seed=3))
    with pytest.raises(
        ValueError, match=r"no sampling option\(s\) \['truncation'\]; its options are \['scale'\]"
    ):
        gan.generate(2, seed=0, truncation=0.7)
    with pytest.raises(ValueError, match="its options are none"):
        kerasgan.DCGAN(**TINY).generate(2, seed=0, scale=0.5)


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="SavedModel export needs TensorFlow")
def test_the_exported_sample_signature_serves_the_options_as_generate_does(tmp_path):
    import tensorflow as tf

    gan = ScaledDCGAN(**TINY)
    path = gan.export_generator(str(tmp_path / "scaled"))
    served = tf.saved_model.load(path)
    for scale in (1.0, 0.25):
        images = served.signatures["sample"](
            n=tf.constant(5), seed=tf.constant(7, tf.int64), scale=tf.constant(scale)
        )["images"]
        np.testing.assert_array_equal(images.numpy(), gan.generate(5, seed=7, scale=scale))
    from kerasgan.export import read_export_metadata

    assert read_export_metadata(path)["sampling_options"] == {"scale": 1.0}


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="needs TensorFlow")
def test_sample_grid_and_evaluation_pass_the_options_to_the_one_sampler(tmp_path, fashion_mnist_sample):
    from kerasgan.callbacks import SampleGrid
    from kerasgan.evaluation import evaluate

    seen = []

    class Recording(ScaledDCGAN):
        def sample_images(self, generator, noise, labels=None, scale=1.0):
            seen.append(scale)
            return super().sample_images(generator, noise, labels, scale=scale)

    gan = Recording(**TINY)
    grid = SampleGrid(str(tmp_path), num_samples=4, sampling_options={"scale": 0.5})
    grid.set_model(gan)
    grid.on_epoch_end(0)
    assert seen == [0.5] and (tmp_path / "epoch_001.png").exists()
    import tensorflow as tf

    data = tf.data.Dataset.from_tensor_slices(fashion_mnist_sample[0][:40]).batch(20)
    evaluate(gan, data, metrics=("kid",), num_samples=40, batch_size=20, sampling_options={"scale": 0.25})
    assert seen[1:] == [0.25, 0.25]
