"""Markdown tables from the JSON files of `train_step.py`, `memory.py`, `xla_cpu.py`.

Usage:
    python benchmarks/report.py benchmarks/results/train_step.json [more.json ...]

Prints, per file, the command and machine it came from and one table row
per configuration; paste the output into `docs/performance.md`.
"""

import json
import statistics
import sys


def _header(data):
    machine = data["machine"]
    load = machine.get("load_average_1_5_15")
    return (
        f"`{machine['command']}` on {machine['cpu_count']} cores ({machine['cpu']}), "
        f"load average {load[0] if load else 'n/a'} at start; TensorFlow "
        f"{machine['tensorflow']}, Keras {machine['keras']}, PyTorch {machine['torch']}."
    )


def _table(columns, rows):
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def train_step_table(data):
    """Markdown table of a `train_step.py` result: images/s and ratios per row.

    Args:
        data: the parsed JSON file.

    Returns:
        str, a Markdown table with one column per contender and per ratio,
        and a last row with the median of each ratio over configurations.

    Example:
        >>> print(train_step_table(json.load(open("benchmarks/results/train_step.json"))))
    """
    results = data["results"]
    contenders = list(dict.fromkeys(k for r in results for k in r["images_per_second"]))
    ratios = list(dict.fromkeys(k for r in results for k in r["ratios"]))
    rows = [
        [r["variant"], r["batch_size"]]
        + [r["images_per_second"].get(name, "") for name in contenders]
        + [r["ratios"].get(name, "") for name in ratios]
        for r in results
    ]
    if len(results) > 1:
        medians = [
            round(statistics.median(r["ratios"][name] for r in results if name in r["ratios"]), 3)
            for name in ratios
        ]
        rows.append(["**median**", ""] + [""] * len(contenders) + [f"**{m}**" for m in medians])
    columns = ["variant", "batch"] + [f"{name} img/s" for name in contenders] + [f"{name}" for name in ratios]
    return _table(columns, rows)


def memory_table(data):
    """Markdown table of a `memory.py` result: peak MB and ratios per row.

    Args:
        data: the parsed JSON file.

    Returns:
        str, a Markdown table.
    """
    rows = [
        [
            r["variant"],
            r["batch_size"],
            "on" if r["xla"] else "off",
            r["reference"]["peak_mb"],
            r["fit"]["peak_mb"],
            r["peak_fit_vs_reference"],
            round(r["reference"]["peak_mb"] - r["reference"]["before_training_mb"], 1),
            round(r["fit"]["peak_mb"] - r["fit"]["before_training_mb"], 1),
            r["training_growth_fit_vs_reference"],
        ]
        for r in data["results"]
    ]
    columns = [
        "variant",
        "batch",
        "XLA",
        "reference peak MB",
        "fit peak MB",
        "peak fit/ref",
        "reference growth MB",
        "fit growth MB",
        "growth fit/ref",
    ]
    return _table(columns, rows)


def xla_table(data):
    """Markdown table of an `xla_cpu.py` result: milliseconds per case.

    Args:
        data: the parsed JSON file.

    Returns:
        str, a Markdown table.
    """
    rows = [
        [group, name, r["tf_ms"], r["xla_ms"], r["xla_vs_tf"]]
        for group, cases in data["results"].items()
        for name, r in cases.items()
    ]
    return _table(["group", "case", "TensorFlow ms", "XLA ms", "XLA / TensorFlow"], rows)


def _table_for(data):
    if isinstance(data["results"], dict):
        return xla_table(data)
    if "peak_fit_vs_reference" in data["results"][0]:
        return memory_table(data)
    return train_step_table(data)


def main(paths):
    """Prints the header and table of each JSON file in `paths`."""
    for path in paths:
        with open(path) as file:
            data = json.load(file)
        print(f"### {path}\n\n{_header(data)}\n")
        print(_table_for(data) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
