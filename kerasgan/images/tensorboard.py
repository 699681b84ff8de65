"""Sample grids as TensorBoard image summaries."""

import os

import tensorflow as tf

_WRITERS = {}


def write_image_summary(log_dir, grid, step, name="samples"):
    """Writes one uint8 grid image to a TensorBoard event file in `log_dir`.

    Args:
        log_dir: TensorBoard log folder (e.g. the one given to
            `keras.callbacks.TensorBoard`); a writer per folder is reused.
        grid: uint8 array `(H, W, C)` from `kerasgan.images.make_grid`.
        step: int step shown on TensorBoard's slider (the epoch).
        name: summary tag. Defaults to `"samples"`.

    Returns:
        None.

    Example:
        >>> write_image_summary("logs/samples", make_grid(images), step=1)  # doctest: +SKIP
    """
    try:
        import tensorboard  # noqa: F401  (tf.summary.image needs it)
    except ImportError as error:
        raise ImportError(
            "Writing TensorBoard images needs the tensorboard package: "
            "pip install 'kerasgan[tensorboard]' (or pip install tensorboard)."
        ) from error
    log_dir = os.fspath(log_dir)
    if log_dir not in _WRITERS:
        _WRITERS[log_dir] = tf.summary.create_file_writer(log_dir)
    writer = _WRITERS[log_dir]
    with writer.as_default():
        tf.summary.image(name, grid[None], step=step)
    writer.flush()
