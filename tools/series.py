"""Exports the series as patches against Keras master, and checks them there.

The series is what pull requests to keras-team/keras contain, in review
order:

1. `tools/series/wrappers-master-fixes.patch`: the minimal fix of master's
   own wrappers (a `git format-patch` file against master's files);
2. the wrappers themselves, `keras/src/wrappers/**` and their generated
   `keras/api` files, split into the patches `WRAPPER_PATCHES` lists;
3. the fixes to other Keras modules in `keras_fixes/`, last, so that every
   wrapper patch is checked without them: the wrappers must not need them.

Nothing else of this repository goes in.

The base is the master snapshot in `../shared/upstream/` (see its README).
It is not on users' machines: without it, `check` skips and says why.

Usage:
    python tools/series.py write OUT_DIR   # one .patch file per commit
    python tools/series.py check [--backends tensorflow jax torch ...]
"""

import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import upstream  # noqa: E402

REPO_ROOT = upstream.REPO_ROOT
SNAPSHOT_GLOB = "keras-master-*.tar.gz"
SNAPSHOT_DIR = REPO_ROOT.parent / "shared" / "upstream"
MESSAGES_DIR = pathlib.Path(__file__).resolve().parent / "series"
MASTER_FIXES = MESSAGES_DIR / "wrappers-master-fixes.patch"
GUIDE = REPO_ROOT / "guides" / "sklearn_wrappers.py"

# The series' own paths: everything a Keras pull request for the wrappers
# touches besides `keras_fixes/`.
SERIES_PATHS = (
    "keras/src/wrappers",
    "keras/api/wrappers",
    "keras/api/_tf_keras/keras/wrappers",
)

# The wrappers patches, in review order: a commit message file in
# `tools/series/` and the module stems (with their `_test.py`) it adds. The
# patch without stems takes every file no other patch names and removes
# upstream's wrapper files the series no longer has.
#
# A patch that also changes files of earlier patches holds those changes
# back in `tools/series/<message stem>.diff` (made with `git diff`): the
# earlier patches commit those files with the diff reversed, and this patch
# commits them as they are. An upstream file the diff deletes stays until
# this patch removes it.
WRAPPER_PATCHES = (
    ("wrappers-targets.txt", ("targets",)),
    (
        "wrappers-parameters.txt",
        ("default_network", "history", "routing", "sample_weights"),
    ),
    # `__init__` names the package's and the API's `__init__.py` files,
    # which export `InputDict`.
    ("wrappers-inputs.txt", ("inputs", "__init__")),
    ("wrappers-training.txt", ("tensorflow_input", "training")),
    ("wrappers-estimators.txt", None),
    ("wrappers-inference.txt", ("inference",)),
    ("wrappers-epoch-deprecated.txt", ()),
    ("wrappers-scores.txt", ()),
    ("wrappers-class-weight.txt", ()),
    ("wrappers-inputs-end-to-end.txt", ()),
    ("wrappers-checks.txt", ("parameters",)),
    ("wrappers-speed.txt", ()),
    ("wrappers-routed-parameters.txt", ()),
    ("wrappers-templates.txt", ()),
    ("wrappers-label-columns.txt", ()),
    ("wrappers-regressor.txt", ()),
    ("wrappers-transformer.txt", ()),
    ("wrappers-old-base.txt", ()),
    ("wrappers-failed-fits.txt", ()),
    ("wrappers-feature-layer.txt", ()),
    ("wrappers-shared-functions.txt", ("shared_functions",)),
    ("wrappers-partial-fit.txt", ()),
    ("wrappers-early-stopping.txt", ()),
    ("wrappers-pretrained.txt", ()),
    ("wrappers-preprocessing.txt", ("preprocessing",)),
)

# Keras's backends, as `KERAS_BACKEND` names them.
BACKENDS = ("tensorflow", "jax", "torch", "numpy", "openvino")

# Commits get one fixed identity and date, so the same tree always exports
# byte-identical patches.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Keras scikit-learn wrappers",
    "GIT_AUTHOR_EMAIL": "sklearn-wrappers@keras.invalid",
    "GIT_AUTHOR_DATE": "2026-11-29T00:00:00Z",
    "GIT_COMMITTER_NAME": "Keras scikit-learn wrappers",
    "GIT_COMMITTER_EMAIL": "sklearn-wrappers@keras.invalid",
    "GIT_COMMITTER_DATE": "2026-11-29T00:00:00Z",
}


def snapshot():
    """The master snapshot tarball, or None where this machine lacks it."""
    found = sorted(SNAPSHOT_DIR.glob(SNAPSHOT_GLOB))
    return found[-1] if found else None


def git(*args, cwd, capture=False):
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        check=True,
        env={**os.environ, **GIT_ENV},
        capture_output=capture,
        text=True,
    )
    return result.stdout


def scratch_repo(tarball, directory):
    """Unpacks the snapshot into `directory` as a one-commit git repo."""
    with tarfile.open(tarball) as archive:
        archive.extractall(directory, filter="data")
    (root,) = [path for path in pathlib.Path(directory).iterdir()]
    git("init", "--quiet", cwd=root)
    git("add", "--all", cwd=root)
    git("commit", "--quiet", "-m", f"Keras master ({tarball.name})", cwd=root)
    return root


def series_files():
    """The series' files in this checkout, committed or not (not ignored)."""
    listed = git(
        "ls-files",
        "--cached",
        "--others",
        "--exclude-standard",
        "--",
        *SERIES_PATHS,
        cwd=REPO_ROOT,
        capture=True,
    ).split("\n")
    return sorted(p for p in listed if p and (REPO_ROOT / p).is_file())


def held_back(message):
    """The diff `message`'s patch holds back from earlier patches, or None."""
    path = MESSAGES_DIR / (pathlib.PurePath(message).stem + ".diff")
    return path if path.exists() else None


def _diff_files(diff):
    return re.findall(r"^\+\+\+ \w/(\S+)$", diff.read_text(), re.M)


def _deleted_files(diff):
    """The upstream files `diff` removes: they stay until its patch."""
    return re.findall(
        r"^--- \w/(\S+)\n\+\+\+ /dev/null$", diff.read_text(), re.M
    )


def _patch_groups(files):
    """Splits `files` into the groups of `WRAPPER_PATCHES`, in order."""
    named = {
        message: {f"{s}.py" for s in stems} | {f"{s}_test.py" for s in stems}
        for message, stems in WRAPPER_PATCHES
        if stems is not None
    }
    claimed = set().union(*named.values())
    for message, _ in WRAPPER_PATCHES:
        names = named.get(message)
        if names is None:
            group = [
                p for p in files if pathlib.PurePath(p).name not in claimed
            ]
        else:
            group = [p for p in files if pathlib.PurePath(p).name in names]
        diff = held_back(message)
        if diff is not None:
            group += [p for p in _diff_files(diff) if p not in group]
        yield message, group


def _commit_wrappers(root, message, files, keep, own, later_diffs):
    for relative in _deleted_files(own) if own is not None else ():
        git("rm", "--quiet", relative, cwd=root)
    for relative in files:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_ROOT / relative, target)
    # The changes later patches hold back, last first: each diff is made
    # against the files as its own patch leaves them.
    for diff in reversed(later_diffs):
        touched = [p for p in _diff_files(diff) if p in files]
        if touched:
            includes = [f"--include={p}" for p in touched]
            git("apply", "--reverse", *includes, str(diff), cwd=root)
    if keep is not None:
        upstream_files = git(
            "ls-files", "--", *SERIES_PATHS, cwd=root, capture=True
        ).split("\n")
        for relative in upstream_files:
            if relative and relative not in keep:
                git("rm", "--quiet", relative, cwd=root)
    git("add", "--all", "--", *SERIES_PATHS, cwd=root)
    git("commit", "--quiet", "-F", str(MESSAGES_DIR / message), cwd=root)


def build_series(tarball, directory):
    """Commits the whole series onto a scratch copy of the snapshot.

    Returns:
        The scratch repository's root and the base commit's hash.
    """
    root = scratch_repo(tarball, directory)
    base = git("rev-parse", "HEAD", cwd=root, capture=True).strip()
    git("am", "--quiet", str(MASTER_FIXES), cwd=root)
    ours = series_files()
    groups = list(_patch_groups(ours))
    diffs = [held_back(message) for message, _ in groups]
    for index, ((message, files), (_, stems)) in enumerate(
        zip(groups, WRAPPER_PATCHES)
    ):
        # The patch without stems removes upstream's wrapper files the
        # series lacks.
        later = [d for d in diffs[index + 1 :] if d is not None]
        keep = None
        if stems is None:
            keep = set(ours).union(*map(_deleted_files, later))
        _commit_wrappers(root, message, files, keep, diffs[index], later)
    for fix in upstream.fix_patches():
        git("am", "--quiet", str(fix), cwd=root)
    return root, base


def format_patches(root, base, output):
    """Writes the commits after `base` as `git format-patch` files."""
    git(
        "format-patch",
        "--quiet",
        "--no-signature",
        "--output-directory",
        str(output),
        f"{base}..HEAD",
        cwd=root,
    )


def write(output):
    tarball = snapshot()
    if tarball is None:
        raise SystemExit(
            f"No Keras master snapshot ({SNAPSHOT_GLOB}) in {SNAPSHOT_DIR}: "
            "the series is made against it."
        )
    output = pathlib.Path(output).resolve()
    if output.is_relative_to(REPO_ROOT):
        raise SystemExit(
            f"Write the series outside the repository. Received: {output}"
        )
    if output.exists():
        shutil.rmtree(output)
    with tempfile.TemporaryDirectory() as scratch:
        root, base = build_series(tarball, scratch)
        format_patches(root, base, output)
    write_guide(output / "keras-io")
    for path in sorted(output.rglob("*.patch")):
        lines = path.read_text().count("\n")
        print(f"{path.relative_to(output)}: {lines} lines")
    print(f"Series against {tarball.name} written to {output}/.")


def write_guide(output):
    """Exports the keras.io guide as its own patch, for keras-team/keras-io.

    keras-io keeps its guides as `guides/<name>.py`; the patch adds ours
    there, with the commit message in `tools/series/keras-io-guide.txt`.
    """
    with tempfile.TemporaryDirectory() as scratch:
        root = pathlib.Path(scratch)
        git("init", "--quiet", cwd=root)
        (root / "guides").mkdir()
        shutil.copyfile(GUIDE, root / GUIDE.relative_to(REPO_ROOT))
        git("add", "--all", cwd=root)
        git(
            "commit",
            "--quiet",
            "-F",
            str(MESSAGES_DIR / "keras-io-guide.txt"),
            cwd=root,
        )
        git(
            "format-patch",
            "--quiet",
            "--no-signature",
            "--root",
            "--output-directory",
            str(output),
            "HEAD",
            cwd=root,
        )


# The whole series' suite runs in these groups, each group's backends at
# once. TensorFlow's and JAX's runs keep both cores busy on their own: beside
# PyTorch's, TensorFlow's took as long as the two in turn. NumPy's and
# OpenVINO's, where the tests that train skip, share them.
WHOLE_SERIES_GROUPS = (
    ("tensorflow",),
    ("jax",),
    ("torch",),
    ("numpy", "openvino"),
)


def check(backends, prefix_backends):
    """Applies the series to the snapshot with `git am` and tests every
    prefix of it there.

    Each commit of the series is checked out in turn:
    - after each wrapper patch, `pytest keras/src/wrappers` runs on
      `prefix_backends`, all at once (one process each: the prefixes'
      backends are the fast ones; on two cores this took `make test` from
      62 to 56 minutes);
    - after each Keras fix, the last one included, the tests that fix adds
      run on `prefix_backends` or on the backend whose module it fixes.
      Each fix is a pull request of its own that touches no wrapper file,
      so the wrappers' suite runs only without any fix (the last wrapper
      patch) and with all of them;
    - the whole series runs `pytest keras/src/wrappers` on every backend of
      `backends` (in `WHOLE_SERIES_GROUPS`), upstream's `api_gen.py` must
      leave the API files as the series has them, and upstream's ruff
      configuration must pass on the series' files.
    On NumPy and OpenVINO, the tests that train skip.

    Returns:
        The names of the failed steps, empty if all passed.
    """
    tarball = snapshot()
    if tarball is None:
        print(
            f"SKIPPED upstream check: no Keras master snapshot "
            f"({SNAPSHOT_GLOB}) in {SNAPSHOT_DIR}. It exists on development "
            "machines and in CI, not on users' machines."
        )
        return []
    failed = []
    with tempfile.TemporaryDirectory() as scratch:
        scratch = pathlib.Path(scratch)
        patches = scratch / "series"
        built, base = build_series(tarball, scratch / "build")
        format_patches(built, base, patches)
        files = sorted(patches.glob("*.patch"))
        root = scratch_repo(tarball, scratch / "check")
        git("am", "--quiet", *map(str, files), cwd=root)
        print(f"Applied {len(files)} patches to {tarball.name} with git am:")
        for path in files:
            print(f"  {path.name}: {path.read_text().count(chr(10))} lines")
        commits = git(
            "rev-list",
            "--reverse",
            "HEAD~" + str(len(files)) + "..HEAD",
            cwd=root,
            capture=True,
        ).split()
        first_fix = len(commits) - len(upstream.fix_patches())
        for index, (commit, path) in enumerate(zip(commits, files)):
            git("checkout", "--quiet", commit, cwd=root)
            whole = index == len(commits) - 1
            # (what pytest runs, a name for it, the backends it runs on)
            runs = []
            if first_fix <= index:
                tests, run_on = _added_tests(path, prefix_backends)
                runs.append((tests, "fix tests", run_on))
            if whole or index < first_fix:
                run_on = backends if whole else prefix_backends
                runs.append((["keras/src/wrappers"], "wrappers", run_on))
            steps = []
            if whole:
                steps.append(("api_gen", lambda: _api_unchanged(root)))
                steps.append(("ruff", lambda: _ruff_passes(root)))
            for tests, label, run_on in runs:
                groups = _whole_series_groups(run_on) if whole else [run_on]
                for group in groups:
                    steps.append(
                        (
                            f"pytest {label} [{', '.join(group)}]",
                            lambda g=group, t=tests: _pytest(root, g, t),
                        )
                    )
            for name, step in steps:
                name = f"{path.name}: {name}"
                print(f"== upstream check: {name}", flush=True)
                if not step():
                    failed.append(name)
    print("Upstream check " + (f"FAILED: {failed}" if failed else "passed."))
    return failed


def _whole_series_groups(backends):
    """`backends` in the groups of `WHOLE_SERIES_GROUPS`; a backend no group
    names runs alone."""
    groups = [[b for b in g if b in backends] for g in WHOLE_SERIES_GROUPS]
    named = {b for g in WHOLE_SERIES_GROUPS for b in g}
    groups += [[b] for b in backends if b not in named]
    return [group for group in groups if group]


def _run(command, root, env=None):
    result = subprocess.run(
        command, cwd=root, env={**os.environ, **(env or {})}
    )
    return result.returncode == 0


def _api_unchanged(root):
    """Runs upstream's API generator; the API files must not change."""
    if not _run([sys.executable, "api_gen.py"], root):
        return False
    # Upstream's pre-commit hooks fix and format the generated files
    # (shell/api_gen.sh) before they are committed.
    ruff = [sys.executable, "-m", "ruff"]
    _run([*ruff, "check", "--fix", "--quiet", "keras/api"], root)
    _run([*ruff, "format", "--quiet", "keras/api"], root)
    changed = git(
        "status", "--porcelain", "--", "keras/api", cwd=root, capture=True
    )
    if changed:
        print(f"api_gen.py changed the API files:\n{changed}")
    return not changed


def _ruff_passes(root):
    files = [p for p in series_files() if p.endswith(".py")]
    ruff = [sys.executable, "-m", "ruff"]
    return _run([*ruff, "check", *files], root) and _run(
        [*ruff, "format", "--check", *files], root
    )


def _added_tests(patch, backends):
    """The pytest arguments that select the test functions `patch` adds or
    changes, and the backends to run them on: the backend whose module it
    fixes (`keras/src/backend/<name>/`), or `backends`.
    """
    text = patch.read_text()
    files = re.findall(r"^\+\+\+ b/(\S+_test\.py)$", text, re.M)
    names = re.findall(r"^\+\s+def (test_\w+)\(", text, re.M)
    # `keras/src/backend/common/` is shared by every backend.
    own = {
        name
        for f in files
        for name in re.findall(r"/backend/(\w+)/", f)
        if name in BACKENDS
    }
    return [*files, "-k", " or ".join(sorted(set(names)))], sorted(
        own or backends
    )


def _pytest(root, backends, tests):
    """Runs pytest on `tests` once per backend of `backends`, all at once,
    and prints each run's output in turn.

    Returns:
        Whether every run passed.
    """
    command = [
        sys.executable,
        "-m",
        "pytest",
        *tests,
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "-q",
    ]
    runs = []
    for backend in backends:
        log = tempfile.TemporaryFile("w+")
        env = {**os.environ, "KERAS_BACKEND": backend}
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        runs.append((backend, process, log))
    passed = True
    for backend, process, log in runs:
        passed = process.wait() == 0 and passed
        log.seek(0)
        print(f"-- {backend}:\n{log.read()}", end="", flush=True)
        log.close()
    return passed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    write_parser = commands.add_parser("write")
    write_parser.add_argument("output")
    check_parser = commands.add_parser("check")
    check_parser.add_argument(
        "--backends",
        nargs="*",
        default=list(BACKENDS),
        help="backends for the whole series",
    )
    check_parser.add_argument(
        "--prefix-backends",
        nargs="*",
        default=["torch", "numpy"],
        help="backends for every prefix of the series but the whole",
    )
    args = parser.parse_args()
    if args.command == "write":
        write(args.output)
    elif check(args.backends, args.prefix_backends):
        sys.exit(1)


if __name__ == "__main__":
    main()
