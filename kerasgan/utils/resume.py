"""Resuming `fit()` at any training step, mid-epoch included.

A GAN's progress is its `train_steps` counter (`completed_steps()`): one per
training step, saved in the same `.keras` file as the weights, so the count
and the weights can never disagree. To continue a run at step `k`, the data
must continue at batch `k` too: `fit_from_step` trains on
`make_dataset().repeat().skip(k)` with a fixed number of steps per epoch,
and runs an interrupted epoch's remaining steps as a short first `fit()`. A
freshly built, seeded `tf.data` pipeline that reshuffles every pass yields
the same sequence of batches in every process, so a resumed run sees exactly
the batches an uninterrupted run would have seen.
"""

import re

import tensorflow as tf

from kerasgan.version import __version__


def completed_steps(model):
    """Returns the number of training steps a compiled model has taken.

    For a kerasgan GAN this is its saved step counter (`completed_steps()`:
    one per training step, whatever the phases); for any other model,
    `optimizer.iterations`.

    Args:
        model: a compiled `kerasgan.GAN` or `keras.Model`.

    Returns:
        An int `>= 0`.

    Raises:
        ValueError: the model has no optimizer (it was never compiled).

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.DCGAN(latent_dim=8)
        >>> gan.compile()
        >>> completed_steps(gan)
        0
    """
    is_gan = hasattr(model, "completed_steps") and hasattr(model, "is_compiled")
    if is_gan and model.is_compiled:
        return model.completed_steps()
    optimizer = None if is_gan else getattr(model, "optimizer", None)
    if optimizer is None:
        raise ValueError(
            f"{type(model).__name__} has no optimizer, so its training progress is "
            "unknown. Call compile() first (a GAN loaded from a .keras file is "
            "compiled when the file holds its optimizers)."
        )
    return int(optimizer.iterations)


def _release(version):
    """`"0.10.2rc1"` → `(0, 10, 2)`: the leading number of each dot-separated part."""
    numbers = [re.match(r"\d*", part).group() for part in str(version).split(".")]
    return tuple(int(number) for number in numbers if number)


def check_written_by_older_or_same_version(written_by, where):
    """Refuses to continue a run that a newer kerasgan than this one wrote.

    A newer version may record settings or state this one does not know, so
    comparing them would only say "different settings"; the fix is to
    upgrade.

    Args:
        written_by: the `kerasgan_version` recorded in `run.json`, or None
            (runs written before kerasgan recorded it: older ones).
        where: the run folder, for the message.

    Raises:
        ValueError: `written_by` is a later release than `kerasgan.__version__`.

    Example:
        >>> check_written_by_older_or_same_version("0.1.0", "runs/dcgan")
    """
    if written_by is not None and _release(written_by) > _release(__version__):
        raise ValueError(
            f"The run in {where!r} was written by kerasgan {written_by}, newer than this "
            f"kerasgan {__version__}, which cannot continue it. Upgrade kerasgan "
            f"(pip install --upgrade kerasgan) to {written_by} or later, then resume."
        )


def count_steps(dataset):
    """Returns the number of batches in one pass over a finite dataset.

    Uses the dataset's cardinality when TensorFlow knows it, and otherwise
    reads the dataset once to count.

    Args:
        dataset: a finite `tf.data.Dataset` of batches.

    Returns:
        An int `>= 1`.

    Raises:
        ValueError: the dataset is infinite or empty.

    Example:
        >>> import tensorflow as tf
        >>> count_steps(tf.data.Dataset.range(10).batch(4, drop_remainder=True))
        2
    """
    cardinality = int(dataset.cardinality())
    if cardinality == tf.data.INFINITE_CARDINALITY:
        raise ValueError(
            "The dataset is infinite (it repeats), so an epoch has no end to "
            "resume from. Pass the dataset before .repeat()."
        )
    if cardinality == tf.data.UNKNOWN_CARDINALITY:
        cardinality = int(dataset.reduce(0, lambda count, _: count + 1))
    if cardinality < 1:
        raise ValueError("The dataset holds no batch. Use a smaller batch size or more data.")
    return cardinality


def fit_from_step(model, make_dataset, epochs, start_step, make_callbacks, verbose="auto"):
    """Trains `model` from training step `start_step` up to `epochs` epochs.

    The batches are those of passes `0, 1, ...` over a fresh dataset, read
    as one stream: step `s` of the whole run always trains on the same batch,
    so a run resumed at its last checkpoint's step continues exactly where
    the interrupted one stopped. When `start_step` falls inside an epoch,
    that epoch's remaining steps run as their own `fit()` (its logged figures
    cover only those steps), then the later epochs in a second `fit()`.
    Skipping `start_step` batches reads them through the pipeline, which costs
    a fraction of the time training on them would.

    Every `fit()` gets its own dataset from `make_dataset`: a `tf.data`
    pipeline that reshuffles keeps its shuffling state across iterations,
    so a second pass over the same dataset object would not repeat the
    order a fresh process sees.

    Args:
        model: a compiled model, e.g. a `kerasgan.GAN`.
        make_dataset: function without arguments returning a new finite
            `tf.data.Dataset` of training batches, shuffled with a fixed seed
            for a resumed run to match an uninterrupted one.
        epochs: total number of epochs of the run.
        start_step: training steps already taken (see `completed_steps`).
        make_callbacks: function of the step a `fit()` starts at, returning
            that `fit()`'s callbacks (each `fit()` gets fresh callbacks, so
            a `CSVLogger` can append from its second call on).
        verbose: `fit()` verbosity.

    Returns:
        The `History` of the last `fit()`, or None when `start_step` already
        completes `epochs` epochs.

    Example:
        >>> import kerasgan
        >>> gan = kerasgan.DCGAN(latent_dim=8, seed=0)
        >>> gan.compile()
        >>> _ = fit_from_step(
        ...     gan,
        ...     lambda: kerasgan.data.load("fashion_mnist", batch_size=32, limit=64, seed=0),
        ...     epochs=1, start_step=0, make_callbacks=lambda step: [], verbose=0)
        >>> completed_steps(gan)
        2
    """
    steps_per_epoch = count_steps(make_dataset())
    epoch, offset = divmod(start_step, steps_per_epoch)
    fits = []
    if offset and epoch < epochs:
        fits.append((epoch, epoch + 1, steps_per_epoch - offset))
        epoch += 1
    if epoch < epochs:
        fits.append((epoch, epochs, steps_per_epoch))
    history = None
    step = start_step
    for initial_epoch, end_epoch, steps in fits:
        history = model.fit(
            make_dataset().repeat().skip(step),
            epochs=end_epoch,
            initial_epoch=initial_epoch,
            steps_per_epoch=steps,
            callbacks=make_callbacks(step),
            verbose=verbose,
            shuffle=False,  # the pipeline shuffles
        )
        if model.stop_training:
            break
        step = end_epoch * steps_per_epoch
    return history
