"""kerasgan's version, in one place (read by `kerasgan.__version__` and the exports)."""

__version__ = "0.2.0"
