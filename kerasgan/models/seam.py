"""The core's one discriminator call, the statistics it reports, gates and controllers.

`DiscriminatorSeam` is a part of `kerasgan.models.BaseGAN`: every
discriminator call of every variant goes through `call_discriminator`, which
applies the model's augmentation while training and reports the statistics
that controllers (`kerasgan.models.Controller`) and gates read.
"""

import keras

from kerasgan.models.controller import Controller


class DiscriminatorSeam:
    """Mixin of `BaseGAN`: the discriminator call, reported statistics and controllers."""

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
            inputs = [keras.ops.convert_to_tensor(images), keras.ops.convert_to_tensor(labels)]
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
        and they are logged.

        Args:
            name: the statistic's name, e.g. `"real_sign"`.
            value: scalar tensor.
        """
        reports = self.__dict__.get("step_reports")
        if reports is not None and name in self.wanted_statistics:
            reports.setdefault(name, []).append(keras.ops.cast(value, "float32"))

    @property
    def controllers(self):
        """The model's controllers: its augmentation, stateful regularizers and extra controllers."""
        parts = [self.augmentation, *self.regularizers, *self.extra_controllers]
        return [part for part in parts if isinstance(part, Controller)]

    def end_step(self, step):
        """Runs every controller's `end_step` and logs what they log; the trainers call it.

        Args:
            step: scalar int32 tensor, the index of the step that just ran.
        """
        for controller in self.controllers:
            controller.end_step(step)
            for name, value in controller.logged_values().items():
                self.trackers[name].update_state(keras.ops.cast(value, "float32"))

    def check_gates(self):
        """Checks that each gate of `gates=` attaches to an existing phase."""
        names = [phase.name for phase in self.phases()]
        unknown = sorted(set(self.gates) - set(names))
        if unknown:
            raise ValueError(
                f"gates= names phase(s) {unknown}, but {type(self).__name__}'s phases are {names}."
            )


def reads_of(part):
    """The statistic or term names a controller or gate reads (none for a plain callable)."""
    return tuple(getattr(part, "reads", ()))


def both_gates(first, second):
    """A gate that lets an update through when both gates do (None: no gate)."""
    if first is None:
        return second
    return lambda terms: keras.ops.logical_and(first(terms), second(terms))


def checked_gates(gates, model_name):
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
    controllers = list(controllers or [])
    for controller in controllers:
        if not isinstance(controller, Controller):
            raise ValueError(
                f"{model_name}'s controllers must be kerasgan.models.Controller layers; received "
                f"{type(controller).__name__}."
            )
    return controllers
