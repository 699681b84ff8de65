"""The `GAN` base class: networks, losses, trackers, sampling and saving.

The gradient updates come from the backend's trainer mixin
(`kerasgan.backend`); everything here is backend independent. A variant is a
small subclass that changes class-level defaults (loss, number of critic
steps, latent size), the networks it builds and the optimizers of its paper.
"""

import keras
import numpy as np
from keras import ops

from kerasgan.backend import GANTrainer
from kerasgan.losses import get_adversarial_loss
from kerasgan.models.checks import check_images, check_labels, check_networks, prepare_labels
from kerasgan.models.ema import clone_for_ema, update_ema
from kerasgan.networks import build_mlp_discriminator, build_mlp_generator
from kerasgan.networks.validation import (
    validate_image_shape,
    validate_num_classes,
    validate_positive_int,
)


def _paired(inputs, labels):
    # Keras refuses a list mixing tensors and NumPy arrays.
    return [ops.convert_to_tensor(inputs), ops.convert_to_tensor(labels)]


@keras.saving.register_keras_serializable(package="kerasgan")
class GAN(GANTrainer, keras.Model):
    """A generative adversarial network trained with `fit()`.

    Holds a generator and a discriminator. Each training step takes
    `n_critic` discriminator updates (fresh latents each, the same real
    batch), then one generator update, each with its own optimizer. Logged
    figures: `d_loss` (adversarial part), `g_loss` and one entry per
    regularizer (`gp`, `r1`): running means over the epoch.

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
        regularizers: list of `kerasgan.losses.Regularizer` added to the
            discriminator loss. Defaults to the variant's (none here).
        n_critic: discriminator updates per generator update. Defaults to the
            variant's (1 here).
        seed: int seed of the model's `keras.random.SeedGenerator`, which
            draws every latent and every interpolation weight in training.
        ema_decay: None, or a decay in `[0, 1)` (e.g. 0.999) to keep an
            exponential moving average of the generator weights in
            `ema_generator`, updated after every generator step, saved with
            the model and used by `generate()`.
        **kwargs: passed to `keras.Model` (e.g. `name`).

    Example:
        >>> gan = kerasgan.GAN(image_shape=(28, 28, 1), latent_dim=64, seed=0)
        >>> gan.compile()
        >>> gan.fit(kerasgan.data.load("fashion_mnist"), epochs=1)
        >>> images = gan.generate(16, seed=0)   # (16, 28, 28, 1) in [-1, 1]

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
    """

    default_latent_dim = 100
    default_loss = "non_saturating"
    default_n_critic = 1
    requires_labels = False  # True for variants that are always conditional

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
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.image_shape = validate_image_shape(image_shape)
        self.latent_dim = validate_positive_int(
            latent_dim or self.default_latent_dim, "latent_dim"
        )
        self.num_classes = validate_num_classes(num_classes)
        self.adversarial_loss = loss or self.default_loss
        self.loss_functions = get_adversarial_loss(self.adversarial_loss)
        self.n_critic = validate_positive_int(n_critic or self.default_n_critic, "n_critic")
        self.regularizers = list(
            self.default_regularizers() if regularizers is None else regularizers
        )
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="seed_generator")
        self.generator = generator or self.build_generator()
        self.discriminator = discriminator or self.build_discriminator()
        check_networks(self)
        if ema_decay is not None and not 0.0 <= ema_decay < 1.0:
            raise ValueError(f"ema_decay must be None or in [0, 1); received {ema_decay!r}.")
        self.ema_decay = ema_decay
        self.ema_generator = None if ema_decay is None else clone_for_ema(self.generator)
        names = ["d_loss", "g_loss"] + [regularizer.name for regularizer in self.regularizers]
        self.trackers = {name: keras.metrics.Mean(name=name) for name in names}
        self.d_optimizer = None
        self.g_optimizer = None
        self.built = True

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
        return build_mlp_discriminator(self.image_shape, num_classes=self.num_classes)

    def default_regularizers(self):
        """Returns the variant's default discriminator regularizers (none here)."""
        return []

    def default_optimizers(self):
        """Returns `(d_optimizer, g_optimizer)` used by `compile()` for "auto".

        Adam(2e-4, beta_1=0.5) for both networks: the setting of Radford et
        al. that became the standard for the original GAN too (the 2014
        paper used SGD with momentum).
        """
        return (
            keras.optimizers.Adam(2e-4, beta_1=0.5),
            keras.optimizers.Adam(2e-4, beta_1=0.5),
        )

    # ------------------------------------------------------------ compile

    def compile(self, d_optimizer="auto", g_optimizer="auto", **kwargs):
        """Sets the two optimizers and the `fit()` options.

        Args:
            d_optimizer: discriminator optimizer: a `keras.optimizers.Optimizer`,
                its name, or `"auto"` for the variant's paper setting.
            g_optimizer: generator optimizer, likewise.
            **kwargs: `keras.Model.compile` options such as `jit_compile`,
                `steps_per_execution`, `run_eagerly`, `auto_scale_loss`.
                `loss`, `optimizer` and `metrics` are not accepted: the loss
                is chosen in the constructor.

        Example:
            >>> gan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
            ...             g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
        """
        for name in ("loss", "optimizer", "metrics", "loss_weights", "weighted_metrics"):
            if name in kwargs:
                raise ValueError(
                    f"{type(self).__name__}.compile() does not take {name}=. Choose "
                    "the adversarial loss in the constructor (e.g. "
                    f"{type(self).__name__}(loss='hinge')) and pass d_optimizer= "
                    "and g_optimizer= here."
                )
        auto_scale_loss = kwargs.pop("auto_scale_loss", True)
        super().compile(optimizer=None, auto_scale_loss=auto_scale_loss, **kwargs)
        defaults = self.default_optimizers()
        self.d_optimizer = self._resolve_optimizer(d_optimizer, defaults[0], auto_scale_loss)
        self.g_optimizer = self._resolve_optimizer(g_optimizer, defaults[1], auto_scale_loss)
        if self.d_optimizer is self.g_optimizer:
            raise ValueError(
                "d_optimizer and g_optimizer are the same object; give each "
                "network its own optimizer instance."
            )
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)
        self._compile_options = {
            key: kwargs[key] for key in ("steps_per_execution", "jit_compile") if key in kwargs
        }

    def _resolve_optimizer(self, optimizer, default, auto_scale_loss):
        optimizer = default if optimizer == "auto" else keras.optimizers.get(optimizer)
        if (
            auto_scale_loss
            and self.dtype_policy.name == "mixed_float16"
            and not isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
        ):
            optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
        return optimizer

    def get_compile_config(self):
        if self.d_optimizer is None:
            return {}
        return {
            "d_optimizer": keras.saving.serialize_keras_object(self.d_optimizer),
            "g_optimizer": keras.saving.serialize_keras_object(self.g_optimizer),
            **self._compile_options,
        }

    def compile_from_config(self, config):
        if not config:
            return
        config = dict(config)
        for key in ("d_optimizer", "g_optimizer"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        self.compile(**config)

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
        return self.random_per_example(keras.random.normal, batch_size, (self.latent_dim,))

    def synthesize(self, latents, labels=None, training=False):
        """Runs the generator on latents (and labels for conditional models).

        Args:
            latents: `(batch, latent_dim)`.
            labels: int `(batch,)` for conditional models, else None.
            training: passed to the generator.

        Returns:
            Images `(batch, *image_shape)` in `[-1, 1]`.
        """
        inputs = latents if self.num_classes is None else _paired(latents, labels)
        return self.generator(inputs, training=training)

    def discriminate(self, images, labels=None, training=False):
        """Runs the discriminator on images (and labels for conditional models).

        Args:
            images: `(batch, *image_shape)` in `[-1, 1]`.
            labels: int `(batch,)` for conditional models, else None.
            training: passed to the discriminator.

        Returns:
            Logits `(batch, 1)`.
        """
        inputs = images if self.num_classes is None else _paired(images, labels)
        return self.discriminator(inputs, training=training)

    # ------------------------------------------------------------- losses

    def discriminator_objective(self, real_images, fake_images, labels=None):
        """The discriminator's total loss and the terms to log.

        Args:
            real_images: `(batch, *image_shape)` in `[-1, 1]`.
            fake_images: generated images, same shape.
            labels: int `(batch,)` for conditional models, else None.

        Returns:
            `(total_loss, terms)`: the adversarial loss plus each weighted
            regularizer, and a dict `{"d_loss": ..., "<regularizer>": ...}`.
        """
        real_logits = self.discriminate(real_images, labels, training=True)
        fake_logits = self.discriminate(fake_images, labels, training=True)
        loss = self.loss_functions.discriminator_loss(real_logits, fake_logits)
        terms = {"d_loss": loss}
        total = loss
        for regularizer in self.regularizers:
            value = regularizer.penalty(self, real_images, fake_images, labels)
            terms[regularizer.name] = value
            total = total + regularizer.weight * value
        return total, terms

    def generator_objective(self, fake_images, labels=None):
        """The generator's loss and the terms to log.

        Args:
            fake_images: generated images `(batch, *image_shape)`.
            labels: int `(batch,)` for conditional models, else None.

        Returns:
            `(loss, {"g_loss": loss})`.
        """
        fake_logits = self.discriminate(fake_images, labels, training=True)
        loss = self.loss_functions.generator_loss(fake_logits)
        return loss, {"g_loss": loss}

    def after_discriminator_step(self):
        """Hook run after each discriminator update (WGAN clips weights here)."""

    def after_generator_step(self):
        """Hook run after each generator update: updates the EMA generator."""
        if self.ema_generator is not None:
            update_ema(self.ema_generator, self.generator, self.ema_decay)

    # ----------------------------------------------------------- trackers

    @property
    def metrics(self):
        return list(self.trackers.values())

    def update_trackers(self, terms, batch_size):
        """Adds each logged term to its running-mean tracker.

        Args:
            terms: dict of scalar tensors, means over this batch.
            batch_size: number of examples the terms are means over; the
                trackers weight each batch by it, so the epoch figure is the
                mean over examples, across replicas too.
        """
        for name, value in terms.items():
            self.trackers[name].update_state(value, sample_weight=batch_size)

    def tracker_results(self):
        """Returns `{name: running mean}` for every tracker."""
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    # --------------------------------------------------------- validation

    def unpack_batch(self, data):
        """Splits a `fit()` batch into images and labels, checking both.

        Args:
            data: images, or `(images, labels)` / `(images, labels, weights)`.

        Returns:
            `(images, labels)`; labels are int32 `(batch,)` for conditional
            models and None otherwise (labels of unconditional models are
            ignored).

        Raises:
            ValueError: wrong image shape or dtype, missing or malformed labels.
        """
        images, labels, _ = keras.utils.unpack_x_y_sample_weight(data)
        images = check_images(self, images)
        if self.num_classes is None:
            return images, None
        return images, check_labels(self, labels)

    # ----------------------------------------------------------- sampling

    def generate(self, num_samples, seed=None, labels=None, batch_size=256, use_ema=True):
        """Generates images (inference mode), reproducibly for a fixed seed.

        Args:
            num_samples: number of images.
            seed: int for reproducible latents; None draws fresh ones.
            labels: for conditional models, one class id for all samples or
                an int array `(num_samples,)`; must be None otherwise.
            batch_size: generator batch size. Defaults to 256.
            use_ema: sample from `ema_generator` when the model keeps one.

        Returns:
            Float32 NumPy array `(num_samples, *image_shape)` in `[-1, 1]`.

        Example:
            >>> images = gan.generate(64, seed=0)
            >>> shoes = cgan.generate(8, seed=0, labels=7)
        """
        validate_positive_int(num_samples, "num_samples")
        labels = prepare_labels(self, labels, num_samples)
        latents = keras.random.normal((num_samples, self.latent_dim), seed=seed)
        generator = self.generator if not use_ema or self.ema_generator is None else self.ema_generator
        batches = []
        for start in range(0, num_samples, batch_size):
            chunk = latents[start : start + batch_size]
            if labels is not None:
                chunk = [chunk, ops.convert_to_tensor(labels[start : start + batch_size])]
            inputs = chunk
            batches.append(ops.convert_to_numpy(generator(inputs, training=False)))
        return np.concatenate(batches).astype("float32")

    def export_generator(self, path, use_ema=True):
        """Writes the generator as a TensorFlow SavedModel that serves without kerasgan.

        Signatures: `serving_default` (latents, and labels for conditional
        models, to images) and `sample(n, seed)` (plus `labels` for
        conditional models), which reproduces `generate(n, seed=seed)`.

        Args:
            path: folder to write.
            use_ema: export `ema_generator` when the model keeps one.

        Returns:
            The path written.

        Example:
            >>> gan.export_generator("exported/dcgan")  # doctest: +SKIP
            >>> served = tf.saved_model.load("exported/dcgan")  # doctest: +SKIP
        """
        from kerasgan.export import export_generator

        return export_generator(self, path, use_ema=use_ema)

    # -------------------------------------------------------------- saving

    def save_own_variables(self, store):
        # The networks save themselves; the GAN's own state is its seed
        # generator, which Keras does not save. Without it a resumed run would
        # replay the latents of its first steps.
        store["seed_generator_state"] = self.seed_generator.state.numpy()

    def load_own_variables(self, store):
        if "seed_generator_state" not in list(store.keys()):
            raise ValueError(
                f"This file holds no seed-generator state for {type(self).__name__}: "
                "it was not written by kerasgan's GAN.save(). Load it with the "
                "class that wrote it, or retrain."
            )
        self.seed_generator.state.assign(store["seed_generator_state"])

    # -------------------------------------------------------------- config

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "image_shape": self.image_shape,
                "latent_dim": self.latent_dim,
                "num_classes": self.num_classes,
                "generator": keras.saving.serialize_keras_object(self.generator),
                "discriminator": keras.saving.serialize_keras_object(self.discriminator),
                "loss": self.adversarial_loss,
                "regularizers": [
                    keras.saving.serialize_keras_object(r) for r in self.regularizers
                ],
                "n_critic": self.n_critic,
                "seed": self.seed,
                "ema_decay": self.ema_decay,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        config["regularizers"] = [
            keras.saving.deserialize_keras_object(r) for r in config.get("regularizers", [])
        ]
        return cls(**config)
