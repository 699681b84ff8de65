"""Reader for the IDX file format used by MNIST and Fashion-MNIST."""

import gzip
import zlib

import numpy as np

# IDX type codes (third magic byte); values are stored big-endian.
_DTYPES = {0x08: "u1", 0x09: "i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path, limit=None):
    """Reads an IDX file (plain or gzip-compressed) into a NumPy array.

    An IDX file is a 4-byte magic number (two zero bytes, a type code and
    the number of dimensions), one big-endian uint32 size per dimension,
    then the values in C order; Keras's own MNIST loaders read it with
    `np.frombuffer(..., offset=...)`, and so does this one, after checking
    the header. Names ending in `.gz` are decompressed on the fly.

    Args:
        path: path to an IDX file such as `train-images-idx3-ubyte.gz`.
        limit: optional positive int. Read only the first `limit` items along
            the first axis (all of them when `None`, the default, or when the
            file holds fewer). Reading stops there, so a small `limit` is fast
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
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValueError(f"read_idx expects limit=None or a positive int; received limit={limit!r}.")

    def fail(problem):
        return ValueError(
            f"{path} {problem}. Re-download it, or reinstall the Debian package dataset-fashion-mnist."
        )

    try:
        with (gzip.open if str(path).endswith(".gz") else open)(path, "rb") as f:
            magic = f.read(4)
            if len(magic) < 4 or magic[:2] != b"\0\0" or magic[2] not in _DTYPES:
                raise fail(f"is not an IDX file (bad magic number {magic!r})")
            sizes = f.read(4 * magic[3])
            if len(sizes) < 4 * magic[3]:
                raise fail(f"is truncated inside its header ({magic[3]} dimensions announced)")
            shape = [int(size) for size in np.frombuffer(sizes, ">u4")]
            if limit is not None and shape:
                shape[0] = min(shape[0], limit)
            dtype = np.dtype(_DTYPES[magic[2]])
            size = int(np.prod(shape)) * dtype.itemsize
            body = f.read(size)
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        raise fail(f"could not be read as an IDX file ({error})") from error
    if len(body) < size:
        raise fail(
            f"is truncated: its header announces shape {tuple(shape)} ({size} bytes of "
            f"data) but the file holds {len(body)}"
        )
    return np.frombuffer(body, dtype).reshape(shape).astype(dtype.newbyteorder("="))
