"""`BaseGAN`: the core every kerasgan model is built on.

A GAN here is a set of named networks, an update schedule of phases over
them (`kerasgan.models.Phase`), one optimizer per trained network, logged
terms declared by the phases, and regularizers (Keras layers, so they can
hold saved state) attached to phases. The backend's trainer mixin
(`kerasgan.backend.GANTrainer`) runs the phases; nothing here touches a
gradient tape. Task classes on top add how a model is used: `GAN` generates
from latents, `ImageToImageGAN` translates images.
"""

import dataclasses

import keras
import numpy as np

from kerasgan.backend import GANTrainer, replicas_in_sync
from kerasgan.losses import get_adversarial_loss
from kerasgan.models import checks
from kerasgan.models.compiling import PerNetworkOptimizers
from kerasgan.models.controller import DISCRIMINATOR_STATISTICS, get_augmentation
from kerasgan.models.divergence import GuardedFit
from kerasgan.models.phase import Phase
from kerasgan.models.seam import DiscriminatorSeam, both_gates, checked_controllers, checked_gates, reads_of
from kerasgan.models.weight_loading import ExplainedWeightLoading


class BaseGAN(
    DiscriminatorSeam, GuardedFit, PerNetworkOptimizers, ExplainedWeightLoading, GANTrainer, keras.Model
):
    """Named networks trained by a schedule of phases; subclass it, don't use it.

    A subclass declares `network_names`, builds each default network in
    `build_<name>()`, declares its schedule in `phases()` and reads its
    training batches in `unpack_batch()`. Each network named in some phase
    gets its own optimizer, set by `compile(<slot>=...)` where the slot is
    `optimizer_attribute(network)` (`"<network>_optimizer"`, or a short name
    from `optimizer_names`). `train_steps` counts training steps and is saved.

    Args:
        networks: dict `{name: keras.Model}` overriding default networks
            (subclasses take each one as a keyword argument instead).
        loss: name of the adversarial loss (see
            `kerasgan.losses.ADVERSARIAL_LOSSES`). Defaults to the variant's.
        regularizers: list of `kerasgan.losses.Regularizer`, each attached to
            one phase by its `phase` name.
        seed: int seed of the model's `keras.random.SeedGenerator`, which
            draws every random number of training.
        label_smoothing: one-sided label smoothing of the discriminator's
            real targets (`1 - label_smoothing`) for the cross-entropy
            losses (`"non_saturating"`, `"minimax"`), e.g. 0.1 (Salimans et
            al. 2016). Defaults to 0.
        augmentation: None, or an augmentation of everything the
            discriminators see while training (`call_discriminator`):
            `"diffaugment"`, `"ada"`, `"instance_noise"` or a
            `kerasgan.models.DiscriminatorAugmentation`.
        gates: dict `{phase name: gate}` adding a gate to phases of the
            variant (see `Phase`), e.g. `{"discriminator":
            kerasgan.models.SkipWhileAhead("d_loss", below=0.3)}`; a phase's
            own gate and this one must both let an update through.
        controllers: list of extra `kerasgan.models.Controller`s, updated
            after every step from the step's terms and statistics.
        **kwargs: passed to `keras.Model` (e.g. `name`).
    """

    network_names = ()
    optimizer_names = {}
    default_loss = "non_saturating"
    # Whether the generator's objective hands a loss that reads real logits
    # (`AdversarialLoss.generator_reads_real`, the relativistic loss) the
    # logits of the real batch; `GAN` does.
    serves_real_logits_to_generator = False

    def __init__(
        self,
        networks=None,
        loss=None,
        regularizers=None,
        seed=None,
        label_smoothing=0.0,
        augmentation=None,
        gates=None,
        controllers=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.adversarial_loss = loss or self.default_loss
        self.label_smoothing = label_smoothing
        self.loss_functions = get_adversarial_loss(self.adversarial_loss, label_smoothing=label_smoothing)
        if self.loss_functions.generator_reads_real and not self.serves_real_logits_to_generator:
            raise ValueError(
                f"loss={self.adversarial_loss!r} scores the generator's images against real ones, but "
                f"{type(self).__name__}'s generator objective does not read the real batch. Use it with "
                "a latent GAN (kerasgan.GAN and its variants), or choose another loss."
            )
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="seed_generator")
        self.train_steps = keras.Variable(
            0, dtype="int32", trainable=False, name="train_steps", aggregation="only_first_replica"
        )
        networks = dict(networks or {})
        unknown = sorted(set(networks) - set(self.network_names))
        if unknown:
            raise ValueError(
                f"{type(self).__name__} has networks {list(self.network_names)}; "
                f"received unknown network name(s) {unknown}."
            )
        for name in self.network_names:
            network = networks.get(name)
            if network is None:
                network = getattr(self, f"build_{name}")()
            if not isinstance(network, keras.Model):
                raise ValueError(
                    f"{type(self).__name__}'s {name} must be a keras.Model; received "
                    f"{type(network).__name__}."
                )
            setattr(self, name, network)
        self.regularizers = list(self.default_regularizers() if regularizers is None else regularizers)
        self.augmentation = get_augmentation(augmentation)
        self.gates = checked_gates(gates, type(self).__name__)
        self.extra_controllers = checked_controllers(controllers, type(self).__name__)
        self.steps_from_optimizer = None
        self.compile_options = {}

    def finish_init(self):
        """Builds the trackers from the declared terms; call at the end of `__init__`.

        Subclasses call it once every attribute that `phases()` reads is set.
        """
        for slot in self.optimizer_slots():
            setattr(self, slot, None)
        self.check_regularizers()
        self.check_gates()
        # What controllers and gates (given with gates= or in a phase) read.
        readers = self.controllers + list(self.gates.values()) + [phase.gate for phase in self.phases()]
        wanted = [name for part in readers for name in reads_of(part)]
        # Kept out of Keras's attribute tracking (a plain tuple of names).
        self.__dict__["wanted_statistics"] = tuple(dict.fromkeys(wanted))
        self.__dict__["step_reports"] = None
        names = []
        for phase in self.training_phases():
            names.extend(term for term in phase.terms + phase.logged_names if term not in names)
        reported = [name for name in self.wanted_statistics if name in DISCRIMINATOR_STATISTICS]
        logged = [name for controller in self.controllers for name in controller.logs]
        names.extend(name for name in reported + logged if name not in names)
        self.trackers = {name: keras.metrics.Mean(name=name) for name in names}
        self.built = True

    # ----------------------------------------------------------- schedule

    @property
    def networks(self):
        """Dict `{name: keras.Model}` of the model's networks, in declaration order."""
        return {name: getattr(self, name) for name in self.network_names}

    def phases(self):
        """Returns the variant's list of `Phase`s (without lazy regularizer phases)."""
        raise NotImplementedError(f"{type(self).__name__} must define phases().")

    def default_regularizers(self):
        """Returns the variant's default regularizers (none here)."""
        return []

    def training_phases(self):
        """The full schedule: `phases()` plus one phase per lazily run regularizer group.

        Regularizers with `every > 1` attached to phase `P` form a phase
        `P_reg` right after `P`, training the same networks every `every`
        steps on the penalty alone, weighted by `weight * every` (StyleGAN2's
        lazy regularization).

        Returns:
            List of `Phase`.
        """
        schedule = []
        for phase in self.phases():
            if phase.name in self.gates:
                phase = dataclasses.replace(phase, gate=both_gates(phase.gate, self.gates[phase.name]))
            eager = [r.term for r in self.regularizers if r.phase == phase.name and r.every == 1]
            schedule.append(dataclasses.replace(phase, terms=phase.terms + tuple(eager)))
            lazy = [r for r in self.regularizers if r.phase == phase.name and r.every > 1]
            for every in sorted({r.every for r in lazy}):
                group = [r for r in lazy if r.every == every]
                schedule.append(
                    Phase(
                        f"{phase.name}_reg" if len(lazy) == len(group) else f"{phase.name}_reg{every}",
                        phase.networks,
                        objective=_LazyPenalty(self, group),
                        terms=[r.term for r in group],
                        context=phase.context,
                        every=every,
                    )
                )
        return schedule

    def adversarial_phases(
        self, generator_terms, generator_context=None, start=0, repeat=1, after=(None, None)
    ):
        """The two-network schedule: `repeat` discriminator updates, then one generator update.

        The schedule of every model with one `"generator"` and one
        `"discriminator"` (the latent GANs, Pix2Pix, SRGAN, inpainting). The
        discriminator phase runs `discriminator_objective` on
        `discriminator_context` with the term `d_loss`; the generator phase
        runs `generator_objective` on `generator_context`.

        Args:
            generator_terms: the generator phase's terms, its adversarial one
                first, e.g. `("g_loss", "l1")`.
            generator_context: the generator phase's context callable, or None
                to pass it the batch.
            start: the step both phases first run at. Defaults to 0.
            repeat: the discriminator's updates per step (see `Phase`).
            after: `(discriminator hook, generator hook)`, each None or a
                callable run after that phase's update.

        Returns:
            `[Phase("discriminator", ...), Phase("generator", ...)]`.
        """
        discriminator_after, generator_after = after
        return [
            Phase(
                "discriminator",
                ("discriminator",),
                objective=self.discriminator_objective,
                terms=("d_loss",),
                context=self.discriminator_context,
                repeat=repeat,
                after=discriminator_after,
                start=start,
            ),
            Phase(
                "generator",
                ("generator",),
                objective=self.generator_objective,
                terms=tuple(generator_terms),
                context=generator_context,
                after=generator_after,
                start=start,
            ),
        ]

    def phase_objective(self, phase, batch, passed=None):
        """The loss of one update of `phase` and its logged terms.

        Builds the phase's context, evaluates its objective, and adds each
        regularizer attached to the phase that runs every step. Statistics
        reported during the update (`report`) join the terms.

        Args:
            phase: a `Phase` from `training_phases()`.
            batch: the dict from `unpack_batch`.
            passed: None, or a dict the trainer gives to receive the
                context entries named by `phase.passes` (gradients
                stopped); it adds them to the step's batch after the update.

        Returns:
            `(total, terms)`: scalar loss and dict of scalar terms.
        """
        reports = {}
        self.__dict__["step_reports"] = reports
        try:
            context = phase.build_context(batch)
            total, terms = phase.objective(context)
            terms = dict(terms)
            if passed is not None:
                passed.update(_passed_entries(phase, context))
            # Lazy phases are named "<phase>_reg", which no regularizer names.
            for regularizer in self.regularizers:
                if regularizer.phase == phase.name and regularizer.every == 1:
                    value = regularizer.penalty(self, context)
                    terms[regularizer.term] = value
                    total = total + regularizer.weight_at(self.train_steps) * value
        finally:
            self.__dict__["step_reports"] = None
        for name, values in reports.items():
            terms[name] = values[0] if len(values) == 1 else keras.ops.mean(keras.ops.stack(values))
        return total, terms

    def frozen_variables(self, phase):
        """The non-trainable variables of the networks that `phase` does not train.

        A network called with `training=True` in another network's phase
        (the generator while the discriminator learns, and vice versa) would
        update its batch-norm statistics there; the trainers restore these
        after the phase, so each network's statistics belong to its own phases.

        Args:
            phase: a `Phase` of this model.

        Returns:
            List of variables (without duplicates).
        """
        trained = {id(v) for name in phase.networks for v in getattr(self, name).variables}
        frozen = {}
        for name in self.network_names:
            if name not in phase.networks:
                for variable in getattr(self, name).non_trainable_variables:
                    if id(variable) not in trained:
                        frozen[id(variable)] = variable
        return list(frozen.values())

    def synchronized_batch_norm(self):
        """Whether default networks should use synchronized batch norm (several replicas train)."""
        return replicas_in_sync() > 1

    @staticmethod
    def batch_size_of(batch):
        """The number of examples of a batch dict: `num_samples`, else its first tensor's size."""
        if batch.get("num_samples") is not None:
            return batch["num_samples"]
        for value in batch.values():
            if value is not None:
                return keras.ops.shape(value)[0]
        raise ValueError("The batch holds no tensor; it needs images or num_samples.")

    def phase_named(self, name):
        """Returns the phase called `name` from `training_phases()`."""
        for phase in self.training_phases():
            if phase.name == name:
                return phase
        names = [phase.name for phase in self.training_phases()]
        raise ValueError(f"{type(self).__name__} has no phase {name!r}; its phases are {names}.")

    def check_regularizers(self):
        """Checks that each regularizer attaches to an existing phase."""
        names = [phase.name for phase in self.phases()]
        for regularizer in self.regularizers:
            if regularizer.phase not in names:
                raise ValueError(
                    f"{type(regularizer).__name__} attaches to phase "
                    f"{regularizer.phase!r}, but {type(self).__name__}'s phases are "
                    f"{names}. Pass phase=<one of them>."
                )
        terms = [r.term for r in self.regularizers]
        if len(set(terms)) != len(terms):
            raise ValueError(
                f"Two regularizers log the same term ({terms}); give each its own "
                "kind, or combine their weights."
            )

    def check_images(self, images, image_shape, role="images", argument="image_shape"):
        """Checks one image entry of a batch (shape, dtype, `[-1, 1]` in the graph).

        Args:
            images: tensor `(batch, H, W, C)`.
            image_shape: expected `(H, W, C)`.
            role: what the images are, for messages (`"target images"`).
            argument: the constructor argument that sets `image_shape`
                (`"target_shape"`), for messages. Defaults to `"image_shape"`.

        Returns:
            `images`, guarded by an in-graph shape and range check.
        """
        return checks.check_images(self, images, image_shape, role, argument)

    # ----------------------------------------------------------- trackers

    @property
    def metrics(self):
        return list(self.trackers.values())

    def update_trackers(self, phase, terms, batch_size):
        """Adds each term of `phase` to its running-mean tracker.

        Args:
            phase: the `Phase` that returned the terms.
            terms: dict of scalar tensors, means over this batch.
            batch_size: number of examples the terms are means over; the
                trackers weight each batch by it, so the epoch figure is the
                mean over examples, across replicas too.
        """
        for name, value in terms.items():
            if name not in self.trackers:
                raise ValueError(
                    f"Phase {phase.name!r} of {type(self).__name__} returned the term "
                    f"{name!r}, which no phase declares (declared: {list(self.trackers)}). "
                    "Add it to the phase's terms=."
                )
            self.trackers[name].update_state(value, sample_weight=batch_size)

    def record_update(self, phase, terms, applied, batch_size):
        """Adds one update's terms to the trackers, and whether it was skipped.

        Args:
            phase: the `Phase` that ran the update.
            terms: dict of scalar tensors, means over this batch.
            applied: None for a phase without a gate, else the gate's
                boolean scalar: `<phase>_skipped` gets 1 for a skipped update.
            batch_size: number of examples the terms are means over.
        """
        self.update_trackers(phase, terms, batch_size)
        for controller in self.controllers:
            controller.observe(terms, batch_size)
        if applied is not None:
            skipped = keras.ops.cast(keras.ops.logical_not(applied), "float32")
            self.trackers[f"{phase.name}_skipped"].update_state(skipped)

    def record_updates_run(self, phase, count):
        """Logs `<phase>_updates`, the number of updates of a scheduled-repeat phase in this step."""
        self.trackers[f"{phase.name}_updates"].update_state(keras.ops.cast(count, "float32"))

    def tracker_results(self):
        """Returns `{name: running mean}` for every tracker."""
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def prepare_for_training(self):
        """Checks the model is compiled and restores the step count of an old file."""
        if not self.is_compiled:
            raise ValueError(f"{type(self).__name__} is not compiled; call compile() before fit().")
        if self.steps_from_optimizer is not None:
            steps = getattr(self, self.steps_from_optimizer).iterations
            self.train_steps.assign(_as_int(steps))
            self.steps_from_optimizer = None

    def completed_steps(self):
        """Number of training steps taken so far (saved with the model)."""
        if self.steps_from_optimizer is not None:
            return _as_int(getattr(self, self.steps_from_optimizer).iterations)
        return _as_int(self.train_steps)

    # -------------------------------------------------------------- saving

    def save_own_variables(self, store):
        # The networks, optimizers and regularizers save themselves; the
        # model's own state is its seed generator (which Keras does not save:
        # without it a resumed run would replay its first steps' random
        # numbers) and its step count.
        store["seed_generator_state"] = self.seed_generator.state.numpy()
        store["train_steps"] = np.array(_as_int(self.train_steps), dtype="int32")
        for key, generator in self.layer_seed_generators():
            store[key] = generator.state.numpy()

    def layer_seed_generators(self):
        """`(key, SeedGenerator)` of each random layer (e.g. `Dropout`) in the networks.

        Keras does not save seed-generator state; the model saves these with
        its own, so a resumed run draws the same dropout masks as an
        uninterrupted one.
        """
        found = []

        def walk(prefix, layers):
            for layer in layers:
                generator = getattr(layer, "seed_generator", None)
                if isinstance(generator, keras.random.SeedGenerator):
                    found.append((f"layer_seed:{prefix}:{layer.name}", generator))
                if isinstance(layer, keras.Model):
                    walk(f"{prefix}:{layer.name}", layer.layers)

        for name, network in self.networks.items():
            walk(name, network.layers)
        return found

    def load_own_variables(self, store):
        keys = list(store.keys())
        if "seed_generator_state" not in keys:
            raise ValueError(
                f"This file holds no seed-generator state for {type(self).__name__}: "
                "it was not written by kerasgan's save(). Load it with the class "
                "that wrote it, or retrain."
            )
        self.seed_generator.state.assign(store["seed_generator_state"])
        for key, generator in self.layer_seed_generators():
            if key in keys:
                generator.state.assign(store[key])
        if "train_steps" in keys:
            self.train_steps.assign(int(np.asarray(store["train_steps"])))
        else:
            # Written before train_steps existed (kerasgan 0.1): one step was
            # one update of the last phase's first network.
            self.steps_from_optimizer = self.optimizer_attribute(self.phases()[-1].networks[0])

    # -------------------------------------------------------------- config

    def get_config(self):
        config = super().get_config()
        for name in self.network_names:
            config[name] = keras.saving.serialize_keras_object(getattr(self, name))
        config["loss"] = self.adversarial_loss
        config["regularizers"] = [keras.saving.serialize_keras_object(r) for r in self.regularizers]
        config["seed"] = self.seed
        config["label_smoothing"] = self.label_smoothing
        config["augmentation"] = (
            None if self.augmentation is None else keras.saving.serialize_keras_object(self.augmentation)
        )
        config["gates"] = {
            name: keras.saving.serialize_keras_object(gate) for name, gate in self.gates.items()
        }
        config["controllers"] = [keras.saving.serialize_keras_object(c) for c in self.extra_controllers]
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for name in cls.network_names:
            if config.get(name) is not None:
                config[name] = keras.saving.deserialize_keras_object(config[name])
        config["regularizers"] = [
            keras.saving.deserialize_keras_object(r) for r in config.get("regularizers", [])
        ]
        config["gates"] = {
            name: keras.saving.deserialize_keras_object(gate)
            for name, gate in (config.get("gates") or {}).items()
        }
        config["controllers"] = [
            keras.saving.deserialize_keras_object(c) for c in config.get("controllers") or []
        ]
        return cls(**config)


def _as_int(variable):
    # int() fails on a distributed (mirrored) variable; its NumPy value does not.
    return int(np.asarray(variable.numpy()))


class _LazyPenalty:
    """Objective of a lazy regularizer phase: `sum(weight * every * penalty)`."""

    def __init__(self, gan, regularizers):
        self.gan = gan
        self.regularizers = regularizers

    def __call__(self, context):
        total, terms = 0.0, {}
        for regularizer in self.regularizers:
            value = regularizer.penalty(self.gan, context)
            terms[regularizer.term] = value
            total = total + regularizer.weight_at(self.gan.train_steps) * regularizer.every * value
        return total, terms


def _passed_entries(phase, context):
    """The context entries `phase.passes` names, gradients stopped; a clear error for a missing one."""
    missing = [name for name in phase.passes if name not in context]
    if missing:
        raise ValueError(
            f"Phase {phase.name!r} passes {list(phase.passes)}, but its objective's context has no "
            f"{missing}; its context holds {sorted(context)}. Add them to the context in the objective "
            "or the context function."
        )
    return {name: keras.ops.stop_gradient(context[name]) for name in phase.passes}
