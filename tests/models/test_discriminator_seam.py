"""The one discriminator call of the core, the statistics it reports, gates and controllers.

Every discriminator call of every variant goes through
`BaseGAN.call_discriminator`, which applies the model's augmentation while
training: an identity augmentation changes nothing, a constant one reaches
every call (objectives and regularizers, real and generated images).
"""

import keras
import numpy as np
import pytest
from keras import ops

import kerasgan
from kerasgan.losses import GradientPenalty, R1Penalty
from kerasgan.models import Controller, DiscriminatorAugmentation, SkipWhileAhead
from tests.models.test_variants import tiny_infogan_networks

TINY = {"image_shape": (28, 28, 1), "latent_dim": 8, "seed": 1}
TRANSLATION = {"image_shape": (32, 32, 1), "base_filters": 4, "seed": 1}
CONSTANT = 0.25


@keras.saving.register_keras_serializable(package="kerasgan_tests")
class IdentityAugmentation(DiscriminatorAugmentation):
    def augment(self, images, gan):
        return images


@keras.saving.register_keras_serializable(package="kerasgan_tests")
class ConstantAugmentation(DiscriminatorAugmentation):
    """Replaces every image by a constant one: a discriminator then sees nothing else."""

    def augment(self, images, gan):
        return ops.zeros_like(images) + CONSTANT


@keras.saving.register_keras_serializable(package="kerasgan_tests")
class RealSignMean(Controller):
    """Keeps the last reported `real_sign` and the number of steps it saw."""

    reads = ("real_sign",)
    logs = ("last_real_sign",)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.last = self.add_weight(shape=(), initializer="zeros", trainable=False, name="last")
        self.steps = self.add_weight(shape=(), initializer="zeros", trainable=False, name="steps")

    def observe(self, terms, batch_size):
        if "real_sign" in terms:
            self.last.assign(terms["real_sign"])

    def end_step(self, step):
        self.steps.assign(ops.cast(step, "float32") + 1.0)

    def logged_values(self):
        return {"last_real_sign": self.last}


LATENT = {
    "gan": lambda **kw: kerasgan.GAN(**TINY, **kw),
    "dcgan": lambda **kw: kerasgan.DCGAN(**TINY, **kw),
    "lsgan": lambda **kw: kerasgan.LSGAN(**TINY, **kw),
    "wgan": lambda **kw: kerasgan.WGAN(n_critic=2, **TINY, **kw),
    "wgan_gp": lambda **kw: kerasgan.WGANGP(n_critic=1, **TINY, **kw),
    "conditional_gan": lambda **kw: kerasgan.ConditionalGAN(num_classes=10, **TINY, **kw),
    "acgan": lambda **kw: kerasgan.ACGAN(num_classes=10, **TINY, **kw),
    "transformer_gan": lambda **kw: kerasgan.TransformerGAN(
        width=16,
        depths=(1, 1),
        num_heads=2,
        discriminator_width=8,
        **TINY,
        **{"regularizers": [], **kw},
    ),
    "infogan": lambda **kw: kerasgan.InfoGAN(
        num_categories=4, num_continuous=1, **TINY, **{**tiny_infogan_networks(), **kw}
    ),
    "projection_gan": lambda **kw: kerasgan.ProjectionGAN(
        num_classes=10, n_critic=1, base_filters=8, **TINY, **kw
    ),
    "sngan": lambda **kw: kerasgan.SNGAN(base_filters=8, n_critic=1, **TINY, **kw),
    "r3gan": lambda **kw: kerasgan.R3GAN(base_filters=8, groups=1, decay_steps=10, **TINY, **kw),
    "stylegan": lambda **kw: kerasgan.StyleGAN(filters=4, **TINY, **kw),
}
IMAGE_TO_IMAGE = {
    "pix2pix": lambda **kw: kerasgan.Pix2Pix(**TRANSLATION, **kw),
    "cyclegan": lambda **kw: kerasgan.CycleGAN(**TRANSLATION, num_residual_blocks=1, **kw),
    "inpainting": lambda **kw: kerasgan.InpaintingGAN(**TRANSLATION, **kw),
    "srgan": lambda **kw: kerasgan.SRGAN(
        **TRANSLATION,
        scale=2,
        num_residual_blocks=1,
        dense_units=8,
        warmup_steps=0,
        perceptual_network="fashion_mnist",
        **kw,
    ),  # fmt: skip
}
BUILDERS = {**LATENT, **IMAGE_TO_IMAGE}
# Variants whose compiled steps trace for tens of seconds: -m slow here (they
# reach the discriminator through the same core call as the others).
SLOW = {"stylegan"}


def _builders(default=None):
    """Every variant; those in `SLOW`, or outside `default` when given, marked slow."""
    slow = SLOW if default is None else SLOW | (set(BUILDERS) - set(default))
    return [pytest.param(name, marks=pytest.mark.slow) if name in slow else name for name in sorted(BUILDERS)]


# The identity check trains each variant twice (with and without the
# augmentation): by default for one latent model without labels, one with
# labels and one image-to-image model; every variant's calls are checked to
# go through the seam by test_a_constant_augmentation_reaches_every_discriminator_call.
IDENTITY_BY_DEFAULT = ("dcgan", "acgan", "pix2pix")


def _batch(name, sample, size=16):
    images, labels = sample
    images, labels = images[:size], labels[:size]
    if name in IMAGE_TO_IMAGE:
        padded = np.pad(images, ((0, 0), (2, 2), (2, 2), (0, 0)), constant_values=-1.0)
        if name == "srgan":  # (low_res, high_res): 2x2 averages of the padded images
            return padded.reshape(size, 16, 2, 16, 2, 1).mean(axis=(2, 4)), padded
        return padded, padded[::-1].copy()
    if name in ("conditional_gan", "acgan", "projection_gan"):
        return images, labels.astype("int32")
    return images


def _weights(gan):
    return [v.numpy() if hasattr(v, "numpy") else np.asarray(v) for v in gan.weights]


def test_every_registered_variant_is_covered_here():
    assert set(BUILDERS) == set(kerasgan.VARIANTS)


@pytest.fixture
def graph_rewrites_off():
    """TensorFlow's graph rewrites round differently for the extra ops of an augmented call."""
    if keras.backend.backend() != "tensorflow":
        yield
        return
    import tensorflow as tf

    previous = tf.config.optimizer.get_experimental_options().get("disable_meta_optimizer", False)
    tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
    yield
    tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": previous})


@pytest.mark.parametrize("name", _builders(default=IDENTITY_BY_DEFAULT))
def test_an_identity_augmentation_changes_nothing(name, fashion_mnist_sample, graph_rewrites_off):
    batch = _batch(name, fashion_mnist_sample)
    results, start = [], None
    for augmentation in (None, IdentityAugmentation()):
        gan = BUILDERS[name](augmentation=augmentation)
        # Default networks draw their initial weights from Keras's global
        # random state: give both models the same start.
        variables = gan.weights + [generator.state for _, generator in gan.layer_seed_generators()]
        start = start or [v.numpy() for v in variables]
        for variable, value in zip(variables, start):
            variable.assign(value)
        gan.compile()
        for _ in range(2):
            logs = gan.train_on_batch(*batch) if isinstance(batch, tuple) else gan.train_on_batch(batch)
        results.append((logs, _weights(gan)))
    (logs, plain), (identity_logs, identity) = results
    # CycleGAN's two steps came out bit-identical in one run of this test and
    # 1.9e-9 apart in another (its kernels' float sums are not reproducible
    # run to run here); every other variant's are bit-identical.
    tolerance = 1e-8 if name == "cyclegan" else 0.0
    np.testing.assert_allclose(list(logs), list(identity_logs), rtol=0, atol=tolerance)
    assert len(plain) == len(identity)
    for a, b in zip(plain, identity):
        np.testing.assert_allclose(a, b, rtol=0, atol=tolerance)


class Spy(keras.Model):
    """Wraps a discriminator and records every image tensor it is given while training."""

    def __init__(self, inner, image_index=None, **kwargs):
        super().__init__(**kwargs)
        self.inner, self.image_index, self.seen = inner, image_index, []

    def call(self, inputs, training=False):
        if training:
            images = inputs if self.image_index is None else inputs[self.image_index]
            self.seen.append(ops.convert_to_numpy(images))
            if self.image_index == 1:  # Pix2Pix's source is augmented with the image
                self.seen.append(ops.convert_to_numpy(inputs[0]))
        return self.inner(inputs, training=training)


def _spied(name):
    """The variant with each discriminator wrapped by a `Spy`, and the spies."""
    model = BUILDERS[name]()
    if name == "cyclegan":
        spies = {"d_a": Spy(model.d_a), "d_b": Spy(model.d_b)}
    else:
        index = {"pix2pix": 1, "inpainting": 1, "conditional_gan": 0, "projection_gan": 0}.get(name)
        spies = {"discriminator": Spy(model.discriminator, image_index=index)}
    regularizers = {"regularizers": [R1Penalty(1.0), GradientPenalty(1.0)]} if name in LATENT else {}
    gan = BUILDERS[name](augmentation=ConstantAugmentation(), **spies, **regularizers)
    return gan, spies


@pytest.mark.parametrize("name", _builders())
def test_a_constant_augmentation_reaches_every_discriminator_call(name, fashion_mnist_sample):
    gan, spies = _spied(name)
    gan.compile(run_eagerly=True)
    batch = _batch(name, fashion_mnist_sample)
    logs = gan.train_on_batch(*batch, return_dict=True) if isinstance(batch, tuple) else None
    if logs is None:
        logs = gan.train_on_batch(batch, return_dict=True)
    calls = [images for spy in spies.values() for images in spy.seen]
    # Real and generated images, the discriminator and the generator phases
    # (and R1 and the gradient penalty for the latent models).
    assert len(calls) >= {"srgan": 3}.get(name, 5 if name in LATENT else 4)
    for images in calls:
        np.testing.assert_array_equal(images, np.full_like(images, CONSTANT))
    if name in LATENT:
        # The critic's input is a constant: R1's gradient is exactly 0 and
        # the gradient penalty's norm too (up to its 1e-12 guard), so it is (0 - 1)^2 = 1.
        assert logs["r1"] == 0.0
        assert logs["gp"] == pytest.approx(1.0, abs=1e-5)


def test_augmentation_applies_only_while_training(fashion_mnist_sample):
    gan = kerasgan.DCGAN(**TINY, augmentation=ConstantAugmentation())
    images = fashion_mnist_sample[0][:8]
    direct = ops.convert_to_numpy(gan.discriminator(images, training=False))
    seam = ops.convert_to_numpy(gan.discriminate(images, training=False))
    np.testing.assert_array_equal(direct, seam)
    constant = ops.convert_to_numpy(gan.discriminator(np.full_like(images, CONSTANT), training=True))
    augmented = ops.convert_to_numpy(gan.discriminate(images, training=True))
    np.testing.assert_allclose(augmented, constant, rtol=1e-6)


def test_statistics_are_reported_logged_and_fed_to_controllers(fashion_mnist_sample):
    controller = RealSignMean()
    gan = kerasgan.DCGAN(**TINY, controllers=[controller])
    gan.compile()
    images = fashion_mnist_sample[0][:32]
    logs = gan.train_on_batch(images, return_dict=True)
    assert -1.0 <= logs["real_sign"] <= 1.0
    # The controller saw the statistic of the step's discriminator update.
    assert float(controller.last.numpy()) == pytest.approx(logs["real_sign"])
    assert logs["last_real_sign"] == pytest.approx(logs["real_sign"])
    gan.train_on_batch(images)
    assert float(controller.steps.numpy()) == 2.0
    # Without a reader, nothing is reported or logged.
    plain = kerasgan.DCGAN(**TINY)
    plain.compile()
    assert "real_sign" not in plain.train_on_batch(images, return_dict=True)


def test_real_sign_is_the_mean_sign_of_the_real_logits(fashion_mnist_sample):
    # A critic whose last bias is +50 scores everything real: r_t = 1 and
    # real accuracy 1, fake accuracy 0; with -50 the opposite.
    images = fashion_mnist_sample[0][:32]
    for bias, sign in ((50.0, 1.0), (-50.0, -1.0)):
        gan = kerasgan.DCGAN(**TINY, controllers=[RealSignMean()], gates={"discriminator": _never()})
        gan.discriminator.layers[-1].bias.assign([bias])
        gan.compile()
        logs = gan.train_on_batch(images, return_dict=True)
        assert logs["real_sign"] == sign


def _never():
    return SkipWhileAhead("d_loss", above=-1.0)


def test_skip_while_ahead_gates_the_discriminator_by_its_accuracy(fashion_mnist_sample):
    images = fashion_mnist_sample[0][:32]
    gan = kerasgan.DCGAN(**TINY, gates={"discriminator": SkipWhileAhead("d_accuracy", above=0.4)})
    gan.compile()
    # A critic scoring everything real has accuracy 0.5 (all reals right, all fakes wrong).
    gan.discriminator.layers[-1].bias.assign([50.0])
    before = [v.numpy() for v in gan.discriminator.variables]
    logs = gan.train_on_batch(images, return_dict=True)
    assert logs["discriminator_skipped"] == 1.0
    for a, b in zip(before, gan.discriminator.variables):
        np.testing.assert_array_equal(a, b.numpy())
    assert int(gan.d_optimizer.iterations.numpy()) == 0
    loose = kerasgan.DCGAN(**TINY, gates={"discriminator": SkipWhileAhead("d_accuracy", above=0.6)})
    loose.compile()
    loose.discriminator.layers[-1].bias.assign([50.0])
    assert loose.train_on_batch(images, return_dict=True)["discriminator_skipped"] == 0.0
    assert int(loose.d_optimizer.iterations.numpy()) == 1


def test_gates_augmentation_and_controllers_round_trip(tmp_path, fashion_mnist_sample):
    gan = kerasgan.DCGAN(
        **TINY,
        augmentation=IdentityAugmentation(),
        gates={"discriminator": SkipWhileAhead("d_loss", below=0.01)},
        controllers=[RealSignMean()],
        n_critic=kerasgan.Schedule([(0, 2), (1, 1)]),
    )
    gan.compile()
    gan.train_on_batch(fashion_mnist_sample[0][:32])
    path = tmp_path / "gan.keras"
    gan.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded.augmentation, IdentityAugmentation)
    assert loaded.gates["discriminator"].get_config() == {"term": "d_loss", "below": 0.01, "above": None}
    assert loaded.n_critic == kerasgan.Schedule([(0, 2), (1, 1)])
    np.testing.assert_array_equal(
        loaded.extra_controllers[0].last.numpy(), gan.extra_controllers[0].last.numpy()
    )
    assert float(loaded.extra_controllers[0].steps.numpy()) == 1.0


def test_bad_remedy_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="Unknown augmentation 'nope'"):
        kerasgan.DCGAN(**TINY, augmentation="nope")
    with pytest.raises(ValueError, match="phases are"):
        kerasgan.DCGAN(**TINY, gates={"critic": SkipWhileAhead("d_loss", below=0.1)})
    with pytest.raises(ValueError, match="callables"):
        kerasgan.DCGAN(**TINY, gates={"discriminator": 0.3})
    with pytest.raises(ValueError, match="Controller"):
        kerasgan.DCGAN(**TINY, controllers=[object()])
    with pytest.raises(ValueError, match="below= or above="):
        SkipWhileAhead("d_loss")
    with pytest.raises(ValueError, match="n_critic"):
        kerasgan.DCGAN(**TINY, n_critic=0)


class SubclassedGenerator(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(28 * 28, activation="tanh")
        self.reshape = keras.layers.Reshape((28, 28, 1))

    def call(self, latents, training=False):
        return self.reshape(self.dense(latents))


def test_a_subclassed_generator_is_accepted_and_its_shape_checked(fashion_mnist_sample):
    gan = kerasgan.GAN(**TINY, generator=SubclassedGenerator())
    gan.compile()
    logs = gan.train_on_batch(fashion_mnist_sample[0][:32], return_dict=True)
    assert np.isfinite(logs["g_loss"])
    with pytest.raises(ValueError, match="producing images of shape"):
        kerasgan.GAN(image_shape=(14, 14, 1), latent_dim=8, generator=SubclassedGenerator())


class NoisyUnpackDCGAN(kerasgan.DCGAN):
    """Draws from the model's seed generator while unpacking the batch (as a mask sampler would)."""

    def unpack_batch(self, data):
        batch = super().unpack_batch(data)
        noise = self.random_per_example(keras.random.uniform, ops.shape(batch["images"])[0], (1, 1, 1))
        return {**batch, "images": ops.clip(batch["images"] + 0.01 * noise, -1.0, 1.0)}


def test_a_random_draw_while_unpacking_moves_the_seed_generator(fashion_mnist_sample):
    images = fashion_mnist_sample[0][:32]
    states, weights = [], []
    for _ in range(2):
        gan = NoisyUnpackDCGAN(**TINY)
        gan.compile()
        start = ops.convert_to_numpy(gan.seed_generator.state)
        gan.fit(images, batch_size=16, epochs=1, verbose=0, shuffle=False)
        states.append(ops.convert_to_numpy(gan.seed_generator.state))
        weights.append(ops.convert_to_numpy(gan.generator.weights[0]))
        # The draw is kept in the model's state: the generator moved on.
        assert not np.array_equal(states[-1], start)
        before = states[-1]
        gan.train_on_batch(images[:16])
        assert not np.array_equal(ops.convert_to_numpy(gan.seed_generator.state), before)
    np.testing.assert_array_equal(states[0], states[1])


def test_a_constant_augmentation_reaches_the_regularizers_critic(fashion_mnist_sample):
    # The backend-independent half of the check above (no spy, which needs
    # eager values): behind a constant augmentation R1's gradient is exactly
    # 0 and the gradient penalty's norm 0, so gp = (0 - 1)^2 = 1.
    gan = kerasgan.DCGAN(
        **TINY, augmentation=ConstantAugmentation(), regularizers=[R1Penalty(1.0), GradientPenalty(1.0)]
    )
    gan.compile()
    logs = gan.train_on_batch(fashion_mnist_sample[0][:16], return_dict=True)
    assert logs["r1"] == 0.0
    assert logs["gp"] == pytest.approx(1.0, abs=1e-5)
    plain = kerasgan.DCGAN(**TINY, regularizers=[R1Penalty(1.0)])
    plain.compile()
    assert plain.train_on_batch(fashion_mnist_sample[0][:16], return_dict=True)["r1"] > 0.0
