"""A hand-written stateless Keras-on-JAX GAN step: the reference kerasgan's JAX trainer is measured against.

What a user would write from Keras's "training loop from scratch in JAX"
guide: one `jax.jit` function of all the values (both networks' trainable
and non-trainable variables, both optimizers' variables, a PRNG key) and a
batch, with `stateless_call`, `jax.value_and_grad` and
`optimizer.stateless_apply`, the state donated. It takes the same updates
as kerasgan's DCGAN (one discriminator update on fresh latents, then one
generator update on fresh latents, non-saturating loss) or WGAN-GP
(`n_critic` critic updates with a gradient penalty of weight 10 on random
interpolates, then one generator update). As in kerasgan, a network's
batch-norm statistics change only in its own update. It knows nothing of
labels, regularizers, trackers or input checks.
"""

import jax
import jax.numpy as jnp


def _bce_logits(logits, target_is_real):
    logits = logits.astype("float32")
    return jnp.mean(jax.nn.softplus(-logits if target_is_real else logits))


class ReferenceStep:
    """A jitted GAN step over Keras networks and optimizers, written by hand.

    Args:
        generator: built Keras generator, latents `(batch, latent_dim)` → images.
        discriminator: built Keras critic, images → logits `(batch, 1)`.
        g_optimizer: Keras optimizer of the generator (built here).
        d_optimizer: Keras optimizer of the discriminator (built here).
        latent_dim: size of the latent vector.
        variant: `"dcgan"` or `"wgan_gp"`.
        n_critic: critic updates per step.
        seed: int seed of the PRNG key.

    Example:
        >>> step = ReferenceStep(g, d, g_opt, d_opt, 100, "dcgan", 1)  # doctest: +SKIP
        >>> d_loss, g_loss = step(images)  # doctest: +SKIP
    """

    def __init__(
        self, generator, discriminator, g_optimizer, d_optimizer, latent_dim, variant, n_critic, seed=0
    ):
        if variant not in ("dcgan", "wgan_gp"):
            raise ValueError(f"variant must be 'dcgan' or 'wgan_gp'; received {variant!r}")
        self.generator, self.discriminator = generator, discriminator
        self.g_optimizer, self.d_optimizer = g_optimizer, d_optimizer
        g_optimizer.build(generator.trainable_variables)
        d_optimizer.build(discriminator.trainable_variables)
        self.latent_dim, self.variant, self.n_critic = latent_dim, variant, n_critic
        self.state = (
            [v.value for v in generator.trainable_variables],
            [v.value for v in generator.non_trainable_variables],
            [v.value for v in discriminator.trainable_variables],
            [v.value for v in discriminator.non_trainable_variables],
            [v.value for v in g_optimizer.variables],
            [v.value for v in d_optimizer.variables],
            jax.random.key(seed),
        )
        self.compiled = jax.jit(self.pure_step, donate_argnums=0)

    def critic_loss(self, d_trainable, d_frozen, real, fake, key):
        """The critic's loss and its new non-trainable values."""
        call = self.discriminator.stateless_call
        real_logits, d_frozen = call(d_trainable, d_frozen, real, training=True)
        fake_logits, d_frozen = call(d_trainable, d_frozen, fake, training=True)
        if self.variant == "dcgan":
            return _bce_logits(real_logits, True) + _bce_logits(fake_logits, False), d_frozen
        mix = jax.random.uniform(key, (real.shape[0], 1, 1, 1))
        interpolates = mix * real + (1.0 - mix) * fake

        def total_score(x):
            return jnp.sum(call(d_trainable, d_frozen, x, training=True)[0].astype("float32"))

        gradients = jax.grad(total_score)(interpolates)
        norms = jnp.sqrt(jnp.sum(jnp.square(gradients), axis=(1, 2, 3)) + 1e-12)
        penalty = jnp.mean(jnp.square(norms - 1.0))
        loss = jnp.mean(fake_logits.astype("float32")) - jnp.mean(real_logits.astype("float32"))
        return loss + 10.0 * penalty, d_frozen

    def generator_loss(self, g_trainable, g_frozen, d_trainable, d_frozen, latents):
        """The generator's loss and its new non-trainable values."""
        fake, g_frozen = self.generator.stateless_call(g_trainable, g_frozen, latents, training=True)
        logits, _ = self.discriminator.stateless_call(d_trainable, d_frozen, fake, training=True)
        if self.variant == "dcgan":
            return _bce_logits(logits, True), g_frozen
        return -jnp.mean(logits.astype("float32")), g_frozen

    def pure_step(self, state, real):
        """`(state, real images) -> (new state, (d_loss, g_loss))`, pure."""
        g_trainable, g_frozen, d_trainable, d_frozen, g_slots, d_slots, key = state
        batch_size = real.shape[0]
        for _ in range(self.n_critic):
            key, latent_key, mix_key = jax.random.split(key, 3)
            latents = jax.random.normal(latent_key, (batch_size, self.latent_dim))
            fake, _ = self.generator.stateless_call(g_trainable, g_frozen, latents, training=True)
            fake = jax.lax.stop_gradient(fake.astype("float32"))
            (d_loss, d_frozen), grads = jax.value_and_grad(self.critic_loss, has_aux=True)(
                d_trainable, d_frozen, real, fake, mix_key
            )
            d_trainable, d_slots = self.d_optimizer.stateless_apply(d_slots, grads, d_trainable)
        key, latent_key = jax.random.split(key)
        latents = jax.random.normal(latent_key, (batch_size, self.latent_dim))
        (g_loss, g_frozen), grads = jax.value_and_grad(self.generator_loss, has_aux=True)(
            g_trainable, g_frozen, d_trainable, d_frozen, latents
        )
        g_trainable, g_slots = self.g_optimizer.stateless_apply(g_slots, grads, g_trainable)
        return (g_trainable, g_frozen, d_trainable, d_frozen, g_slots, d_slots, key), (d_loss, g_loss)

    def __call__(self, real):
        """One step on a batch of images already on the device; returns `(d_loss, g_loss)`."""
        self.state, losses = self.compiled(self.state, real)
        return losses
