"""Runs every benchmark on the backend in KERAS_BACKEND.

Results are printed and, when BENCH_RESULTS names a file, appended to it as
JSON lines for `write_results.py`.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import any_data  # noqa: E402
import fit_overhead  # noqa: E402
import large_predict  # noqa: E402
import many_fits_memory  # noqa: E402
import predict_latency  # noqa: E402
import refit_fixed_cost  # noqa: E402
import search_throughput  # noqa: E402
import small_fits  # noqa: E402
import torch_step  # noqa: E402

if __name__ == "__main__":
    for benchmark in (
        fit_overhead,
        predict_latency,
        small_fits,
        many_fits_memory,
        refit_fixed_cost,
        torch_step,
        large_predict,
        search_throughput,
        any_data,
    ):
        benchmark.main()
