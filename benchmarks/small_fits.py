"""Many small fits: seconds per fit and memory retained across 30 fits.

Each round builds a model, fits it on 300 x 20 data for 3 epochs and
predicts. The wrapper refits one estimator (each fit replaces `model_`);
raw Keras builds a new model per round, as a user's loop would. Memory is
the RSS after fit 30 minus after fit 1, in a fresh process per arm.
(`many_fits_memory.py` measures it without collecting, as a user sees it.)

BENCH_QUICK=1: 5 rounds, one process per arm.

Run: KERAS_BACKEND=jax python benchmarks/small_fits.py
"""

import json
import os
import statistics
import subprocess
import sys
import time

from common import sized
from sklearn.datasets import make_classification

ROUNDS = sized(30, 5)


def data():
    X, y = make_classification(
        300, 20, n_informative=10, n_classes=10, random_state=0
    )
    return X.astype("float32"), y


def raw_round(X, y):
    import keras

    model = keras.Sequential(
        [
            keras.Input((X.shape[1],)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(X, y, epochs=3, batch_size=32, verbose=0)
    model.predict(X, verbose=0)


def run_arm(arm):
    """Runs ROUNDS rounds of one arm; prints a JSON line of readings."""
    from common import rss_mib

    from keras.wrappers import SKLearnClassifier

    X, y = data()
    estimator = SKLearnClassifier(
        model__hidden_layer_sizes=(64,), epochs=3, batch_size=32
    )
    times, rss = [], []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        if arm == "ours":
            estimator.fit(X, y).predict(X)
        else:
            raw_round(X, y)
        times.append(time.perf_counter() - start)
        rss.append(rss_mib())
    print(
        json.dumps(
            {
                "seconds_per_fit": statistics.median(times[1:]),
                "retained_mib": rss[-1] - rss[0],
            }
        )
    )


def main():
    from common import report

    readings = {"ours": [], "raw": []}
    for _ in range(sized(2, 1)):
        for arm in readings:
            output = subprocess.run(
                [sys.executable, __file__, "--arm", arm],
                check=True,
                capture_output=True,
                text=True,
                env=dict(os.environ),
            ).stdout
            readings[arm].append(json.loads(output.strip().splitlines()[-1]))

    def median(arm, key):
        return statistics.median(r[key] for r in readings[arm])

    rows = []
    for key, unit, target in (
        ("seconds_per_fit", "s", "<= 1.0 x raw"),
        ("retained_mib", "MiB", "< 20 MiB"),
    ):
        ours, raw = median("ours", key), median("raw", key)
        rows.append(
            dict(
                measure=f"{ROUNDS} small fits: {key.replace('_', ' ')}",
                ours=ours,
                reference=raw,
                ratio=ours / raw if raw > 0 else float("nan"),
                target=target,
                unit=unit,
            )
        )
    report("many small fits", rows)


if __name__ == "__main__":
    from common import run_script

    run_script(main, run_arm)
