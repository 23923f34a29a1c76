"""Writes benchmarks/RESULTS.md from the JSON lines `run_all.py` appended.

Rows that measure a goal of issue 16 (a `goal` key) are summarised first,
one line a goal and a column a backend, each value beside its target and
whether it meets it. Most benchmarks share one table; those in `SECTIONS`
get a section of their own. With `--update`, only the sections of the
benchmarks in the results are written into an existing RESULTS.md
(replaced, or appended), and everything else in it is kept: for example
after `KERAS_BACKEND=jax BENCH_RESULTS=out.jsonl python
benchmarks/any_data.py` on each backend.
"""

import argparse
import json
import pathlib
import platform
import re

# Benchmarks with a section of their own, by name: the section's title.
SECTIONS = {"any data": "Any data: sparse, memmap, images"}

HEADER = [
    "# Benchmark results",
    "",
    "Written by `make bench`: each ratio is the wrapper's median over "
    "the reference's, measured side by side in one run.",
    "",
]

BACKENDS = ("tensorflow", "jax", "torch")


def _machine():
    return f"Machine: {platform.machine()}, Python {platform.python_version()}."


def _quick_note(rows):
    if any(row.get("quick") for row in rows):
        return [
            "**BENCH_QUICK=1 run: smoke-test sizes; these numbers are not "
            "measurements.**",
            "",
        ]
    return []


def _checked(row):
    """The number a row's target bounds, and whether it meets it.

    A target such as "<= 1.03" bounds the ratio; one in MiB ("< 20 MiB",
    "< 300 MB (286 MiB)") bounds the wrapper's own reading, in MiB. Returns
    `(value, met)` with `met` "yes", "no", or "" for a target with no
    bound ("(orientation)").
    """
    bound = re.match(r"\s*(<=|<)\s*([\d.]+)", row["target"])
    if bound is None:
        return row["ratio"], ""
    mebibytes = re.search(r"([\d.]+)\s*MiB", row["target"])
    if mebibytes:
        value, limit = row["ours"], float(mebibytes.group(1))
    else:
        value, limit = row["ratio"], float(bound.group(2))
    met = value <= limit if bound.group(1) == "<=" else value < limit
    return value, "yes" if met else "no"


def _goals(rows):
    """The summary of the rows with a `goal`: a line a goal, a column a
    backend, each cell the bounded value and whether it meets the target."""
    goals = {}
    for row in rows:
        if row.get("goal"):
            goals.setdefault(row["goal"], {})[row["backend"]] = row
    if not goals:
        return []
    backends = [b for b in BACKENDS if any(b in g for g in goals.values())]
    lines = [
        "## Goals of issue 16",
        "",
        "Each cell is the value the target bounds (a ratio, or MiB) and "
        "whether it meets the target.",
        "",
        "| goal | target | " + " | ".join(backends) + " |",
        "|---|---|" + "---|" * len(backends),
    ]
    for goal, by_backend in goals.items():
        cells = []
        for backend in backends:
            row = by_backend.get(backend)
            if row is None:
                cells.append("")
                continue
            value, met = _checked(row)
            if "informational" in row["target"]:
                met = "informational"
            cells.append(f"{value:.3g}: {met}")
        target = next(iter(by_backend.values()))["target"]
        target = target.replace(" (informational on torch)", "")
        lines.append(f"| {goal} | {target} | " + " | ".join(cells) + " |")
    return lines + [""]


def _table(rows, with_benchmark=True):
    first = "| benchmark " if with_benchmark else ""
    lines = [
        first
        + "| backend | measure | ours | reference | ratio | target | met? |",
        ("|---" if with_benchmark else "") + "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            (f"| {row['benchmark']} " if with_benchmark else "")
            + f"| {row['backend']} | {row['measure']} "
            f"| {row['ours']:.4g} {row['unit']} "
            f"| {row['reference']:.4g} {row['unit']} "
            f"| {row['ratio']:.3f} | {row['target']} | {_checked(row)[1]} |"
        )
    return lines


def _section(title, rows, machine=False):
    """A section's lines; `machine` adds the machine line, for a section
    written into a file whose header may describe another run."""
    return (
        [f"## {title}", ""]
        + ([_machine(), ""] + _quick_note(rows) if machine else [])
        + _table(rows, False)
    )


def _replace_section(text, title, section):
    """`text` with the section titled `title` replaced by `section` (lines),
    or with `section` appended if it has none."""
    lines = text.rstrip("\n").splitlines()
    heading = f"## {title}"
    if heading not in lines:
        return "\n".join(lines + [""] + section) + "\n"
    start = lines.index(heading)
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
        len(lines),
    )
    after = [""] + lines[end:] if end < len(lines) else []
    return "\n".join(lines[:start] + section + after) + "\n"


def main(results_path, output_path, update=False):
    rows = [
        json.loads(line)
        for line in pathlib.Path(results_path).read_text().splitlines()
        if line.strip()
    ]
    shared = [row for row in rows if row["benchmark"] not in SECTIONS]
    sections = {
        title: [row for row in rows if row["benchmark"] == name]
        for name, title in SECTIONS.items()
    }
    sections = {title: rows for title, rows in sections.items() if rows}
    output = pathlib.Path(output_path)
    if update:
        if shared:
            raise ValueError(
                "--update writes only the sections of "
                f"{sorted(SECTIONS)}; the results also hold "
                f"{sorted({row['benchmark'] for row in shared})}."
            )
        text = output.read_text() if output.exists() else "\n".join(HEADER)
        for title, section_rows in sections.items():
            text = _replace_section(
                text, title, _section(title, section_rows, machine=True)
            )
    else:
        lines = (
            HEADER
            + [_machine(), ""]
            + _quick_note(rows)
            + _goals(rows)
            + ["## All results", ""]
            + _table(shared)
        )
        for title, section_rows in sections.items():
            lines += [""] + _section(title, section_rows)
        text = "\n".join(lines) + "\n"
    output.write_text(text)
    print(f"Wrote {len(rows)} rows to {output_path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", help="JSON lines from `common.report`")
    parser.add_argument("output", help="the Markdown file to write")
    parser.add_argument(
        "--update",
        action="store_true",
        help="write only the sections of the benchmarks in the results "
        "into an existing file, keeping the rest of it",
    )
    arguments = parser.parse_args()
    main(arguments.results, arguments.output, arguments.update)
