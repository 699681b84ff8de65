"""`compile(jit_compile=True)` and `steps_per_execution` train like the defaults."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.gan_test_case import make_dataset
from tests.models.test_variants import TINY, VARIANTS


def _fit(variant, images, labels, steps=4, **compile_options):
    keras.utils.set_random_seed(0)
    gan = VARIANTS[variant]()
    gan.compile(**compile_options)
    data = make_dataset(images, labels if gan.num_classes else None, 16).take(steps)
    history = gan.fit(data, epochs=1, verbose=0, shuffle=False).history
    return gan, history


@pytest.mark.parametrize(
    "variant", ["dcgan", "conditional_gan", pytest.param("wgan_gp", marks=pytest.mark.slow)]
)
def test_steps_per_execution_trains_identically(variant, fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    one, one_logs = _fit(variant, images, labels)
    four, four_logs = _fit(variant, images, labels, steps_per_execution=4)
    assert int(four.g_optimizer.iterations) == 4
    assert int(four.d_optimizer.iterations) == 4 * four.n_critic
    for name, values in one_logs.items():
        np.testing.assert_allclose(four_logs[name], values, rtol=1e-5, err_msg=name)
    for a, b in zip(one.weights, four.weights):
        np.testing.assert_allclose(np.asarray(b), np.asarray(a), rtol=1e-4, atol=1e-5)


class _ArithmeticNoise:
    """Replaces the random draws of training by fixed arithmetic values.

    XLA implements TensorFlow's stateless random ops with other algorithms,
    so a jit-compiled step draws other latents than a graph-mode step.
    With these values both modes compute the same thing and must agree.
    """

    def random_per_example(self, sampler, batch_size, shape):
        count = batch_size * int(np.prod(shape))
        values = 0.5 + 0.5 * tf.sin(tf.range(count, dtype="float32") * 12.9898)
        if sampler is keras.random.normal:
            values = 3.0 * (values - 0.5)
        return tf.reshape(values, (batch_size, *shape))


def _fit_without_randomness(variant, images, labels, steps, **compile_options):
    keras.utils.set_random_seed(0)
    template = VARIANTS[variant]()
    cls = type(f"Arithmetic{type(template).__name__}", (_ArithmeticNoise, type(template)), {})
    gan = cls(**{**TINY, "num_classes": template.num_classes})
    initial = [np.asarray(w) for w in gan.weights]
    gan.compile(**compile_options)
    data = make_dataset(images, labels if gan.num_classes else None, 16).take(steps)
    history = gan.fit(data, epochs=1, verbose=0, shuffle=False).history
    return gan, history, initial


@pytest.mark.parametrize(
    "variant",
    [
        "dcgan",
        pytest.param("conditional_gan", marks=pytest.mark.slow),
        pytest.param("wgan_gp", marks=pytest.mark.slow),
    ],
)
def test_jit_compile_computes_the_graph_mode_step(variant, fashion_mnist_sample):
    images, labels = fashion_mnist_sample

    # SGD: Adam's first steps are about lr * sign(gradient), which turns
    # float rounding of near-zero gradients into full-size differences.
    # A small rate, because WGAN-GP's ten critic updates amplify the float32
    # rounding differences between oneDNN's kernels (graph mode) and XLA's:
    # with lr 1e-2 its g_loss differed by 1.3e-3 relative, with 1e-3 by
    # 2.5e-4, while with TF_ENABLE_ONEDNN_OPTS=0 the two modes agree to 1e-6.
    def sgd():
        return {"d_optimizer": keras.optimizers.SGD(1e-3), "g_optimizer": keras.optimizers.SGD(1e-3)}

    graph, graph_logs, initial = _fit_without_randomness(variant, images, labels, 2, **sgd())
    xla, xla_logs, _ = _fit_without_randomness(variant, images, labels, 2, jit_compile=True, **sgd())
    assert xla.jit_compile is True
    assert int(xla.g_optimizer.iterations) == 2
    for name, values in graph_logs.items():
        np.testing.assert_allclose(xla_logs[name], values, rtol=1e-3, err_msg=name)
    assert any(not np.allclose(a, np.asarray(b)) for a, b in zip(initial, xla.weights))
    # The same updates, up to that amplified rounding (at most 1.5% of an
    # update's norm measured for WGAN-GP); a different step differs by ~100%.
    for start, a, b in zip(initial, graph.weights, xla.weights):
        graph_update, xla_update = np.asarray(a) - start, np.asarray(b) - start
        gap = np.linalg.norm(xla_update - graph_update)
        assert gap <= 0.05 * np.linalg.norm(graph_update) + 1e-6, a.path


@pytest.mark.slow  # long; run with -m slow (suite time)
def test_jit_compiled_run_repeats_exactly(fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    first, first_logs = _fit("dcgan", images, labels, steps=2, jit_compile=True)
    second, second_logs = _fit("dcgan", images, labels, steps=2, jit_compile=True)
    assert first_logs == second_logs
    assert np.isfinite(first_logs["d_loss"]).all()
    for a, b in zip(first.weights, second.weights):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
