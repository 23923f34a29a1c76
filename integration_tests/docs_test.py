"""The documentation runs and its links hold.

Covers the examples in the docstrings of `keras.wrappers`, the keras.io guide
in `guides/`, every ```python block of `README.md` and `docs/*.md`, every
relative link of those files (a link whose text names a test must name one
that exists in the linked file), and the demo (`make demo`).

The examples do not depend on the backend, so this module runs once, on
torch, and is skipped on the other backends to keep the suite's time down.
"""

import doctest
import importlib
import inspect
import pathlib
import re
import runpy

import pytest

import keras
from keras.src.wrappers import sklearn_wrapper

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
MARKDOWN_FILES = [REPO_ROOT / "README.md", REPO_ROOT / "CONTRIBUTING.md"] + (
    sorted((REPO_ROOT / "docs").glob("*.md"))
)
GUIDE = REPO_ROOT / "guides" / "sklearn_wrappers.py"
PUBLIC_CLASSES = (
    sklearn_wrapper.SKLearnClassifier,
    sklearn_wrapper.SKLearnRegressor,
    sklearn_wrapper.SKLearnTransformer,
)

pytestmark = pytest.mark.skipif(
    keras.config.backend() != "torch",
    reason="Documentation examples do not depend on the backend; they run "
    "once, with KERAS_BACKEND=torch.",
)


def _relative(path):
    return path.relative_to(REPO_ROOT).as_posix()


# -------------------------------------------------------------- docstrings


def _docstring_tests():
    tests = doctest.DocTestFinder().find(sklearn_wrapper)
    return sorted((t for t in tests if t.examples), key=lambda t: t.name)


@pytest.mark.parametrize(
    "test", _docstring_tests(), ids=lambda test: test.name.split(".", 4)[-1]
)
def test_docstring_example(test):
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    report = []
    result = runner.run(test, out=report.append)
    assert result.failed == 0, "".join(report)


def _public_api():
    for cls in PUBLIC_CLASSES:
        yield pytest.param(cls, ("Args:", "Attributes:"), id=cls.__name__)
        for name, member in vars(cls).items():
            if not name.startswith("_") and inspect.isfunction(member):
                yield pytest.param(
                    member, ("Args:", "Returns:"), id=f"{cls.__name__}.{name}"
                )


@pytest.mark.parametrize("obj, sections", _public_api())
def test_public_api_is_documented_with_an_example(obj, sections):
    doc = inspect.getdoc(obj) or ""
    summary = doc.split("\n\n", 1)[0]
    assert summary and "\n" not in summary, "needs a one-line summary"
    for section in sections + ("Example:",):
        assert f"\n{section}\n" in doc, f"no `{section}` section"
    assert "\n>>> " in doc, "the example has no `>>>` lines to run"


# ------------------------------------------------------------------- guide


def test_guide_has_the_keras_io_header():
    header = GUIDE.read_text().split('"""')[1]
    fields = dict(line.split(": ", 1) for line in header.strip().splitlines())
    for field in (
        "Title",
        "Author",
        "Date created",
        "Last modified",
        "Description",
    ):
        assert fields.get(field), f"the guide's header lacks `{field}:`"


def test_guide_runs():
    runpy.run_path(str(GUIDE), run_name="__main__")


# -------------------------------------------------------------------- demo


def test_demo_writes_its_table_and_figures(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    demo = importlib.import_module("demo")
    rows = demo.main(output_dir=tmp_path)
    assert [metric for _, metric, _, _ in rows] == ["accuracy"] * 5 + ["R^2"]
    assert rows[0][2] >= 0.9, "the tuned digits classifier learned little"
    for name in ("results.txt", "learning_curve.png", "confusion_matrix.png"):
        assert (tmp_path / name).stat().st_size > 0, name


# ---------------------------------------------------------------- markdown

FENCE = re.compile(r"^```(\S*)\n(.*?)^```\s*$", re.DOTALL | re.MULTILINE)
# Fences that hold code which is not run: shell commands, error messages,
# and code that needs something this repository does not install (legacy
# tf.keras, scikeras).
NOT_PYTHON = {"", "text", "shell"}


def _python_blocks():
    for path in MARKDOWN_FILES:
        blocks = [
            code
            for language, code in FENCE.findall(path.read_text())
            if language == "python"
        ]
        for index, code in enumerate(blocks):
            yield pytest.param(code, id=f"{_relative(path)}[{index}]")


@pytest.mark.parametrize("code", _python_blocks())
def test_markdown_python_block(code, request):
    # A fresh namespace per block; `__main__` runs `if __name__ == ...`
    # guards, as running the block as a script would.
    namespace = {"__name__": "__main__"}
    exec(compile(code, request.node.callspec.id, "exec"), namespace)


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=_relative)
def test_code_fences_are_python_or_marked_as_not_run(path):
    languages = {language for language, _ in FENCE.findall(path.read_text())}
    unknown = languages - NOT_PYTHON - {"python"}
    assert not unknown, (
        f"{_relative(path)} has ```{sorted(unknown)[0]} blocks: mark Python "
        "code ```python so that it runs in this test, or ```text if it "
        "cannot run here."
    )


LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
TEST_NAME = re.compile(r"(?:(\w+)\.)?(test_\w+)")


def _anchors(markdown):
    headings = re.findall(r"^#+ (.+)$", markdown, re.MULTILINE)
    return {
        re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        for heading in headings
    }


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=_relative)
def test_relative_links_resolve(path):
    problems = []
    for text, target in LINK.findall(path.read_text()):
        if re.match(r"[a-z]+:", target):
            continue  # An external URL.
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            problems.append(f"{target}: no such file")
            continue
        if anchor and linked.suffix == ".md":
            if anchor not in _anchors(linked.read_text()):
                problems.append(f"{target}: no heading `{anchor}`")
        named = TEST_NAME.fullmatch(text.strip("`"))
        if named and not _defines_test(linked.read_text(), *named.groups()):
            problems.append(f"{target}: no test `{text.strip('`')}`")
    assert not problems, f"broken links in {_relative(path)}: {problems}"


def _defines_test(source, cls, function):
    """Whether `source` defines `function`, as a method of `cls` if given."""
    if cls is not None:
        body = re.search(
            rf"^class {cls}\b.*?(?=^\S|\Z)", source, re.DOTALL | re.MULTILINE
        )
        source = body.group(0) if body else ""
    return re.search(rf"^\s*def {function}\(", source, re.MULTILINE) is not None
