"""TensorFlow gradient code: the only module that uses `tf.GradientTape`.

The backend-independent parts of a GAN (losses, regularizers, how networks are
called, which trackers exist) live in `kerasgan.models.gan.GAN`. This module
turns them into gradient updates with TensorFlow.
"""

import tensorflow as tf


def input_gradients(fn, inputs):
    """Gradient of `sum(fn(inputs))` with respect to `inputs`.

    Recorded by any enclosing tape, so penalties built on it (gradient
    penalty, R1) can themselves be differentiated.

    Args:
        fn: callable mapping a batch of images to scores, shape `(batch, 1)`.
        inputs: tensor of images, shape `(batch, H, W, C)`.

    Returns:
        Float32 tensor with the shape of `inputs`.

    Example:
        >>> grads = input_gradients(lambda x: 3.0 * x, tf.ones((2, 4)))
    """
    inputs = tf.convert_to_tensor(inputs)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        total = tf.reduce_sum(tf.cast(fn(inputs), tf.float32))
    return tf.cast(tape.gradient(total, inputs), tf.float32)


def assert_in_range(tensor, low, high, message):
    """Graph-side check that all values of `tensor` lie in `[low, high]`.

    Args:
        tensor: any numeric tensor.
        low: smallest allowed value.
        high: largest allowed value.
        message: error message raised (as `InvalidArgumentError`) otherwise.

    Returns:
        `tensor`, unchanged, but only computable after the check passed: use
        the returned tensor so the check runs before anything reads it. Fails
        the step when a value is outside the range or not finite.

    Example:
        >>> images = assert_in_range(tf.zeros((2,)), -1.0, 1.0, "outside [-1, 1]")
    """
    values = tf.cast(tensor, tf.float32)
    ok = tf.logical_and(tf.reduce_all(values >= low), tf.reduce_all(values <= high))
    check = tf.debugging.Assert(ok, [message, tf.reduce_min(values), tf.reduce_max(values)])
    with tf.control_dependencies([check]):
        return tf.identity(tensor)


class _FrozenState:
    """Context manager restoring a network's non-trainable variables on exit.

    A network called with `training=True` in the *other* network's step
    (the generator in the discriminator step, and vice versa) would otherwise
    update its batch-norm moving statistics there.
    """

    def __init__(self, network):
        self.variables = list(network.non_trainable_variables)

    def __enter__(self):
        self.saved = [tf.identity(v) for v in self.variables]

    def __exit__(self, *exc):
        for variable, value in zip(self.variables, self.saved):
            variable.assign(value)


class TensorFlowGANTrainer:
    """Mixin holding the TensorFlow `train_step` of `kerasgan.GAN`.

    One training step is `n_critic` discriminator updates on the same real
    batch (each with fresh latents), then one generator update. Each update
    uses its own `tf.GradientTape` and its own optimizer and touches only its
    own network: the discriminator step leaves every generator variable
    unchanged and the generator step every discriminator variable, batch-norm
    statistics included (each network's moving statistics are owned by its
    own step).
    """

    def train_step(self, data):
        real_images, labels = self.unpack_batch(data)
        for _ in range(self.n_critic):
            self.update_trackers(self.discriminator_step(real_images, labels))
        batch_size = tf.shape(real_images)[0]
        self.update_trackers(self.generator_step(batch_size, labels))
        return self.tracker_results()

    def discriminator_step(self, real_images, labels=None):
        """One discriminator update.

        Args:
            real_images: float tensor `(batch, *image_shape)` in `[-1, 1]`.
            labels: int tensor `(batch,)` for conditional models, else None.

        Returns:
            Dict of scalar tensors: `d_loss` and each regularizer's term.
        """
        latents = self.sample_latents(tf.shape(real_images)[0])
        with _FrozenState(self.generator):
            fake_images = self.synthesize(latents, labels, training=True)
        fake_images = tf.stop_gradient(fake_images)
        variables = self.discriminator.trainable_variables
        with tf.GradientTape() as tape:
            loss, terms = self.discriminator_objective(real_images, fake_images, labels)
            scaled = self.d_optimizer.scale_loss(loss)
        gradients = tape.gradient(scaled, variables)
        self.d_optimizer.apply_gradients(zip(gradients, variables))
        self.after_discriminator_step()
        return terms

    def generator_step(self, batch_size, labels=None):
        """One generator update.

        Args:
            batch_size: number of latents to draw (scalar int tensor or int).
            labels: int tensor `(batch,)` for conditional models, else None.

        Returns:
            Dict with the scalar tensor `g_loss`.
        """
        latents = self.sample_latents(batch_size)
        variables = self.generator.trainable_variables
        with tf.GradientTape() as tape:
            fake_images = self.synthesize(latents, labels, training=True)
            with _FrozenState(self.discriminator):
                loss, terms = self.generator_objective(fake_images, labels)
            scaled = self.g_optimizer.scale_loss(loss)
        gradients = tape.gradient(scaled, variables)
        self.g_optimizer.apply_gradients(zip(gradients, variables))
        self.after_generator_step()
        return terms
