"""Shared helpers: interleaved timing, memory readings and result tables.

Every benchmark measures the wrapper and its reference side by side in one
process, alternating between them, and reports medians and their ratio, so
that a noisy, shared machine moves both numbers together.

`BENCH_QUICK=1` shrinks every size and repetition (see `sized`) for a
smoke run that checks the scripts work; its numbers are not measurements,
and its results are marked `quick`.
"""

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import psutil


def backend():
    import keras

    return keras.config.backend()


def quick():
    """Whether BENCH_QUICK=1 asks for a smoke run with tiny sizes."""
    return os.environ.get("BENCH_QUICK") == "1"


def sized(full, smoke):
    """`full`, or `smoke` in a quick run (BENCH_QUICK=1)."""
    return smoke if quick() else full


def interleaved_medians(functions, repeats):
    """Runs each callable `repeats` times, alternating; returns medians (s).

    Args:
        functions: dict mapping a name to a callable with no arguments.
        repeats: int, how many times each callable runs.

    Returns:
        Dict mapping each name to the median of its wall times in seconds.
    """
    times = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def rss_mib():
    """Resident memory of this process in MiB, after a full collection."""
    gc.collect()
    return psutil.Process(os.getpid()).memory_info().rss / 2**20


def run_child(path, *arguments):
    """Runs `python path *arguments` in a fresh process, in this process's
    environment; returns the JSON object on the last line of its stdout."""
    result = subprocess.run(
        [sys.executable, os.path.abspath(path), *arguments],
        capture_output=True,
        text=True,
        env=dict(os.environ),
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        sys.stderr.write(result.stdout + result.stderr)
        raise RuntimeError(f"{path} {' '.join(arguments)} failed")
    return json.loads(lines[-1])


def run_script(main, run_arm):
    """The entry point of a benchmark whose arms run in fresh processes:
    `python script.py` runs `main`, which starts each arm with
    `run_child(script, "--arm", name)`; that runs `run_arm(name)`."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--arm", choices=["ours", "raw"])
    arguments = parser.parse_args()
    if arguments.arm:
        np.random.seed(0)
        run_arm(arguments.arm)
    else:
        main()


def report(name, rows):
    """Prints rows and appends them as JSON lines to $BENCH_RESULTS.

    Args:
        name: the benchmark's name.
        rows: list of dicts with keys `measure`, `ours`, `reference`,
            `ratio`, `target` (a string such as "<= 1.03") and `unit`;
            optionally `goal`, the name of the goal of issue 16 the row
            measures, for the summary in RESULTS.md.
    """
    mode = " [BENCH_QUICK: smoke sizes, not a measurement]" if quick() else ""
    print(f"\n== {name} ({backend()}){mode} ==")
    for row in rows:
        print(
            f"{row['measure']:<44} ours {row['ours']:>10.4g} {row['unit']:<4}"
            f" ref {row['reference']:>10.4g}  ratio {row['ratio']:>6.3f}"
            f"  target {row['target']}"
        )
    path = os.environ.get("BENCH_RESULTS")
    if path:
        with open(path, "a") as results:
            for row in rows:
                record = dict(row, benchmark=name, backend=backend())
                if quick():
                    record["quick"] = True
                results.write(json.dumps(record) + "\n")
