"""Writes benchmarks/RESULTS.md from the JSON lines `run_all.py` appended."""

import json
import pathlib
import platform
import sys


def main(results_path, output_path):
    rows = [
        json.loads(line)
        for line in pathlib.Path(results_path).read_text().splitlines()
        if line.strip()
    ]
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench`: each ratio is the wrapper's median over "
        "the reference's, measured side by side in one run.",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}.",
        "",
        "| benchmark | backend | measure | ours | reference | ratio | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['benchmark']} | {row['backend']} | {row['measure']} "
            f"| {row['ours']:.4g} {row['unit']} "
            f"| {row['reference']:.4g} {row['unit']} "
            f"| {row['ratio']:.3f} | {row['target']} |"
        )
    pathlib.Path(output_path).write_text("\n".join(lines) + "\n")
    print(f"Wrote {len(rows)} rows to {output_path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
