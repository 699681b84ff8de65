"""Every notebook in `tutorials/` runs top to bottom, and is stored as the conventions say.

Dropping a notebook into `tutorials/` is all it takes to add a tutorial: these
tests find it, run it in a fresh kernel with `KERASGAN_TUTORIAL_BUDGET=ci`
(offline, on the CPU, in a temporary folder, within
`scripts.tutorials.NOTEBOOK_TIMEOUT_S`), and check that it is stored without
outputs, opens with a title and an "Open in Colab" badge, installs kerasgan
where it is missing, reads its budget in one settings cell, and is listed in
`tutorials/README.md` with a picture in `docs/tutorials/`.
"""

import base64
import io
import os
import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from PIL import Image

from scripts.tutorials import (
    BUDGET_VARIABLE,
    PICTURE_TAG,
    PICTURES_DIR,
    TUTORIALS_DIR,
    NotebookError,
    execute_notebook,
    list_notebooks,
    picture_png,
    read_notebook,
    strip_outputs,
)

NOTEBOOKS = list_notebooks()
BADGE = (
    "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
    "(https://colab.research.google.com/github/kerasgan/kerasgan/blob/main/tutorials/{name})"
)
INSTALL_URL = '"kerasgan @ git+https://github.com/kerasgan/kerasgan"'
PICTURE_MAX_BYTES = 150 * 1024
each_notebook = pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


# ------------------------------------------------------------------ running


@each_notebook
def test_notebook_runs_top_to_bottom_on_the_ci_budget(path, tmp_path):
    before = sorted(os.listdir(TUTORIALS_DIR))
    try:
        notebook, _ = execute_notebook(path, budget="ci", cwd=tmp_path)
    except NotebookError as error:
        pytest.fail(str(error), pytrace=False)
    # Plots and grids are shown inline, and one of them is the README picture.
    image = Image.open(io.BytesIO(picture_png(notebook)))
    assert image.format == "PNG" and min(image.size) > 50, image.size
    assert sorted(os.listdir(TUTORIALS_DIR)) == before, "the notebook wrote into tutorials/, not its cwd"


# -------------------------------------------------------------- conventions


@each_notebook
def test_notebook_is_stored_without_outputs(path):
    notebook = read_notebook(path)
    dirty = [
        index + 1
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} hold outputs or execution counts. "
        f"Run `python scripts/tutorials.py clean {path.stem}` before committing."
    )
    assert notebook.metadata.kernelspec.name == "python3", notebook.metadata.kernelspec


@each_notebook
def test_notebook_opens_with_a_title_and_its_colab_badge(path):
    first = read_notebook(path).cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), (
        f"{path.name} must open with a markdown cell whose first line is its '# Title'."
    )
    assert BADGE.format(name=path.name) in first.source, (
        f"{path.name}'s first cell lacks its Colab badge:\n{BADGE.format(name=path.name)}"
    )


@each_notebook
def test_notebook_installs_kerasgan_then_reads_its_budget_in_one_cell(path):
    cells = code_cells(read_notebook(path))
    install, settings = cells[0].source, cells[1].source
    assert 'find_spec("kerasgan") is None' in install and f"%pip install -q {INSTALL_URL}" in install, (
        f"{path.name}'s first code cell must install kerasgan only where it is missing:\n{install}"
    )
    assert f'os.environ.get("{BUDGET_VARIABLE}", "full")' in settings, (
        f"{path.name}'s second code cell must be the settings cell reading {BUDGET_VARIABLE}:\n{settings}"
    )
    assert '"ci"' in settings, f'{path.name}\'s settings cell has no "ci" budget:\n{settings}'
    readers = [index for index, cell in enumerate(cells) if BUDGET_VARIABLE in cell.source]
    assert readers == [1], f"{path.name}: code cells {readers} read {BUDGET_VARIABLE}; only settings may"


@each_notebook
def test_notebook_is_listed_in_the_index_with_a_small_picture(path):
    index = (TUTORIALS_DIR / "README.md").read_text()
    assert f"({path.name})" in index, f"tutorials/README.md does not link to {path.name}"
    picture = PICTURES_DIR / f"{path.stem}.png"
    assert picture.is_file(), f"{picture} is missing: run `python scripts/tutorials.py pictures {path.stem}`."
    assert picture.stat().st_size <= PICTURE_MAX_BYTES, f"{picture} is {picture.stat().st_size} bytes"


# ---------------------------------------------------------------- machinery


def write(notebook, path):
    nbformat.write(notebook, os.fspath(path))
    return path


def test_every_notebook_dropped_in_the_folder_is_found(tmp_path):
    for name in ("10_b.ipynb", "09_a.ipynb", "notes.md"):
        (tmp_path / name).write_text("{}")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "09_a-checkpoint.ipynb").write_text("{}")
    assert [path.name for path in list_notebooks(tmp_path)] == ["09_a.ipynb", "10_b.ipynb"]
    assert [path.name for path in NOTEBOOKS][:1] == ["01_quickstart.ipynb"]


def test_a_failing_cell_is_reported_with_its_source_and_error(tmp_path):
    path = write(
        new_notebook(
            cells=[
                new_markdown_cell("# A broken tutorial"),
                new_code_cell(
                    f'import os\n\nBUDGET = os.environ.get("{BUDGET_VARIABLE}", "full")\nEPOCHS = 5'
                ),
                new_code_cell('raise RuntimeError(f"budget={BUDGET} epochs={EPOCHS} cwd={os.getcwd()}")'),
                new_code_cell('print("never runs")'),
            ]
        ),
        tmp_path / "broken.ipynb",
    )
    stored = path.read_text()
    (tmp_path / "work").mkdir()
    with pytest.raises(NotebookError) as caught:
        execute_notebook(path, budget="ci", cwd=tmp_path / "work", overrides={"EPOCHS": 1})
    message = str(caught.value)
    assert message.startswith("broken.ipynb, cell 3 of 4: RuntimeError: ")
    # The kernel saw the budget, the override and the working folder it was given.
    assert f"budget=ci epochs=1 cwd={tmp_path / 'work'}" in message
    assert 'raise RuntimeError(f"budget=' in message.split("---- cell source ----")[1]
    assert "\x1b[" not in message, "the traceback keeps its terminal colours"
    assert path.read_text() == stored, "an override changed the notebook file"


def test_a_notebook_past_its_time_is_stopped_and_the_cell_named(tmp_path):
    path = write(
        new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("import time\n\ntime.sleep(120)")]),
        tmp_path / "slow.ipynb",
    )
    start = time.monotonic()
    with pytest.raises(NotebookError) as caught:
        execute_notebook(path, cwd=tmp_path, timeout_s=4)
    assert time.monotonic() - start < 60
    message = str(caught.value)
    assert message.startswith("slow.ipynb, cell 2 of 2: the notebook ran past its 4 s"), message
    assert "time.sleep(120)" in message


def png_output(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(buffer, format="PNG")
    return new_output("display_data", data={"image/png": base64.b64encode(buffer.getvalue()).decode()})


def colour_of(png):
    return Image.open(io.BytesIO(png)).convert("RGB").getpixel((0, 0))


def test_the_readme_picture_is_the_tagged_cells_image_else_the_last():
    tagged = new_code_cell("show()", outputs=[png_output("red")])
    tagged.metadata["tags"] = [PICTURE_TAG]
    last = new_code_cell("show()", outputs=[png_output("blue")])
    assert colour_of(picture_png(new_notebook(cells=[tagged, last]))) == (255, 0, 0)
    untagged = new_code_cell("show()", outputs=[png_output("red")])
    assert colour_of(picture_png(new_notebook(cells=[untagged, last]))) == (0, 0, 255)
    with pytest.raises(ValueError, match="shows no image"):
        picture_png(new_notebook(cells=[new_code_cell("1 + 1")]))


def test_clean_strips_outputs_and_execution_counts():
    cell = new_code_cell("print(1)", execution_count=3, outputs=[new_output("stream", text="1\n")])
    cell.metadata["execution"] = {"iopub.status.busy": "2025-01-01T00:00:00"}
    notebook = strip_outputs(new_notebook(cells=[new_markdown_cell("# T"), cell]))
    cleaned = notebook.cells[1]
    assert cleaned.outputs == [] and cleaned.execution_count is None and "execution" not in cleaned.metadata
    assert cleaned.source == "print(1)" and notebook.cells[0].source == "# T"
