"""A callback that scores the GAN's samples every few epochs."""

import keras

from kerasgan import evaluation
from kerasgan.utils.validation import validate_positive_int


class QualityCallback(keras.callbacks.Callback):
    """Adds sample-quality scores (FID, KID, ...) to the epoch logs.

    Every `every` epochs it calls `kerasgan.evaluate` on the model being
    trained and writes each result into the epoch's `logs` as
    `prefix + name` (`val_fid`, `val_kid`, `val_kid_std`, ...). Callbacks
    after it in the `callbacks` list (and `History`, which Keras runs last)
    see the scores, so `keras.callbacks.ModelCheckpoint(monitor="val_fid",
    mode="min")`, `EarlyStopping` and `CSVLogger` can use them. On epochs it
    skips, it writes nothing. The metric objects live only during the
    evaluation; nothing is attached to the model.

    Args:
        dataset: real images `(batch, H, W, C)` in `[-1, 1]`, or `(images,
            labels)` for conditional GANs (e.g. a held-out split from
            `kerasgan.data.load`), yielding at least `num_samples` images on
            each pass.
        metrics: names among `"fid"`, `"kid"`, `"is"`, `"pr"`. Defaults to
            `("fid",)`.
        every: evaluate after every `every`-th epoch (epochs 1-based).
            Defaults to 1.
        num_samples: real and generated images per evaluation. Defaults to
            2000.
        feature_extractor: `"fashion_mnist"` (default), `"inception_v3"` or
            a `keras.Model`.
        prefix: prepended to each log key. Defaults to `"val_"`.
        batch_size: images per generator and extractor call (default 250).
        seed: latent seed, the same every evaluation so scores move only with
            the weights. Defaults to 0.

    Example:
        >>> import kerasgan
        >>> train = kerasgan.data.load("fashion_mnist", batch_size=64, limit=128)
        >>> test = kerasgan.data.load("fashion_mnist", "test", batch_size=100, limit=200)
        >>> gan = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=8, seed=0)
        >>> gan.compile()
        >>> history = gan.fit(train, epochs=1, verbose=0, callbacks=[
        ...     kerasgan.callbacks.QualityCallback(test, num_samples=200)])
        >>> "val_fid" in history.history
        True

    Reference:
        Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge
        to a Local Nash Equilibrium", NeurIPS 2017 (FID).
        https://arxiv.org/abs/1706.08500
    """

    def __init__(
        self, dataset, metrics=("fid",), every=1, num_samples=2000, feature_extractor="fashion_mnist",
        prefix="val_", batch_size=250, seed=0,
    ):  # fmt: skip
        super().__init__()
        self.dataset = dataset
        self.every = validate_positive_int(every, "every")
        self.prefix = prefix
        self.options = dict(
            metrics=evaluation.check_metric_names(metrics),
            num_samples=num_samples,
            feature_extractor=feature_extractor,
            batch_size=batch_size,
            seed=seed,
        )

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every or logs is None:
            return
        scores = evaluation.evaluate(self.model, self.dataset, **self.options)
        logs.update({self.prefix + name: value for name, value in scores.items()})
