"""Every code block of README.md and docs/*.md runs or is checked, as the docstring examples are.

A page's fenced blocks are read with the HTML comment on the line just
before each fence, which may mark it:

- `<!-- docs-test: skip (reason) -->`: never run (downloads, `pip install`,
  a GPU); the reason is required.
- `<!-- docs-test: slow -->`: runs only with `python3 -m pytest -m slow`.
- `<!-- docs-test: slow backend=jax -->`: a Python block run on JAX, in a
  child process (Keras reads its backend once per process);
  `backend=tensorflow` runs a block in a fresh TensorFlow process, as a user
  would (a `tf.distribute` strategy after the suite's other strategies can
  abort its collectives on mismatched instance keys).

`python` blocks execute page by page, in order, in one namespace per page
(a later block uses the names of earlier ones), in an empty temporary
folder. The default run skips a page's slow blocks; the slow run executes
the whole page, prerequisites included. `bash` blocks are checked without
running them: `kerasgan ...` and `python3 -m kerasgan ...` are parsed by
the CLI's own parser, so a renamed flag fails; `python3 -m pytest` must name
existing paths and registered markers; `python3 script.py --flag` and
`bash script.sh --flag` must name an existing script that defines each
flag; `python3 -c CODE` must compile. A slow `bash` block is also run with
`bash -e` in a temporary folder. Any other command, or a fence in another
language than python, bash, sh, shell or text, fails unless marked skip, so
no block is left out without saying why.

Relative links and images must point at files that exist, and `#anchors`
at headings of the linked page.
"""

import contextlib
import dataclasses
import io
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import keras
import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PYTHON = ("python",)
SHELL = ("bash", "sh", "shell")
OUTPUT = ("text",)
MARKER = re.compile(r"^\s*<!--\s*docs-test:\s*(?P<body>.*?)\s*-->\s*$")
FENCE = re.compile(r"^(?P<indent> {0,3})```(?P<language>[\w+-]*)\s*$")
SEPARATORS = ("&&", "||", ";", "|", "&")
ENV_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
PYTHONS = ("python", "python3")


@dataclasses.dataclass(frozen=True)
class Block:
    """One fenced block: where it is, its language, its code and its marks."""

    page: Path
    line: int  # 1-based line of the first code line
    language: str
    code: str
    skip: str = None  # the reason, when marked skip
    slow: bool = False
    backend: str = None

    @property
    def name(self):
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def _parse_marker(body, where):
    skip = re.fullmatch(r"skip\s*\((?P<reason>.+)\)", body)
    if skip:
        return {"skip": skip["reason"].strip()}
    marks = {}
    for word in body.split():
        if word == "slow":
            marks["slow"] = True
        elif word in ("backend=jax", "backend=tensorflow"):
            marks["backend"] = word.split("=")[1]
        else:
            raise ValueError(
                f"{where}: unknown docs-test mark {word!r} in {body!r}; use 'skip (reason)', "
                "'slow', 'slow backend=jax' or 'slow backend=tensorflow'."
            )
    return marks


def read_blocks(page):
    """The fenced blocks of a markdown page, with the marks on the line before each.

    Args:
        page: path of a markdown file.

    Returns:
        A list of `Block`s in page order.

    Raises:
        ValueError: an unclosed fence, a mark that is not on the line just
            before a fence, or an unknown mark.
    """
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks, pending, index = [], None, 0
    while index < len(lines):
        where = f"{page.relative_to(ROOT)}:{index + 1}"
        marker, fence = MARKER.match(lines[index]), FENCE.match(lines[index])
        if pending is not None and not fence:
            raise ValueError(f"{pending[0]}: a docs-test mark must be on the line just before a ``` fence.")
        if marker:
            pending = (where, _parse_marker(marker["body"], where))
        elif fence:
            start = index + 1
            index += 1
            while index < len(lines) and lines[index].strip() != "```":
                index += 1
            if index == len(lines):
                raise ValueError(f"{where}: the ``` fence opened here is never closed.")
            code = "\n".join(line[len(fence["indent"]) :] for line in lines[start:index]) + "\n"
            marks = pending[1] if pending else {}
            blocks.append(Block(page, start + 1, fence["language"].lower(), code, **marks))
            pending = None
        index += 1
    if pending is not None:
        raise ValueError(f"{pending[0]}: a docs-test mark must be on the line just before a ``` fence.")
    return blocks


BLOCKS = [block for page in PAGES for block in read_blocks(page)]
RUN = [block for block in BLOCKS if block.skip is None]
PYTHON_BLOCKS = [block for block in RUN if block.language in PYTHON]
SHELL_BLOCKS = [block for block in RUN if block.language in SHELL]


def _pages_with(predicate):
    return sorted({block.page for block in PYTHON_BLOCKS if predicate(block)})


def _page_id(page):
    return str(page.relative_to(ROOT))


# --- Python blocks ------------------------------------------------------------------------------


def _compiled(block):
    # Padded with newlines so that a traceback names the markdown file and
    # its real line, which pytest then shows.
    filename = str(block.page)
    return compile("\n" * (block.line - 1) + block.code, filename, "exec")


def _run_python_page(blocks, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__docs__"}
    ran = []
    try:
        for block in blocks:
            exec(_compiled(block), namespace)
            ran.append(block.name)
    finally:
        # What a page sets globally must not leak into the next page or test.
        keras.config.set_dtype_policy("float32")
        keras.distribution.set_distribution(None)
        keras.backend.clear_session()
    assert ran == [block.name for block in blocks]


def _tensorflow_blocks(page):
    return [block for block in PYTHON_BLOCKS if block.page == page and block.backend is None]


DEFAULT_PAGES = _pages_with(lambda block: block.backend is None and not block.slow)
SLOW_PAGES = _pages_with(lambda block: block.backend is None and block.slow)
CHILD_RUNS = sorted({(block.page, block.backend) for block in PYTHON_BLOCKS if block.backend is not None})


@pytest.mark.parametrize("page", DEFAULT_PAGES, ids=_page_id)
def test_python_blocks_run(page, tmp_path, monkeypatch):
    blocks = [block for block in _tensorflow_blocks(page) if not block.slow]
    _run_python_page(blocks, tmp_path, monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("page", SLOW_PAGES, ids=_page_id)
def test_python_blocks_run_with_slow_ones(page, tmp_path, monkeypatch):
    _run_python_page(_tensorflow_blocks(page), tmp_path, monkeypatch)


CHILD_RUNNER = """
import json, sys
namespace = {"__name__": "__docs__"}
for filename, line, code in json.load(open(sys.argv[1])):
    exec(compile("\\n" * (line - 1) + code, filename, "exec"), namespace)
"""


def _child_env(**extra):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", **extra)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


@pytest.mark.slow
@pytest.mark.parametrize(
    "page, backend", CHILD_RUNS, ids=[f"{_page_id(page)}-{backend}" for page, backend in CHILD_RUNS]
)
def test_blocks_run_in_a_child_process(page, backend, tmp_path):
    blocks = [block for block in PYTHON_BLOCKS if block.page == page and block.backend == backend]
    (tmp_path / "blocks.json").write_text(json.dumps([[str(b.page), b.line, b.code] for b in blocks]))
    (tmp_path / "runner.py").write_text(CHILD_RUNNER)
    env = _child_env(KERAS_BACKEND=backend, XLA_FLAGS="--xla_force_host_platform_device_count=2")
    result = subprocess.run(
        [sys.executable, "runner.py", "blocks.json"], cwd=tmp_path, env=env, capture_output=True,
        text=True, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, f"{_page_id(page)} on {backend} failed:\n{result.stderr[-6000:]}"


# --- Shell blocks -------------------------------------------------------------------------------


def shell_commands(code):
    """The commands of a shell block, each a list of words without leading `VAR=value`s.

    Continuation lines are joined, comments dropped, and lines split at
    `&&`, `||`, `;`, `|` and `&`.

    Args:
        code: the text of a bash block.

    Returns:
        `(environment dict, words list)` pairs, in order.
    """
    commands = []
    for line in code.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        words = []
        for token in [*lexer, ";"]:
            if token not in SEPARATORS:
                words.append(token)
                continue
            env = {}
            while words and ENV_ASSIGNMENT.match(words[0]):
                key, value = words.pop(0).split("=", 1)
                env[key] = value
            if words:
                commands.append((env, words))
            words = []
    return commands


def _check_kerasgan(args):
    from kerasgan.cli import _parser

    errors = io.StringIO()
    with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
        try:
            _parser().parse_args(args)
        except SystemExit as error:
            if error.code:
                return f"`kerasgan {shlex.join(args)}` does not parse: {errors.getvalue().strip()}"
    return None


def _check_pytest(args, markers):
    words = iter(args)
    for word in words:
        if word in ("-m", "-k"):
            expression = next(words, "")
            if word == "-m":
                unknown = set(re.findall(r"\w+", expression)) - {"and", "or", "not"} - markers
                if unknown:
                    return f"pytest -m {expression!r} names unregistered markers {sorted(unknown)}"
        elif not word.startswith("-") and not (ROOT / word.split("::")[0]).exists():
            return f"pytest path {word!r} does not exist"
    return None


def _check_script(script, args):
    path = ROOT / script
    if not path.is_file():
        return f"script {script!r} does not exist"
    source = path.read_text(encoding="utf-8")
    for word in args:
        flag = word.split("=", 1)[0]
        if flag.startswith("--") and f'"{flag}"' not in source and f"'{flag}'" not in source:
            return f"{script} defines no option {flag}"
    return None


def check_command(words, markers):
    """Why a shell command in the docs is wrong, or None when it checks out.

    Args:
        words: the command's words, without leading `VAR=value`s.
        markers: names of the registered pytest markers.

    Returns:
        None, or a message.
    """
    program, args = words[0], words[1:]
    if program == "kerasgan":
        return _check_kerasgan(args)
    if program in PYTHONS and args[:2] == ["-m", "kerasgan"]:
        return _check_kerasgan(args[2:])
    if program in PYTHONS and args[:2] == ["-m", "pytest"]:
        return _check_pytest(args[2:], markers)
    if program in PYTHONS and args[:1] == ["-c"] and len(args) == 2:
        try:
            compile(args[1], "<python3 -c>", "exec")
        except SyntaxError as error:
            return f"python3 -c code does not compile: {error}"
        return None
    if program in PYTHONS and args and args[0].endswith(".py"):
        return _check_script(args[0], args[1:])
    if program in ("bash", "sh") and args and args[0].endswith(".sh"):
        return _check_script(args[0], args[1:])
    return (
        f"cannot check `{shlex.join(words)}`: mark the block `<!-- docs-test: skip (reason) -->` "
        "if it cannot run in the tests"
    )


@pytest.fixture(scope="module")
def markers(pytestconfig):
    return {line.split(":")[0].strip() for line in pytestconfig.getini("markers")}


@pytest.mark.parametrize("block", SHELL_BLOCKS, ids=lambda block: block.name)
def test_shell_block_checks_out(block, markers):
    commands = shell_commands(block.code)
    assert commands, f"{block.name}: a shell block with no command"
    problems = [problem for env, words in commands if (problem := check_command(words, markers))]
    assert not problems, f"{block.name}: " + "; ".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("block", [b for b in SHELL_BLOCKS if b.slow], ids=lambda block: block.name)
def test_slow_shell_block_runs(block, tmp_path):
    result = subprocess.run(
        ["bash", "-e", "-c", block.code], cwd=tmp_path, env=_child_env(), capture_output=True, text=True,
        timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, f"{block.name} failed:\n{result.stderr[-6000:]}"


# --- Every block is covered ---------------------------------------------------------------------


def test_every_block_runs_or_says_why_not():
    assert len(PAGES) >= 10 and len(BLOCKS) >= 20
    for block in BLOCKS:
        if block.skip is not None:
            assert block.skip, f"{block.name}: a skip mark needs a reason"
            continue
        assert block.language in PYTHON + SHELL + OUTPUT, (
            f"{block.name}: a ```{block.language} block cannot be run; tag it python, bash or text, "
            "or mark it <!-- docs-test: skip (reason) -->"
        )
        assert block.backend is None or block.language in PYTHON, f"{block.name}: backend= is for python"
        covered = (
            block.language in OUTPUT
            or block in SHELL_BLOCKS
            or (block.page, block.backend) in CHILD_RUNS
            or (block.slow and block.page in SLOW_PAGES)
            or (not block.slow and block.page in DEFAULT_PAGES)
        )
        assert covered, f"{block.name}: no test runs this block"


def test_readme_keeps_the_ci_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert f"```bash\n{ci}\n```" in readme
    assert "python3 -m pytest -m slow" in readme
    assert "python3 -m kerasgan train dcgan" in readme


# --- Links --------------------------------------------------------------------------------------

LINK = re.compile(r"!?\[[^\]]*\]\((?P<target>[^)\s]+)\)")


def _anchors(page):
    anchors = set()
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    for heading in re.findall(r"^#+\s+(.+?)\s*$", text, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_relative_links_resolve(page):
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    broken = []
    for target in LINK.findall(text):
        if re.match(r"^[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(target)
    assert not broken, f"{_page_id(page)}: links to nothing: {broken}"
