"""Image-to-image tasks take a dict of named inputs: `translate`, the export and errors."""

import keras
import numpy as np
import pytest
from keras import ops

import kerasgan

SMALL = {"image_shape": (32, 32, 1), "base_filters": 4, "seed": 1}


class MaskedPix2Pix(kerasgan.Pix2Pix):
    """A Pix2Pix that also takes masks and keeps the pixels they do not cover (as inpainting does)."""

    def translation_inputs(self, direction):
        return {**super().translation_inputs(direction), "masks": (32, 32, 1)}

    def translate_batch(self, generator, inputs):
        masks = inputs["masks"]
        return masks * generator(inputs["images"]) + (1.0 - masks) * inputs["images"]


def _inputs(fashion_mnist_sample, count=6):
    images = np.pad(fashion_mnist_sample[0][:count], ((0, 0), (2, 2), (2, 2), (0, 0)), constant_values=-1.0)
    masks = np.zeros_like(images)
    masks[:, 8:24, 8:24] = 1.0
    return images, masks


def test_a_task_with_masks_translates_a_dict_and_keeps_the_unmasked_pixels(fashion_mnist_sample):
    model = MaskedPix2Pix(**SMALL)
    images, masks = _inputs(fashion_mnist_sample)
    outputs = model.translate({"images": images, "masks": masks}, batch_size=4)
    generated = ops.convert_to_numpy(model.generator(images, training=False))
    np.testing.assert_array_equal(outputs[masks == 0], images[masks == 0])
    np.testing.assert_allclose(outputs[masks == 1], generated[masks == 1], atol=1e-6)
    with pytest.raises(ValueError, match=r"takes a dict with the keys \['images', 'masks'\]"):
        model.translate(images)
    with pytest.raises(ValueError, match=r"missing \['masks'\], unknown \['mask'\]"):
        model.translate({"images": images, "mask": masks})
    with pytest.raises(ValueError, match="one entry per image"):
        model.translate({"images": images, "masks": masks[:3]})


def test_a_plain_task_takes_an_array_or_a_dict_alike(fashion_mnist_sample):
    model = kerasgan.Pix2Pix(**SMALL)
    images, _ = _inputs(fashion_mnist_sample)
    np.testing.assert_array_equal(model.translate(images), model.translate({"images": images}))


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="SavedModel export needs TensorFlow")
def test_the_export_takes_each_named_input_and_runs_the_task_translation(tmp_path, fashion_mnist_sample):
    import tensorflow as tf

    model = MaskedPix2Pix(**SMALL)
    images, masks = _inputs(fashion_mnist_sample)
    served = tf.saved_model.load(model.export_translator(str(tmp_path / "masked")))
    outputs = served.signatures["serving_default"](images=tf.constant(images), masks=tf.constant(masks))
    expected = model.translate({"images": images, "masks": masks})
    np.testing.assert_array_equal(outputs["images"].numpy(), expected)
