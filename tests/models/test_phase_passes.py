"""`Phase.passes`: a phase hands context entries on to the phases after it in the step.

CycleGAN's generators pass the fakes they drew, so its discriminators score
the fakes drawn before the generator update, as the authors' code does.
"""

import keras
import numpy as np
import pytest

import kerasgan
from kerasgan.models import Phase

SHAPE = (28, 28, 1)


def _cyclegan():
    return kerasgan.CycleGAN(image_shape=SHAPE, base_filters=4, num_residual_blocks=1, pool_size=None, seed=1)


def _domains(fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    return images[labels == 0][:4], images[labels == 1][:4]


def _as_batch(model, a, b):
    return model.unpack_batch((keras.ops.convert_to_tensor(a), keras.ops.convert_to_tensor(b)))


def test_cyclegan_discriminators_score_the_fakes_drawn_before_the_generator_update(fashion_mnist_sample):
    a, b = _domains(fashion_mnist_sample)
    model = _cyclegan()
    model.compile()
    before_a = keras.ops.convert_to_numpy(model.g_ba(b, training=True))
    before_b = keras.ops.convert_to_numpy(model.g_ab(a, training=True))
    batch = _as_batch(model, a, b)
    generators, discriminators = model.training_phases()
    model.run_phase(generators, batch)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(batch["fake_a"]), before_a, atol=1e-6)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(batch["fake_b"]), before_b, atol=1e-6)
    after_a = keras.ops.convert_to_numpy(model.g_ba(b, training=True))
    assert np.abs(after_a - before_a).max() > 1e-4  # the update moved g_ba: the fakes are the old ones
    seen = {}
    original = model.call_discriminator

    def spy(name, images, *args, **kwargs):
        if kwargs.get("real") is False:
            seen[name] = keras.ops.convert_to_numpy(images)
        return original(name, images, *args, **kwargs)

    model.call_discriminator = spy
    model.run_eagerly = True
    model.run_phase(discriminators, batch)
    np.testing.assert_allclose(seen["d_a"], before_a, atol=1e-6)
    np.testing.assert_allclose(seen["d_b"], before_b, atol=1e-6)


def test_a_training_step_hands_the_fakes_on_as_the_phases_run_one_by_one(fashion_mnist_sample):
    a, b = _domains(fashion_mnist_sample)
    stepped, by_phase = _cyclegan(), _cyclegan()
    for model in (stepped, by_phase):
        model.compile()
    by_phase.set_weights(stepped.get_weights())
    stepped.train_on_batch(a, b)
    batch = _as_batch(by_phase, a, b)
    for phase in by_phase.training_phases():
        by_phase.run_phase(phase, batch)
    for name in ("d_a", "d_b", "g_ab", "g_ba"):
        for mine, theirs in zip(stepped.networks[name].weights, by_phase.networks[name].weights):
            np.testing.assert_allclose(mine.numpy(), theirs.numpy(), atol=1e-5, err_msg=name)


class _HandsOn(kerasgan.DCGAN):
    """A DCGAN whose discriminator phase passes its fakes; the generator phase logs what it got."""

    def phases(self):
        discriminator, generator = super().phases()
        discriminator = Phase(**{**discriminator.__dict__, "passes": ("fake",), "terms": ("d_loss", "drawn")})
        generator = Phase(**{**generator.__dict__, "terms": ("g_loss", "received")})
        return [discriminator, generator]

    def discriminator_objective(self, context):
        loss, terms = super().discriminator_objective(context)
        return loss, {**terms, "drawn": keras.ops.mean(context["fake"] ** 2)}

    def generator_context(self, batch):
        return {**super().generator_context(batch), "received": batch["fake"]}

    def generator_objective(self, context):
        loss, terms = super().generator_objective(context)
        return loss, {**terms, "received": keras.ops.mean(context["received"] ** 2)}


@pytest.mark.jax
def test_a_later_phase_of_the_step_reads_what_an_earlier_one_passed(fashion_mnist_sample):
    gan = _HandsOn(image_shape=SHAPE, latent_dim=8, seed=0)
    gan.compile()
    logs = gan.train_on_batch(fashion_mnist_sample[0][:8], return_dict=True)
    assert logs["received"] == pytest.approx(logs["drawn"], rel=1e-6)
    assert logs["drawn"] > 0


def test_only_a_phase_that_runs_at_every_step_may_pass_values():
    def objective(context):
        return 0.0, {}

    with pytest.raises(ValueError, match="must run at every step with an int repeat"):
        Phase("lazy", ("generator",), objective, terms=(), every=4, passes=("fake",))
    with pytest.raises(ValueError, match="must run at every step"):
        Phase("late", ("generator",), objective, terms=(), start=10, passes=("fake",))
    with pytest.raises(ValueError, match="strings"):
        Phase("odd", ("generator",), objective, terms=(), passes=(3,))
    assert Phase("fine", ("generator",), objective, terms=(), repeat=2, passes=("fake",)).passes == ("fake",)


def test_a_passed_name_missing_from_the_context_is_a_clear_error(fashion_mnist_sample):
    class Forgetful(kerasgan.DCGAN):
        def phases(self):
            first, second = super().phases()
            return [first.__class__(**{**first.__dict__, "passes": ("fakes",)}), second]

    gan = Forgetful(image_shape=SHAPE, latent_dim=8, seed=0)
    gan.compile()
    with pytest.raises(ValueError, match=r"passes \['fakes'\].*has no \['fakes'\]"):
        gan.train_on_batch(fashion_mnist_sample[0][:4])
