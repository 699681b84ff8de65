"""Latents drawn with plain TensorFlow ops, identical to `GAN.generate`'s.

`GAN.generate(n, seed=s)` draws `keras.random.normal((n, latent_dim),
seed=s)`. With the TensorFlow backend Keras turns the int seed into the
int64 pair `[s, 0]`, reduces it with `floormod(pair, 2**31 - 2)` to int32
(`keras.src.random.seed_generator.draw_seed` and
`keras.src.backend.tensorflow.random._cast_seed`) and calls
`tf.random.stateless_normal`. The functions here repeat those steps, so an
exported model reproduces the latents without Keras.
"""

import tensorflow as tf

# Keras reduces int64 seeds modulo this number before the stateless TF ops.
_KERAS_SEED_MODULUS = tf.int32.max - 1


def stateless_seed(seed):
    """Turns an int seed into the int32 pair Keras passes to stateless TF ops.

    Args:
        seed: int or int64 scalar tensor, any value that fits in int64
            (negative seeds included).

    Returns:
        int32 tensor `[a, b]` for `tf.random.stateless_*`.

    Example:
        >>> stateless_seed(3).numpy()
        array([3, 0], dtype=int32)
    """
    pair = tf.stack([tf.cast(seed, tf.int64), tf.constant(0, tf.int64)])
    return tf.cast(tf.math.floormod(pair, _KERAS_SEED_MODULUS), tf.int32)


def normal_latents(num_samples, latent_dim, seed):
    """Standard-normal latents equal to `keras.random.normal((n, d), seed=seed)`.

    Args:
        num_samples: int or int32 scalar tensor, the number of rows.
        latent_dim: int, the number of columns.
        seed: int or int64 scalar tensor.

    Returns:
        float32 tensor `(num_samples, latent_dim)`.

    Example:
        >>> normal_latents(4, 8, seed=0).shape
        TensorShape([4, 8])
    """
    return tf.random.stateless_normal((num_samples, latent_dim), seed=stateless_seed(seed), dtype=tf.float32)
