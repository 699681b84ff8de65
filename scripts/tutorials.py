"""Runs, cleans and illustrates the notebooks in `tutorials/`.

Every `tutorials/*.ipynb` is a tutorial: nothing else needs registering. The
test suite (`tests/tutorials/`) executes each one with the budget `"ci"`;
this script does the same from the shell, strips outputs before a notebook
is committed, and makes the picture that the README shows for each one.

    python scripts/tutorials.py run                  # every notebook, budget "ci"
    python scripts/tutorials.py run 01 --budget full --out executed/   # keep the outputs
    python scripts/tutorials.py clean                # strip outputs before committing
    python scripts/tutorials.py pictures 01 --set EPOCHS=3   # docs/tutorials/<name>.png

A notebook reads its budget from the environment variable
`KERASGAN_TUTORIAL_BUDGET` (`"full"` when unset, as in Colab) in its one
settings cell. The README picture of a notebook is the image output of its
cell tagged `readme-picture`, or else its last image output.
"""

import argparse
import ast
import base64
import io
import os
import pathlib
import re
import resource
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
TUTORIALS_DIR = REPO / "tutorials"
PICTURES_DIR = REPO / "docs" / "tutorials"
BUDGET_VARIABLE = "KERASGAN_TUTORIAL_BUDGET"
PICTURE_TAG = "readme-picture"
# A "ci" run takes 17-23 s on an idle 2-core host and up to 90 s on an overloaded one.
NOTEBOOK_TIMEOUT_S = 300
PICTURE_MAX_WIDTH = 640
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class NotebookError(RuntimeError):
    """A notebook failed to run: names the notebook, the cell, its source and the error."""


def _nb_modules():
    """Imports nbformat and nbclient, or says how to install them."""
    try:
        import nbclient
        import nbformat
    except ImportError as error:
        raise ImportError(
            f"Running tutorials needs nbclient, nbformat and ipykernel ({error}). "
            'Install them with `pip install -e ".[dev]"`.'
        ) from error
    return nbformat, nbclient


def list_notebooks(folder=TUTORIALS_DIR):
    """Every tutorial notebook in `folder`, sorted by name.

    Args:
        folder: the tutorials folder. Defaults to the repository's `tutorials/`.

    Returns:
        Sorted list of `pathlib.Path` to the `*.ipynb` files (Jupyter's
        `.ipynb_checkpoints` copies are left out).

    Example:
        >>> [path.name for path in list_notebooks()][0]
        '01_quickstart.ipynb'
    """
    return sorted(pathlib.Path(folder).glob("*.ipynb"))


def read_notebook(path):
    """Reads a notebook file as an `nbformat` v4 node."""
    nbformat, _ = _nb_modules()
    return nbformat.read(os.fspath(path), as_version=4)


def execute_notebook(path, budget="ci", cwd=None, timeout_s=NOTEBOOK_TIMEOUT_S, overrides=None):
    """Runs a notebook top to bottom in a fresh `python3` kernel.

    The kernel starts in `cwd` with `KERASGAN_TUTORIAL_BUDGET=budget` in its
    environment. `timeout_s` bounds the whole notebook, not each cell: each
    cell may use what the cells before it left. `overrides` change settings
    for this run only: each becomes a line `NAME = value` at the end of the
    settings cell (the file is not touched).

    Args:
        path: the `.ipynb` file.
        budget: value of `KERASGAN_TUTORIAL_BUDGET`, `"ci"` or `"full"`.
        cwd: working folder of the kernel (files the notebook writes land
            there). Defaults to a new temporary folder.
        timeout_s: seconds allowed for the whole notebook, `> 0`.
        overrides: optional dict `{setting name: Python literal}`, e.g.
            `{"EPOCHS": 1}`.

    Returns:
        `(notebook, seconds)`: the executed notebook (with outputs) and the
        wall time of the run, kernel start included.

    Raises:
        NotebookError: a cell raised, the time ran out or the kernel died;
            the message names the cell, shows its source and the error.

    Example:
        >>> notebook, seconds = execute_notebook("tutorials/01_quickstart.ipynb")  # doctest: +SKIP
    """
    if not timeout_s or timeout_s <= 0:
        raise ValueError(f"timeout_s must be a positive number of seconds; received {timeout_s!r}.")
    _, nbclient = _nb_modules()
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    path = pathlib.Path(path)
    notebook = read_notebook(path)
    if overrides:
        settings = settings_cell(notebook)
        if settings is None:
            raise ValueError(f"{path.name} has no settings cell (reading {BUDGET_VARIABLE}) to override.")
        lines = [f"{name} = {value!r}" for name, value in overrides.items()]
        settings.source = "\n".join([settings.source.rstrip(), "# Overrides for this run:", *lines])
    cwd = tempfile.mkdtemp(prefix="tutorial-") if cwd is None else os.fspath(cwd)
    started = time.monotonic()
    deadline = started + timeout_s
    current = {"index": None}

    def remember(cell, cell_index, **_):
        current["index"] = cell_index

    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        resources={"metadata": {"path": cwd}},
        timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
        on_cell_start=remember,
    )
    environment = {**os.environ, BUDGET_VARIABLE: budget, "TF_CPP_MIN_LOG_LEVEL": "2"}
    try:
        client.execute(env=environment)
    except CellTimeoutError:
        what = f"the notebook ran past its {timeout_s:g} s"
    except CellExecutionError as error:
        what = f"{error.ename}: {error.evalue}"
    except DeadKernelError as error:
        what = f"the kernel died ({error})"
    else:
        what = None
    if what is not None:
        raise NotebookError(_failure(path, notebook, current["index"], what))
    return notebook, time.monotonic() - started


def _failure(path, notebook, index, what):
    """The message for a failed cell: where, its source, the error and the output before it."""
    if index is None:
        return f"{path.name} failed before any cell ran: {what}"
    cell = notebook.cells[index]
    lines = [
        f"{path.name}, cell {index + 1} of {len(notebook.cells)}: {what}",
        "---- cell source ----",
        cell.source.rstrip(),
    ]
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            trace = _ANSI.sub("", "\n".join(output.traceback)).strip().splitlines()
            lines += ["---- traceback (last lines) ----", *trace[-25:]]
        elif output.output_type == "stream":
            text = output.text.rstrip().splitlines()
            lines += [f"---- {output.name} (last lines) ----", *text[-10:]]
    return "\n".join(lines)


def settings_cell(notebook):
    """The notebook's settings cell: the first code cell that reads the budget variable, or None."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and BUDGET_VARIABLE in cell.source:
            return cell
    return None


def parse_override(text):
    """Reads `NAME=VALUE` (a Python literal) from the command line into `(NAME, value)`."""
    name, equals, value = text.partition("=")
    try:
        if not equals or not name.strip().isidentifier():
            raise ValueError("not NAME=VALUE")
        return name.strip(), ast.literal_eval(value.strip())
    except (ValueError, SyntaxError) as error:
        raise argparse.ArgumentTypeError(
            f"--set takes NAME=VALUE with a Python literal value, e.g. EPOCHS=2 or SEEDS=[0]; "
            f"received {text!r} ({error})."
        ) from None


def strip_outputs(notebook):
    """Removes every output and execution count, in place, and returns the notebook.

    Args:
        notebook: an `nbformat` notebook node.

    Returns:
        The same node, as the repository stores notebooks.
    """
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    return notebook


def picture_png(notebook):
    """The PNG bytes of a notebook's README picture.

    The image output of the cell tagged `readme-picture` (the last image it
    shows), or else the last image output of the notebook.

    Args:
        notebook: an executed notebook.

    Returns:
        PNG bytes.

    Raises:
        ValueError: the notebook shows no image.
    """

    def images(cells):
        for cell in cells:
            for output in cell.get("outputs", []):
                if "image/png" in output.get("data", {}):
                    yield base64.b64decode(output["data"]["image/png"])

    tagged = [cell for cell in notebook.cells if PICTURE_TAG in cell.metadata.get("tags", [])]
    found = list(images(tagged or notebook.cells))
    if not found:
        where = f"its cell tagged {PICTURE_TAG!r}" if tagged else "any cell"
        raise ValueError(f"The notebook shows no image in {where}: plot one, or tag the cell to use.")
    return found[-1]


def save_picture(png, path, source):
    """Writes a README picture, at most `PICTURE_MAX_WIDTH` wide, labelled by kerasgan.

    Args:
        png: PNG bytes from `picture_png`.
        path: destination `.png`.
        source: the notebook it comes from, recorded as the run.

    Returns:
        The path written.
    """
    import numpy as np
    from PIL import Image

    from kerasgan.images import save_png

    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.width > PICTURE_MAX_WIDTH:
        height = round(image.height * PICTURE_MAX_WIDTH / image.width)
        image = image.resize((PICTURE_MAX_WIDTH, height), Image.LANCZOS)
    pixels = np.asarray(image)
    if np.array_equal(pixels.min(axis=-1), pixels.max(axis=-1)):
        pixels = pixels[..., 0]  # a gray picture: one channel is a third of the file
    return save_png(path, pixels, model=f"tutorial {source}", run=source)


def _select(names):
    """The notebooks named on the command line (file names, stems or their numbers), or all."""
    notebooks = list_notebooks()
    if not names:
        return notebooks
    selected = []
    for name in names:
        stem = pathlib.Path(name).stem
        matches = [path for path in notebooks if path.stem == stem or path.stem.startswith(f"{stem}_")]
        if len(matches) != 1:
            found = "no tutorial" if not matches else f"{len(matches)} tutorials"
            raise SystemExit(f"{name!r} names {found}; the tutorials are {[p.stem for p in notebooks]}.")
        selected.append(matches[0])
    return selected


def _children_cpu_seconds():
    """User and system CPU seconds of the finished child processes (the kernels)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("run", "execute notebooks top to bottom"),
        ("pictures", "execute notebooks and save each one's README picture to docs/tutorials/"),
        ("clean", "strip outputs and execution counts from notebooks"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("names", nargs="*", help="notebooks (e.g. 01_quickstart); default: all")
        if name != "clean":
            command.add_argument(
                "--budget",
                default="ci" if name == "run" else "full",
                help=f"{BUDGET_VARIABLE} for the run (ci or full)",
            )
            command.add_argument(
                "--timeout",
                type=float,
                default=None,
                help=f"seconds per notebook (default: {NOTEBOOK_TIMEOUT_S} for ci, no limit otherwise)",
            )
            command.add_argument(
                "--out", default=None, help="folder to write the executed notebooks to, outputs included"
            )
            command.add_argument(
                "--set",
                dest="overrides",
                action="append",
                type=parse_override,
                default=[],
                metavar="NAME=VALUE",
                help="change a setting for this run (repeatable), e.g. --set EPOCHS=2",
            )
    args = parser.parse_args(argv)
    nbformat, _ = _nb_modules()
    for path in _select(args.names):
        if args.command == "clean":
            nbformat.write(strip_outputs(read_notebook(path)), os.fspath(path))
            print(f"cleaned {path.relative_to(REPO)}")
            continue
        timeout_s = args.timeout or (NOTEBOOK_TIMEOUT_S if args.budget == "ci" else 24 * 3600)
        overrides = dict(args.overrides)
        cpu_before = _children_cpu_seconds()
        try:
            notebook, seconds = execute_notebook(
                path, budget=args.budget, timeout_s=timeout_s, overrides=overrides
            )
        except NotebookError as error:
            print(error, file=sys.stderr)
            return 1
        cpu = _children_cpu_seconds() - cpu_before
        settings = " ".join(f"{name}={value!r}" for name, value in overrides.items())
        print(
            f"{path.name}: ran in {seconds:.1f} s, kernel CPU {cpu:.1f} s "
            f"(budget {args.budget}{', ' + settings if settings else ''})",
            flush=True,
        )
        if args.out:
            os.makedirs(args.out, exist_ok=True)
            nbformat.write(notebook, os.path.join(args.out, path.name))
        if args.command == "pictures":
            source = f"tutorials/{path.name} (budget {args.budget}{', ' + settings if settings else ''})"
            written = save_picture(picture_png(notebook), PICTURES_DIR / f"{path.stem}.png", source)
            print(f"  picture: {os.path.relpath(written, REPO)} ({os.path.getsize(written) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
