"""Exponential moving average (EMA) of generator weights."""

import keras


def clone_for_ema(generator):
    """Returns a copy of `generator` (same architecture and weights) to average into.

    A functional or sequential model is cloned with `keras.models.clone_model`;
    a subclassed one (e.g. `kerasgan.networks.StyleGANGenerator`) is rebuilt
    from its config, so it must implement `get_config`/`from_config` and
    create its weights in `__init__`.

    Args:
        generator: a `keras.Model`.

    Returns:
        A new `keras.Model` named `ema_<name>` with the generator's weights.

    Example:
        >>> ema = clone_for_ema(gan.generator)  # doctest: +SKIP
    """
    if getattr(generator, "inputs", None):  # functional or sequential
        ema = keras.models.clone_model(generator)
    else:
        ema = type(generator).from_config(generator.get_config())
    ema.name = f"ema_{generator.name}"
    ema.set_weights(generator.get_weights())
    ema.trainable = False
    return ema


def update_ema(ema, model, decay, num_updates=None):
    """Moves `ema`'s weights towards `model`'s: `ema = decay * ema + (1 - decay) * w`.

    Non-trainable weights (batch-norm statistics) are copied as they are.

    Args:
        ema: the averaged copy, from `clone_for_ema(model)`.
        model: the network being trained.
        decay: float in `[0, 1)`, e.g. 0.999.
        num_updates: None, or how many updates the network has had (an int
            or a scalar tensor, e.g. its optimizer's `iterations`): the
            decay is then `min(decay, (1 + num_updates) / (10 + num_updates))`,
            the warm-up of `tf.train.ExponentialMovingAverage`, so a young
            average follows the recent weights.

    Returns:
        None.

    Example:
        >>> update_ema(gan.ema_generator, gan.generator, 0.999)  # doctest: +SKIP
        >>> update_ema(gan.ema_generator, gan.generator, 0.999, gan.g_optimizer.iterations)  # doctest: +SKIP

    Reference:
        Yazıcı et al., "The Unusual Effectiveness of Averaging in GAN
        Training", ICLR 2019; Karras et al., "Progressive Growing of GANs", 2018.
    """
    if num_updates is not None:
        count = keras.ops.cast(num_updates, "float32")
        decay = keras.ops.minimum(decay, (1.0 + count) / (10.0 + count))
    trainable = {id(v) for v in model.trainable_variables}
    for average, current in zip(ema.variables, model.variables):
        if id(current) in trainable:
            average.assign(decay * average + (1.0 - decay) * current)
        else:
            average.assign(current)
