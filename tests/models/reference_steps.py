"""Hand-written training steps of the six classic variants, from their papers' maths.

Each step is what a reader of the paper would write with `tf.GradientTape`,
independently of kerasgan's core: its own loss formulas, critic-step count,
weight clipping, gradient penalty and optimizer settings (the tables below),
and its own rule for batch-norm statistics (a network updates its moving
statistics only in its own update). It shares with kerasgan only the
networks (a twin built with the same seed) and the random draws (the
twin's Keras seed generator, called in the documented order: latents for
each critic update, the penalty's interpolation weights, then the
generator's latents). `tests/models/test_classic_variants_maths.py` runs
kerasgan's step and this one from the same start on the same host and
requires every weight to be identical, bit for bit.
"""

import dataclasses

import keras
import tensorflow as tf


@dataclasses.dataclass(frozen=True)
class PaperSettings:
    """What a variant's paper prescribes for one training step."""

    loss: str  # "non_saturating", "least_squares" or "wasserstein"
    optimizer: object  # () -> a fresh Keras optimizer
    n_critic: int = 1
    clip_value: float = None  # WGAN's weight clipping
    gp_weight: float = None  # WGAN-GP's lambda


def _adam(learning_rate, beta_1, beta_2=0.999):
    return lambda: keras.optimizers.Adam(learning_rate, beta_1=beta_1, beta_2=beta_2)


# Goodfellow et al. 2014 with Radford et al.'s Adam; Mao et al. 2017;
# Arjovsky et al. 2017 (RMSprop 5e-5, c = 0.01, 5 critic steps); Gulrajani et
# al. 2017 (Adam 1e-4, betas 0 and 0.9, lambda = 10, 5 critic steps).
PAPERS = {
    "gan": PaperSettings("non_saturating", _adam(2e-4, 0.5)),
    "dcgan": PaperSettings("non_saturating", _adam(2e-4, 0.5)),
    "conditional_gan": PaperSettings("non_saturating", _adam(2e-4, 0.5)),
    "lsgan": PaperSettings("least_squares", _adam(2e-4, 0.5)),
    "wgan": PaperSettings("wasserstein", lambda: keras.optimizers.RMSprop(5e-5), n_critic=5, clip_value=0.01),
    "wgan_gp": PaperSettings("wasserstein", _adam(1e-4, 0.0, 0.9), n_critic=5, gp_weight=10.0),
}


def discriminator_loss(kind, real, fake):
    """The discriminator's (critic's) loss from logits, in float32."""
    real, fake = tf.cast(real, tf.float32), tf.cast(fake, tf.float32)
    if kind == "non_saturating":  # -log sigmoid(real) - log(1 - sigmoid(fake))
        return tf.reduce_mean(tf.nn.softplus(-real)) + tf.reduce_mean(tf.nn.softplus(fake))
    if kind == "least_squares":  # 1/2 (D(x) - 1)^2 + 1/2 D(G(z))^2
        return 0.5 * tf.reduce_mean(tf.square(real - 1.0)) + 0.5 * tf.reduce_mean(tf.square(fake))
    return tf.reduce_mean(fake) - tf.reduce_mean(real)  # Wasserstein


def generator_loss(kind, fake):
    """The generator's loss from the logits of its images, in float32."""
    fake = tf.cast(fake, tf.float32)
    if kind == "non_saturating":  # -log sigmoid(fake)
        return tf.reduce_mean(tf.nn.softplus(-fake))
    if kind == "least_squares":
        return 0.5 * tf.reduce_mean(tf.square(fake - 1.0))
    return -tf.reduce_mean(fake)


class ReferenceStep:
    """A plain two-tape training step over a twin's networks.

    Args:
        variant: a key of `PAPERS`.
        twin: a kerasgan model of that variant, built like the one under test
            (same seed); only its `generator`, `discriminator`, `latent_dim`,
            `num_classes` and `seed_generator` are used.
    """

    def __init__(self, variant, twin):
        self.paper = PAPERS[variant]
        self.generator, self.discriminator = twin.generator, twin.discriminator
        self.latent_dim, self.conditional = twin.latent_dim, twin.num_classes is not None
        self.seed_generator = twin.seed_generator
        self.d_optimizer, self.g_optimizer = self.paper.optimizer(), self.paper.optimizer()
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)
        self.step = tf.function(self._step, autograph=False)

    def _inputs(self, tensor, labels):
        return [tensor, labels] if self.conditional else tensor

    def _critic_update(self, images, labels):
        batch_size = tf.shape(images)[0]
        latents = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
        with tf.GradientTape() as tape:
            fake = tf.stop_gradient(self.generator(self._inputs(latents, labels), training=True))
            real_logits = self.discriminator(self._inputs(images, labels), training=True)
            fake_logits = self.discriminator(self._inputs(fake, labels), training=True)
            loss = discriminator_loss(self.paper.loss, real_logits, fake_logits)
            if self.paper.gp_weight is not None:
                loss = loss + self.paper.gp_weight * self._gradient_penalty(images, fake, labels)
        variables = self.discriminator.trainable_variables
        self.d_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        if self.paper.clip_value is not None:
            for variable in variables:
                variable.assign(tf.clip_by_value(variable, -self.paper.clip_value, self.paper.clip_value))

    def _gradient_penalty(self, images, fake, labels):
        """E[(||grad D(x_hat)|| - 1)^2] on random interpolates x_hat (Gulrajani et al., eq. 3)."""
        batch_size = tf.shape(images)[0]
        alpha = keras.random.uniform((batch_size, 1, 1, 1), seed=self.seed_generator)
        interpolates = images + alpha * (fake - images)
        with tf.GradientTape() as inner:
            inner.watch(interpolates)
            scores = tf.reduce_sum(self.discriminator(self._inputs(interpolates, labels), training=True))
        gradients = inner.gradient(scores, interpolates)
        norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=[1, 2, 3]) + 1e-12)
        return tf.reduce_mean(tf.square(norms - 1.0))

    def _generator_update(self, images, labels):
        batch_size = tf.shape(images)[0]
        latents = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
        with tf.GradientTape() as tape:
            fake = self.generator(self._inputs(latents, labels), training=True)
            loss = generator_loss(
                self.paper.loss, self.discriminator(self._inputs(fake, labels), training=True)
            )
        variables = self.generator.trainable_variables
        self.g_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))

    def _step(self, images, labels):
        for _ in range(self.paper.n_critic):
            with _statistics_kept(self.generator):
                self._critic_update(images, labels)
        with _statistics_kept(self.discriminator):
            self._generator_update(images, labels)


class _statistics_kept:
    """Restores a network's non-trainable variables (batch-norm statistics) on exit."""

    def __init__(self, network):
        self.variables = network.non_trainable_variables

    def __enter__(self):
        self.saved = [tf.identity(variable) for variable in self.variables]

    def __exit__(self, *exc):
        for variable, value in zip(self.variables, self.saved):
            variable.assign(value)
