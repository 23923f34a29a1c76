"""Shared helpers: interleaved timing, memory readings and result tables.

Every benchmark measures the wrapper and its reference side by side in one
process, alternating between them, and reports medians and their ratio, so
that a noisy, shared machine moves both numbers together.
"""

import gc
import json
import os
import statistics
import time

import psutil


def backend():
    import keras

    return keras.config.backend()


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


def report(name, rows):
    """Prints rows and appends them as JSON lines to $BENCH_RESULTS.

    Args:
        name: the benchmark's name.
        rows: list of dicts with keys `measure`, `ours`, `reference`,
            `ratio`, `target` (a string such as "<= 1.03") and `unit`.
    """
    print(f"\n== {name} ({backend()}) ==")
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
                results.write(json.dumps(record) + "\n")
