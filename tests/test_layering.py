"""Lower layers of the package never import higher ones (and so there are no import cycles)."""

import ast
import os

import kerasgan

# Each subpackage or module, by layer; a module may import its own layer and below.
LAYERS = [
    {"version", "utils", "backend", "networks", "learning_rates"},
    {"losses", "data", "images", "metrics"},
    {"models", "augment", "remedies", "style", "presets"},
    {"export", "evaluation", "class_evaluation"},
    {"callbacks"},
    {"runs", "cli", "__main__"},
]
LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}
# Imports inside a function that a lower layer may make, as keras.Model.export does.
LAZY_ALLOWED = {("models", "export")}


def _imports(path):
    """(imported kerasgan part, imported inside a function?) for each import of a file."""
    tree = ast.parse(open(path).read())
    lazy = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) for n in ast.walk(f)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kerasgan"):
            if node.module == "kerasgan":
                names = [alias.name for alias in node.names]
            else:
                names = [node.module.split(".")[1]] if "." in node.module else []
            for name in names:
                yield name, id(node) in lazy
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("kerasgan."):
                    yield alias.name.split(".")[1], id(node) in lazy


def test_no_lower_layer_imports_a_higher_one():
    root = os.path.dirname(kerasgan.__file__)
    violations = []
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            part = os.path.relpath(path, root).split(os.sep)[0].removesuffix(".py")
            if part == "__init__":
                continue  # the package's top level gathers everything
            assert part in LEVEL, f"{part} has no layer in tests/test_layering.py"
            for imported, lazy in _imports(path):
                if imported not in LEVEL or imported == "__version__":
                    continue
                if LEVEL[imported] > LEVEL[part] and not (lazy and (part, imported) in LAZY_ALLOWED):
                    violations.append(f"{os.path.relpath(path, root)} imports kerasgan.{imported}")
    assert violations == []
