"""Reader for the IDX file format used by MNIST and Fashion-MNIST."""

import gzip
import os
import zlib

import numpy as np

_IDX_DTYPES = {
    0x08: np.uint8,
    0x09: np.int8,
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_REDOWNLOAD_HINT = (
    "Re-download it, or reinstall the Debian package dataset-fashion-mnist."
)


def read_idx(path, limit=None):
    """Reads an IDX file (plain or gzip-compressed) into a NumPy array.

    The IDX format is a 4-byte magic number (two zero bytes, a type code and
    the number of dimensions), one big-endian 32-bit size per dimension, then
    the values in C order. Files whose name ends in `.gz` are decompressed on
    the fly.

    Args:
        path: path to an IDX file such as `train-images-idx3-ubyte.gz`.
        limit: optional positive int. Read only the first `limit` items along
            the first axis (all of them when `None`, the default, or when the
            file holds fewer). Reading stops early, so a small `limit` is fast
            even on a large gzip file.

    Returns:
        A NumPy array in native byte order with the shape stored in the
        file's header (first axis cut to `limit`), e.g. `(60000, 28, 28)`
        uint8 for the Fashion-MNIST training images.

    Raises:
        ValueError: if the file is not a valid IDX file (bad magic number,
            corrupt gzip stream, or fewer bytes than its header announces).

    Example:
        >>> images = read_idx("/usr/share/datasets/fashion-mnist/"
        ...                   "t10k-images-idx3-ubyte.gz", limit=5)
        >>> images.shape, images.dtype
        ((5, 28, 28), dtype('uint8'))
    """
    if limit is not None and (
        isinstance(limit, bool) or not isinstance(limit, int) or limit < 1
    ):
        raise ValueError(
            f"read_idx expects limit=None or a positive int; received "
            f"limit={limit!r}."
        )
    opener = gzip.open if os.fspath(path).endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            dtype, shape = _read_header(f, path)
            if limit is not None and shape:
                shape = (min(shape[0], limit),) + shape[1:]
            count = int(np.prod(shape)) if shape else 1
            body = f.read(count * dtype.itemsize)
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        raise ValueError(
            f"{path} could not be read as an IDX file ({error}). "
            f"{_REDOWNLOAD_HINT}"
        ) from error
    if len(body) < count * dtype.itemsize:
        raise ValueError(
            f"{path} is truncated: its header announces shape {shape} "
            f"({count * dtype.itemsize} bytes of data) but the file holds "
            f"{len(body)}. {_REDOWNLOAD_HINT}"
        )
    data = np.frombuffer(body, dtype=dtype, count=count)
    return data.reshape(shape).astype(dtype.newbyteorder("="))


def _read_header(f, path):
    """Reads the magic number and dimension sizes; returns (dtype, shape)."""
    magic = f.read(4)
    if len(magic) < 4 or magic[0] != 0 or magic[1] != 0 or (
        magic[2] not in _IDX_DTYPES
    ):
        raise ValueError(
            f"{path} is not an IDX file (bad magic number {magic!r}). "
            f"{_REDOWNLOAD_HINT}"
        )
    ndim = magic[3]
    sizes = f.read(4 * ndim)
    if len(sizes) < 4 * ndim:
        raise ValueError(
            f"{path} is truncated inside its header ({ndim} dimensions "
            f"announced). {_REDOWNLOAD_HINT}"
        )
    shape = tuple(
        int.from_bytes(sizes[4 * i : 4 * i + 4], "big") for i in range(ndim)
    )
    return np.dtype(_IDX_DTYPES[magic[2]]), shape
