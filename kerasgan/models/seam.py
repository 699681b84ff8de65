"""The core's one discriminator call, the statistics it reports, gates and controllers.

`DiscriminatorSeam` is a part of `kerasgan.models.BaseGAN`: every
discriminator call of every variant goes through `call_discriminator`, which
applies the model's augmentation while training and reports the statistics
that controllers (`kerasgan.models.Controller`) and gates read.
"""

import keras

from kerasgan.models.controller import Controller


def paired(inputs, labels):
    """`[inputs, labels]` as tensors: a network input of images or latents with their labels.

    Keras refuses a list that mixes tensors and NumPy arrays.

    Example:
        >>> latents, labels = paired(keras.ops.zeros((2, 4)), [3, 7])
        >>> tuple(labels.shape)
        (2,)
    """
    return [keras.ops.convert_to_tensor(inputs), keras.ops.convert_to_tensor(labels)]


class DiscriminatorSeam:
    """Mixin of `BaseGAN`: the discriminator call, reported statistics and controllers.

    Gives every model one place where its discriminators are called
    (`call_discriminator`), so that an augmentation (`augmentation=`) or a
    statistic reaches every variant without the variant knowing; the
    statistics a controller or gate `reads` are collected per update
    (`report`) and join that update's terms; the model's controllers
    (`controllers`) observe every update and run `end_step` after every
    step (the trainers call `end_step`). The model supplies
    `augmentation`, `regularizers`, `extra_controllers`, `gates`,
    `trackers` and `wanted_statistics` (set by `BaseGAN`).

    Example:
        >>> gan = kerasgan.DCGAN(latent_dim=8, augmentation="ada")
        >>> [type(controller).__name__ for controller in gan.controllers], gan.wanted_statistics
        (['AdaptiveAugmentation'], ('real_sign',))

    Reference:
        Karras et al., "Training Generative Adversarial Networks with
        Limited Data", NeurIPS 2020 (the official code's single `run_D`,
        through which every discriminator call passes its augmentation).
    """

    def call_discriminator(self, name, images, condition=None, labels=None, training=True, real=None):
        """The one call of every discriminator of every variant.

        While training, the model's `augmentation` (if any) is applied to
        the images first, to real and generated ones alike, in every phase
        and every regularizer; an image `condition` (Pix2Pix's source) is
        augmented together with the images, so both get the same transform.
        With `real=True` (real images) or `real=False` (generated ones) the
        call reports the statistics that a controller or gate reads:
        `real_sign` (E[sign(D(real))], ADA's r_t), `real_accuracy` and
        `fake_accuracy`.

        Args:
            name: the network's name, e.g. `"discriminator"` or `"d_a"`.
            images: `(batch, H, W, C)` images in `[-1, 1]`.
            condition: None, or condition images `(batch, H, W, C')`, passed
                first (`[condition, images]`).
            labels: None, or int labels `(batch,)`, passed second
                (`[images, labels]`).
            training: passed to the network; augmentation applies only
                while training. Defaults to True.
            real: None (no statistics), True or False.

        Returns:
            The network's outputs (logits `(batch, 1)`, patch logits, or a
            list whose first entry is the logits).

        Example:
            >>> import keras
            >>> gate = kerasgan.SkipWhileAhead("d_accuracy", above=0.9)
            >>> gan = kerasgan.DCGAN(latent_dim=8, seed=0, gates={"discriminator": gate})
            >>> logits = gan.call_discriminator("discriminator", keras.ops.zeros((4, 28, 28, 1)))
            >>> tuple(logits.shape)
            (4, 1)
            >>> batch = gan.unpack_batch(keras.ops.zeros((4, 28, 28, 1)))
            >>> total, terms = gan.phase_objective(gan.phase_named("discriminator"), batch)
            >>> sorted(terms)  # the statistics the gate reads joined the update's terms
            ['d_loss', 'fake_accuracy', 'real_accuracy']
        """
        network = getattr(self, name)
        if training and self.augmentation is not None:
            if condition is None:
                images = self.augmentation.augment(images, self)
            else:
                split = condition.shape[-1]
                condition = keras.ops.cast(condition, images.dtype)
                both = self.augmentation.augment(keras.ops.concatenate([condition, images], axis=-1), self)
                condition, images = both[..., :split], both[..., split:]
        if condition is not None:
            inputs = [condition, images]
        elif labels is not None:
            inputs = paired(images, labels)
        else:
            inputs = images
        outputs = network(inputs, training=training)
        if real is not None and training and self.wanted_statistics:
            logits = outputs[0] if isinstance(outputs, (list, tuple)) else outputs
            logits = keras.ops.cast(logits, "float32")
            if real:
                self.report("real_sign", keras.ops.mean(keras.ops.sign(logits)))
                self.report("real_accuracy", keras.ops.mean(keras.ops.cast(logits > 0, "float32")))
            else:
                self.report("fake_accuracy", keras.ops.mean(keras.ops.cast(logits < 0, "float32")))
        return outputs

    def report(self, name, value):
        """Reports a statistic of the current update, if a controller or gate reads it.

        Reported statistics join the update's terms (several reports of one
        name in an update are averaged): gates and controllers read them
        and they are logged. A name that nothing reads
        (`wanted_statistics`), or a report made outside an update's
        objective, is dropped, so reporting costs nothing unless a
        controller or gate asks for it. The core's discriminator call
        reports `real_sign`, `real_accuracy` and `fake_accuracy`; a variant
        may report statistics of its own in its objectives.

        Args:
            name: the statistic's name, e.g. `"real_sign"`.
            value: scalar tensor (cast to float32).

        Example:
            >>> gan = kerasgan.DCGAN(latent_dim=8, augmentation="ada")
            >>> gan.wanted_statistics  # ADA reads real_sign: only it is kept
            ('real_sign',)
            >>> gan.report("real_sign", 1.0)  # outside an update: dropped
        """
        reports = self.__dict__.get("step_reports")
        if reports is not None and name in self.wanted_statistics:
            reports.setdefault(name, []).append(keras.ops.cast(value, "float32"))

    @property
    def controllers(self):
        """The model's controllers: its augmentation, stateful regularizers and extra controllers.

        Each of `augmentation`, `regularizers` and `controllers=` (the
        `extra_controllers`) that is a `kerasgan.models.Controller`, in that
        order.

        Returns:
            List of `Controller` layers.

        Example:
            >>> noise = kerasgan.remedies.InstanceNoise(0.1)
            >>> [type(c).__name__ for c in kerasgan.DCGAN(latent_dim=8, augmentation=noise).controllers]
            ['InstanceNoise']
        """
        parts = [self.augmentation, *self.regularizers, *self.extra_controllers]
        return [part for part in parts if isinstance(part, Controller)]

    def end_step(self, step):
        """Runs every controller's `end_step` and logs what they log; the trainers call it.

        Called once per training step, after all of the step's phases ran
        and before `train_steps` moves on, inside the compiled step. Each
        value a controller's `logged_values` returns is added to its
        tracker (the step's logs).

        Args:
            step: scalar int32 tensor, the index of the step that just ran.

        Example:
            >>> import keras
            >>> noise = kerasgan.remedies.InstanceNoise(0.1, anneal_steps=10)
            >>> gan = kerasgan.DCGAN(latent_dim=8, augmentation=noise)
            >>> gan.end_step(keras.ops.convert_to_tensor(5, "int32"))
            >>> round(float(gan.trackers["augment_noise_stddev"].result()), 6)  # halfway down
            0.05
        """
        for controller in self.controllers:
            controller.end_step(step)
            for name, value in controller.logged_values().items():
                self.trackers[name].update_state(keras.ops.cast(value, "float32"))

    def check_gates(self):
        """Checks that each gate of `gates=` attaches to an existing phase.

        Raises:
            ValueError: a gate names a phase the model does not have; the
                message lists the phases it has.

        Example:
            >>> kerasgan.DCGAN(gates={"critic": kerasgan.SkipWhileAhead("d_loss", below=0.3)})
            Traceback (most recent call last):
            ...
            ValueError: gates= names phase(s) ['critic'], but DCGAN's phases are ['discriminator', ...].
        """
        names = [phase.name for phase in self.phases()]
        unknown = sorted(set(self.gates) - set(names))
        if unknown:
            raise ValueError(
                f"gates= names phase(s) {unknown}, but {type(self).__name__}'s phases are {names}."
            )


def reads_of(part):
    """The statistic or term names a controller or gate reads (none for a plain callable).

    Args:
        part: a `Controller`, a gate such as `SkipWhileAhead`, or any callable.

    Returns:
        Tuple of names: the part's `reads`, or `()` when it has none.

    Example:
        >>> from kerasgan.models.gates import SkipWhileAhead
        >>> reads_of(SkipWhileAhead("real_sign", above=0.9)), reads_of(lambda terms: True)
        (('real_sign',), ())
    """
    return tuple(getattr(part, "reads", ()))


def both_gates(first, second):
    """A gate that lets an update through when both gates do (None: no gate).

    How `BaseGAN` combines a phase's own gate with the one `gates=` adds.

    Args:
        first: None or a gate, a callable `terms -> boolean scalar`.
        second: a gate.

    Returns:
        `second` when `first` is None, else a gate returning the logical
        and of both.

    Example:
        >>> gate = both_gates(lambda terms: terms["d_loss"] > 0.3, lambda terms: terms["d_loss"] < 5.0)
        >>> bool(gate({"d_loss": 1.0})), bool(gate({"d_loss": 0.1}))
        (True, False)
    """
    if first is None:
        return second
    return lambda terms: keras.ops.logical_and(first(terms), second(terms))


def checked_gates(gates, model_name):
    """Checks a model's `gates=` argument: a mapping of phase names to callables.

    Args:
        gates: None or a dict `{phase name: gate}`.
        model_name: the model's class name, for messages.

    Returns:
        A dict (empty for None).

    Raises:
        ValueError: a gate that is not callable.

    Example:
        >>> checked_gates(None, "DCGAN")
        {}
    """
    gates = dict(gates or {})
    for name, gate in gates.items():
        if not callable(gate):
            raise ValueError(
                f"{model_name}'s gates maps phase names to callables terms -> boolean scalar "
                f"(e.g. kerasgan.models.SkipWhileAhead('d_loss', below=0.3)); received {gate!r} "
                f"for phase {name!r}."
            )
    return gates


def checked_controllers(controllers, model_name):
    """Checks a model's `controllers=` argument: a list of `Controller` layers.

    Args:
        controllers: None or a list of `kerasgan.models.Controller`.
        model_name: the model's class name, for messages.

    Returns:
        A list (empty for None).

    Raises:
        ValueError: an entry that is not a `Controller`.

    Example:
        >>> checked_controllers(None, "DCGAN")
        []
    """
    controllers = list(controllers or [])
    for controller in controllers:
        if not isinstance(controller, Controller):
            raise ValueError(
                f"{model_name}'s controllers must be kerasgan.models.Controller layers; received "
                f"{type(controller).__name__}."
            )
    return controllers
