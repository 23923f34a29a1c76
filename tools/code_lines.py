"""Counts the lines of the wrappers' code, the figure the series budgets.

Counts each non-test module of `keras/src/wrappers` (or DIR): all its
lines, and its code lines, which leave out docstrings, comments and blank
lines. With `--max N`, exits 1 when the code lines come to more than N.

Usage:
    python tools/code_lines.py [DIR] [--max N]
"""

import argparse
import ast
import io
import pathlib
import sys
import tokenize

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
# The budget of issue 22 for `keras/src/wrappers`, tests excluded.
BUDGET = 2200
NOT_CODE = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENDMARKER,
}


def docstring_lines(source):
    """Line numbers of the module's, classes' and functions' docstrings."""
    lines = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(
            node,
            (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef),
        ):
            continue
        first = node.body[0] if node.body else None
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            lines.update(range(first.lineno, first.end_lineno + 1))
    return lines


def code_lines(source):
    """The number of lines holding code: a token other than a comment,
    outside docstrings."""
    lines = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in NOT_CODE:
            lines.update(range(token.start[0], token.end[0] + 1))
    return len(lines - docstring_lines(source))


def count(directory):
    """`(file name, lines, code lines)` for each non-test module."""
    rows = []
    for path in sorted(pathlib.Path(directory).glob("*.py")):
        if path.name.endswith("_test.py"):
            continue
        source = path.read_text()
        rows.append((path.name, source.count("\n"), code_lines(source)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "directory", nargs="?", default=REPO_ROOT / "keras/src/wrappers"
    )
    parser.add_argument("--max", type=int, default=None)
    args = parser.parse_args()
    rows = count(args.directory)
    for name, lines, code in rows:
        print(f"{name:28s} {lines:6d} {code:6d}")
    total = sum(code for _, _, code in rows)
    print(f"{'total':28s} {sum(r[1] for r in rows):6d} {total:6d}")
    print(f"Budget: {BUDGET} code lines; {BUDGET - total:+d} left.")
    if args.max is not None and total > args.max:
        print(f"Over budget: {total} code lines, at most {args.max}.")
        sys.exit(1)


if __name__ == "__main__":
    main()
