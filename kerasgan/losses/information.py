"""InfoGAN's information loss: how badly Q recovers the latent codes a generated image was made from."""

from keras import ops


def information_loss(categories, category_logits, continuous=None, continuous_means=None):
    """The negative log-likelihood of the codes under Q: `-E[log Q(c | G(z, c))]`.

    InfoGAN's variational lower bound on the mutual information between the
    codes `c` and the images is `L_I = E[log Q(c | x)] + H(c)`; `H(c)` is a
    constant of the prior, so maximising `L_I` is minimising this loss. For
    the categorical code it is the cross-entropy of Q's logits with the
    drawn category; for the continuous codes Q is a factored Gaussian of
    unit standard deviation centred on its means (the authors' MNIST
    setting), whose negative log-likelihood is `0.5 * (c - mean)**2` per
    code, summed over the codes, up to the constant `0.5 * log(2 pi)` per
    code, which is left out. Both are averaged over the batch and added.

    Args:
        categories: int `(batch,)`, the drawn categories in
            `[0, num_categories)`.
        category_logits: float `(batch, num_categories)`, Q's logits.
        continuous: None, or float `(batch, num_continuous)`, the drawn
            continuous codes (uniform in `[-1, 1]` for InfoGAN).
        continuous_means: None, or float `(batch, num_continuous)`, Q's
            means; given exactly when `continuous` is.

    Returns:
        Scalar float32 loss, at least 0.

    Example:
        >>> logits = ops.convert_to_tensor([[0.0, 0.0], [0.0, 0.0]])
        >>> codes, means = ops.convert_to_tensor([[1.0], [0.0]]), ops.convert_to_tensor([[0.0], [0.0]])
        >>> round(float(information_loss(ops.convert_to_tensor([0, 1]), logits, codes, means)), 4)
        0.9431

    Reference:
        Chen et al., "InfoGAN: Interpretable Representation Learning by
        Information Maximizing Generative Adversarial Nets", NeurIPS 2016,
        eq. (4)-(5).
    """
    if (continuous is None) != (continuous_means is None):
        raise ValueError(
            "information_loss takes the continuous codes and Q's means together: pass both "
            f"continuous= and continuous_means=, or neither; received continuous "
            f"{'None' if continuous is None else 'given'} and continuous_means "
            f"{'None' if continuous_means is None else 'given'}."
        )
    logits = ops.cast(category_logits, "float32")
    loss = ops.mean(ops.sparse_categorical_crossentropy(categories, logits, from_logits=True))
    if continuous is not None:
        error = ops.cast(continuous, "float32") - ops.cast(continuous_means, "float32")
        loss = loss + ops.mean(ops.sum(0.5 * ops.square(error), axis=-1))
    return loss


def category_accuracy(categories, category_logits):
    """The fraction of examples whose most likely category under Q is the drawn one.

    Args:
        categories: int `(batch,)`.
        category_logits: float `(batch, num_categories)`.

    Returns:
        Scalar float32 in `[0, 1]`; chance is `1 / num_categories`.

    Example:
        >>> logits = ops.convert_to_tensor([[2.0, 0.0], [2.0, 0.0]])
        >>> float(category_accuracy(ops.convert_to_tensor([0, 1]), logits))
        0.5
    """
    predicted = ops.argmax(ops.cast(category_logits, "float32"), axis=-1)
    return ops.mean(
        ops.cast(ops.equal(ops.cast(predicted, "int32"), ops.cast(categories, "int32")), "float32")
    )
