"""InfoGAN: latent codes that the generator must keep recoverable from its images."""

import dataclasses

import keras
import numpy as np
from keras import ops

from kerasgan.losses.information import category_accuracy, information_loss
from kerasgan.models.dcgan import DCGAN
from kerasgan.models.registry import register_variant
from kerasgan.networks import build_dcgan_discriminator
from kerasgan.utils.validation import validate_non_negative, validate_positive_int


@register_variant("infogan")
class InfoGAN(DCGAN):
    """InfoGAN: a DCGAN whose latents hold codes that a Q head must recover from the images.

    The generator's latents are `[noise | one-hot category | continuous
    codes]`: `latent_dim - num_categories - num_continuous` standard-normal
    noise values, one categorical code of `num_categories` values (uniform)
    and `num_continuous` codes uniform in `[-1, 1]`. They are drawn as
    `latent_dim` standard normals and turned into codes by
    `latents_from_normal` (the argmax of the category's normals, which is
    uniform; `erf(x / sqrt(2))`, which is uniform in `[-1, 1]`), so
    training, `generate`, the callbacks and the exported `sample`
    signature all draw them the same way.

    Q is a second output of the discriminator network: a head on its shared
    body (`build_dcgan_discriminator(code_outputs=...)`) giving category
    logits and continuous means. The information loss
    (`kerasgan.losses.information_loss`, the negative log-likelihood of the
    codes under Q: cross-entropy, and a unit-variance Gaussian for the
    continuous codes) is added with weight `info_weight` to both phases,
    on the generated images and the codes they were made from:

    - the discriminator phase (`d_info`) trains Q, and the body it shares,
      on the phase's fakes, as the authors' code does (Q's parameters are
      the discriminator's, so they update with its optimizer);
    - the generator phase (`g_info`) trains the generator through the
      frozen Q to make its codes recoverable.

    `q_accuracy` logs how often Q's most likely category on the
    discriminator phase's fakes is the drawn one (chance is
    `1 / num_categories`).

    Sampling: the option `category` (default -1, each sample keeps its
    drawn category) sets the category of every sample, in `generate`, the
    callbacks, evaluation and the exported `sample` signature;
    `generate(n, codes={"category": ..., "continuous": ...})` sets codes
    per sample (NaN entries of `continuous` keep the drawn value);
    `with_codes` does the same to latents, `split_latents` reads them,
    `predict_codes` runs Q and `code_accuracy` measures it.
    `kerasgan.images.code_grid` draws the picture in which each code
    controls one factor. `compile()` defaults to the paper's Adam
    (beta_1 0.5) with 1e-3 for the generator and 2e-4 for the
    discriminator; the networks are the DCGAN ones at the image size
    (the paper's MNIST networks add a 1024-unit dense layer to each).

    Args:
        num_categories: values of the categorical code, at least 2.
            Defaults to 10 (the paper's MNIST digit code).
        num_continuous: number of continuous codes, at least 0. Defaults
            to 2 (the paper's MNIST rotation and width).
        info_weight: lambda, the weight of the information loss in both
            phases, at least 0. Defaults to 1 (the paper's).
        latent_dim: size of the generator's whole latent input, noise and
            codes. Defaults to 74: 62 noise values + 10 + 2, the paper's.
        **kwargs: see `kerasgan.DCGAN` (`image_shape`, `generator`,
            `discriminator` returning `[logits, category logits(,
            continuous means)]`, `loss`, `seed`, ...). InfoGAN is
            unconditional: `num_classes` is refused.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.InfoGAN(image_shape=(28, 28, 1), seed=0)
        >>> gan.noise_dim, gan.latent_dim
        (62, 74)
        >>> gan.compile()
        >>> gan.fit(kerasgan.data.load("fashion_mnist", batch_size=64), epochs=5)  # doctest: +SKIP
        >>> sandals = gan.generate(8, seed=0, category=5)
        >>> sandals.shape
        (8, 28, 28, 1)

    Reference:
        Chen et al., "InfoGAN: Interpretable Representation Learning by
        Information Maximizing Generative Adversarial Nets", NeurIPS 2016.
    """

    default_latent_dim = 74
    sampling_options = {"category": -1.0}

    def __init__(self, num_categories=10, num_continuous=2, info_weight=1.0, **kwargs):
        self.num_categories = validate_positive_int(num_categories, "num_categories", minimum=2)
        self.num_continuous = validate_positive_int(num_continuous, "num_continuous", minimum=0)
        self.info_weight = validate_non_negative(info_weight, "info_weight")
        if kwargs.get("num_classes") is not None:
            raise ValueError(
                "InfoGAN is unconditional: its categorical code takes the place of labels, learnt "
                f"without them; received num_classes={kwargs['num_classes']!r}. Drop num_classes, or "
                "use kerasgan.ACGAN for a model trained on labels."
            )
        latent_dim = kwargs.get("latent_dim")
        latent_dim = self.default_latent_dim if latent_dim is None else latent_dim
        codes = self.num_categories + self.num_continuous
        if isinstance(latent_dim, int) and latent_dim <= codes:
            raise ValueError(
                f"InfoGAN's latent_dim counts its noise and its codes ({self.num_categories} categories "
                f"+ {self.num_continuous} continuous = {codes}); received latent_dim={latent_dim}, which "
                f"leaves no noise. Give latent_dim > {codes} (the paper's 74 = 62 noise + 10 + 2)."
            )
        super().__init__(**kwargs)
        self.check_discriminator_outputs()

    @property
    def noise_dim(self):
        """The number of standard-normal noise values at the start of the latents."""
        return self.latent_dim - self.num_categories - self.num_continuous

    def default_optimizer(self, network_name):
        """The paper's Adam(beta_1=0.5): 1e-3 for the generator, 2e-4 for the discriminator and Q."""
        return keras.optimizers.Adam(1e-3 if network_name == "generator" else 2e-4, beta_1=0.5)

    def build_discriminator(self):
        return build_dcgan_discriminator(
            self.image_shape,
            normalization=self.discriminator_normalization,
            minibatch_stddev=self.minibatch_stddev,
            synchronized_batch_norm=self.synchronized_batch_norm(),
            code_outputs=(self.num_categories, self.num_continuous),
        )

    def check_discriminator_outputs(self):
        """Checks that the discriminator returns the logits and Q's outputs, of the codes' sizes."""
        expected = [1, self.num_categories] + ([self.num_continuous] if self.num_continuous else [])
        try:
            outputs = self.discriminator.outputs
        except (AttributeError, ValueError):
            outputs = None  # a subclassed model, not built yet: its first call will tell
        if not outputs:
            return
        sizes = [output.shape[-1] for output in outputs]
        if sizes != expected:
            raise ValueError(
                f"InfoGAN's discriminator must return [logits, category logits"
                f"{', continuous means' if self.num_continuous else ''}] of sizes {expected}; it returns "
                f"outputs of sizes {sizes}. Build it with kerasgan.networks.build_dcgan_discriminator("
                f"..., code_outputs=({self.num_categories}, {self.num_continuous}))."
            )

    # ------------------------------------------------------------- codes

    def latents_from_normal(self, normal):
        """Turns standard normals into `[noise | one-hot category | uniform codes]`.

        The category is the argmax of its `num_categories` normals (uniform
        over the categories); each continuous code is `erf(x / sqrt(2))` of
        its normal (uniform in `[-1, 1]`); the noise is left as drawn.

        Args:
            normal: float `(batch, latent_dim)` standard normals.

        Returns:
            Float32 latents `(batch, latent_dim)`.
        """
        normal = ops.cast(normal, "float32")
        start, stop = self.noise_dim, self.noise_dim + self.num_categories
        category = ops.argmax(normal[:, start:stop], axis=-1)
        parts = [normal[:, :start], ops.one_hot(category, self.num_categories, dtype="float32")]
        if self.num_continuous:
            parts.append(ops.erf(normal[:, stop:] * np.float32(1.0 / np.sqrt(2.0))))
        return ops.concatenate(parts, axis=-1)

    def split_latents(self, latents):
        """Reads the codes back from latents.

        Args:
            latents: `(batch, latent_dim)` from `sampling_noise` or `with_codes`.

        Returns:
            Dict with `noise` `(batch, noise_dim)`, `category` int32
            `(batch,)` and `continuous` `(batch, num_continuous)`.
        """
        start, stop = self.noise_dim, self.noise_dim + self.num_categories
        return {
            "noise": latents[:, :start],
            "category": ops.cast(ops.argmax(latents[:, start:stop], axis=-1), "int32"),
            "continuous": latents[:, stop:],
        }

    def with_codes(self, latents, category=None, continuous=None):
        """Latents with their codes set by hand (NumPy, on the host).

        Args:
            latents: `(batch, latent_dim)`, e.g. `sampling_noise(n, seed)`.
            category: None (keep), one category or `(batch,)` categories in
                `[0, num_categories)`.
            continuous: None (keep), or values broadcastable to `(batch,
                num_continuous)`; NaN entries keep the drawn value.

        Returns:
            Float32 NumPy latents `(batch, latent_dim)`.

        Example:
            >>> import kerasgan
            >>> gan = kerasgan.InfoGAN(latent_dim=8, num_categories=3, num_continuous=1)
            >>> latents = gan.with_codes(gan.sampling_noise(2, seed=0), category=[2, 0], continuous=0.5)
            >>> latents[:, 4:].tolist()
            [[0.0, 0.0, 1.0, 0.5], [1.0, 0.0, 0.0, 0.5]]
        """
        latents = np.array(ops.convert_to_numpy(latents), dtype="float32")
        count, start, stop = latents.shape[0], self.noise_dim, self.noise_dim + self.num_categories
        if category is not None:
            category = np.asarray(category)
            if category.ndim == 0:
                category = np.full((count,), category)
            if (
                category.shape != (count,)
                or not np.issubdtype(category.dtype, np.integer)
                or category.min() < 0
                or category.max() >= self.num_categories
            ):
                raise ValueError(
                    f"category must be one integer or {count} integers in [0, {self.num_categories}); "
                    f"received {category.tolist()!r}."
                )
            latents[:, start:stop] = np.eye(self.num_categories, dtype="float32")[category]
        if continuous is not None:
            try:
                given = np.broadcast_to(np.asarray(continuous, dtype="float32"), (count, self.num_continuous))
            except ValueError as error:
                raise ValueError(
                    f"continuous must broadcast to ({count}, {self.num_continuous}) (one value per "
                    f"continuous code); received shape {np.shape(continuous)}."
                ) from error
            latents[:, stop:] = np.where(np.isnan(given), latents[:, stop:], given)
        return latents

    def generate(self, num_samples, seed=None, labels=None, codes=None, **kwargs):
        """Generates images; `codes` sets their codes (see `kerasgan.GAN.generate` for the rest).

        Args:
            num_samples, seed, labels: as for `kerasgan.GAN.generate`.
            codes: None, or a dict with `category` and/or `continuous`, as
                `with_codes` takes them.
            **kwargs: `batch_size`, `use_ema` and the sampling option
                `category` (one category for every sample).

        Returns:
            Float32 NumPy array `(num_samples, *image_shape)` in `[-1, 1]`.

        Example:
            >>> import kerasgan
            >>> gan = kerasgan.InfoGAN(latent_dim=8, num_categories=3, num_continuous=1)
            >>> wide = gan.generate(4, seed=0, codes={"category": 1, "continuous": [[1.0]]})
            >>> wide.shape
            (4, 28, 28, 1)
        """
        if codes is None:
            return super().generate(num_samples, seed=seed, labels=labels, **kwargs)
        unknown = sorted(set(codes) - {"category", "continuous"})
        if unknown:
            raise ValueError(f"codes takes 'category' and 'continuous'; received {unknown}.")
        validate_positive_int(num_samples, "num_samples")
        latents = self.with_codes(self.sampling_noise(num_samples, seed=seed), **codes)
        return self.generate_from_noise(latents, labels=labels, **kwargs)

    def resolve_sampling_options(self, options):
        options = super().resolve_sampling_options(options)
        category = options["category"]
        if category != -1.0 and (category != int(category) or not 0 <= category < self.num_categories):
            raise ValueError(
                f"category must be -1 (each sample keeps its drawn category) or an integer in "
                f"[0, {self.num_categories}); received category={category!r}."
            )
        return options

    def sample_images(self, generator, noise, labels=None, category=-1.0):
        """Images from latents; a `category` in `[0, num_categories)` replaces every sample's category.

        With the default -1 the latents go to the generator as they are.
        """
        if isinstance(category, (int, float)) and category < 0:
            return generator(noise)
        start, stop = self.noise_dim, self.noise_dim + self.num_categories
        category = ops.convert_to_tensor(category, "float32")
        one_hot = ops.one_hot(ops.cast(ops.maximum(category, 0.0), "int32"), self.num_categories)
        one_hot = ops.broadcast_to(ops.cast(one_hot, noise.dtype), ops.shape(noise[:, start:stop]))
        codes = ops.where(category >= 0.0, one_hot, noise[:, start:stop])
        return generator(ops.concatenate([noise[:, :start], codes, noise[:, stop:]], axis=-1))

    def predict_codes(self, images, batch_size=256):
        """Q's reading of images: the most likely category and the continuous means.

        Args:
            images: `(n, *image_shape)` in `[-1, 1]`.
            batch_size: images per discriminator call. Defaults to 256.

        Returns:
            Dict of NumPy arrays: `category` int32 `(n,)`, `continuous`
            float32 `(n, num_continuous)`.
        """
        validate_positive_int(batch_size, "batch_size")
        categories, continuous = [], []
        for start in range(0, len(images), batch_size):
            outputs = self.discriminator(ops.convert_to_tensor(images[start : start + batch_size]))
            categories.append(ops.convert_to_numpy(ops.argmax(outputs[1], axis=-1)).astype("int32"))
            if self.num_continuous:
                continuous.append(ops.convert_to_numpy(outputs[2]).astype("float32"))
        count = len(images)
        return {
            "category": np.concatenate(categories),
            "continuous": np.concatenate(continuous) if continuous else np.zeros((count, 0), "float32"),
        }

    def code_accuracy(self, num_samples=1000, seed=0):
        """How often Q recovers the category of generated images (chance: `1 / num_categories`).

        Args:
            num_samples: images to generate. Defaults to 1000.
            seed: their seed. Defaults to 0.

        Returns:
            Python float in `[0, 1]`.
        """
        latents = self.sampling_noise(num_samples, seed=seed)
        drawn = ops.convert_to_numpy(self.split_latents(latents)["category"])
        predicted = self.predict_codes(self.generate_from_noise(latents))["category"]
        return float(np.mean(predicted == drawn))

    # ------------------------------------------------------------ losses

    def phases(self):
        discriminator, generator = super().phases()
        return [
            dataclasses.replace(discriminator, terms=("d_loss", "d_info", "q_accuracy")),
            dataclasses.replace(generator, terms=("g_loss", "g_info")),
        ]

    def discriminate(self, images, labels=None, training=False, real=None):
        """The adversarial logits `(batch, 1)` (what regularizers see as the critic)."""
        return self.call_discriminator("discriminator", images, training=training, real=real)[0]

    def information(self, outputs, latents):
        """`(information loss, Q's category accuracy)` of discriminator outputs on images of `latents`."""
        codes = self.split_latents(latents)
        means = outputs[2] if self.num_continuous else None
        continuous = codes["continuous"] if self.num_continuous else None
        loss = information_loss(codes["category"], outputs[1], continuous, means)
        return loss, category_accuracy(codes["category"], outputs[1])

    def discriminator_objective(self, context):
        real_logits = self.call_discriminator("discriminator", context["images"], real=True)[0]
        fake_outputs = self.call_discriminator("discriminator", context["fake"], real=False)
        context.update(real_logits=real_logits, fake_logits=fake_outputs[0])
        loss = self.loss_functions.discriminator_loss(real_logits, fake_outputs[0])
        info, accuracy = self.information(fake_outputs, context["latents"])
        return loss + self.info_weight * info, {"d_loss": loss, "d_info": info, "q_accuracy": accuracy}

    def generator_objective(self, context):
        outputs = self.call_discriminator("discriminator", context["fake"])
        loss = self.loss_functions.generator_loss(outputs[0])
        info, _ = self.information(outputs, context["latents"])
        return loss + self.info_weight * info, {"g_loss": loss, "g_info": info}

    def get_config(self):
        return {
            **super().get_config(),
            "num_categories": self.num_categories,
            "num_continuous": self.num_continuous,
            "info_weight": self.info_weight,
        }
