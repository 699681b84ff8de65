"""Variable values threaded through a traced JAX training step.

JAX functions are pure: a compiled step takes the values of the model's
variables and returns their new values. kerasgan's objectives, regularizers,
hooks and trackers are written once, statefully (`variable.assign`,
`keras.random` with a `SeedGenerator`, batch norm in training mode). They
run unchanged inside `keras.StatelessScope`, as Keras's own JAX trainer runs
its losses: the scope maps every variable to its current value and records
what the code assigns. `StepState` holds those values between scopes.
"""

import contextlib

import jax
import jax.extend
import keras
from keras import ops

# The scopes opened by StepState.scope(), innermost last: input_gradients
# reads the values of the step being traced from here.
_OPEN_SCOPES = []


def unique_variables(variables):
    """The variables of `variables`, each once, in first-seen order."""
    seen, unique = set(), []
    for variable in variables:
        if id(variable) not in seen:
            seen.add(id(variable))
            unique.append(variable)
    return unique


class StepState:
    """The current value of each of a set of Keras variables, while a step is traced.

    Args:
        variables: the variables the step may read or assign (each once).
        values: their current values (arrays or tracers), in the same order.
    """

    def __init__(self, variables, values):
        self.variables = list(variables)
        self.values = {id(v): value for v, value in zip(self.variables, values)}
        if len(self.values) != len(self.variables):
            raise ValueError("StepState needs each variable once.")
        self.assigned = []

    def value_of(self, variable):
        """The current value of `variable`."""
        return self.values[id(variable)]

    def as_list(self):
        """The current values, in the order of `variables`."""
        return [self.values[id(v)] for v in self.variables]

    def fork(self, values=None, overrides=None):
        """A copy holding `values` (default: these), with `{id(variable): value}` overrides."""
        fork = StepState(self.variables, self.as_list() if values is None else values)
        fork.values.update(overrides or {})
        return fork

    def update(self, updates):
        """Sets values: `updates` is a dict or pairs `{id(variable): value}`."""
        self.values.update(updates)

    @contextlib.contextmanager
    def scope(self):
        """Runs stateful Keras code on these values and keeps what it assigns.

        Inside the block every variable reads its value from this state, and
        `assign` (batch-norm statistics, seed generators, trackers, weight
        clipping) is recorded instead of applied; on exit the state holds the
        new values, and `assigned` lists the variables the block assigned.
        """
        mapping = [(v, self.values[id(v)]) for v in self.variables]
        with keras.StatelessScope(state_mapping=mapping) as scope:
            entry = {id(v): scope.get_current_value(v) for v in self.variables}
            _OPEN_SCOPES.append((self.variables, scope))
            try:
                yield self
            finally:
                _OPEN_SCOPES.pop()
        self.assigned = []
        for variable in self.variables:
            value = scope.get_current_value(variable)
            if value is not entry[id(variable)]:
                self.values[id(variable)] = value
                self.assigned.append(variable)


def gradient_of_sum(fn, inputs):
    """`∇ₓ sum(fn(x))` at `inputs`, through `jax.grad`, keeping `fn`'s variable updates.

    Inside a training step (a `StepState.scope()` is open), `fn` reads the
    step's current values, and what it assigns (batch-norm statistics of a
    critic called in training mode, dropout seeds) is returned out of
    `jax.grad` and assigned in the enclosing scope, so no value leaks out of
    the inner trace. Outside a step, `fn` reads the variables themselves and
    its assignments are discarded.

    Args:
        fn: callable mapping a batch to scores.
        inputs: tensor `(batch, ...)`.

    Returns:
        Float32 tensor with the shape of `inputs`.
    """
    inputs = ops.convert_to_tensor(inputs)
    variables, outer = _OPEN_SCOPES[-1] if _OPEN_SCOPES else ([], None)
    changed = []

    def total(x):
        inner = StepState(variables, [outer.get_current_value(v) for v in variables])
        with inner.scope():
            value = ops.sum(ops.cast(fn(x), "float32"))
        changed.extend(inner.assigned)
        return value, [inner.value_of(v) for v in changed]

    gradients, updates = jax.grad(total, has_aux=True)(inputs)
    for variable, value in zip(changed, updates):
        variable.assign(value)
    return ops.cast(gradients, "float32")


def reaches_output(function, params):
    """Which of `params` the first output of `function(params)` depends on.

    Traces `function` to a jaxpr and walks it backwards from that output;
    an operation whose output is needed needs all of its inputs (nested
    computations count as one operation, which can only add dependencies).

    Args:
        function: `params -> (output, aux)`, traceable by JAX.
        params: nested lists of arrays.

    Returns:
        `params`' structure with a bool per array.
    """
    closed = jax.make_jaxpr(function)(params)
    jaxpr = closed.jaxpr
    needed = {jaxpr.outvars[0]} if not isinstance(jaxpr.outvars[0], jax.extend.core.Literal) else set()
    for equation in reversed(jaxpr.eqns):
        if any(out in needed for out in equation.outvars):
            needed.update(v for v in equation.invars if not isinstance(v, jax.extend.core.Literal))
    flags = [v in needed for v in jaxpr.invars]
    return jax.tree_util.tree_unflatten(jax.tree_util.tree_structure(params), flags)


def position_of(groups, variable):
    """`(group index, index)` of `variable` in a list of variable lists."""
    for group_index, group in enumerate(groups):
        for index, candidate in enumerate(group):
            if candidate is variable:
                return group_index, index
    raise ValueError(f"{variable.path} is not part of the training state.")


def unique_values(groups, values):
    """The values of `groups`' variables (lists of lists), each variable's once, in first-seen order."""
    seen, unique = set(), []
    for group, group_values in zip(groups, values):
        for variable, value in zip(group, group_values):
            if id(variable) not in seen:
                seen.add(id(variable))
                unique.append(value)
    return unique
