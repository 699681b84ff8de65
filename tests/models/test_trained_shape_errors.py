"""A model that has trained once names the shape a wrong batch really has, not a relaxed trace's."""

import numpy as np
import pytest
import tensorflow as tf

import kerasgan
from tests.gan_test_case import make_dataset, weights_of


def test_pix2pix_names_the_target_shape_received_after_training(fashion_mnist_sample):
    images = fashion_mnist_sample[0][:16]
    model = kerasgan.Pix2Pix(image_shape=(28, 28, 1), base_filters=4, seed=1)
    model.compile()
    model.fit(make_dataset(images, images, batch_size=8), epochs=1, verbose=0)
    before = {name: weights_of(network) for name, network in model.networks.items()}
    rgb_targets = np.repeat(images, 3, axis=-1)
    message = (
        r"target images of shape \(batch, 28, 28, 1\).*received shape \(8, 28, 28, 3\)"
        r".*target_shape=\(28, 28, 3\)"
    )
    with pytest.raises(ValueError, match=message):
        model.fit(make_dataset(images, rgb_targets, batch_size=8), epochs=1, verbose=0)
    for name, network in model.networks.items():
        for old, new in zip(before[name], weights_of(network)):
            np.testing.assert_array_equal(old, new, err_msg=name)


def test_unknown_sizes_of_right_images_still_train(fashion_mnist_sample):
    images = fashion_mnist_sample[0][:16]
    unknown = tf.data.Dataset.from_generator(
        lambda: iter([images[:8], images[8:]]), output_signature=tf.TensorSpec((None, None, None, 1))
    )
    model = kerasgan.DCGAN(latent_dim=8, seed=1)
    model.compile()
    model.fit(unknown, epochs=1, verbose=0)
    assert model.completed_steps() == 2
