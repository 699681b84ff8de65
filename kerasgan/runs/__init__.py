"""Training runs kept in a folder: train, resume and sample from the shell or Python.

A run folder holds `model.keras` (saved atomically after every epoch and
every `save_every_steps` training steps), `run.json` (epochs and steps
completed and the run's settings), `log.csv`, the sample pictures under
`samples/` and the loss plot `losses.png`. A run killed at any moment
resumes from its last checkpoint's step, on the batch it would have trained
on next. Every registered variant (`kerasgan.VARIANTS`) trains in a run
folder: latent models on image data sets, image-to-image models on the data
their class accepts (`ImageToImageGAN.options_for_data`): `pix2pix` and
`cyclegan` on paired and unpaired sets, `srgan` on super-resolution sets,
`inpainting` on plain image sets. `translate_run`, `upscale_run` and
`inpaint_run` draw before/after panels of a run's model; `stylize` the
content | style | result panel of a style transfer.
"""

from kerasgan.runs.options import AUGMENTATIONS, MASKS, critic_steps_spelling, parse_critic_steps
from kerasgan.runs.panels import inpaint_run, read_images, read_masks, stylize, translate_run, upscale_run
from kerasgan.runs.preset_tools import sample_preset
from kerasgan.runs.state import load_run_model, read_run_state
from kerasgan.runs.tools import codes_run, evaluate_run, export_run, sample
from kerasgan.runs.training import DEFAULT_SAVE_EVERY_STEPS, train
from kerasgan.runs.translation import NUM_SAMPLE_TRANSLATIONS, TRANSLATION_METRICS

__all__ = [
    "AUGMENTATIONS",
    "DEFAULT_SAVE_EVERY_STEPS",
    "MASKS",
    "NUM_SAMPLE_TRANSLATIONS",
    "TRANSLATION_METRICS",
    "critic_steps_spelling",
    "evaluate_run",
    "export_run",
    "inpaint_run",
    "load_run_model",
    "parse_critic_steps",
    "read_images",
    "read_masks",
    "read_run_state",
    "sample",
    "stylize",
    "train",
    "translate_run",
    "upscale_run",
    "codes_run",
    "sample_preset",
]
