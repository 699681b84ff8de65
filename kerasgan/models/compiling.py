"""`PerNetworkOptimizers`: one optimizer per trained network, and `compile()` around them."""

import keras

from kerasgan.utils.validation import validate_positive_int


class PerNetworkOptimizers:
    """Mixin of `BaseGAN`: optimizer slots, `compile()` and its saved config.

    Each network that some phase trains gets an optimizer, stored in the
    attribute `optimizer_attribute(name)` (`"<name>_optimizer"`, or a short
    name from the class's `optimizer_names`, e.g. `g_optimizer`). The
    compile config records every optimizer and the `fit()` options
    (`auto_scale_loss=False` included), and `compile_from_config` builds the
    optimizers over their networks' variables so that a loaded model resumes
    with their state.
    """

    def optimizer_attribute(self, network_name):
        """The attribute (and `compile()` keyword) holding a network's optimizer."""
        return self.optimizer_names.get(network_name, f"{network_name}_optimizer")

    def optimizer_slots(self):
        """Optimizer attribute names, one per network that some phase trains."""
        trained = []
        for phase in self.phases():
            trained.extend(n for n in phase.networks if n not in trained)
        return [self.optimizer_attribute(name) for name in trained]

    def optimizer_for(self, network_name):
        """Returns the optimizer of a trained network (after `compile()`)."""
        optimizer = getattr(self, self.optimizer_attribute(network_name))
        if optimizer is None:
            raise ValueError(f"{type(self).__name__} is not compiled; call compile() first.")
        return optimizer

    def updates_before(self, network_name, step):
        """The number of updates a network's phases make in training steps `0 .. step - 1`.

        That is its optimizer's `iterations` after `step` training steps when
        no gate skips an update (a skipped update does not count, so a gated
        phase's optimizer is behind it). A Keras learning-rate schedule counts
        those iterations, not training steps: a schedule meant to act at
        training step `s` acts at iteration `updates_before(name, s)`, which
        for a critic with `n_critic=5` is `5 * s`.

        Args:
            network_name: a network some phase trains, e.g. `"discriminator"`.
            step: a training step count, at least 0.

        Returns:
            An int.

        Example:
            >>> gan = kerasgan.WGAN(latent_dim=8)
            >>> gan.updates_before("discriminator", 100), gan.updates_before("generator", 100)
            (500, 100)
        """
        step = validate_positive_int(step, "updates_before step", minimum=0)
        phases = [phase for phase in self.phases() if network_name in phase.networks]
        if not phases:
            trained = sorted({n for phase in self.phases() for n in phase.networks})
            raise ValueError(
                f"{type(self).__name__} trains no network named {network_name!r}; its trained "
                f"networks are {trained}."
            )
        total = 0
        for phase in phases:
            end = step if phase.stop is None else min(step, phase.stop)
            if end <= phase.start:
                continue
            if not phase.repeat_is_scheduled:
                due_steps = (end - phase.start + phase.every - 1) // phase.every
                total += due_steps * int(phase.repeat)
            else:
                total += sum(int(phase.repeats_at(s)) for s in range(phase.start, end, phase.every))
        return total

    def lazy_ratio(self, network_name):
        """The ratio `c` of StyleGAN2's optimizer rescaling for a lazily regularized network.

        A network whose phase has a lazy regularizer phase every `k` steps
        (`training_phases`: `<phase>_reg`) takes `1 + 1/k` updates per step
        on average instead of 1; StyleGAN2 keeps its effective optimizer
        the same by using `lr * c` and `beta ** c` with `c = k / (k + 1)`.
        With several lazy groups `c = 1 / (1 + sum(1 / k))`; without any, 1.

        Args:
            network_name: a network some phase trains.

        Returns:
            A float in `(0, 1]`.

        Example:
            >>> gan = kerasgan.DCGAN(regularizers=[kerasgan.losses.R1Penalty(5.0, every=16)])
            >>> gan.lazy_ratio("discriminator"), gan.lazy_ratio("generator")
            (0.9411764705882353, 1.0)

        Reference:
            Karras et al., "Analyzing and Improving the Image Quality of
            StyleGAN", CVPR 2020 (appendix B, lazy regularization).
        """
        phases = {phase.name for phase in self.phases() if network_name in phase.networks}
        intervals = {(r.phase, r.every) for r in self.regularizers if r.phase in phases and r.every > 1}
        return 1.0 / (1.0 + sum(1.0 / every for _, every in intervals))

    def lazy_adam(self, network_name, learning_rate, beta_1=0.0, beta_2=0.99, epsilon=1e-8):
        """Adam with StyleGAN2's rescaling for lazy phases: `lr * c`, `beta_1 ** c`, `beta_2 ** c`.

        `c = lazy_ratio(network_name)` (1, no change, for a network without
        a lazy regularizer). Any variant whose default optimizer should
        account for its lazy phases returns this from `default_optimizer`.

        Args:
            network_name: the network the optimizer trains.
            learning_rate: the paper's learning rate before rescaling.
            beta_1, beta_2: Adam's betas before rescaling. Default to
                StyleGAN2's 0 and 0.99.
            epsilon: Adam's epsilon. Defaults to 1e-8.

        Returns:
            A `keras.optimizers.Adam`.

        Example:
            >>> gan = kerasgan.DCGAN(regularizers=[kerasgan.losses.R1Penalty(5.0, every=16)])
            >>> round(float(gan.lazy_adam("discriminator", 0.0025).learning_rate), 6)
            0.002353

        Reference:
            Karras et al., "Analyzing and Improving the Image Quality of
            StyleGAN", CVPR 2020 (appendix B, lazy regularization).
        """
        ratio = self.lazy_ratio(network_name)
        return keras.optimizers.Adam(
            learning_rate * ratio, beta_1=beta_1**ratio, beta_2=beta_2**ratio, epsilon=epsilon
        )

    def default_optimizer(self, network_name):
        """The optimizer `compile()` gives a network for `"auto"`.

        Adam(2e-4, beta_1=0.5), the setting of Radford et al. that became
        the standard; variants override this with their paper's setting.
        """
        return keras.optimizers.Adam(2e-4, beta_1=0.5)

    def compile(self, **kwargs):
        """Sets one optimizer per trained network and the `fit()` options.

        Args:
            **kwargs: one keyword per optimizer slot (`d_optimizer`,
                `g_optimizer` for latent GANs; see `optimizer_slots()`): a
                `keras.optimizers.Optimizer`, its name, or `"auto"` (default)
                for the variant's paper setting. The rest are
                `keras.Model.compile` options such as `jit_compile`,
                `steps_per_execution`, `run_eagerly`, `auto_scale_loss`.
                `loss`, `optimizer` and `metrics` are not accepted.

        Example:
            >>> gan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
            ...             g_optimizer="auto")  # doctest: +SKIP
        """
        name = type(self).__name__
        for key in ("loss", "optimizer", "metrics", "loss_weights", "weighted_metrics"):
            if key in kwargs:
                raise ValueError(
                    f"{name}.compile() does not take {key}=. Choose the losses in the "
                    f"constructor and pass one optimizer per network: "
                    f"{', '.join(s + '=' for s in self.optimizer_slots())}."
                )
        slots = self.optimizer_slots()
        chosen = {slot: kwargs.pop(slot, "auto") for slot in slots}
        unknown = sorted(key for key in kwargs if key.endswith("_optimizer"))
        if unknown:
            raise ValueError(f"{name}.compile() got {unknown}; its optimizers are {slots}.")
        auto_scale_loss = kwargs.pop("auto_scale_loss", True)
        super().compile(optimizer=None, auto_scale_loss=auto_scale_loss, **kwargs)
        trained = {self.optimizer_attribute(n): n for p in self.phases() for n in p.networks}
        resolved = {}
        for slot, optimizer in chosen.items():
            network_name = trained[slot]
            if optimizer == "auto":
                optimizer = self.default_optimizer(network_name)
            optimizer = self._wrap_for_loss_scaling(keras.optimizers.get(optimizer), auto_scale_loss)
            if any(optimizer is other for other in resolved.values()):
                raise ValueError(
                    f"{slot} is the same object as another optimizer; give each network "
                    "its own optimizer instance."
                )
            resolved[slot] = optimizer
        for slot, optimizer in resolved.items():
            setattr(self, slot, optimizer)
            optimizer.build(self.networks[trained[slot]].trainable_variables)
        self.compile_options = {
            key: kwargs[key] for key in ("steps_per_execution", "jit_compile") if key in kwargs
        }
        if not auto_scale_loss:
            self.compile_options["auto_scale_loss"] = False

    def _wrap_for_loss_scaling(self, optimizer, auto_scale_loss):
        if (
            auto_scale_loss
            and self.dtype_policy.name == "mixed_float16"
            and not isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
        ):
            optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
        return optimizer

    def get_compile_config(self):
        slots = self.optimizer_slots()
        if any(getattr(self, slot) is None for slot in slots):
            return {}
        return {
            **{slot: keras.saving.serialize_keras_object(getattr(self, slot)) for slot in slots},
            **self.compile_options,
        }

    def compile_from_config(self, config):
        if not config:
            return
        config = dict(config)
        for slot in self.optimizer_slots():
            if slot in config:
                config[slot] = keras.saving.deserialize_keras_object(config[slot])
        self.compile(**config)

    @property
    def is_compiled(self):
        """True once every trained network has its optimizer."""
        return all(getattr(self, slot) is not None for slot in self.optimizer_slots())
