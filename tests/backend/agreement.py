"""Training steps that TensorFlow and JAX must compute alike.

Both backends build the same model, give it the same weights (drawn with
NumPy, so they do not depend on a backend's initializers or random
streams) and the same random draws (latents, gradient-penalty weights,
path-length noise: `random_per_example` returns fixed NumPy values), then
train one step on the same real batch. `step_results` returns what the
comparison reads: the step's logged terms, and afterwards every network
variable (batch-norm statistics included), regularizer state and every
optimizer variable. Each backend runs it in its own process (Keras reads
its backend once); `tests/backend/test_on_jax.py` writes the JAX side to an
`.npz`, `tests/backend/test_jax_subset.py` compares.
"""

import zlib

import keras
import numpy as np
from keras import ops

import kerasgan
from kerasgan.losses import PathLengthPenalty, R1Penalty
from kerasgan.networks import build_dcgan_generator

BATCH_SIZE = 16
# 14x14 (Fashion-MNIST averaged over 2x2 pixels): one upsampling block
# fewer than 28x28, so each backend compiles the step about twice as fast.
TINY = {"image_shape": (14, 14, 1), "latent_dim": 8, "seed": 1}


def half_size(images):
    """Averages each 2x2 block of pixels: `(n, 28, 28, 1)` to `(n, 14, 14, 1)`, still in `[-1, 1]`."""
    n, height, width, channels = images.shape
    return images.reshape(n, height // 2, 2, width // 2, 2, channels).mean(axis=(2, 4))


class FixedDraws:
    """Mixin: every `random_per_example` draw is a fixed NumPy array.

    The draws of an update are numbered from the start of its phase's
    objective, and seeded by the phase's name and that number, so they do
    not depend on how a backend traces the step (TensorFlow traces a lazy
    phase once inside `tf.cond`; JAX compiles the steps with and without it
    separately) or on how often it is traced.
    """

    def phase_objective(self, phase, batch, passed=None):
        self.draw_phase, self.draws_made = phase.name, 0
        return super().phase_objective(phase, batch, passed)

    def random_per_example(self, sampler, batch_size, shape):
        rng = np.random.default_rng([zlib.crc32(self.draw_phase.encode()), self.draws_made])
        self.draws_made += 1
        size = (BATCH_SIZE, *shape)
        values = rng.uniform(size=size) if sampler is keras.random.uniform else rng.normal(size=size)
        return ops.convert_to_tensor(values.astype("float32"))


def _fixed(variant, **kwargs):
    return type(f"Fixed{variant.__name__}", (FixedDraws, variant), {})(**TINY, **kwargs)


def _smooth_critic():
    # tanh instead of leaky ReLU: a penalty on the critic's input gradient
    # jumps when a unit's pre-activation crosses zero, which rounding
    # differences of 1e-7 between backends can cause after one update.
    image = keras.Input(TINY["image_shape"])
    x = keras.layers.Conv2D(8, 4, strides=2, padding="same", activation="tanh")(image)
    x = keras.layers.Conv2D(16, 4, strides=2, padding="same", activation="tanh")(x)
    logits = keras.layers.Dense(1)(keras.layers.Flatten()(x))
    return keras.Model(image, logits, name="discriminator")


def _unnormalized_generator():
    return build_dcgan_generator(TINY["image_shape"], TINY["latent_dim"], normalization=None)


# Variants whose step is a function of weights, draws and batch (no dropout,
# no image pool), each with what it adds to the core: R1 in a lazy phase
# (due at step 0), the gradient penalty with two critic updates, the
# path-length penalty and its saved running mean, labels. Batch norm is in
# every case (statistics owned by their network's phase), but never inside
# a penalty's input gradient: TensorFlow's `tf.nn.moments` stops the
# gradient through the batch mean, which is exact for first derivatives
# only, so there the backends differ (JAX is exact; test_on_jax.py checks).
CASES = {
    "dcgan_lazy_r1": lambda: _fixed(
        kerasgan.DCGAN, discriminator=_smooth_critic(), regularizers=[R1Penalty(5.0, every=2)]
    ),
    "wgan_gp": lambda: _fixed(kerasgan.WGANGP, discriminator=_smooth_critic(), n_critic=2),
    "lsgan_path_length": lambda: _fixed(
        kerasgan.LSGAN,
        generator=_unnormalized_generator(),
        regularizers=[PathLengthPenalty(2.0, every=1)],
    ),
    "conditional_gan": lambda: _fixed(kerasgan.ConditionalGAN, num_classes=10),
    "srgan": lambda: kerasgan.SRGAN(
        scale=2,
        image_shape=(14, 14, 1),
        base_filters=4,
        num_residual_blocks=1,
        dense_units=8,
        warmup_steps=0,
        perceptual_network="fashion_mnist",
        seed=1,
    ),  # fmt: skip
    "inpainting_rectangles": lambda: type("FixedInpaintingGAN", (FixedDraws, kerasgan.InpaintingGAN), {})(
        image_shape=TINY["image_shape"], seed=1, base_filters=4, mask="rectangles"
    ),
    # 7x7 tokens -> pixel shuffle -> 14x14 pixels; the spectral ViT critic with
    # L2 attention on 2x2 patches, and its lazy R1, whose gradient goes through
    # layer norm (kerasgan.networks.LayerNormalization: exact second derivatives
    # on both backends, where Keras's TensorFlow moments are not).
    "transformer_gan_vit": lambda: _fixed(
        kerasgan.TransformerGAN,
        discriminator_kind="transformer",
        width=16,
        depths=(1, 1),
        num_heads=2,
        patch_size=1,
        discriminator_width=8,
        discriminator_depth=1,
        discriminator_patch_size=2,
    ),
    # The codes come from the fixed normal draws (argmax and erf); Q's head with batch norm.
    "infogan": lambda: _fixed(kerasgan.InfoGAN, num_categories=4, num_continuous=1),
    # Conditional batch norm, the spectral-normalised projection critic and the hinge loss.
    "projection_gan": lambda: _fixed(kerasgan.ProjectionGAN, num_classes=10, n_critic=1, base_filters=8),
    # Spectral normalisation (the power-iteration vectors move in the discriminator's phase only)
    # and batch norm in the generator; the hinge loss.
    "sngan": lambda: _fixed(kerasgan.SNGAN, base_filters=4, n_critic=1),
    # The relativistic loss (the generator's objective scores the real batch too), R1 and R2
    # weighted by a cosine-decayed gamma, grouped convolutions, no normalisation.
    "r3gan": lambda: _fixed(kerasgan.R3GAN, base_filters=4, groups=2, decay_steps=10),
    # Mapping, modulated convolutions, drawn noise, style mixing, the mean
    # style, lazy R1 and lazy path length over the per-layer styles (both due
    # at step 0). No moving average: set_fixed_weights sets the networks only.
    "stylegan": lambda: _fixed(
        kerasgan.StyleGAN,
        filters=4,
        mapping_layers=1,
        ema_decay=None,
        discriminator=_smooth_critic(),
        regularizers=[R1Penalty(0.5, every=2), PathLengthPenalty(2.0, every=2)],
    ),
}


def compile_for_agreement(gan):
    """SGD with momentum for every network: an update is linear in its gradient.

    Adam's first steps divide each gradient by its own magnitude, so a
    gradient that is zero up to rounding (a bias that batch norm cancels)
    would move its weight by a rounding-dependent amount on each backend.
    """
    gan.compile(**{slot: keras.optimizers.SGD(1e-3, momentum=0.9) for slot in gan.optimizer_slots()})


def set_fixed_weights(gan):
    """Gives every float variable of every network a NumPy-drawn value.

    Scales and offsets (1 ± 0.1) for `gamma` and `moving_variance`, small
    normal values for everything else, one seed per variable position.
    """
    position = 0
    for network in gan.networks.values():
        for variable in network.variables:
            position += 1
            if not keras.backend.is_float_dtype(variable.dtype):
                continue
            rng = np.random.default_rng(position)
            shape = tuple(variable.shape)
            if variable.path.endswith(("gamma", "moving_variance")):
                value = 1.0 + 0.1 * rng.uniform(-1.0, 1.0, shape)
            else:
                value = 0.05 * rng.normal(size=shape)
            variable.assign(value.astype(variable.dtype))


def step_results(case, images, labels):
    """Trains one step of a case on one batch and returns what both backends must agree on.

    Args:
        case: a key of `CASES`.
        images: float32 `(n >= BATCH_SIZE, 28, 28, 1)` in `[-1, 1]`
            (Fashion-MNIST; halved to 14x14 here).
        labels: int32 `(n,)`.

    Returns:
        Dict of float64 NumPy arrays: `"log:<term>"` for each logged term,
        `"variable:<i>"` for the model's variables after the step (networks,
        regularizers, seed generator, step count), and
        `"<optimizer slot>:<i>"` for each optimizer's variables.
    """
    gan = CASES[case]()
    compile_for_agreement(gan)
    set_fixed_weights(gan)
    if isinstance(gan, kerasgan.SRGAN):  # (low_res, high_res) pairs
        high_res = half_size(images[:BATCH_SIZE])
        logs = gan.train_on_batch(half_size(high_res), high_res, return_dict=True)
    else:
        labels = None if getattr(gan, "num_classes", None) is None else labels[:BATCH_SIZE]
        logs = gan.train_on_batch(half_size(images[:BATCH_SIZE]), labels, return_dict=True)
    results = {f"log:{name}": np.float64(value) for name, value in logs.items()}
    for index, variable in enumerate(gan.variables):
        results[f"variable:{index}"] = np.asarray(variable.numpy(), dtype="float64")
    for slot in gan.optimizer_slots():
        for index, variable in enumerate(getattr(gan, slot).variables):
            results[f"{slot}:{index}"] = np.asarray(variable.numpy(), dtype="float64")
    return results
