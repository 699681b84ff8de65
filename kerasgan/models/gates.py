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
    were; `<phase>_skipped` logs the fraction skipped.

    Args:
        term: the term's name, e.g. `"d_loss"` or `"d_accuracy"`.
        below: skip while the value is below this (a discriminator whose loss
            is tiny is winning), or None.
        above: skip while the value is above this (an accuracy near 1), or
            None. At least one of `below` and `above` is required.

    Example:
        >>> import kerasgan
        >>> gate = SkipWhileAhead("d_accuracy", above=0.9)
        >>> gan = kerasgan.DCGAN(gates={"discriminator": gate})
        >>> bool(gate({"real_accuracy": 1.0, "fake_accuracy": 0.9}))
        False

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS
        2016 (balancing G and D by the loss, discussed in section 3); Wang
        et al., "Improving MMD-GAN Training with Repulsive Loss Function"
        (the adaptive-update practice).
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
        """The statistics the discriminator call must report for this gate."""
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
