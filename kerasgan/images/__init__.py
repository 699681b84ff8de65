"""Pictures of generated images: tiling them into grids and saving PNGs.

Every PNG kerasgan writes goes through `save_png`, which labels it as
synthetic and records the model, run, kerasgan version and creation time.
"""

from kerasgan.images.code_grid import code_grid, code_grid_images
from kerasgan.images.grid import make_grid
from kerasgan.images.metadata import METADATA_KEYS, build_png_metadata
from kerasgan.images.png import read_png_metadata, save_png

__all__ = [
    "METADATA_KEYS",
    "build_png_metadata",
    "make_grid",
    "read_png_metadata",
    "save_png",
    "code_grid",
    "code_grid_images",
]
