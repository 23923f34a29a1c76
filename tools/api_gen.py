"""Generates the `keras.wrappers` API files from `@keras_export` with namex.

namex walks `keras/src/wrappers/`, collects the symbols exported under
`keras.wrappers.*` and writes their `__init__.py`. As Keras's own API
generator does, the same file also serves the `tf.keras` compatible tree
under `keras/api/_tf_keras/`.

Usage:
    python tools/api_gen.py           # regenerate the files
    python tools/api_gen.py --check   # fail if the tracked files are stale
"""

import argparse
import os
import pathlib
import subprocess
import sys
import tempfile

import namex

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
API_FILES = (
    "keras/api/wrappers/__init__.py",
    "keras/api/_tf_keras/keras/wrappers/__init__.py",
)


def generate():
    """Returns the generated `keras.wrappers` API file's content."""
    # Import the real package first: namex then finds our modules already
    # imported, and writes its output into a scratch copy of the layout, so
    # it can never touch the upstream API files it would otherwise rewrite.
    sys.path.insert(0, str(REPO_ROOT))
    import keras  # noqa: F401

    with tempfile.TemporaryDirectory() as scratch:
        os.makedirs(os.path.join(scratch, "keras", "src"))
        os.symlink(
            REPO_ROOT / "keras" / "src" / "wrappers",
            os.path.join(scratch, "keras", "src", "wrappers"),
        )
        cwd = os.getcwd()
        os.chdir(scratch)
        try:
            namex.generate_api_files(
                "keras", code_directory="src/wrappers", target_directory="api"
            )
        finally:
            os.chdir(cwd)
        generated = pathlib.Path(scratch, API_FILES[0])
        _format_as_upstream(generated)
        return generated.read_text()


def _format_as_upstream(path):
    """Fixes and formats a generated file as Keras's pre-commit hooks do
    (`shell/api_gen.sh`), so it matches what upstream's generator commits."""
    config = str(REPO_ROOT / "pyproject.toml")
    ruff = [sys.executable, "-m", "ruff"]
    for command in (["check", "--fix", "--quiet"], ["format", "--quiet"]):
        subprocess.run([*ruff, *command, "--config", config, str(path)])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="Exit non-zero if a tracked API file differs from namex's.",
    )
    args = parser.parse_args()
    expected = generate()
    stale = []
    for relative in API_FILES:
        path = REPO_ROOT / relative
        if path.exists() and path.read_text() == expected:
            continue
        stale.append(relative)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(expected)
    if args.check and stale:
        sys.exit(
            "Stale API files: " + ", ".join(stale) + ". Regenerate them with "
            "`make api` and commit the result."
        )
    print("API files " + ("up to date." if not stale else "regenerated."))


if __name__ == "__main__":
    main()
