"""Helpers of the remedies' tests: a tiny real DCGAN, RGB images, compiled functions.

`compiled(fn, gan, layer)` compiles a function of tensors as a training step
would be: `tf.function` on TensorFlow; on JAX `jax.jit` over the values of
the model's seed generator, its `train_steps` and the layer's weights, run
in a `keras.StatelessScope` and written back afterwards, as the JAX
trainer does.
"""

import keras
import numpy as np

SEED = 3


def tiny_gan(seed=SEED):
    """A small real DCGAN; the augmentations use only its seed generator and `train_steps`."""
    import kerasgan

    return kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=8, seed=seed)


def as_rgb(images):
    """Three different channels made from grayscale images (so colour changes show)."""
    return np.concatenate([images, 0.5 * images + 0.3, -0.8 * images], axis=-1).astype("float32")


def compiled(fn, gan, layer):
    """`fn` compiled as in a training step, its variable updates kept (see the module docstring)."""
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        return tf.function(fn, autograph=False)
    import jax

    variables = [gan.seed_generator.state, gan.train_steps, *layer.variables]

    def pure(values, *args):
        with keras.StatelessScope(state_mapping=list(zip(variables, values))) as scope:
            result = fn(*args)
        return result, [scope.get_current_value(variable) for variable in variables]

    jitted = jax.jit(pure)

    def run(*args):
        result, values = jitted([variable.value for variable in variables], *args)
        for variable, value in zip(variables, values):
            variable.assign(value)
        return result

    return run


def numpy_tree(values):
    return keras.tree.map_structure(keras.ops.convert_to_numpy, values)


# NumPy references, one image (H, W, C) at a time.


def numpy_translate(image, rows, cols, padding="zeros"):
    """`image` shifted down by `rows`, right by `cols`: np.roll with the wrapped part zeroed, or reflected."""
    height, width = image.shape[:2]
    if padding == "reflect":
        padded = np.pad(image, ((height - 1, height - 1), (width - 1, width - 1), (0, 0)), mode="reflect")
        top, left = height - 1 - rows, width - 1 - cols
        return padded[top : top + height, left : left + width]
    moved = np.roll(image, (rows, cols), axis=(0, 1))
    if rows > 0:
        moved[:rows] = 0
    elif rows < 0:
        moved[rows:] = 0
    if cols > 0:
        moved[:, :cols] = 0
    elif cols < 0:
        moved[:, cols:] = 0
    return moved


def numpy_cutout_mask(shape, top, left, size):
    """True on the pixels of a `size` square at (top, left), cut at the image's border."""
    rows = (np.arange(shape[0]) >= top) & (np.arange(shape[0]) < top + size[0])
    cols = (np.arange(shape[1]) >= left) & (np.arange(shape[1]) < left + size[1])
    return rows[:, None] & cols[None, :]


def numpy_saturation(image, factor):
    mean = image.mean(axis=-1, keepdims=True)
    return (image - mean) * factor + mean


def numpy_contrast(image, factor, center="mean"):
    mean = image.mean() if center == "mean" else 0.0
    return (image - mean) * factor + mean
