"""The reference that kerasgan's `fit` is measured against: a plain two-tape loop.

What a TensorFlow user would write by hand (the TensorFlow DCGAN tutorial's
style): one `@tf.function` step with a `tf.GradientTape` per network, over the
*same* network objects as the GAN, with the same adversarial loss,
regularizers, `n_critic` and the variant's own optimizer settings (fresh
optimizer instances, so the GAN's optimizer state is untouched). It reuses the
variant's pure pieces (loss functions, regularizer penalties, the post-update
hook that clips WGAN weights) and leaves out kerasgan's training machinery:
`fit`, input checks, loss trackers, batch-norm state restoring, loss scaling.
"""

import tensorflow as tf


def _network_inputs(gan, tensor, labels):
    return tensor if gan.num_classes is None else [tensor, labels]


def make_reference_step(gan, jit_compile=False):
    """Builds the plain `@tf.function` train step over `gan`'s networks.

    One call: `gan.n_critic` discriminator updates on the same real batch
    (fresh latents each), then one generator update, as kerasgan does.

    Args:
        gan: a built `kerasgan.GAN` (any variant); its `generator`,
            `discriminator`, `loss_functions`, `regularizers` and
            the optimizers of `default_optimizer(network)` are used.
        jit_compile: whether to compile the step with XLA. Defaults to False.

    Returns:
        A `tf.function` taking one batch (images, or `(images, labels)` for
        conditional models) and returning `(d_loss, g_loss)` scalar tensors.

    Example:
        >>> step = make_reference_step(kerasgan.DCGAN(seed=0))
        >>> d_loss, g_loss = step(next(iter(kerasgan.data.load("fashion_mnist"))))
    """
    generator, discriminator = gan.generator, gan.discriminator
    d_optimizer, g_optimizer = gan.default_optimizer("discriminator"), gan.default_optimizer("generator")
    d_optimizer.build(discriminator.trainable_variables)
    g_optimizer.build(generator.trainable_variables)
    losses = gan.loss_functions

    @tf.function(jit_compile=jit_compile, autograph=False)
    def step(batch):
        images, labels = batch if gan.num_classes is not None else (batch, None)
        batch_size = tf.shape(images)[0]
        for _ in range(gan.n_critic):
            latents = tf.random.normal((batch_size, gan.latent_dim))
            fakes = generator(_network_inputs(gan, latents, labels), training=True)
            with tf.GradientTape() as tape:
                real_logits = discriminator(_network_inputs(gan, images, labels), training=True)
                fake_logits = discriminator(_network_inputs(gan, fakes, labels), training=True)
                d_loss = losses.discriminator_loss(real_logits, fake_logits)
                total = d_loss
                context = {
                    "images": images,
                    "fake": fakes,
                    "labels": labels,
                    "critic": lambda x: discriminator(_network_inputs(gan, x, labels), training=True),
                }
                for regularizer in gan.regularizers:
                    penalty = regularizer.penalty(gan, context)
                    total = total + regularizer.weight * penalty
            variables = discriminator.trainable_variables
            d_optimizer.apply_gradients(zip(tape.gradient(total, variables), variables))
            gan.after_discriminator_step()
        latents = tf.random.normal((batch_size, gan.latent_dim))
        with tf.GradientTape() as tape:
            fakes = generator(_network_inputs(gan, latents, labels), training=True)
            g_loss = losses.generator_loss(discriminator(_network_inputs(gan, fakes, labels), training=True))
        variables = generator.trainable_variables
        g_optimizer.apply_gradients(zip(tape.gradient(g_loss, variables), variables))
        return d_loss, g_loss

    return step


def feed_in_graph(step):
    """Wraps a step so that it takes its batch from an iterator inside the graph.

    `fit` pulls each batch with `iterator.get_next()` inside its
    `tf.function`; a hand-written `for batch in dataset: step(batch)` pulls
    it eagerly, in Python. This gives the plain step `fit`'s way of feeding.

    Args:
        step: a `tf.function` taking one batch (see `make_reference_step`).

    Returns:
        A `tf.function` taking a `tf.data` iterator and returning `step`'s
        outputs for its next batch.

    Example:
        >>> fed = feed_in_graph(make_reference_step(gan))
        >>> d_loss, g_loss = fed(iter(dataset))
    """

    @tf.function(autograph=False)
    def fed(iterator):
        return step(iterator.get_next())

    return fed
