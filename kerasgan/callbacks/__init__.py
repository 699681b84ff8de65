"""Keras callbacks that draw pictures of a GAN's training.

`SampleGrid` saves grids of samples from a fixed latent batch; `LossPlot`
plots the training curves (both write PNGs through `kerasgan.images.save_png`).
`RunCheckpoint` saves a run folder atomically every epoch and every N steps,
and `StopOnDivergence` raises at the first NaN or infinite loss.
`LearningRateLogger` puts each network's current learning rate in the logs. Keras's own
`keras.callbacks.BackupAndRestore` works with every kerasgan model.
"""

from kerasgan.callbacks.divergence import StopOnDivergence, TrainingDivergedError
from kerasgan.callbacks.learning_rates import LearningRateLogger
from kerasgan.callbacks.loss_plot import LossPlot
from kerasgan.callbacks.quality import QualityCallback
from kerasgan.callbacks.run_checkpoint import RunCheckpoint
from kerasgan.callbacks.sample_grid import SampleGrid

__all__ = [
    "LearningRateLogger",
    "LossPlot",
    "QualityCallback",
    "RunCheckpoint",
    "SampleGrid",
    "StopOnDivergence",
    "TrainingDivergedError",
]
