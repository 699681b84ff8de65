"""Optional packages: a test that needs one is skipped, with one recognisable reason, when it is absent.

The set-up installs only what the default suite needs; PyTorch (a comparison
benchmark and the untrained-backend check) and the ONNX tools are extras.
`tests/backend/test_jax_subset.py` accepts exactly these skips from the JAX
child process, and only for packages this process cannot import either.
"""

import importlib.util
import re

import pytest

SKIP_REASON_START = "optional package "
_SKIP_REASON = re.compile(re.escape(SKIP_REASON_START) + r"(?P<module>[\w.]+) is not installed: ")


def skip_reason(module, extra):
    """The skip reason for a missing optional `module`, installed by `kerasgan[extra]`."""
    return f"{SKIP_REASON_START}{module} is not installed: pip install 'kerasgan[{extra}]'"


def require(module, extra):
    """Imports `module`, or skips the calling test (or module) with `skip_reason`."""
    return pytest.importorskip(module, reason=skip_reason(module, extra))


def is_missing(module):
    """True when `module` cannot be imported here."""
    return importlib.util.find_spec(module) is None


def missing_package_of(text):
    """The module a skip report names as missing (`skip_reason`), or None for any other skip.

    Args:
        text: a skip's message and details, e.g. a junit `<skipped>` element's
            `message` and text (a skipped module reports its reason in the text).
    """
    found = _SKIP_REASON.search(text or "")
    return None if found is None else found["module"]
