"""Path-length regularization: a regularizer whose running mean is saved state."""

import math

import keras
from keras import ops

from kerasgan.backend import input_gradients
from kerasgan.losses.regularizers import Regularizer


@keras.saving.register_keras_serializable(package="kerasgan")
class PathLengthPenalty(Regularizer):
    """StyleGAN2's path-length penalty on the generator, logged as `pl`.

    For latents `z` and random images `y ~ N(0, I) / sqrt(H * W)`, the length
    `|J(z)^T y|` (J the generator's Jacobian with respect to its latents)
    should stay near its running mean `a`: the penalty is
    `E[(|J^T y| - a)^2]`. `a` is an exponential moving average of the
    lengths, updated at each penalty evaluation with rate `decay`. It is a
    weight of this layer: it is saved in `.keras` files and restored on
    resume, so a resumed run penalises against the same mean. Reads the
    generator phase's `latents`, `fake` and `synthesize`. Latents of more
    than two dimensions are per-layer styles `(batch, num_ws, w_dim)`
    (StyleGAN's `ws`): the squared length is summed over `w_dim` and
    averaged over the layers before the square root, as in the paper.

    Args:
        weight: penalty weight. Defaults to `2.0` (the paper's).
        every: run every `every` steps. Defaults to 4 (the paper's lazy
            interval; the weight is then multiplied by 4 in its phase).
        decay: rate of the running mean, in `(0, 1]`. Defaults to `0.01`.
        phase: the phase it attaches to. Defaults to `"generator"`.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.DCGAN(regularizers=[PathLengthPenalty(2.0, every=4)])

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", CVPR 2020 (here with respect to the generator's input
        latents, as it has no separate mapping network).
    """

    term = "pl"
    requires = ("latents", "fake", "synthesize")
    default_phase = "generator"

    def __init__(self, weight=2.0, every=4, decay=0.01, phase=None, **kwargs):
        super().__init__(weight, every=every, phase=phase, **kwargs)
        if isinstance(decay, bool) or not isinstance(decay, (int, float)) or not 0 < decay <= 1:
            raise ValueError(f"PathLengthPenalty decay must be in (0, 1]; received {decay!r}.")
        self.decay = float(decay)
        # aggregation: under a tf.distribute strategy the replicas' updates are averaged.
        self.mean_length = self.add_weight(
            shape=(), initializer="zeros", trainable=False, aggregation="mean", name="mean_length"
        )

    def penalty(self, gan, context):
        latents, fake, synthesize = self.read_context(context)
        height, width = fake.shape[1], fake.shape[2]
        noise = gan.random_per_example(keras.random.normal, ops.shape(fake)[0], fake.shape[1:])
        noise = noise / math.sqrt(height * width)

        def projected(z):
            images = ops.cast(synthesize(z), "float32")
            return ops.sum(images * noise, axis=tuple(range(1, len(images.shape))))

        gradients = input_gradients(projected, latents)
        squares = ops.sum(ops.square(gradients), axis=-1)
        if len(squares.shape) > 1:  # per-layer styles (batch, num_ws, w_dim): mean over the layers
            squares = ops.mean(squares, axis=tuple(range(1, len(squares.shape))))
        lengths = ops.sqrt(squares + 1e-12)
        mean = self.mean_length + self.decay * (ops.mean(lengths) - self.mean_length)
        mean = ops.stop_gradient(mean)
        self.mean_length.assign(mean)
        return ops.mean(ops.square(lengths - mean))

    def get_config(self):
        return {**super().get_config(), "decay": self.decay}
