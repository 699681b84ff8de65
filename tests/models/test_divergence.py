"""Plain fit() of a diverging GAN stops with one warning naming the networks."""

import warnings

import keras
import numpy as np
import pytest

import kerasgan
from kerasgan.utils.resume import completed_steps
from tests.gan_test_case import make_dataset

TINY = {"image_shape": (28, 28, 1), "latent_dim": 8, "seed": 0}


def _poison(variable):
    variable.assign(np.full(variable.shape, np.inf, "float32"))


def test_fit_stops_at_the_first_nonfinite_loss_and_warns_once(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = kerasgan.DCGAN(**TINY)
    gan.compile()
    _poison(gan.generator.get_layer("project").kernel)
    with pytest.warns(RuntimeWarning) as caught:
        history = gan.fit(make_dataset(images[:64]), epochs=3, verbose=0)
    diverged = [w for w in caught if "diverged" in str(w.message)]
    assert len(diverged) == 1
    assert "d_loss (discriminator) became" in str(diverged[0].message)
    assert "epoch 1, step 1" in str(diverged[0].message)
    assert completed_steps(gan) == 1  # stopped after the first step, not three epochs
    assert len(history.history["d_loss"]) == 1


def test_fit_warns_when_only_the_weights_went_bad_in_the_last_step(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = kerasgan.DCGAN(**TINY)
    gan.compile()
    gan.fit(make_dataset(images[:32]), epochs=1, verbose=0)  # builds and traces; finite

    class PoisonAtEnd(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            _poison(self.model.discriminator.trainable_variables[0])

    with pytest.warns(RuntimeWarning, match=r"the discriminator weights became NaN or infinite"):
        gan.fit(make_dataset(images[:32]), epochs=1, verbose=0, callbacks=[PoisonAtEnd()])


def test_a_healthy_fit_does_not_warn(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = kerasgan.DCGAN(**TINY)
    gan.compile()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        gan.fit(make_dataset(images[:64]), epochs=1, verbose=0)
    assert completed_steps(gan) == 2
