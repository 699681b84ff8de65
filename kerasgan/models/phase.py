"""`Phase`: one entry of a GAN's update schedule."""

import dataclasses

from kerasgan.utils.validation import validate_positive_int


@dataclasses.dataclass(frozen=True)
class Phase:
    """One update of a training step: which networks, which objective, how often.

    A GAN's `phases()` returns a list of these; the backend's trainer runs them
    in order on every batch. A phase builds its context (a dict: the batch's
    entries plus whatever it draws or computes, such as latents and generated
    images), evaluates its objective on it under one gradient tape, adds the
    regularizers attached to it, and updates each of its networks with that
    network's own optimizer. Every other network is left exactly as it was,
    its batch-norm statistics included.

    Args:
        name: the phase's name, e.g. `"discriminator"`; regularizers attach to
            phases by this name.
        networks: names of the networks it trains, e.g. `("discriminator",)`
            or `("g_ab", "g_ba")`.
        objective: callable `context -> (total_loss, {term: value})`.
        terms: names of the terms the objective returns, in display order;
            each becomes a tracker (progress bar, History, CSVLogger).
        context: callable `batch -> dict` building the objective's inputs, or
            None to pass the batch itself. It runs under the tape, so it may
            call the trained networks.
        repeat: updates per training step (`n_critic` for a critic). At least 1.
        every: run the phase only on steps whose index is a multiple of
            `every` (lazy regularization). At least 1.
        after: callable run after each update (weight clipping, EMA), or None.

    Example:
        >>> Phase("discriminator", ("discriminator",), objective, terms=("d_loss",),
        ...       repeat=5)  # doctest: +SKIP

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", CVPR 2020 (the `Gmain`/`Greg`/`Dmain`/`Dreg` schedule).
    """

    name: str
    networks: tuple
    objective: object
    terms: tuple
    context: object = None
    repeat: int = 1
    every: int = 1
    after: object = None

    def __post_init__(self):
        if not self.networks:
            raise ValueError(f"Phase {self.name!r} trains no network; name at least one.")
        object.__setattr__(self, "networks", tuple(self.networks))
        object.__setattr__(self, "terms", tuple(self.terms))
        validate_positive_int(self.repeat, f"Phase {self.name!r} repeat")
        validate_positive_int(self.every, f"Phase {self.name!r} every")

    def build_context(self, batch):
        """Returns the objective's inputs for `batch` (the batch itself by default)."""
        return dict(batch) if self.context is None else self.context(batch)
