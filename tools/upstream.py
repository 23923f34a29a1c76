"""Lays the pinned upstream Keras release under this repository.

The repository tracks only the files the scikit-learn wrappers series adds or
changes. Everything else under `keras/` comes from the upstream source
distribution, downloaded with pip and copied in at set-up time. Git ignores
the copied files (see `.gitignore`), so they are never committed.

Usage:
    python tools/upstream.py lay           # copy upstream under keras/
    python tools/upstream.py patch OUT     # write the series as one diff
    python tools/upstream.py version       # print the pinned release
"""

import argparse
import difflib
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile

# The single place where the upstream release is pinned.
KERAS_VERSION = "3.15.1"

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
CACHE_DIR = REPO_ROOT / ".upstream"
MANIFEST = CACHE_DIR / "laid-files.txt"

# Upstream paths the series replaces: upstream's copies are never laid down.
REPLACED_PREFIXES = (
    "keras/src/wrappers/",
    "keras/api/wrappers/",
    "keras/api/_tf_keras/keras/wrappers/",
)


def upstream_tree():
    """Downloads and unpacks the pinned sdist; returns its root directory."""
    root = CACHE_DIR / f"keras-{KERAS_VERSION}"
    if (root / "keras").is_dir():
        return root
    CACHE_DIR.mkdir(exist_ok=True)
    sdist = CACHE_DIR / f"keras-{KERAS_VERSION}.tar.gz"
    if not sdist.exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                "--dest",
                str(CACHE_DIR),
                f"keras=={KERAS_VERSION}",
            ],
            check=True,
        )
    with tarfile.open(sdist) as archive:
        archive.extractall(CACHE_DIR, filter="data")
    return root


def tracked_files():
    output = subprocess.run(
        ["git", "ls-files", "-z"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {path for path in output.split("\0") if path}


def upstream_files(root):
    """Relative paths of upstream's `keras/` files, minus replaced ones."""
    paths = []
    for path in sorted((root / "keras").rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(root).as_posix()
        if not relative.startswith(REPLACED_PREFIXES):
            paths.append(relative)
    return paths


def lay():
    """Copies upstream's `keras/` tree in, never over a tracked file."""
    root = upstream_tree()
    tracked = tracked_files()
    laid = []
    for relative in upstream_files(root):
        if relative in tracked:
            continue
        target = REPO_ROOT / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / relative, target)
        laid.append(relative)
    MANIFEST.write_text("\n".join(laid) + "\n")
    print(f"Laid {len(laid)} files of keras {KERAS_VERSION} under keras/.")


def read_lines(path):
    if not path.exists():
        return []
    return path.read_text().splitlines(keepends=True)


def patch(output):
    """Writes the series as a unified diff against the pinned release.

    Covers every tracked file: files that replace upstream ones diff against
    them, new files diff against nothing, and upstream files the series
    replaces without a counterpart here show as deleted.
    """
    root = upstream_tree()
    output = pathlib.Path(output).resolve()
    if output.is_relative_to(REPO_ROOT):
        raise SystemExit(
            f"Write the patch outside the repository. Received: {output}"
        )
    tracked = sorted(tracked_files())
    replaced = [
        path
        for path in _all_upstream_paths(root)
        if path.startswith(REPLACED_PREFIXES) and path not in tracked
    ]
    chunks = []
    for relative in sorted(tracked + replaced):
        old = read_lines(root / relative)
        new = read_lines(REPO_ROOT / relative)
        old_name = f"a/{relative}" if old else "/dev/null"
        new_name = f"b/{relative}" if new else "/dev/null"
        diff = list(difflib.unified_diff(old, new, old_name, new_name))
        if diff:
            chunks.append(f"diff --git a/{relative} b/{relative}\n")
            chunks.extend(_mode_lines(relative, old, new))
            chunks.extend(
                line if line.endswith("\n") else line + "\n" for line in diff
            )
    output.write_text("".join(chunks))
    print(
        f"Wrote {len(chunks)} lines of patch against keras {KERAS_VERSION}"
        f" to {output}."
    )


def _mode_lines(relative, old, new):
    """git's extended header lines for added and deleted files."""
    if old and new:
        return []
    if not new:
        return ["deleted file mode 100644\n"]
    executable = os.access(REPO_ROOT / relative, os.X_OK)
    return [f"new file mode {'100755' if executable else '100644'}\n"]


def _all_upstream_paths(root):
    return [
        path.relative_to(root).as_posix()
        for path in (root / "keras").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("lay")
    commands.add_parser("version")
    patch_parser = commands.add_parser("patch")
    patch_parser.add_argument("output")
    args = parser.parse_args()
    if args.command == "lay":
        lay()
    elif args.command == "patch":
        patch(args.output)
    else:
        print(KERAS_VERSION)


if __name__ == "__main__":
    main()
