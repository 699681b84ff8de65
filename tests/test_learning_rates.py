"""LinearDecay: constant, then linear to 0, driven by a real optimizer's iterations."""

import keras
import numpy as np
import pytest

from kerasgan.learning_rates import LinearDecay


def expected_rate(step, initial, start, steps):
    if step <= start:
        return initial
    return initial * max(0.0, 1.0 - (step - start) / steps)


@pytest.mark.jax
def test_rates_follow_the_schedule():
    schedule = LinearDecay(2e-4, decay_start=10, decay_steps=4)
    for step in (0, 5, 10, 11, 12, 13, 14, 15, 100):
        assert float(schedule(step)) == pytest.approx(
            expected_rate(step, 2e-4, 10, 4), rel=1e-6, abs=1e-12
        ), step
    # decay_start=0 decays from the first step.
    assert float(LinearDecay(1.0, decay_start=0, decay_steps=2)(1)) == pytest.approx(0.5)


@pytest.mark.jax
def test_an_optimizer_steps_with_the_rate_of_its_iterations():
    schedule = LinearDecay(0.5, decay_start=3, decay_steps=4)
    variable = keras.Variable(np.zeros((2,), "float32"))
    optimizer = keras.optimizers.SGD(learning_rate=schedule)
    gradient = keras.ops.ones((2,))
    seen = []
    for _ in range(9):
        seen.append(float(optimizer.learning_rate))
        optimizer.apply_gradients([(gradient, variable)])
    rates = [expected_rate(step, 0.5, 3, 4) for step in range(9)]
    np.testing.assert_allclose(seen, rates, atol=1e-7)
    assert int(optimizer.iterations) == 9
    # SGD moves by -rate * gradient at each step: the rates of steps 0..8.
    np.testing.assert_allclose(variable.numpy(), -sum(rates) * np.ones(2), rtol=1e-6)


def test_it_round_trips_inside_an_optimizer_config():
    optimizer = keras.optimizers.Adam(learning_rate=LinearDecay(2e-4, 100, 100), beta_1=0.5)
    clone = keras.optimizers.Adam.from_config(optimizer.get_config())
    schedule = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(LinearDecay(1e-3, 5, 7))
    )
    assert isinstance(schedule, LinearDecay)
    assert schedule.get_config() == {"initial_learning_rate": 1e-3, "decay_start": 5, "decay_steps": 7}
    restored = clone.get_config()["learning_rate"]
    assert restored["config"] == {"initial_learning_rate": 2e-4, "decay_start": 100, "decay_steps": 100}
    assert float(clone.learning_rate) == pytest.approx(2e-4)  # the clone's iterations are 0


@pytest.mark.parametrize(
    "arguments, message",
    [
        ((0.0, 1, 1), "initial_learning_rate must be a positive number"),
        ((-1e-4, 1, 1), "initial_learning_rate must be a positive number"),
        ((True, 1, 1), "initial_learning_rate must be a positive number"),
        ((1e-4, -1, 1), "decay_start must be an integer >= 0"),
        ((1e-4, 1, 0), "decay_steps must be a positive integer"),
        ((1e-4, 1.5, 1), "decay_start must be an integer >= 0"),
    ],
)
def test_bad_arguments_are_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        LinearDecay(*arguments)


class _BatchLogs(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.rows = []

    def on_train_batch_end(self, batch, logs=None):
        self.rows.append(dict(logs))


@pytest.mark.jax
def test_both_optimizers_of_a_gan_decay_through_fit_and_the_logs_show_it(fashion_mnist_sample):
    import kerasgan
    from kerasgan.callbacks import LearningRateLogger

    images = fashion_mnist_sample[0][:32]
    gan = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=8, seed=0, n_critic=2)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(LinearDecay(1e-3, decay_start=2, decay_steps=4), beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(LinearDecay(1e-3, decay_start=1, decay_steps=2), beta_1=0.5),
    )
    seen = _BatchLogs()
    history = gan.fit(images, batch_size=8, epochs=1, verbose=0, callbacks=[LearningRateLogger(), seen])
    # After step k the critic has made 2k updates, the generator k.
    d_rates = [row["d_learning_rate"] for row in seen.rows]
    g_rates = [row["g_learning_rate"] for row in seen.rows]
    np.testing.assert_allclose(d_rates, [expected_rate(2 * k, 1e-3, 2, 4) for k in (1, 2, 3, 4)], atol=1e-9)
    np.testing.assert_allclose(g_rates, [expected_rate(k, 1e-3, 1, 2) for k in (1, 2, 3, 4)], atol=1e-9)
    assert history.history["d_learning_rate"] == [pytest.approx(0.0, abs=1e-12)]
    # At rate 0 the networks' trainable weights stay exactly where they are.
    before = [
        v.numpy().copy() for v in gan.generator.trainable_variables + gan.discriminator.trainable_variables
    ]
    gan.fit(images, batch_size=8, epochs=1, verbose=0)
    after = [v.numpy() for v in gan.generator.trainable_variables + gan.discriminator.trainable_variables]
    assert all(np.array_equal(b, a) for b, a in zip(before, after))
    assert int(gan.d_optimizer.iterations) == 16 and int(gan.g_optimizer.iterations) == 8
