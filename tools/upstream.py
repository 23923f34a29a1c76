"""Lays the pinned upstream Keras release under this repository.

The repository tracks only the files the scikit-learn wrappers series adds or
changes. Everything else under `keras/` comes from the upstream source
distribution, downloaded with pip and copied in at set-up time. Git ignores
the copied files (see `.gitignore`), so they are never committed.

Fixes the series makes to Keras modules outside `keras/src/wrappers/` live
in `keras_fixes/` as `git format-patch` files, each with its own test in the
module's test file. `lay` applies them, in order, to the laid-down tree, so
the release users install and the master snapshot get the same fixes.

Usage:
    python tools/upstream.py lay           # copy upstream under keras/
    python tools/upstream.py version       # print the pinned release

`tools/series.py` exports the series as patches against Keras master.
"""

import argparse
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
FIXES_DIR = REPO_ROOT / "keras_fixes"

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
    for fix in fix_patches():
        # A file the fix creates is still here from an earlier `lay`.
        for relative in created_files(fix):
            (REPO_ROOT / relative).unlink(missing_ok=True)
        # Laid files are untracked: `git apply` edits the working tree only.
        subprocess.run(["git", "apply", str(fix)], cwd=REPO_ROOT, check=True)
        print(f"Applied {fix.relative_to(REPO_ROOT)}.")


def created_files(patch):
    """The paths a patch creates, from `git apply --summary`."""
    summary = subprocess.run(
        ["git", "apply", "--summary", str(patch)],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [
        line.split()[-1]
        for line in summary.splitlines()
        if line.strip().startswith("create mode")
    ]


def fix_patches():
    """The series' fixes to Keras modules, in the order they apply."""
    return sorted(FIXES_DIR.glob("*.patch"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("lay")
    commands.add_parser("version")
    args = parser.parse_args()
    if args.command == "lay":
        lay()
    else:
        print(KERAS_VERSION)


if __name__ == "__main__":
    main()
