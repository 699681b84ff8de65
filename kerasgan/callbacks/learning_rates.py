"""`LearningRateLogger`: every network's current learning rate in the training logs."""

import keras


class LearningRateLogger(keras.callbacks.Callback):
    """Adds each optimizer's current learning rate to the logs of every batch and epoch.

    For a kerasgan model the names are its optimizer slots without
    `_optimizer`, plus `_learning_rate`: `d_learning_rate` and
    `g_learning_rate` for the GAN family. The value is what the optimizer's
    schedule gives at its current `iterations` (a constant rate is logged
    as it is), so a `LinearDecay` shows up in `History`, `CSVLogger`,
    TensorBoard and `LossPlot`'s step file. Put it before the callbacks
    that write the logs (`callbacks=[LearningRateLogger(), CSVLogger(...)]`):
    Keras hands one logs dict to the callbacks in their order.

    Example:
        >>> import numpy as np
        >>> from kerasgan.learning_rates import LinearDecay
        >>> gan = kerasgan.DCGAN(latent_dim=8, image_shape=(28, 28, 1), seed=0)
        >>> gan.compile(d_optimizer=keras.optimizers.Adam(LinearDecay(1e-3, 0, 4)),
        ...             g_optimizer=keras.optimizers.Adam(5e-4))
        >>> images = np.zeros((8, 28, 28, 1), "float32")
        >>> history = gan.fit(images, batch_size=4, epochs=2, verbose=0,
        ...                   callbacks=[LearningRateLogger()])
        >>> [round(rate, 6) for rate in history.history["d_learning_rate"]]
        [0.0005, 0.0]
        >>> [round(rate, 6) for rate in history.history["g_learning_rate"]]
        [0.0005, 0.0005]
    """

    def on_train_batch_end(self, batch, logs=None):
        if logs is not None:
            logs.update(self.learning_rates())

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs.update(self.learning_rates())

    def learning_rates(self):
        """Returns `{name: float}`, each optimizer's learning rate now."""
        model = self.model
        if hasattr(model, "optimizer_slots"):
            slots = [(slot, getattr(model, slot)) for slot in model.optimizer_slots()]
        else:
            slots = [("optimizer", model.optimizer)]
        rates = {}
        for slot, optimizer in slots:
            if optimizer is None:
                continue
            name = slot[: -len("_optimizer")] if slot.endswith("_optimizer") else slot
            rates[f"{name}_learning_rate"] = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
        return rates
