"""A callback saving a grid of samples from a fixed latent batch (or fixed inputs)."""

import os

import keras
import numpy as np

from kerasgan.images import make_grid, save_png
from kerasgan.images.tensorboard import write_image_summary
from kerasgan.utils.validation import validate_positive_int

LATEST_FILENAME = "latest.png"


class SampleGrid(keras.callbacks.Callback):
    """Saves a PNG grid of generated samples every few epochs.

    At the end of every `every`-th epoch, the callback asks the model for
    `num_samples` images with `model.generate(n, seed=seed, labels=...)` and
    writes them as one grid to `out_dir/filename`, and again to
    `out_dir/latest.png`, a stable name to keep open in an image viewer. The
    seed is the same every time, so every grid shows the same latent
    vectors. When training ends after an epoch that was not saved (e.g. 10
    epochs with `every=3`), a last grid is written for it.

    A conditional model (`model.num_classes` an integer) gets one row per
    class, in class order, with `max(1, num_samples // num_classes)` samples
    per row; an unconditional one a near-square grid. An image-to-image
    model (one with `translate`, such as `Pix2Pix` or `CycleGAN`) needs
    `images=`: fixed inputs in `[-1, 1]`, shown in the first row over their
    translations (`model.translate(images, direction)`) in the second, and
    over the `targets=` they should become (paired data) in a third row
    (`translation_panel`). A task that takes more than images (an
    inpainting model's masks) takes a dict of inputs, and its first row
    shows them as the model's `display_inputs` draws them.

    The PNGs are written with `kerasgan.images.save_png`, so they are
    labelled as synthetic and record the model, the run (`run`, default
    `out_dir`), the epoch and the seed.

    Args:
        out_dir: folder for the PNGs (string or path-like); created if
            missing.
        num_samples: number of images per grid, an integer `>= 1`. Defaults
            to 64.
        every: write a grid every `every` epochs, an integer `>= 1`.
            Defaults to 1.
        seed: integer seed of the fixed latent batch. Defaults to 0.
        filename: name of each grid inside `out_dir`, a format string
            ending in `.png` that may use `{epoch}`, the 1-based number of
            the epoch just finished. Defaults to `"epoch_{epoch:03d}.png"`.
        run: run recorded in the PNG metadata (e.g. a run id). Defaults to
            `None`, which records `out_dir`.
        tensorboard_dir: optional TensorBoard log folder; each grid is also
            written there as an image summary `samples` at step `epoch`.
        images: for image-to-image models, the fixed inputs `(n, H, W, C)`
            in `[-1, 1]`, or a dict of input arrays with the keys of the
            model's `translation_inputs` (`{"images", "masks"}` for
            `InpaintingGAN`); must be None for latent models.
        direction: the translation direction for `images` (None: the
            model's first).
        targets: None, or for paired image-to-image data the targets of
            `images`, `(n, H', W', C')` in `[-1, 1]`, one per input, drawn
            as a third row.
        sampling_options: dict of the variant's sampling options (e.g.
            `{"truncation": 0.7}`) passed to `generate`; None (default) for
            their defaults.

    Attributes:
        paths: paths of the grids written during the last `fit`, in order
            (without `latest.png`).

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> import kerasgan
        >>> images = np.zeros((64, 28, 28, 1), dtype="float32")
        >>> model = kerasgan.DCGAN(image_shape=(28, 28, 1), latent_dim=8)
        >>> model.compile()
        >>> out_dir = os.path.join(tempfile.mkdtemp(), "samples")
        >>> history = model.fit(images, epochs=2, batch_size=32, verbose=0,
        ...                     callbacks=[SampleGrid(out_dir, every=2)])
        >>> sorted(os.listdir(out_dir))
        ['epoch_002.png', 'latest.png']
    """

    def __init__(
        self,
        out_dir,
        num_samples=64,
        every=1,
        seed=0,
        filename="epoch_{epoch:03d}.png",
        run=None,
        tensorboard_dir=None,
        images=None,
        direction=None,
        targets=None,
        sampling_options=None,
    ):
        super().__init__()
        self.sampling_options = dict(sampling_options or {})
        self.out_dir = os.fspath(out_dir)
        self.num_samples = validate_positive_int(num_samples, "num_samples")
        self.every = validate_positive_int(every, "every")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise ValueError(
                "SampleGrid needs an integer seed, so that every grid shows "
                f"the same latent batch; received seed={seed!r}."
            )
        self.seed = int(seed)
        self.filename = _validate_filename(filename)
        self.run = self.out_dir if run is None else os.fspath(run)
        self.tensorboard_dir = tensorboard_dir
        if isinstance(images, dict):
            self.images = {name: np.asarray(values) for name, values in images.items()}
        else:
            self.images = None if images is None else np.asarray(images)
        self.direction = direction
        self.targets = None if targets is None else np.asarray(targets)
        if self.targets is not None and (self.images is None or len(self.targets) != _count(self.images)):
            given = "no images=" if self.images is None else f"{_count(self.images)} images"
            raise ValueError(
                f"SampleGrid's targets= are the targets of images=, one per image; received "
                f"{len(self.targets)} targets and {given}. Pass as many targets as images."
            )
        self.paths = []
        self._last_epoch = None
        self._last_saved_epoch = None

    def on_train_begin(self, logs=None):
        self.paths = []
        self._last_epoch = None
        self._last_saved_epoch = None
        if hasattr(self.model, "translate"):
            if self.images is None:
                raise ValueError(
                    f"SampleGrid on {type(self.model).__name__}, an image-to-image model, "
                    "needs the inputs to show: pass images= (a few source images in [-1, 1])."
                )
            return
        if self.images is not None:
            raise ValueError(
                "SampleGrid's images= is for image-to-image models; "
                f"{type(self.model).__name__} generates from latents. Drop images=."
            )
        missing = [name for name in ("generate", "num_classes") if not hasattr(self.model, name)]
        if missing:
            raise TypeError(
                "SampleGrid needs a kerasgan GAN with generate(n, seed=, "
                f"labels=) and num_classes; {type(self.model).__name__} "
                f"lacks {', '.join(missing)}. Use it with a kerasgan model "
                "such as kerasgan.DCGAN."
            )

    def on_epoch_end(self, epoch, logs=None):
        self._last_epoch = epoch
        if (epoch + 1) % self.every == 0:
            self._save(epoch)

    def on_train_end(self, logs=None):
        if self._last_epoch is not None and (self._last_saved_epoch != self._last_epoch):
            self._save(self._last_epoch)

    def sample_labels(self):
        """Returns the class labels of the grid, or `None` if unconditional.

        Returns:
            `None` for an unconditional model; otherwise an `int32` array
            `[0, ..., 0, 1, ..., 1, ...]` holding each class
            `max(1, num_samples // num_classes)` times, one grid row per
            class.

        Example:
            >>> import kerasgan
            >>> callback = SampleGrid("samples", num_samples=6)
            >>> callback.set_model(kerasgan.ConditionalGAN(num_classes=3))
            >>> callback.sample_labels()
            array([0, 0, 1, 1, 2, 2], dtype=int32)
        """
        num_classes = self.model.num_classes
        if num_classes is None:
            return None
        per_row = max(1, self.num_samples // int(num_classes))
        return np.repeat(np.arange(int(num_classes), dtype="int32"), per_row)

    def _save(self, epoch):
        """Generates the fixed batch and writes it for 0-based `epoch`."""
        if self.images is not None:
            grid = translation_panel(self.model, self.images, direction=self.direction, targets=self.targets)
        else:
            labels = self.sample_labels()
            num_images = self.num_samples if labels is None else len(labels)
            images = self.model.generate(num_images, seed=self.seed, labels=labels, **self.sampling_options)
            num_rows = None if labels is None else int(self.model.num_classes)
            grid = make_grid(images, num_rows=num_rows)
        metadata = dict(model=self.model, run=self.run, extra={"Epoch": epoch + 1, "Seed": self.seed})
        path = os.path.join(self.out_dir, self.filename.format(epoch=epoch + 1))
        self.paths.append(save_png(path, grid, **metadata))
        save_png(os.path.join(self.out_dir, LATEST_FILENAME), grid, **metadata)
        if self.tensorboard_dir is not None:
            write_image_summary(self.tensorboard_dir, grid, step=epoch + 1)
        self._last_saved_epoch = epoch


def translation_panel(model, images, direction=None, targets=None):
    """Draws a model's inputs over their translations (and over their targets) as one picture.

    Row one shows the inputs as `model.display_inputs` draws them (the
    images; a super-resolution model's low-resolution images enlarged to
    the output's size, an inpainting model's images with grey holes), row
    two `model.translate(images, direction)`, and row three, when given,
    `targets`. Grayscale rows are repeated to three channels when another
    row is in color.

    Args:
        model: an image-to-image model (`kerasgan.ImageToImageGAN`).
        images: the inputs, float array `(n, H, W, C)` in `[-1, 1]`, or a
            dict with the keys of `model.translation_inputs(direction)`
            (`{"images": ..., "masks": ...}` for an inpainting model).
        direction: the translation direction; None for the model's first.
        targets: None, or the targets of `images` `(n, H, W, C')` in
            `[-1, 1]` (paired data).

    Returns:
        A `uint8` grid from `kerasgan.images.make_grid`, 2 or 3 rows of `n`.

    Example:
        >>> import numpy as np
        >>> import kerasgan
        >>> model = kerasgan.Pix2Pix(image_shape=(32, 32, 1), base_filters=4)
        >>> sources = np.zeros((4, 32, 32, 1), "float32")
        >>> translation_panel(model, sources, targets=sources).shape
        (104, 138, 1)
    """
    translations = model.translate(images, direction=direction)
    rows = [model.display_inputs(images if isinstance(images, dict) else {"images": images}), translations]
    if targets is not None:
        rows.append(np.asarray(targets, dtype="float32"))
    channels = max(row.shape[-1] for row in rows)
    batch = np.concatenate([np.repeat(row, channels // row.shape[-1], axis=-1) for row in rows])
    return make_grid(batch, num_rows=len(rows))


def _count(images):
    """The number of examples of an input array or dict of input arrays."""
    return len(next(iter(images.values()))) if isinstance(images, dict) else len(images)


def _validate_filename(filename):
    """Returns `filename` if it formats to a `.png` name, else raises."""
    try:
        name = str(filename).format(epoch=1)
    except (KeyError, IndexError, ValueError) as error:
        raise ValueError(
            "SampleGrid's filename must be a format string using only "
            f"{{epoch}}, e.g. 'epoch_{{epoch:03d}}.png'; received "
            f"filename={filename!r} ({error!r})."
        ) from error
    if not name.lower().endswith(".png") or os.path.dirname(name):
        raise ValueError(
            "SampleGrid's filename must be a file name ending in '.png' "
            f"(no folders: use out_dir); received filename={filename!r}."
        )
    if name == LATEST_FILENAME:
        raise ValueError(
            f"SampleGrid's filename may not be {LATEST_FILENAME!r}: the "
            "callback writes that file itself. Choose another name."
        )
    return str(filename)
