"""Controllers: state that steers training, updated from the step's statistics.

A controller is a Keras layer, so whatever it keeps (ADA's probability,
running means) is a saved weight: a `.keras` file or a checkpoint resumes it
exactly. The core feeds it, on both backends, inside the compiled step:
`observe(terms, batch_size)` after every update with that update's terms
(the statistics it `reads` included), then `end_step(step)` once all of the
step's phases ran. What it `logs` joins the step's logs (progress bar,
History, CSVLogger, TensorBoard).

Discriminator augmentations (`DiscriminatorAugmentation`) are controllers
that the core's one discriminator call (`BaseGAN.call_discriminator`)
applies to every image a discriminator sees while training.
"""

import keras

# Statistics the core's discriminator call reports when something reads them:
# `real_sign` E[sign(D(real))] (ADA's r_t), `real_accuracy` the fraction of
# real images scored real (logit > 0), `fake_accuracy` the fraction of fakes
# scored fake (logit < 0), each over the batch of the discriminator phase.
DISCRIMINATOR_STATISTICS = ("real_sign", "real_accuracy", "fake_accuracy")

AUGMENTATIONS = {}


def register_augmentation(name, package="kerasgan"):
    """Class decorator: makes a `DiscriminatorAugmentation` available by name.

    After it, `augmentation="<name>"` on any model builds the class with its
    default arguments (`get_augmentation`). The class is also registered as
    Keras-serializable (under `package`), so a saved model rebuilds
    its augmentation from the file; give it a `get_config` listing its
    constructor arguments.

    Args:
        name: the name models accept, e.g. `"ada"`; registering a name again
            replaces the class it picks.
        package: the Keras serialization package; defaults to `"kerasgan"`,
            give your own for your own classes (e.g. `"my_project"`).

    Returns:
        The decorator, which returns the class unchanged.

    Example:
        >>> @register_augmentation("keep_images", package="my_project")
        ... class KeepImages(DiscriminatorAugmentation):
        ...     def augment(self, images, gan):
        ...         return images
        >>> type(get_augmentation("keep_images")).__name__
        'KeepImages'
    """

    def register(cls):
        AUGMENTATIONS[name] = cls
        return keras.saving.register_keras_serializable(package=package)(cls)

    return register


class Controller(keras.layers.Layer):
    """Base class of state updated from a training step's statistics.

    Subclasses set `reads` (the names of the statistics or terms they
    observe), `logs` (the names of the values they log every step) and
    override `observe`, `end_step` and `logged_values`, writing their
    updates with `keras.ops` and `Variable.assign` (no Python branching on
    tensor values), so that they run inside a compiled step on TensorFlow
    and on JAX. A model's controllers are its augmentation and the
    `controllers=` it was given; for each, the core calls `observe` after
    every update (skipped ones too) and `end_step` once per step, then logs
    `logged_values()`. Naming a discriminator statistic in `reads`
    (`real_sign`, `real_accuracy`, `fake_accuracy`) makes the core's
    discriminator call report it. The state lives in the layer's weights
    (`add_weight(..., trainable=False)`), so `.keras` files and checkpoints
    resume it; list the constructor arguments in `get_config`.

    Args:
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Example:
        >>> import keras
        >>> class UpdateCounter(Controller):
        ...     logs = ("updates_seen",)
        ...     def __init__(self, **kwargs):
        ...         super().__init__(**kwargs)
        ...         self.count = self.add_weight(shape=(), initializer="zeros", trainable=False)
        ...     def observe(self, terms, batch_size):
        ...         self.count.assign(self.count + 1.0)
        ...     def logged_values(self):
        ...         return {"updates_seen": self.count}
        >>> counter = UpdateCounter()
        >>> counter.observe({"d_loss": keras.ops.convert_to_tensor(0.7)}, 32)
        >>> float(counter.logged_values()["updates_seen"])
        1.0
        >>> gan = kerasgan.DCGAN(latent_dim=8, controllers=[counter])  # observes every update

    Reference:
        Karras et al., "Training Generative Adversarial Networks with
        Limited Data", NeurIPS 2020 (ADA's probability, state steered by a
        statistic of training).
    """

    reads = ()
    logs = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.built = True

    def observe(self, terms, batch_size):
        """Takes the terms of one update (called after every update, skipped ones too).

        Args:
            terms: dict of scalar tensors: the update's terms and the
                statistics reported during it.
            batch_size: scalar int tensor, the examples the terms are means over.
        """

    def end_step(self, step):
        """Updates the state once the step's phases ran.

        Args:
            step: scalar int32 tensor, the index of the step that just ran
                (0 for the first step of training).
        """

    def logged_values(self):
        """Returns `{name: scalar}` for each name in `logs` (logged every step)."""
        return {}


class DiscriminatorAugmentation(Controller):
    """Base class of an augmentation of everything a discriminator sees.

    The core applies `augment` in every discriminator call made while
    training (`BaseGAN.call_discriminator`): real and generated images, in
    every phase and every regularizer, on every variant; calls with
    `training=False` see the images as they are. A subclass draws its
    random numbers with `gan.random_per_example(sampler, batch_size, shape)`
    (the model's seed generator, per example, right under a distribution
    strategy) and must be differentiable in the images, since the generator
    learns through it. Being a `Controller`, it may also keep state steered
    by the step's statistics (ADA's probability). Register it with
    `register_augmentation` to make it available by name.

    Args:
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Example:
        >>> import keras
        >>> class RandomBrightness(DiscriminatorAugmentation):
        ...     def augment(self, images, gan):
        ...         batch_size = keras.ops.shape(images)[0]
        ...         shift = gan.random_per_example(keras.random.uniform, batch_size, (1, 1, 1))
        ...         return images + keras.ops.cast(0.2 * shift - 0.1, images.dtype)
        >>> gan = kerasgan.DCGAN(latent_dim=8, seed=0, augmentation=RandomBrightness())
        >>> tuple(gan.augmentation.augment(keras.ops.zeros((2, 28, 28, 1)), gan).shape)
        (2, 28, 28, 1)

    Reference:
        Zhao et al., "Differentiable Augmentation for Data-Efficient GAN
        Training", NeurIPS 2020; Karras et al., "Training Generative
        Adversarial Networks with Limited Data", NeurIPS 2020.
    """

    def augment(self, images, gan):
        """Returns augmented `images` (same shape and dtype).

        Args:
            images: float tensor `(batch, H, W, C)`, values about `[-1, 1]`.
            gan: the model being trained (its seed generator, `train_steps`).

        Returns:
            Tensor of the images' shape and dtype.
        """
        raise NotImplementedError(f"{type(self).__name__} must define augment(images, gan).")


def get_augmentation(augmentation):
    """Resolves a model's `augmentation=` argument.

    Args:
        augmentation: None, a `DiscriminatorAugmentation`, its registered
            name (`"diffaugment"`, `"ada"`, ...) or its serialized config.

    Returns:
        None or a `DiscriminatorAugmentation`.

    Raises:
        ValueError: an unknown name or an object that is not an augmentation.

    Example:
        >>> type(get_augmentation("diffaugment")).__name__, get_augmentation(None)
        ('DiffAugment', None)
    """
    if augmentation is None or isinstance(augmentation, DiscriminatorAugmentation):
        return augmentation
    if isinstance(augmentation, dict):
        augmentation = keras.saving.deserialize_keras_object(augmentation)
        if isinstance(augmentation, DiscriminatorAugmentation):
            return augmentation
    if isinstance(augmentation, str):
        import kerasgan.remedies  # noqa: F401 (registers the built-in augmentations)

        if augmentation in AUGMENTATIONS:
            return AUGMENTATIONS[augmentation]()
        raise ValueError(
            f"Unknown augmentation {augmentation!r}; the known ones are {sorted(AUGMENTATIONS)}. "
            "Pass one of them, a kerasgan DiscriminatorAugmentation, or None."
        )
    raise ValueError(
        "augmentation must be None, a name such as 'diffaugment' or 'ada', or a "
        f"kerasgan DiscriminatorAugmentation; received {augmentation!r}."
    )
