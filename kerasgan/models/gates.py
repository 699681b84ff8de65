"""Update gates: rules that skip a network's update while it is far ahead.

A gate is a callable `terms -> boolean scalar` (True: apply the update) that
a `Phase` consults after each update's objective (see `Phase.gate`); a model
takes them per phase with `gates={"discriminator": ...}`. The gate here is
serializable, so a saved model keeps its balance rule.
"""

import keras
from keras import ops

from kerasgan.models.controller import DISCRIMINATOR_STATISTICS


@keras.saving.register_keras_serializable(package="kerasgan")
class SkipWhileAhead:
    """Skips an update while a term says its network is far ahead.

    Reads one term of the update (a loss such as `"d_loss"`, a statistic
    that the discriminator call reports such as `"real_accuracy"`, or
    `"d_accuracy"`: the mean of `real_accuracy` and `fake_accuracy`, the
    discriminator's accuracy on the batch) and skips the update when the
    value is below `below` or above `above`. A skipped update leaves the
    network, its optimizer and its batch-norm statistics exactly as they
    were; `<phase>_skipped` logs the fraction skipped. Given through a
    model's `gates=`, the statistics it reads (`reads`) are reported by the
    core's discriminator call; attached to a `Phase` directly, it should
    read a term the phase's objective returns (such as `"d_loss"`).
    Called with an update's terms, it returns a boolean scalar tensor,
    True to apply the update; a term the phase does not have raises a
    ValueError naming the terms it has.

    Args:
        term: the term's name, e.g. `"d_loss"` or `"d_accuracy"`.
        below: skip while the value is below this (a discriminator whose loss
            is tiny is winning), or None.
        above: skip while the value is above this (an accuracy near 1), or
            None. At least one of `below` and `above` is required.

    Returns:
        Called with a dict of scalar terms, a boolean scalar tensor.

    Example:
        >>> import kerasgan
        >>> gate = SkipWhileAhead("d_accuracy", above=0.9)
        >>> gan = kerasgan.DCGAN(gates={"discriminator": gate})
        >>> bool(gate({"real_accuracy": 1.0, "fake_accuracy": 0.9}))
        False
        >>> bool(SkipWhileAhead("d_loss", below=0.3)({"d_loss": 0.5}))
        True

    Reference:
        Balancing the two networks by their losses is a practice without a
        paper that proposes it, and a disputed one: Goodfellow, "NIPS 2016
        Tutorial: Generative Adversarial Networks", arXiv:1701.00160
        (section 4.4, "Can one balance G and D?", which argues that the
        discriminator may overpower the generator); Chintala et al., "How
        to Train a GAN? Tips and tricks to make GANs work" (ganhacks, 2016,
        which advises against it without a principled reason).
    """

    def __init__(self, term, below=None, above=None):
        if not isinstance(term, str) or not term:
            raise ValueError(f"SkipWhileAhead needs the name of a term, e.g. 'd_loss'; received {term!r}.")
        if below is None and above is None:
            raise ValueError(
                "SkipWhileAhead needs below= or above=, e.g. SkipWhileAhead('d_loss', below=0.3) "
                "or SkipWhileAhead('d_accuracy', above=0.9)."
            )
        if below is not None and above is not None and below >= above:
            raise ValueError(
                f"SkipWhileAhead would skip every update: below={below} is not under above={above}."
            )
        self.term, self.below, self.above = term, below, above

    @property
    def reads(self):
        """The statistics the discriminator call must report for this gate.

        Example:
            >>> SkipWhileAhead("d_accuracy", above=0.9).reads, SkipWhileAhead("d_loss", below=0.3).reads
            (('real_accuracy', 'fake_accuracy'), ())
        """
        if self.term == "d_accuracy":
            return ("real_accuracy", "fake_accuracy")
        return (self.term,) if self.term in DISCRIMINATOR_STATISTICS else ()

    def __call__(self, terms):
        if self.term == "d_accuracy":
            missing = [name for name in self.reads if name not in terms]
            value = None if missing else (terms["real_accuracy"] + terms["fake_accuracy"]) / 2
        else:
            missing = [] if self.term in terms else [self.term]
            value = terms.get(self.term)
        if missing:
            raise ValueError(
                f"SkipWhileAhead reads {missing}, which this phase does not report (its terms are "
                f"{sorted(terms)}). Gate a phase that computes it, e.g. the discriminator phase."
            )
        value = ops.cast(value, "float32")
        applies = ops.convert_to_tensor(True)
        if self.below is not None:
            applies = ops.logical_and(applies, value >= self.below)
        if self.above is not None:
            applies = ops.logical_and(applies, value <= self.above)
        return applies

    def get_config(self):
        return {"term": self.term, "below": self.below, "above": self.above}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
