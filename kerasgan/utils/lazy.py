"""Attributes imported on first use, with an install hint where TensorFlow is missing."""

import importlib


def import_tensorflow_part(public_name, module_name, attribute=None):
    """`module_name` (or its `attribute`), imported now; a missing TensorFlow says what to install.

    `public_name` is how users reach it (`"kerasgan.data"`). Any other missing
    module is raised unchanged.

    Example:
        >>> from kerasgan.utils.lazy import import_tensorflow_part
        >>> import_tensorflow_part("kerasgan.data.read_idx", "kerasgan.data.idx", "read_idx").__name__
        'read_idx'
    """
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name is None or not error.name.startswith("tensorflow"):
            raise
        raise ModuleNotFoundError(
            f"{public_name} is built on TensorFlow ({error.name} is not installed). "
            "Install it with `pip install tensorflow` (or tensorflow-cpu); the models, "
            "networks and losses train on the JAX backend without it.",
            name=error.name,
        ) from error
    return module if attribute is None else getattr(module, attribute)


def lazy_attributes(package, table, namespace):
    """A package's `(__getattr__, __dir__)` that import `table`'s entries on first use.

    Args:
        package: the package's public name, e.g. `"kerasgan.data"`.
        table: `{attribute: (module name, name in it or None for the module)}`.
        namespace: the package's `globals()`; an imported value is cached there.

    Returns:
        The two functions, to assign to the package's `__getattr__` and `__dir__`.

    Example:
        >>> from kerasgan.utils.lazy import lazy_attributes
        >>> space = {}
        >>> get, listing = lazy_attributes("demo", {"read_idx": ("kerasgan.data.idx", "read_idx")}, space)
        >>> get("read_idx").__name__, "read_idx" in space, listing()
        ('read_idx', True, ['read_idx'])
    """

    def __getattr__(name):
        if name not in table:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module_name, attribute = table[name]
        value = import_tensorflow_part(f"{package}.{name}", module_name, attribute)
        namespace[name] = value
        return value

    def __dir__():
        return sorted(set(namespace) | set(table))

    return __getattr__, __dir__
