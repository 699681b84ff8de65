"""Noticing a diverged GAN: non-finite logged terms or weights, named by network.

`fit()` of every kerasgan model adds a `DivergenceGuard`: at the first NaN or
infinite logged term it stops training and warns once, naming the term and
the networks it trains, so a plain `fit()` never finishes silently with NaN
weights. `kerasgan.callbacks.StopOnDivergence` (used by `kerasgan train`)
raises instead.
"""

import math
import warnings

import keras
import numpy as np


def weights_are_finite(variables):
    """True when no floating-point variable holds a NaN or infinite value.

    Args:
        variables: iterable of `keras.Variable` (e.g. `model.weights`).

    Returns:
        A bool.

    Example:
        >>> import keras
        >>> weights_are_finite([keras.Variable([1.0, 2.0])])
        True
    """
    for variable in variables:
        values = np.asarray(variable.numpy())
        if values.dtype.kind == "f" and not np.isfinite(values).all():
            return False
    return True


def networks_of_term(model, term):
    """The networks trained by the phases that log `term`.

    Args:
        model: a kerasgan model (anything with `training_phases()`), or any
            other `keras.Model`.
        term: a logged name, e.g. `"d_loss"` or `"gp"`.

    Returns:
        Tuple of network names; empty when no phase declares `term`.

    Example:
        >>> import kerasgan
        >>> networks_of_term(kerasgan.DCGAN(latent_dim=8), "g_loss")
        ('generator',)
    """
    if not hasattr(model, "training_phases"):
        return ()
    names = []
    for phase in model.training_phases():
        if term in phase.terms:
            names.extend(n for n in phase.networks if n not in names)
    return tuple(names)


def first_nonfinite_term(model, logs):
    """Describes the first NaN or infinite figure of `logs`, or returns None.

    Args:
        model: the model that logged them.
        logs: dict of logged figures (a callback's `logs`).

    Returns:
        A phrase such as `"g_loss (generator) became nan"`, or None when
        every figure is finite.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.DCGAN(latent_dim=8)
        >>> first_nonfinite_term(gan, {"d_loss": 0.5, "g_loss": float("nan")})
        'g_loss (generator) became nan'
    """
    for name, value in (logs or {}).items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if not math.isfinite(number):
            networks = networks_of_term(model, name)
            owner = f" ({', '.join(networks)})" if networks else ""
            return f"{name}{owner} became {number}"
    return None


def nonfinite_networks(model):
    """Names of the model's networks whose weights hold NaN or infinite values.

    Args:
        model: a kerasgan model (with a `networks` dict), or any `keras.Model`
            (reported as `"model"`).

    Returns:
        List of names, empty when all weights are finite.

    Example:
        >>> import kerasgan
        >>> nonfinite_networks(kerasgan.DCGAN(latent_dim=8))
        []
    """
    networks = getattr(model, "networks", None)
    if not isinstance(networks, dict):
        networks = {"model": model}
    return [name for name, net in networks.items() if not weights_are_finite(net.weights)]


ADVICE = (
    "Lower the learning rates, check the data range ([-1, 1]), or use a more stable variant such as WGANGP."
)


class BatchEndCallback(keras.callbacks.Callback):
    """A callback whose per-batch work does not make Keras sync the model's state.

    On JAX, Keras's `Callback.model` copies the running step's state into
    every variable of the model each time it is read, so reading it after
    every batch costs a full sync per step, and the host waits for each
    step. Per-batch code reads `watched_model` instead, the same model
    without that sync, and uses `self.model` only where it needs the
    variables' current values (a checkpoint, a weight check).
    """

    watched_model = None

    def set_model(self, model):
        super().set_model(model)
        self.watched_model = model


class DivergenceGuard(BatchEndCallback):
    """Stops `fit()` at the first non-finite logged term, with one warning.

    Every kerasgan model's `fit()` adds this callback. The warning names the
    term and the networks its phase trains (or, when only weights went bad
    in the last step, the networks), the epoch and the step, and says what
    to try. Training stops at the end of that batch; the weights are left
    as they are (use `kerasgan train`, whose checkpoints are never written
    with non-finite weights, to keep the last good state).

    It is async-safe: on JAX, where Keras can run batch-end callbacks in a
    worker thread, reading the logs does not make the host wait for each
    step to finish (which would leave a GPU idle between steps), and
    training stops within a step or two of the bad one.

    Example:
        >>> import kerasgan
        >>> guard = DivergenceGuard()
        >>> guard.set_model(kerasgan.DCGAN(latent_dim=8))
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     guard.on_train_batch_end(0, {"d_loss": float("inf")})
        >>> str(caught[0].message)[:50]
        'Training diverged: d_loss (discriminator) became i'
    """

    async_safe = True

    def __init__(self):
        super().__init__()
        self.epoch = 0
        self.warned = False

    def on_train_begin(self, logs=None):
        self.warned = False

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.warned:
            return
        what = first_nonfinite_term(self.watched_model, logs)
        if what is not None:
            self.stop(f"{what} at epoch {self.epoch + 1}, step {batch + 1}")

    def on_train_end(self, logs=None):
        if not self.warned:
            bad = nonfinite_networks(self.model)
            if bad:
                self.stop(f"the {', '.join(bad)} weights became NaN or infinite by the end of training")

    def stop(self, what):
        self.warned = True
        self.watched_model.stop_training = True
        warnings.warn(
            f"Training diverged: {what}; fit() stopped. {ADVICE}",
            RuntimeWarning,
            stacklevel=2,
        )


class GuardedFit:
    """Mixin: `fit()` adds a `DivergenceGuard` unless one is among the callbacks."""

    def fit(self, *args, callbacks=None, **kwargs):
        """`keras.Model.fit`, stopping with a warning when training diverges.

        Arguments and return value are `keras.Model.fit`'s; see
        `DivergenceGuard`.
        """
        callbacks = list(callbacks or [])
        if not any(isinstance(c, DivergenceGuard) for c in callbacks):
            callbacks.append(DivergenceGuard())
        return super().fit(*args, callbacks=callbacks, **kwargs)
