"""`GAN`: latent-to-image models (the DCGAN family, conditional and ACGAN).

A generator and a discriminator on the core of `kerasgan.models.BaseGAN`,
with two phases (the discriminator `n_critic` times, then the generator),
`generate(n, seed, labels)` and a SavedModel export from latents. A variant
is a small subclass that changes class-level defaults (loss, number of critic
steps, latent size), the networks it builds and the optimizers of its paper.
"""

import keras
import numpy as np
from keras import ops

from kerasgan.models.base import BaseGAN
from kerasgan.models.checks import (
    check_images,
    check_labels,
    check_networks,
    prepare_labels,
)
from kerasgan.models.ema import clone_for_ema, update_ema
from kerasgan.models.presets import PresetMixin
from kerasgan.models.registry import register_variant
from kerasgan.models.schedule import Schedule
from kerasgan.models.seam import paired
from kerasgan.networks import build_mlp_discriminator, build_mlp_generator
from kerasgan.utils.validation import (
    validate_image_shape,
    validate_num_classes,
    validate_positive_int,
)


def _critic_steps(n_critic):
    """An int count or a `Schedule` of discriminator updates per step."""
    if isinstance(n_critic, dict):
        n_critic = keras.saving.deserialize_keras_object(n_critic)
    if isinstance(n_critic, Schedule):
        return n_critic
    return validate_positive_int(n_critic, "n_critic (or a kerasgan.Schedule)")


@register_variant("gan")
class GAN(PresetMixin, BaseGAN):
    """A generative adversarial network trained with `fit()`.

    Holds a generator and a discriminator. Each training step runs two
    phases: `n_critic` discriminator updates (fresh latents each, the same
    real batch), then one generator update, each with its own optimizer
    (`d_optimizer`, `g_optimizer`). Logged figures: `d_loss` (adversarial
    part), `g_loss` and one entry per regularizer (`gp`, `r1`): running means
    over the epoch. Regularizers attach to the `"discriminator"` phase by
    default; their context holds `images`, `fake`, `labels` and `critic`
    (images → logits), and the generator phase's `latents`, `fake`, `labels`.

    Used directly, `GAN` is the original 2014 model: multilayer perceptrons
    and the non-saturating generator loss. Subclasses (`DCGAN`, `WGAN`, ...)
    change the defaults. With `num_classes` the model is conditional: data
    must be `(images, labels)` and both networks take the labels.

    Batch norm: each network's moving statistics are updated only by its own
    step (a network called with `training=True` in the other step gets its
    statistics restored).

    Args:
        image_shape: `(H, W, C)` of the images. Defaults to `(28, 28, 1)`.
        latent_dim: size of the latent vector. Defaults to the class's
            `default_latent_dim` (100 here).
        num_classes: None (unconditional) or the number of classes.
        generator: a `keras.Model` from latents `(batch, latent_dim)` (and
            labels) to images in `[-1, 1]`. Defaults to the variant's network.
        discriminator: a `keras.Model` from images (and labels) to logits
            `(batch, 1)`. Defaults to the variant's network.
        loss: name of the adversarial loss (see
            `kerasgan.losses.ADVERSARIAL_LOSSES`). Defaults to the variant's.
        regularizers: list of `kerasgan.losses.Regularizer`, each added to
            the loss of the phase it attaches to. Defaults to the variant's
            (none here).
        n_critic: discriminator updates per generator update: an int, or a
            `kerasgan.Schedule` of the step, e.g. `Schedule([(0, 5), (1000,
            1)])` for 5 critic steps over the first 1,000 steps and 1 after
            (logged as `discriminator_updates`). Defaults to the variant's
            (1 here).
        seed: int seed of the model's `keras.random.SeedGenerator`, which
            draws every latent and every interpolation weight in training.
        ema_decay: None, or a decay in `[0, 1)` (e.g. 0.999) to keep an
            exponential moving average of the generator weights in
            `ema_generator`, updated after every generator step, saved with
            the model and used by `generate()`.
        ema_warmup: with `ema_decay`, average with the decay
            `min(ema_decay, (1 + t) / (10 + t))` after the generator's `t`-th
            update (`g_optimizer.iterations`), as
            `tf.train.ExponentialMovingAverage(num_updates=)` does, so that
            early in training the average follows the recent weights instead
            of holding on to the untrained start (at 0.999 it would still
            weigh the first 1,000 steps after 1,000 steps). Defaults to True;
            False averages with `ema_decay` from the first step.
        minibatch_stddev: add a minibatch standard-deviation layer to the
            default convolutional discriminator (`kerasgan.networks.
            MinibatchStandardDeviation`, Karras et al. 2018), a remedy for
            mode collapse. Defaults to False.
        augmentation, gates, controllers: see `kerasgan.models.BaseGAN`
            (DiffAugment or ADA on everything the discriminator sees, update
            gates, controllers).
        **kwargs: passed to `keras.Model` (e.g. `name`).

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.GAN(image_shape=(28, 28, 1), latent_dim=64, seed=0)
        >>> gan.compile()
        >>> ds = kerasgan.data.load("fashion_mnist", batch_size=64, limit=128)
        >>> history = gan.fit(ds, epochs=1, verbose=0)
        >>> images = gan.generate(16, seed=0)
        >>> images.shape, bool(abs(images).max() <= 1)
        ((16, 28, 28, 1), True)

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
    """

    default_latent_dim = 100
    default_n_critic = 1
    requires_labels = False  # True for variants that are always conditional
    discriminator_takes_labels = True  # for conditional models; False for ACGAN
    network_names = ("generator", "discriminator")
    optimizer_names = {"generator": "g_optimizer", "discriminator": "d_optimizer"}
    serves_real_logits_to_generator = True

    def __init__(
        self,
        image_shape=(28, 28, 1),
        latent_dim=None,
        num_classes=None,
        generator=None,
        discriminator=None,
        loss=None,
        regularizers=None,
        n_critic=None,
        seed=None,
        ema_decay=None,
        minibatch_stddev=False,
        ema_warmup=True,
        **kwargs,
    ):
        self.image_shape = validate_image_shape(image_shape)
        self.latent_dim = validate_positive_int(
            self.default_latent_dim if latent_dim is None else latent_dim, "latent_dim"
        )
        self.num_classes = validate_num_classes(num_classes)
        self.n_critic = _critic_steps(self.default_n_critic if n_critic is None else n_critic)
        self.minibatch_stddev = bool(minibatch_stddev)
        super().__init__(
            networks={"generator": generator, "discriminator": discriminator},
            loss=loss,
            regularizers=regularizers,
            seed=seed,
            **kwargs,
        )
        check_networks(self)
        if self.minibatch_stddev and discriminator is not None:
            raise ValueError(
                "minibatch_stddev=True adds a layer to the default discriminator, but a discriminator "
                "was passed: put kerasgan.networks.MinibatchStandardDeviation into it yourself, or "
                "leave minibatch_stddev=False."
            )
        if ema_decay is not None and not 0.0 <= ema_decay < 1.0:
            raise ValueError(f"ema_decay must be None or in [0, 1); received {ema_decay!r}.")
        self.ema_decay = ema_decay
        self.ema_warmup = bool(ema_warmup)
        self.ema_generator = None if ema_decay is None else clone_for_ema(self.generator)
        self.finish_init()

    # ----------------------------------------------------------- defaults

    def build_generator(self):
        """Builds the variant's default generator (an MLP here).

        Returns:
            A `keras.Model`: latents (and labels) → images in `[-1, 1]`.
        """
        return build_mlp_generator(self.image_shape, self.latent_dim, num_classes=self.num_classes)

    def build_discriminator(self):
        """Builds the variant's default discriminator (an MLP here).

        Returns:
            A `keras.Model`: images (and labels) → logits `(batch, 1)`.
        """
        if self.minibatch_stddev:
            raise ValueError(
                f"{type(self).__name__}'s default discriminator is a multilayer perceptron, which has "
                "no feature maps for a minibatch standard-deviation layer; use a convolutional "
                "variant (kerasgan.DCGAN(minibatch_stddev=True)) or pass minibatch_stddev=False."
            )
        return build_mlp_discriminator(self.image_shape, num_classes=self.num_classes)

    # ----------------------------------------------------------- schedule

    def phases(self):
        """The discriminator `n_critic` times, then the generator.

        Returns:
            `[Phase("discriminator", ...), Phase("generator", ...)]`.
        """
        return self.adversarial_phases(
            ("g_loss",),
            generator_context=self.generator_context,
            repeat=self.n_critic,
            after=(self.after_discriminator_step, self.after_generator_step),
        )

    # ------------------------------------------------------- network calls

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def sample_latents(self, batch_size):
        """Draws standard-normal latents from the model's seed generator.

        Args:
            batch_size: int or scalar int tensor.

        Returns:
            Float tensor `(batch_size, latent_dim)`.
        """
        return self.latents_from_normal(
            self.random_per_example(keras.random.normal, batch_size, (self.latent_dim,))
        )

    def latents_from_normal(self, normal):
        """The generator's latents from standard-normal draws: the draws themselves here.

        Training (`sample_latents`), `sampling_noise` and the exported
        `sample` signature all draw standard normals of shape `(batch,
        latent_dim)` and pass them through this, so a variant whose latents
        hold other codes (InfoGAN's one-hot and uniform codes) changes them
        here once and is served the same everywhere. Written with
        `keras.ops`, row by row (the export traces it in TensorFlow).

        Args:
            normal: float tensor `(batch, latent_dim)` of standard normals.

        Returns:
            Float tensor `(batch, latent_dim)`.
        """
        return normal

    def synthesize(self, latents, labels=None, training=False):
        """Runs the generator on latents (and labels for conditional models).

        Args:
            latents: `(batch, latent_dim)`.
            labels: int `(batch,)` for conditional models, else None.
            training: passed to the generator.

        Returns:
            Images `(batch, *image_shape)` in `[-1, 1]`.
        """
        inputs = latents if self.num_classes is None else paired(latents, labels)
        return self.generator(inputs, training=training)

    def discriminate(self, images, labels=None, training=False, real=None):
        """Runs the discriminator on images (and labels for conditional models).

        Goes through the core's one discriminator call
        (`call_discriminator`), which applies the model's augmentation while
        training.

        Args:
            images: `(batch, *image_shape)` in `[-1, 1]`.
            labels: int `(batch,)` for conditional models, else None.
            training: passed to the discriminator.
            real: True for real images, False for generated ones, None
                (default) when the call reports no statistics.

        Returns:
            Logits `(batch, 1)`.
        """
        conditional = self.num_classes is not None and self.discriminator_takes_labels
        return self.call_discriminator(
            "discriminator", images, labels=labels if conditional else None, training=training, real=real
        )

    # ------------------------------------------------------------- losses

    def discriminator_context(self, batch):
        """The discriminator phase's inputs: the batch, fresh fakes and the critic.

        Args:
            batch: dict from `unpack_batch` (`images`, and `labels` or None).

        Returns:
            Dict with `images`, `labels`, `latents` (fresh, from
            `sample_latents`), `fake` (generated from them, no gradient to
            the generator) and `critic` (images → logits).
        """
        images, labels = batch["images"], batch.get("labels")
        latents = self.sample_latents(ops.shape(images)[0])
        fake = ops.stop_gradient(self.synthesize(latents, labels, training=True))
        return {
            "images": images,
            "labels": labels,
            "latents": latents,
            "fake": fake,
            "critic": lambda x: self.discriminate(x, labels, training=True),
        }

    def generator_context(self, batch):
        """The generator phase's inputs: fresh latents and the images made from them.

        Args:
            batch: dict from `unpack_batch`.

        Returns:
            Dict with `labels`, `latents`, `fake` and `synthesize` (latents →
            images, with the batch's labels); for a loss whose generator part
            reads real logits (`"relativistic"`), also the batch's real
            `images`.
        """
        labels = batch.get("labels")
        latents = self.sample_latents(self.batch_size_of(batch))
        context = {
            "labels": labels,
            "latents": latents,
            "fake": self.synthesize(latents, labels, training=True),
            "synthesize": lambda z: self.synthesize(z, labels, training=True),
        }
        if self.loss_functions.generator_reads_real:
            context["images"] = batch.get("images")
        return context

    def discriminator_objective(self, context):
        """The discriminator's adversarial loss (regularizers are added by the core).

        Args:
            context: dict from `discriminator_context`.

        Returns:
            `(loss, {"d_loss": loss})`; the logits join the context as
            `real_logits` and `fake_logits` for regularizers.
        """
        real_logits = self.discriminate(context["images"], context["labels"], training=True, real=True)
        fake_logits = self.discriminate(context["fake"], context["labels"], training=True, real=False)
        context.update(real_logits=real_logits, fake_logits=fake_logits)
        loss = self.loss_functions.discriminator_loss(real_logits, fake_logits)
        return loss, {"d_loss": loss}

    def generator_objective(self, context):
        """The generator's adversarial loss.

        Args:
            context: dict from `generator_context`.

        Returns:
            `(loss, {"g_loss": loss})`.
        """
        fake_logits = self.discriminate(context["fake"], context["labels"], training=True)
        loss = self.generator_adversarial_loss(context, fake_logits)
        return loss, {"g_loss": loss}

    def generator_adversarial_loss(self, context, fake_logits):
        """The generator's adversarial loss from its fakes' logits (and the real batch's).

        A loss whose generator part reads real logits
        (`AdversarialLoss.generator_reads_real`, the relativistic one) gets
        the logits of the context's real `images`, scored through the one
        discriminator call (`discriminate`, so with the model's
        augmentation) in the generator phase, where the discriminator is
        not trained. Variants that override `generator_objective` call this.

        Args:
            context: dict from `generator_context`.
            fake_logits: the discriminator's logits of `context["fake"]`.

        Returns:
            Scalar float32 loss.
        """
        if not self.loss_functions.generator_reads_real:
            return self.loss_functions.generator_loss(fake_logits)
        if context.get("images") is None:
            raise ValueError(
                f"loss={self.adversarial_loss!r} compares the generator's images with real ones, but the "
                "generator phase received no real images: train with fit() or train_on_batch(), or pass "
                "generator_step(batch_size, real_images=...)."
            )
        real_logits = self.discriminate(context["images"], context["labels"], training=True)
        return self.loss_functions.generator_loss(fake_logits, real_logits)

    def discriminator_step(self, real_images, labels=None):
        """One discriminator update on a batch (the `"discriminator"` phase).

        Args:
            real_images: float tensor `(batch, *image_shape)` in `[-1, 1]`.
            labels: int tensor `(batch,)` for conditional models, else None.

        Returns:
            Dict of scalar tensors: `d_loss` and each regularizer's term.
        """
        batch = self.unpack_batch(real_images if labels is None else (real_images, labels))
        return self.run_phase(self.phase_named("discriminator"), batch)

    def generator_step(self, batch_size, labels=None, real_images=None):
        """One generator update (the `"generator"` phase).

        Args:
            batch_size: number of latents to draw.
            labels: int tensor `(batch,)` for conditional models, else None.
            real_images: None, or a real batch `(batch_size, *image_shape)`,
                which a loss that reads real logits (`"relativistic"`) needs.

        Returns:
            Dict with the scalar tensor `g_loss`.
        """
        batch = {"num_samples": batch_size, "labels": labels, "images": real_images}
        return self.run_phase(self.phase_named("generator"), batch)

    def after_discriminator_step(self):
        """Hook run after each discriminator update (WGAN clips weights here)."""

    def after_generator_step(self):
        """Hook run after each generator update: updates the EMA generator."""
        if self.ema_generator is not None:
            updates = self.g_optimizer.iterations if self.ema_warmup else None
            update_ema(self.ema_generator, self.generator, self.ema_decay, num_updates=updates)

    # --------------------------------------------------------- validation

    def unpack_batch(self, data):
        """Reads a `fit()` batch into a dict of images and labels, checking both.

        Args:
            data: images, or `(images, labels)` / `(images, labels, weights)`.

        Returns:
            `{"images": ..., "labels": ...}`; labels are int32 `(batch,)` for
            conditional models and None otherwise (labels of unconditional
            models are ignored).

        Raises:
            ValueError: wrong image shape or dtype, missing or malformed labels.
        """
        images, labels, _ = keras.utils.unpack_x_y_sample_weight(data)
        images = check_images(self, images)
        if self.num_classes is None:
            return {"images": images, "labels": None}
        return {"images": images, "labels": check_labels(self, labels)}

    # ----------------------------------------------------------- sampling

    # Sampling options a variant serves in generate(), the callbacks,
    # evaluation and the exported `sample` signature: {name: default}, e.g.
    # {"truncation": 1.0}; each a float.
    sampling_options = {}

    def sampling_noise(self, num_samples, seed=None):
        """The noise `generate(num_samples, seed=seed)` starts from: standard normal.

        The exported `sample` signature draws the same values in TensorFlow
        (`kerasgan.export.latents.normal_latents`), both through
        `latents_from_normal`.

        Args:
            num_samples: int.
            seed: int, or None for fresh noise.

        Returns:
            Float tensor `(num_samples, latent_dim)`.
        """
        return self.latents_from_normal(keras.random.normal((num_samples, self.latent_dim), seed=seed))

    def sample_images(self, generator, noise, labels=None, **options):
        """Images from sampling noise: the task's one sampler, used everywhere.

        `generate`, `SampleGrid`, evaluation and the exported `sample`
        signature all call it, so a variant that overrides it (truncation,
        latent codes) is served the same way by each. Written with
        `keras.ops`, since the export traces it in TensorFlow.

        Args:
            generator: callable inputs -> images (the generator, its EMA
                copy, or the export's wrapper of it).
            noise: `(batch, latent_dim)` from `sampling_noise`.
            labels: int `(batch,)` for conditional models, else None.
            **options: the variant's `sampling_options`, each given.

        Returns:
            Images `(batch, *image_shape)` in `[-1, 1]`.
        """
        inputs = noise if labels is None else paired(noise, labels)
        return generator(inputs)

    def resolve_sampling_options(self, options):
        """Each of the variant's `sampling_options`, from `options` or its default.

        Raises:
            ValueError: an option the variant does not have.
        """
        unknown = sorted(set(options) - set(self.sampling_options))
        if unknown:
            known = sorted(self.sampling_options) or "none"
            raise ValueError(
                f"{type(self).__name__} has no sampling option(s) {unknown}; its options are {known}."
            )
        return {name: float(options.get(name, default)) for name, default in self.sampling_options.items()}

    def generate(self, num_samples, seed=None, labels=None, batch_size=256, use_ema=True, **options):
        """Generates images (inference mode), reproducibly for a fixed seed.

        Args:
            num_samples: number of images.
            seed: int for reproducible latents; None draws fresh ones.
            labels: for conditional models, one class id for all samples or
                an int array `(num_samples,)`; must be None otherwise.
            batch_size: generator batch size. Defaults to 256.
            use_ema: sample from `ema_generator` when the model keeps one.
            **options: the variant's sampling options (`sampling_options`,
                e.g. `truncation=0.7` where a variant declares it).

        Returns:
            Float32 NumPy array `(num_samples, *image_shape)` in `[-1, 1]`.

        Example:
            >>> import kerasgan
            >>> gan = kerasgan.DCGAN(latent_dim=8)
            >>> gan.generate(64, seed=0).shape
            (64, 28, 28, 1)
            >>> cgan = kerasgan.ConditionalGAN(num_classes=10, latent_dim=8)
            >>> shoes = cgan.generate(8, seed=0, labels=7)  # eight of class 7
        """
        validate_positive_int(num_samples, "num_samples")
        noise = self.sampling_noise(num_samples, seed=seed)
        return self.generate_from_noise(
            noise, labels=labels, batch_size=batch_size, use_ema=use_ema, **options
        )

    def generate_from_noise(self, noise, labels=None, batch_size=256, use_ema=True, **options):
        """Generates images from given sampling noise: what `generate` does once it has drawn it.

        For noise changed by hand (an interpolation, InfoGAN's codes set by
        hand, one noise vector tiled): the images go through the same
        sampler (`sample_images`) and options as `generate`'s.

        Args:
            noise: `(num_samples, latent_dim)`, e.g. from `sampling_noise`.
            labels, batch_size, use_ema, **options: as for `generate`.

        Returns:
            Float32 NumPy array `(num_samples, *image_shape)` in `[-1, 1]`.

        Example:
            >>> import kerasgan
            >>> gan = kerasgan.DCGAN(latent_dim=8)
            >>> noise = gan.sampling_noise(4, seed=0)
            >>> bool((gan.generate_from_noise(noise) == gan.generate(4, seed=0)).all())
            True
        """
        validate_positive_int(batch_size, "batch_size")
        options = self.resolve_sampling_options(options)
        num_samples = int(ops.shape(noise)[0])
        validate_positive_int(num_samples, "the number of noise rows")
        labels = prepare_labels(self, labels, num_samples)
        network = self.generator if not use_ema or self.ema_generator is None else self.ema_generator

        def generator(inputs):
            return network(inputs, training=False)

        batches = []
        for start in range(0, num_samples, batch_size):
            chunk_labels = None if labels is None else labels[start : start + batch_size]
            images = self.sample_images(generator, noise[start : start + batch_size], chunk_labels, **options)
            batches.append(ops.convert_to_numpy(images))
        return np.concatenate(batches).astype("float32")

    def export_generator(self, path, use_ema=True, format="tf_saved_model"):
        """Writes the generator as a TensorFlow SavedModel that serves without kerasgan.

        Signatures: `serving_default` (latents, and labels for conditional
        models, to images) and `sample(n, seed)` (plus `labels` for
        conditional models), which reproduces `generate(n, seed=seed)`.
        See `kerasgan.export.export_generator`.

        Args:
            path: folder to write (a file for LiteRT and ONNX).
            use_ema: export `ema_generator` when the model keeps one.
            format: `"tf_saved_model"` (default), `"litert"` or `"onnx"`.

        Returns:
            The path written.

        Example:
            >>> gan.export_generator("exported/dcgan")  # doctest: +SKIP
            >>> served = tf.saved_model.load("exported/dcgan")  # doctest: +SKIP
        """
        from kerasgan.export import export_generator

        return export_generator(self, path, use_ema=use_ema, format=format)

    # -------------------------------------------------------------- config

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "image_shape": self.image_shape,
                "latent_dim": self.latent_dim,
                "num_classes": self.num_classes,
                "n_critic": self.n_critic
                if isinstance(self.n_critic, int)
                else keras.saving.serialize_keras_object(self.n_critic),
                "minibatch_stddev": self.minibatch_stddev,
                "ema_decay": self.ema_decay,
                "ema_warmup": self.ema_warmup,
            }
        )
        return config
