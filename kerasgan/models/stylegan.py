"""StyleGAN: a compact StyleGAN2 (mapping network, modulated convolutions, lazy R1 and path length)."""

import keras
import numpy as np
from keras import ops

from kerasgan.losses import PathLengthPenalty, R1Penalty
from kerasgan.models.gan import GAN
from kerasgan.models.registry import register_variant
from kerasgan.networks.stylegan import (
    StyleGANGenerator,
    build_stylegan_discriminator,
    build_stylegan_generator,
)
from kerasgan.utils.validation import validate_positive_int

# R1's gamma: StyleGAN2-ADA's CIFAR-10 setting, the paper's closest to
# 28x28 (its FFHQ 1024x1024 setting is 10; its heuristic 2e-4 * H^2 / batch
# gives 0.0025 at 28x28 and batch 64).
R1_GAMMA = 0.01


@register_variant("stylegan")
class StyleGAN(GAN):
    """StyleGAN2, compact: style-based generator, residual discriminator, lazy R1 and path length.

    The generator (`kerasgan.networks.StyleGANGenerator`) maps latents `z`
    through a mapping network to styles `w`, which modulate (with
    demodulation) every convolution of a synthesis network that starts from
    a learned constant, adds per-pixel noise with learned per-channel
    strengths and sums toRGB outputs across resolutions. The discriminator
    is residual, with a minibatch standard-deviation layer.

    Training, as in the paper: the non-saturating loss; style mixing (with
    probability `style_mixing` an example's layers from a random crossover
    on take the styles of a second latent); fresh noise at every call; R1
    on real images every 16 steps and the path-length penalty (with respect
    to the per-layer styles, against its saved running mean) every 4 steps,
    each in its own lazy phase (`discriminator_reg`, `generator_reg`);
    Adam(0.0025, betas (0, 0.99)) rescaled for the lazy phases (`lr * c`,
    `beta ** c`, `c = k / (k + 1)`: `BaseGAN.lazy_adam`); the running mean of
    `w` (a saved generator weight, moved by the generator's phases) for
    truncation; and an exponential moving average of the generator that
    `generate()` uses.

    Sampling: `generate(n, seed, truncation=psi)` pulls each `w` towards
    the mean (`psi=1`, the default, changes nothing; `psi=0` gives the mean
    image), as do `SampleGrid`, evaluation and the exported `sample`
    signature (its `truncation` input); `mix_styles` shows style mixing.
    Sampling uses the generator's saved constant noise, so a seed gives the
    same images every time.

    Simplifications of this compact version: bilinear upsampling instead of
    the transposed convolution with a FIR filter, average pooling in the
    discriminator, constant width, a `tanh` output, and the path-length
    penalty on the whole batch (the paper halves it).

    Args:
        image_shape: square `(H, H, C)`, `H` 4 to 7 times a power of 2
            (14, 28, 32, 64). Defaults to `(28, 28, 1)`.
        latent_dim: size of `z`. Defaults to 128.
        w_dim: size of `w`. Defaults to `latent_dim`.
        mapping_layers: layers of the mapping network. Defaults to 2
            (StyleGAN2-ADA's CIFAR-10 setting; the paper uses 8).
        filters: channels of every block of both networks. Defaults to 32.
        style_mixing: probability of mixing an example's styles, in
            `[0, 1]`. Defaults to 0.9 (the paper's).
        mbstd_group_size: examples per group of the default discriminator's
            minibatch standard deviation; batches must be a multiple of it.
            Under a `tf.distribute` strategy or JAX data parallelism each
            replica groups its own examples (as StyleGAN2 does on several
            GPUs), so only groups of 1 train exactly as on one device.
            Defaults to 4 (the paper's).
        ema_decay: decay of the generator's moving average, or None.
            Defaults to 0.999, warmed up (`ema_warmup`, see `kerasgan.GAN`).
        regularizers: defaults to `[R1Penalty(0.005, every=16),
            PathLengthPenalty(2.0, every=4)]` (R1 gamma 0.01, the CIFAR-10
            setting).
        **kwargs: see `kerasgan.GAN` (`generator`, `discriminator`, `seed`,
            `loss`, `augmentation`, ...); the generator must be a
            `StyleGANGenerator`. Unconditional only.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.StyleGAN(image_shape=(14, 14, 1), latent_dim=8, filters=8, seed=0)
        >>> gan.compile()
        >>> mean_image = gan.generate(4, seed=0, truncation=0.0)
        >>> bool(abs(mean_image - mean_image[0]).max() == 0)
        True
        >>> gan.fit(kerasgan.data.load("fashion_mnist", batch_size=16, limit=32))  # doctest: +SKIP

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", CVPR 2020; Karras et al., "A Style-Based Generator
        Architecture for Generative Adversarial Networks", CVPR 2019 (style
        mixing, truncation).
    """

    default_latent_dim = 128
    learning_rate = 0.0025
    sampling_options = {"truncation": 1.0}

    def __init__(
        self,
        image_shape=(28, 28, 1),
        latent_dim=None,
        w_dim=None,
        mapping_layers=2,
        filters=32,
        style_mixing=0.9,
        mbstd_group_size=4,
        ema_decay=0.999,
        **kwargs,
    ):
        if kwargs.get("num_classes") is not None:
            raise ValueError(
                f"StyleGAN is unconditional; received num_classes={kwargs['num_classes']!r}. "
                "Use kerasgan.ConditionalGAN or kerasgan.ACGAN for class-conditional images."
            )
        latent = self.default_latent_dim if latent_dim is None else latent_dim
        self.w_dim = validate_positive_int(latent if w_dim is None else w_dim, "w_dim")
        self.mapping_layers = validate_positive_int(mapping_layers, "mapping_layers")
        self.filters = validate_positive_int(filters, "filters")
        if isinstance(style_mixing, bool) or not 0.0 <= style_mixing <= 1.0:
            raise ValueError(f"style_mixing must be a probability in [0, 1]; received {style_mixing!r}.")
        self.style_mixing = float(style_mixing)
        self.mbstd_group_size = validate_positive_int(mbstd_group_size, "mbstd_group_size")
        super().__init__(image_shape=image_shape, latent_dim=latent_dim, ema_decay=ema_decay, **kwargs)
        if not isinstance(self.generator, StyleGANGenerator):
            raise ValueError(
                "StyleGAN's generator must be a kerasgan.networks.StyleGANGenerator (mapping, synthesis "
                f"and the mean style); received {type(self.generator).__name__}. Build one with "
                "kerasgan.networks.build_stylegan_generator."
            )

    # ----------------------------------------------------------- defaults

    def build_generator(self):
        """Builds the default `StyleGANGenerator` for the image shape."""
        return build_stylegan_generator(
            self.image_shape, self.latent_dim, self.w_dim, self.mapping_layers, self.filters
        )

    def build_discriminator(self):
        """Builds the default residual discriminator with minibatch standard deviation."""
        return build_stylegan_discriminator(self.image_shape, self.filters, self.mbstd_group_size)

    def default_regularizers(self):
        """Lazy R1 (gamma 0.01, every 16 steps) and path length (weight 2, every 4 steps)."""
        return [R1Penalty(R1_GAMMA / 2, every=16), PathLengthPenalty(2.0, every=4)]

    def default_optimizer(self, network_name):
        """Adam(0.0025, betas (0, 0.99), eps 1e-8), rescaled for the network's lazy phase."""
        return self.lazy_adam(network_name, self.learning_rate, beta_1=0.0, beta_2=0.99)

    # ------------------------------------------------------------ training

    def training_inputs(self, batch_size, latents=None):
        """The generator's training inputs: latents, style mixing and fresh noise.

        Args:
            batch_size: int or scalar int tensor.
            latents: `(batch_size, latent_dim)`, or None to draw them.

        Returns:
            Dict for `StyleGANGenerator`: `latents`, `noise` and, with
            `style_mixing > 0`, `mixing_latents` and `crossover` (a layer in
            `[1, num_ws)` with probability `style_mixing`, else `num_ws`: no
            mixing).
        """
        generator = self.generator
        inputs = {"latents": self.sample_latents(batch_size) if latents is None else latents}
        if self.style_mixing > 0:
            inputs["mixing_latents"] = self.sample_latents(batch_size)
            draws = self.random_per_example(keras.random.uniform, batch_size, (2,))
            layer = 1 + ops.cast(ops.floor(draws[:, 1] * (generator.num_ws - 1)), "int32")
            layer = ops.minimum(layer, generator.num_ws - 1)
            inputs["crossover"] = ops.where(draws[:, 0] < self.style_mixing, layer, generator.num_ws)
        inputs["noise"] = [
            self.random_per_example(keras.random.normal, batch_size, shape)
            for shape in generator.noise_shapes
        ]
        return inputs

    def synthesize(self, latents, labels=None, training=False):
        """Runs the generator on latents; while training with style mixing and fresh noise."""
        if not training:
            return self.generator(latents, training=False)
        return self.generator(self.training_inputs(ops.shape(latents)[0], latents), training=True)

    def generator_context(self, batch):
        """The generator phase's inputs, with the per-layer styles as the path length's `latents`.

        Returns:
            Dict with `labels` (None), `latents` (the styles `ws`), `fake`
            and `synthesize` (styles -> images, with this update's noise).
        """
        inputs = self.training_inputs(self.batch_size_of(batch))
        styles = self.generator.styles(inputs, training=True)

        def synthesize(ws):
            return self.generator.render(ws, inputs["noise"], training=True)

        return {"labels": None, "latents": styles, "fake": synthesize(styles), "synthesize": synthesize}

    # ------------------------------------------------------------ sampling

    def sample_images(self, generator, noise, labels=None, truncation=1.0):
        """Images from latents, each `w` pulled towards the mean by `truncation` (psi)."""
        return generator({"latents": noise, "truncation": ops.convert_to_tensor(truncation, "float32")})

    def mix_styles(self, num_samples, seed, mixing_seed, crossover, truncation=1.0, use_ema=True):
        """Style mixing: the first `crossover` layers from `seed`'s latents, the rest from `mixing_seed`'s.

        The coarse layers (low resolutions: pose, shape) come from the
        latents `generate(num_samples, seed=seed)` draws, the finer ones
        (texture, shading) from those of `mixing_seed`.

        Args:
            num_samples: number of images.
            seed: int, seed of the latents of the layers before `crossover`.
            mixing_seed: int, seed of the latents of the other layers.
            crossover: int in `[0, num_ws]` (`generator.num_ws`, 6 at 28x28):
                0 gives `generate(seed=mixing_seed)`, `num_ws` gives
                `generate(seed=seed)`.
            truncation: psi, as in `generate`. Defaults to 1.
            use_ema: use the moving-average generator when the model keeps one.

        Returns:
            Float32 NumPy array `(num_samples, *image_shape)` in `[-1, 1]`.

        Example:
            >>> gan = kerasgan.StyleGAN(image_shape=(14, 14, 1), latent_dim=8, filters=8)  # doctest: +SKIP
            >>> gan.mix_styles(4, seed=0, mixing_seed=1, crossover=2).shape  # doctest: +SKIP
            (4, 14, 14, 1)
        """
        validate_positive_int(num_samples, "num_samples")
        num_ws = self.generator.num_ws
        crossover = validate_positive_int(crossover, "crossover", minimum=0)
        if crossover > num_ws:
            raise ValueError(
                f"crossover must be in [0, {num_ws}] (the generator's layers); received {crossover}."
            )
        network = self.generator if not use_ema or self.ema_generator is None else self.ema_generator
        inputs = {
            "latents": self.sampling_noise(num_samples, seed=seed),
            "mixing_latents": self.sampling_noise(num_samples, seed=mixing_seed),
            "crossover": ops.full((num_samples,), crossover, dtype="int32"),
            "truncation": ops.convert_to_tensor(float(truncation), "float32"),
        }
        return np.asarray(ops.convert_to_numpy(network(inputs, training=False)), dtype="float32")

    # -------------------------------------------------------------- config

    def get_config(self):
        config = super().get_config()
        config.update(
            w_dim=self.w_dim,
            mapping_layers=self.mapping_layers,
            filters=self.filters,
            style_mixing=self.style_mixing,
            mbstd_group_size=self.mbstd_group_size,
        )
        return config
