"""A description of the machine and software a benchmark ran on, for its JSON."""

import importlib.metadata
import os
import platform
import sys


def _version(package):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def describe_machine():
    """Returns the CPU, core count, load and package versions of this run.

    Returns:
        Dict of JSON-serialisable values: `cpu`, `cpu_count`,
        `load_average_1_5_15` (None where the OS has none), `python`,
        `tensorflow`, `keras`, `torch` (None when not installed),
        `onednn` (the `TF_ENABLE_ONEDNN_OPTS` setting, default on) and the
        exact `command`.

    Example:
        >>> describe_machine()["cpu_count"]
        2
    """
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "load_average_1_5_15": [round(x, 2) for x in load] if load else None,
        "python": platform.python_version(),
        "tensorflow": _version("tensorflow"),
        "keras": _version("keras"),
        "torch": _version("torch"),
        "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default (on)"),
        "command": " ".join(["python"] + sys.argv),
    }
