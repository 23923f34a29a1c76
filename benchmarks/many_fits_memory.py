"""Memory across many fits, as a user sees it: resident memory retained
over 30 fits of a new estimator each time, with no `gc.collect()`.

Searches and user loops make a new estimator per fit (`clone`), and never
call the garbage collector themselves. Each round here is
`SKLearnClassifier(model__hidden_layer_sizes=(32,), epochs=2,
random_state=i).fit(X, y)` on 300 x 20 data, replacing the previous
estimator; the reference is raw Keras building, compiling and fitting the
same network each round. Retained memory is the RSS after fit 30 minus
after fit 1, read without collecting, in a fresh process per arm, each arm
twice, alternating. Goal (issue 16): < 20 MiB.

BENCH_QUICK=1: 10 fits, one process per arm.

Run: KERAS_BACKEND=jax python benchmarks/many_fits_memory.py
"""

import json
import os
import statistics


def settings():
    """(fits per process, processes per arm)."""
    from common import sized

    return sized(30, 10), sized(2, 1)


def fit_ours(X, y, seed):
    from keras.wrappers import SKLearnClassifier

    return SKLearnClassifier(
        model__hidden_layer_sizes=(32,), epochs=2, random_state=seed
    ).fit(X, y)


def fit_raw(X, y, seed):
    import keras

    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input((X.shape[1],)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(X, y, epochs=2, batch_size=32, verbose=0)
    return model


def run_arm(arm):
    """Fits a new estimator (or model) each round; prints a JSON line."""
    import psutil
    from sklearn.datasets import make_classification

    fit = {"ours": fit_ours, "raw": fit_raw}[arm]
    X, y = make_classification(
        300, 20, n_informative=10, n_classes=10, random_state=0
    )
    X = X.astype("float32")
    process = psutil.Process(os.getpid())
    rss = []
    fitted = None
    for seed in range(settings()[0]):
        fitted = fit(X, y, seed)  # replaces, and so releases, the previous
        rss.append(process.memory_info().rss / 2**20)
    del fitted
    print(json.dumps({"retained_mib": rss[-1] - rss[0]}))


def main():
    from common import report
    from common import run_child

    n_fits, runs = settings()
    readings = {"ours": [], "raw": []}
    for _ in range(runs):
        for arm in readings:
            reading = run_child(__file__, "--arm", arm)
            readings[arm].append(reading["retained_mib"])
    ours = statistics.median(readings["ours"])
    raw = statistics.median(readings["raw"])
    report(
        "many fits memory",
        [
            dict(
                measure=(
                    f"{n_fits} fits of a new estimator, no gc.collect(): RSS "
                    "retained (fit 1 to last) vs raw Keras"
                ),
                ours=ours,
                reference=raw,
                ratio=ours / raw if raw > 0 else float("nan"),
                target="< 20 MiB",
                unit="MiB",
                goal="memory across many fits",
            )
        ],
    )


if __name__ == "__main__":
    from common import run_script

    run_script(main, run_arm)
