"""Before/after panels: `translate`, `upscale` and `inpaint` of a run folder, and `stylize` of two images."""

import os

import keras
import numpy as np
from PIL import Image, UnidentifiedImageError

from kerasgan.callbacks.sample_grid import translation_panel
from kerasgan.images import save_png
from kerasgan.images.png import validate_png_path
from kerasgan.models import VARIANTS, CentreMask, ImageToImageGAN
from kerasgan.runs.state import load_run_model, read_run_state
from kerasgan.runs.translation import NUM_SAMPLE_TRANSLATIONS, held_examples
from kerasgan.utils.validation import validate_positive_int


def translate_run(run_dir, out_path, inputs=None, num_samples=None, direction=None, seed=0):
    """Writes a before/after panel of an image-to-image run: inputs, translations, targets.

    Without `inputs`, translates the first `num_samples` held-out examples
    of the run's data set, as `kerasgan.runs.sample` does; with `inputs`,
    the given image files, each resized to the direction's input shape
    (bicubic, antialiased) and converted to its channels (grayscale or
    RGB). Rows: the inputs as the model's `display_inputs` draws them, the
    translations, and the targets where there are any (held-out paired
    data; the complete images for an inpainting model, whose masks come
    from its sampler with `seed`). The PNG carries kerasgan's
    synthetic-image metadata.

    Args:
        run_dir: a run folder of an image-to-image model.
        out_path: PNG file to write.
        inputs: None, or a list of image files (PNG, or any format Pillow
            reads).
        num_samples: held-out examples to translate, without `inputs`.
            None: 8.
        direction: e.g. `"b2a"` (CycleGAN); None for the first.
        seed: int seed of an inpainting model's masks. Defaults to 0.

    Returns:
        The path written.

    Raises:
        ValueError: no run there, a latent model's run, an unknown
            direction, `inputs` with `num_samples`, or an input file that is
            missing or not an image.

    Example:
        >>> translate_run("runs/edges", "panel.png", inputs=["sketch.png"])  # doctest: +SKIP
    """
    gan = _run_model(run_dir, out_path, "translate", lambda cls: issubclass(cls, ImageToImageGAN))
    direction, _ = gan.translator(direction)
    sources, targets, extra = _examples(gan, run_dir, inputs, num_samples, direction)
    model_inputs, targets = gan.example_inputs(sources, targets, seed=seed)
    panel = translation_panel(gan, model_inputs, direction=direction, targets=targets)
    return save_png(
        out_path, panel, model=gan, run=os.fspath(run_dir), extra={"Direction": direction, **extra}
    )


def upscale_run(run_dir, out_path, inputs=None, num_samples=None):
    """Writes a before/after panel of a super-resolution run: low resolution, upscaled, original.

    Without `inputs`, upscales the first `num_samples` held-out
    low-resolution images of the run's data set and shows their
    high-resolution originals in a third row; with `inputs`, the given image
    files, each resized to the model's low-resolution input shape (bicubic,
    antialiased) and converted to its channels. The first row shows the
    low-resolution images enlarged by nearest neighbour to the output's
    size.

    Args:
        run_dir: a run folder of a model with `upscale` (`srgan`).
        out_path: PNG file to write.
        inputs: None, or a list of image files.
        num_samples: held-out examples, without `inputs`. None: 8.

    Returns:
        The path written.

    Raises:
        ValueError: no run there, a run of a model without `upscale`,
            `inputs` with `num_samples`, or a missing or unreadable file.

    Example:
        >>> upscale_run("runs/sr2", "upscaled.png")  # doctest: +SKIP
    """
    gan = _run_model(run_dir, out_path, "upscale", lambda cls: hasattr(cls, "upscale"))
    sources, targets, extra = _examples(gan, run_dir, inputs, num_samples, None)
    model_inputs, targets = gan.example_inputs(sources, targets)
    panel = translation_panel(gan, model_inputs, targets=targets)
    return save_png(out_path, panel, model=gan, run=os.fspath(run_dir), extra={"Scale": gan.scale, **extra})


def inpaint_run(run_dir, out_path, inputs=None, masks=None, num_samples=None):
    """Writes a before/after panel of an inpainting run: images with holes, completions, originals.

    The images are the first `num_samples` held-out images of the run's
    data set, or the given image files (resized to the model's image shape
    and converted to its channels). The holes are a centre square of half
    the height and width (14x14 on 28x28) unless `masks` are given: image
    files, white (255) where a pixel is missing and black (0) where it is
    known, nothing else, one for all images or one per image, resized to
    the model's size by nearest neighbour. Rows: the images with their
    missing pixels grey, the completions (every known pixel the input's),
    the original images.

    Args:
        run_dir: a run folder of a model with `inpaint` (`inpainting`).
        out_path: PNG file to write.
        inputs: None, or a list of image files.
        masks: None (centre holes), or a list of mask files.
        num_samples: held-out images, without `inputs`. None: 8.

    Returns:
        The path written.

    Raises:
        ValueError: no run there, a run of a model without `inpaint`, a
            missing or unreadable file, a mask holding values other than
            black and white, or a number of masks other than 1 or one per
            image.

    Example:
        >>> inpaint_run("runs/completion", "completed.png", masks=["hole.png"])  # doctest: +SKIP
    """
    gan = _run_model(run_dir, out_path, "inpaint", lambda cls: hasattr(cls, "inpaint"))
    images, _, extra = _examples(gan, run_dir, inputs, num_samples, None)
    height, width = gan.image_shape[:2]
    if masks is None:
        holes = keras.ops.convert_to_numpy(CentreMask()(len(images), (height, width)))
        extra["Masks"] = "centre"
    else:
        holes = read_masks(masks, (height, width))
        if len(holes) not in (1, len(images)):
            raise ValueError(
                f"inpaint takes one mask for all images or one per image; received {len(holes)} masks "
                f"(--mask) for {len(images)} images. Pass 1 or {len(images)}."
            )
        holes = np.broadcast_to(holes, (len(images), *holes.shape[1:])).copy()
        extra["Masks"] = ", ".join(os.fspath(path) for path in masks)
    panel = translation_panel(gan, {"images": images, "masks": holes}, targets=images)
    return save_png(out_path, panel, model=gan, run=os.fspath(run_dir), extra=extra)


def stylize(content, style, out_path, steps=200, size=128, feature_extractor="vgg19", seed=0):
    """Transfers a style image's style onto a content image and writes the content | style | result panel.

    Each image is a photograph bundled with scikit-image, named as in
    `kerasgan.data.photos.photo_names()` (`"astronaut"`, `"brick"`, ...;
    needs `pip install "kerasgan[images]"`), or an image file Pillow
    reads. Both are resized to `size` x `size` RGB. The transfer is
    `kerasgan.style.transfer` with its default weights and layers, and the
    panel goes through `kerasgan.style.save_style_panel`, so it carries the
    synthetic-image metadata.

    Args:
        content: a photo name or an image file.
        style: a photo name or an image file.
        out_path: the PNG to write.
        steps: optimisation steps, positive. Defaults to 200.
        size: side of both images in pixels, positive. Defaults to 128.
        feature_extractor: `"vgg19"` (default; ImageNet weights, downloaded
            once) or `"fashion_mnist"` (shipped with kerasgan, offline).
        seed: int seed of the transfer. Defaults to 0.

    Returns:
        `(path, history)`: the PNG written and the per-step loss history.

    Raises:
        ValueError: a name that is neither a photo nor a file, an unreadable
            file, bad counts.

    Example:
        >>> path, history = stylize("astronaut", "brick", "styled.png", steps=2, size=32,
        ...                         feature_extractor="fashion_mnist")  # doctest: +SKIP
    """
    from kerasgan import style as styles
    from kerasgan.data import photos

    validate_positive_int(size, "size (--size)")
    validate_positive_int(steps, "steps (--steps)")

    def image(name, what):
        if os.path.isfile(name):
            return read_images([name], (size, size, 3), what)[0]
        if name in photos.photo_names():
            return photos.load_image(name, size=(size, size))
        raise ValueError(
            f"{what} {name!r} is neither an image file nor a bundled photograph; give a file Pillow reads "
            f"or one of {list(photos.photo_names())}."
        )

    content_image, style_image = image(content, "--content"), image(style, "--style")
    result, history = styles.transfer(
        content_image, style_image, steps=steps, feature_extractor=feature_extractor, seed=seed
    )
    path = styles.save_style_panel(out_path, content_image, style_image, result, model=feature_extractor)
    return path, history


def read_images(paths, shape, what="--input"):
    """Reads image files as a batch in `[-1, 1]` of one shape, resized and converted to its channels.

    Args:
        paths: a list of files Pillow reads (PNG, JPEG, ...).
        shape: `(H, W, C)`, `C` 1 (grayscale) or 3 (RGB).
        what: the option named in messages. Defaults to `"--input"`.

    Returns:
        Float32 array `(len(paths), H, W, C)` in `[-1, 1]`; each image
        resized with Pillow's bicubic filter (antialiased when shrinking).

    Raises:
        ValueError: no files, a missing or unreadable file, or a shape of
            another channel count.

    Example:
        >>> import os, tempfile
        >>> from PIL import Image
        >>> path = os.path.join(tempfile.mkdtemp(), "white.png")
        >>> Image.new("RGB", (64, 48), "white").save(path)
        >>> images = read_images([path], (28, 28, 1))
        >>> images.shape, float(images.min())
        ((1, 28, 28, 1), 1.0)
    """
    height, width, channels = shape
    if channels not in (1, 3):
        raise ValueError(f"{what} images are read as grayscale or RGB; the model takes {channels} channels.")
    pictures = [
        picture.resize((width, height), Image.Resampling.BICUBIC)
        for picture in _open_all(paths, "L" if channels == 1 else "RGB", what)
    ]
    pixels = np.stack(
        [np.asarray(picture, "float32").reshape(height, width, channels) for picture in pictures]
    )
    return pixels / 127.5 - 1.0


def read_masks(paths, image_size, what="--mask"):
    """Reads mask files, white (255) where a pixel is missing and black (0) where it is known.

    Args:
        paths: a list of files Pillow reads; each converted to grayscale
            must hold only the values 0 and 255.
        image_size: `(H, W)` the masks are resized to, by nearest neighbour.
        what: the option named in messages. Defaults to `"--mask"`.

    Returns:
        Float32 masks `(len(paths), H, W, 1)`: 1 missing, 0 known.

    Raises:
        ValueError: no files, a missing or unreadable file, or a mask with
            grey values (the message counts them).

    Example:
        >>> import os, tempfile
        >>> from PIL import Image
        >>> path = os.path.join(tempfile.mkdtemp(), "hole.png")
        >>> mask = Image.new("L", (8, 8), 0)
        >>> mask.paste(255, (0, 0, 4, 8))  # the left half is missing
        >>> mask.save(path)
        >>> masks = read_masks([path], (4, 4))
        >>> masks.shape, masks[0, 0, :, 0].tolist()
        ((1, 4, 4, 1), [1.0, 1.0, 0.0, 0.0])
    """
    height, width = image_size
    masks = []
    for path, picture in zip(paths, _open_all(paths, "L", what)):
        values = np.asarray(picture)
        grey = np.unique(values[(values != 0) & (values != 255)])
        if grey.size:
            raise ValueError(
                f"{what} {os.fspath(path)!r} must be black (0, known) and white (255, missing) only; it "
                f"holds {grey.size} other grey levels ({int(grey.min())} to {int(grey.max())}). Save the "
                "mask with two colours, without antialiasing."
            )
        resized = np.asarray(picture.resize((width, height), Image.Resampling.NEAREST))
        masks.append((resized == 255).astype("float32")[..., None])
    return np.stack(masks)


def _open_all(paths, mode, what):
    """Each file opened with Pillow and converted to `mode`; a clear ValueError for a bad one."""
    if not paths:
        raise ValueError(f"{what} needs at least one image file; received none.")
    pictures = []
    for path in paths:
        path = os.fspath(path)
        if not os.path.isfile(path):
            raise ValueError(f"{what} {path!r} does not exist (or is not a file). Give the path of an image.")
        try:
            with Image.open(path) as opened:
                pictures.append(opened.convert(mode))
        except (UnidentifiedImageError, OSError, SyntaxError) as error:
            raise ValueError(
                f"{what} {path!r} cannot be read as an image ({type(error).__name__}: {error}). Pass a "
                "PNG file."
            ) from None
    return pictures


def _run_model(run_dir, out_path, command, fits):
    """The run's model, if `fits(its class)`; else a ValueError naming the variants the command takes."""
    validate_png_path(out_path)
    gan = load_run_model(run_dir)
    if not fits(type(gan)):
        takers = ", ".join(sorted(name for name, cls in VARIANTS.items() if fits(cls)))
        instead = (
            "Use `kerasgan translate` for other image-to-image runs."
            if isinstance(gan, ImageToImageGAN)
            else "Draw its samples with `kerasgan sample`."
        )
        raise ValueError(
            f"kerasgan {command} needs a run of {takers}; the run in {os.fspath(run_dir)!r} is a "
            f"{gan.variant_name!r} run ({type(gan).__name__}). {instead}"
        )
    return gan


def _examples(gan, run_dir, inputs, num_samples, direction):
    """`(sources, targets, metadata)`: held-out examples of the run's data set, or the given files."""
    if inputs is None:
        dataset = read_run_state(run_dir)["settings"]["dataset"]
        index = list(gan.directions).index(gan.translator(direction)[0])
        sources, targets = held_examples(dataset, num_samples or NUM_SAMPLE_TRANSLATIONS, index)
        return sources, targets, {"Dataset": dataset}
    if num_samples is not None:
        raise ValueError(
            f"num_samples (--n) counts held-out examples; with inputs (--input) the panel shows the "
            f"{len(inputs)} files given. Drop one of them."
        )
    shape = gan.direction_shapes(gan.translator(direction)[0])[0]
    return read_images(inputs, shape), None, {"Inputs": ", ".join(os.fspath(path) for path in inputs)}
