"""A module fixture that imports a script of `benchmarks/` (which import each other by name)."""

import importlib
import os
import sys

import pytest

BENCHMARKS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "benchmarks")


def script_fixture(name):
    """A module-scoped fixture yielding `benchmarks/<name>.py` as a module, `benchmarks/` on the path."""

    @pytest.fixture(scope="module")
    def fixture():
        sys.path.insert(0, BENCHMARKS)
        try:
            yield importlib.import_module(name)
        finally:
            sys.path.remove(BENCHMARKS)

    return fixture
