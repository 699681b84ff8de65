"""The shared subset: the harness checks of every variant, on whichever backend runs.

Marked `jax`: `python3 -m pytest tests/backend --backend=jax -m jax` runs
all of it on JAX (minutes: a model compiles once per architecture), and
the default suite runs its core (the DCGAN checks and the penalty closed
forms of `tests/losses`, imported here) on JAX through
`test_jax_subset.py`. On TensorFlow, where `tests/models` and
`tests/losses` run the same checks, these tests are marked slow.
"""

import keras
import numpy as np
import pytest

import kerasgan
from kerasgan.losses import PathLengthPenalty, R1Penalty
from tests.gan_test_case import (
    make_dataset,
    run_save_load_check,
    run_training_check,
    run_translation_training_check,
    weights_of,
)
from tests.losses.test_regularizers import (  # noqa: F401  (collected here too)
    test_gradient_penalty_closed_form,
    test_gradient_penalty_of_quadratic_critic_depends_on_interpolates,
    test_r1_penalty_closed_form,
)
from tests.models.test_image_to_image import cyclegan, domains, pairs, pix2pix  # noqa: F401
from tests.models.test_variants import TINY, VARIANTS

pytestmark = [pytest.mark.jax] + ([] if keras.backend.backend() == "jax" else [pytest.mark.slow])

# What the default suite runs on JAX; the other variants are marked slow.
CORE_VARIANTS = ("dcgan",)


def variants():
    return [
        pytest.param(name, marks=() if name in CORE_VARIANTS else pytest.mark.slow)
        for name in sorted(VARIANTS)
    ]


def _labels_for(gan, labels):
    return labels if gan.num_classes else None


@pytest.mark.parametrize("variant", variants())
def test_trains_on_real_data(variant, fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    gan = VARIANTS[variant]()
    run_training_check(gan, images, _labels_for(gan, labels))


@pytest.mark.parametrize("variant", variants())
def test_keras_file_round_trip_resumes(variant, fashion_mnist_sample, tmp_path):
    images, labels = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    gan = VARIANTS[variant]()
    run_save_load_check(gan, str(tmp_path / "gan.keras"), images, _labels_for(gan, labels))


@pytest.mark.parametrize("variant", variants())
def test_identically_seeded_runs_end_with_identical_weights(variant, fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    final = []
    for _ in range(2):
        keras.utils.set_random_seed(7)
        gan = VARIANTS[variant]()
        gan.compile()
        gan.fit(make_dataset(images, _labels_for(gan, labels)).take(2), epochs=1, verbose=0)
        final.append(weights_of(gan))
    for a, b in zip(*final):
        np.testing.assert_array_equal(a, b)


@pytest.mark.slow
def test_pix2pix_trains_and_resumes(pairs, tmp_path):  # noqa: F811 (the imported fixture)
    keras.utils.set_random_seed(0)
    run_translation_training_check(pix2pix(), *pairs)
    run_save_load_check(pix2pix(), str(tmp_path / "p.keras"), *pairs, batch_size=4)


@pytest.mark.slow
def test_cyclegan_trains_and_resumes_with_its_pools(domains, tmp_path):  # noqa: F811
    keras.utils.set_random_seed(0)
    model = cyclegan()
    run_translation_training_check(model, *domains)
    assert int(model.pools[0].count) > 0 and int(model.pools[1].count) > 0
    loaded = run_save_load_check(cyclegan(), str(tmp_path / "c.keras"), *domains, batch_size=4)
    assert int(loaded.pools[0].count) > 0


def test_lazy_regularizer_runs_every_k_steps(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = kerasgan.DCGAN(regularizers=[R1Penalty(5.0, every=2)], **TINY)
    gan.compile()
    gan.fit(make_dataset(images).take(5), epochs=1, verbose=0)
    # Five main updates, and a lazy one at steps 0, 2 and 4.
    assert int(gan.d_optimizer.iterations) == 5 + 3
    assert int(gan.g_optimizer.iterations) == 5
    # A second fit goes on counting from step 5: a lazy update at step 6 only.
    gan.fit(make_dataset(images).take(3), epochs=1, verbose=0)
    assert int(gan.d_optimizer.iterations) == 8 + 3 + 1
    assert int(gan.g_optimizer.iterations) == 8


@pytest.mark.parametrize("bad_position", [pytest.param("middle", marks=pytest.mark.slow), "last"])
def test_bad_batch_is_refused_and_leaves_the_model_as_before_it(bad_position, fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    batches = [images[:32], 3.0 * images[32:64]] + ([images[64:96]] if bad_position == "middle" else [])
    keras.utils.set_random_seed(0)
    gan = kerasgan.DCGAN(**TINY)
    gan.compile()
    with pytest.raises(kerasgan.BadBatchError, match=r"in \[-1, 1\].*\(smallest -3, largest 3\)"):
        gan.fit(make_dataset(np.concatenate(batches)), epochs=1, verbose=0)
    # The model holds every update but the bad batch's: on TensorFlow those
    # before it; on JAX also the next one, dispatched before the check of the
    # bad batch was read.
    good = [batches[0]] + (batches[2:] if keras.backend.backend() == "jax" else [])
    keras.utils.set_random_seed(0)
    reference = kerasgan.DCGAN(**TINY)
    reference.compile()
    reference.fit(make_dataset(np.concatenate(good)), epochs=1, verbose=0)
    assert int(gan.train_steps) == len(good)
    assert int(gan.d_optimizer.iterations) == int(gan.g_optimizer.iterations) == len(good)
    for a, b in zip(weights_of(gan), weights_of(reference)):
        np.testing.assert_array_equal(a, b)
    assert np.isfinite(gan.generate(2, seed=0)).all()
    # Training goes on from there on good data.
    gan.fit(make_dataset(batches[0]), epochs=1, verbose=0)
    assert int(gan.train_steps) == len(good) + 1


@pytest.mark.slow
def test_critic_updates_n_critic_times_per_step(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = VARIANTS["wgan"]()
    gan.compile()
    gan.fit(make_dataset(images).take(3), epochs=1, verbose=0)
    assert int(gan.d_optimizer.iterations) == 3 * gan.n_critic
    assert int(gan.g_optimizer.iterations) == 3
    largest = max(np.abs(v.numpy()).max() for v in gan.discriminator.trainable_variables)
    assert largest <= gan.clip_value + 1e-7


@pytest.mark.slow
def test_path_length_state_changes_and_is_restored(fashion_mnist_sample, tmp_path):
    images, _ = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    gan = kerasgan.DCGAN(regularizers=[PathLengthPenalty(2.0, every=2)], ema_decay=0.9, **TINY)
    loaded = run_save_load_check(gan, str(tmp_path / "pl.keras"), images)
    mean = float(gan.regularizers[0].mean_length)
    assert mean > 0, "the running mean never moved"
    assert float(loaded.regularizers[0].mean_length) == mean
