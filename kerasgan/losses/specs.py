"""Regularizers named in a short text form, for the command line and run settings."""

from kerasgan.losses.consistency import ConsistencyRegularization
from kerasgan.losses.lecam import LeCamRegularization
from kerasgan.losses.mode_seeking import ModeSeekingPenalty
from kerasgan.losses.path_length import PathLengthPenalty
from kerasgan.losses.regularizers import GradientPenalty, R1Penalty, R2Penalty

REGULARIZERS = {
    "gp": GradientPenalty,
    "r1": R1Penalty,
    "pl": PathLengthPenalty,
    "ms": ModeSeekingPenalty,
    "cr": ConsistencyRegularization,
    "lecam": LeCamRegularization,
    "r2": R2Penalty,
}


def regularizer_from_spec(spec):
    """Builds a regularizer from `"kind:weight[:every]"`.

    Kinds: `gp` (gradient penalty), `r1` (R1 penalty), `r2` (R2, the R1
    penalty on generated images), `pl` (path-length
    penalty, with its saved running mean), `ms` (mode seeking, on the
    generator phase), `cr` (balanced consistency regularization) and
    `lecam` (LeCam, with its saved moving averages). `every` defaults to the kind's
    default (1 for `gp` and `r1`, 4 for `pl`).

    Args:
        spec: e.g. `"r1:5:16"` (StyleGAN2's lazy R1, gamma = 10) or `"pl:2"`.

    Returns:
        A `kerasgan.losses.Regularizer`.

    Raises:
        ValueError: unknown kind or malformed numbers; the message shows the form.

    Example:
        >>> regularizer_from_spec("r1:5:16").every
        16
    """
    parts = str(spec).split(":")
    kind = parts[0]
    if kind not in REGULARIZERS or not 2 <= len(parts) <= 3:
        raise ValueError(
            f"Cannot read the regularizer {spec!r}: write kind:weight[:every] with kind "
            f"one of {sorted(REGULARIZERS)}, e.g. r1:5:16 (lazy R1) or pl:2."
        )
    try:
        weight = float(parts[1])
        options = {} if len(parts) == 2 else {"every": int(parts[2])}
    except ValueError as error:
        raise ValueError(
            f"Cannot read the regularizer {spec!r}: weight must be a number and every "
            "a positive integer, e.g. r1:5:16."
        ) from error
    return REGULARIZERS[kind](weight=weight, **options)
