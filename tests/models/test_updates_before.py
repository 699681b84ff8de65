"""`BaseGAN.updates_before`: the optimizer iterations a network's phases make in the first steps."""

import pytest

import kerasgan
from kerasgan.models import Phase, Schedule


def test_counts_the_critic_repeats_and_each_phase_of_a_network():
    wgan = kerasgan.WGAN(latent_dim=8)
    assert (wgan.updates_before("discriminator", 100), wgan.updates_before("generator", 100)) == (500, 100)
    assert wgan.updates_before("discriminator", 0) == 0
    scheduled = kerasgan.DCGAN(latent_dim=8, n_critic=Schedule([(0, 5), (10, 1)]))
    assert scheduled.updates_before("discriminator", 100) == 5 * 10 + 90
    assert scheduled.updates_before("discriminator", 7) == 35


def test_start_stop_and_every_are_counted_as_the_trainers_run_them():
    class WarmUpGAN(kerasgan.DCGAN):
        def phases(self):
            warm_up = Phase("warm_up", ("generator",), objective=lambda c: (0.0, {}), terms=(), stop=4)
            lazy = Phase(
                "lazy", ("discriminator",), objective=lambda c: (0.0, {}), terms=(), start=2, every=3
            )
            return [warm_up, lazy, *super().phases()]

    gan = WarmUpGAN(latent_dim=8)
    # generator: its warm-up at steps 0..3 and its main phase at every step.
    assert gan.updates_before("generator", 10) == 4 + 10
    # discriminator: the lazy phase at steps 2, 5, 8 and the main one at every step.
    assert gan.updates_before("discriminator", 10) == 3 + 10
    assert gan.updates_before("discriminator", 2) == 2


def test_it_matches_the_iterations_of_a_real_run(fashion_mnist_sample):
    gan = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=8, seed=0, n_critic=Schedule([(0, 3), (2, 1)]))
    gan.compile()
    gan.fit(fashion_mnist_sample[0][:32], batch_size=8, epochs=1, verbose=0)
    assert int(gan.d_optimizer.iterations) == gan.updates_before("discriminator", 4) == 3 + 3 + 1 + 1
    assert int(gan.g_optimizer.iterations) == gan.updates_before("generator", 4) == 4


def test_bad_arguments_are_clear_errors():
    gan = kerasgan.DCGAN(latent_dim=8)
    with pytest.raises(ValueError, match="no network named 'critic'.*'discriminator', 'generator'"):
        gan.updates_before("critic", 3)
    with pytest.raises(ValueError, match="updates_before step"):
        gan.updates_before("generator", -1)
