"""Every `Example:` in kerasgan's docstrings runs and prints what it shows.

Lines marked `# doctest: +SKIP` (long training, downloads, files the
reader supplies) are the only ones left out. Each example runs in an empty
temporary folder with its module's globals, plus `kerasgan` itself: an
example may take `import kerasgan` as given.
"""

import doctest
import importlib
import pkgutil

import keras
import pytest

import kerasgan

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
# Modules whose examples need another Keras backend than the one running.
OTHER_BACKENDS = {"tensorflow": ("kerasgan.backend.jax", "kerasgan.backend.untrained")}


def _examples():
    finder = doctest.DocTestFinder(exclude_empty=True)
    skipped = OTHER_BACKENDS.get(keras.backend.backend(), ())
    for info in pkgutil.walk_packages(kerasgan.__path__, "kerasgan."):
        if info.name.endswith("__main__") or info.name.startswith(skipped):
            continue
        module = importlib.import_module(info.name)
        for test in finder.find(module, info.name):
            if any(not example.options.get(doctest.SKIP) for example in test.examples):
                yield test


EXAMPLES = sorted(_examples(), key=lambda test: test.name)
# Examples that train a model or build InceptionV3 (5-25 s each here) run with
# the slow tests; what they show is also covered by the default tests.
SLOW = (
    "kerasgan.augment",
    "kerasgan.metrics.feature_extractors.build_inception_v3_extractor",
    "kerasgan.evaluation.evaluate",
    "kerasgan.callbacks.run_checkpoint.RunCheckpoint",
    "kerasgan.callbacks.quality.QualityCallback",
    "kerasgan.utils.resume.fit_from_step",
    "kerasgan.callbacks.sample_grid.SampleGrid",
    "kerasgan.metrics.kernel_distance.KernelInceptionDistance",
    "kerasgan.class_evaluation.evaluate_per_class",
)
PARAMS = [pytest.param(t, marks=pytest.mark.slow) if t.name.startswith(SLOW) else t for t in EXAMPLES]


@pytest.mark.parametrize("example", PARAMS, ids=[test.name for test in EXAMPLES])
def test_docstring_example_runs(example, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = []
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    example.globs.setdefault("kerasgan", kerasgan)
    result = runner.run(example, out=report.append, clear_globs=False)
    assert result.failed == 0, "".join(report)


def test_examples_are_found():
    names = {test.name for test in EXAMPLES}
    assert "kerasgan.models.registry.register_variant" in names
    assert len(EXAMPLES) > 100
