"""Refit fixed cost: what a fit costs beyond its epochs, for the first fit
of an architecture and for later fits of the same architecture.

A search fits one architecture many times with other hyperparameters; if
the wrapper compiled once per architecture, only the first fit would pay
for tracing and compiling. In one process, after a warm-up fit of another
architecture (so that one-time process costs are not counted), this fits
`SKLearnClassifier(model__hidden_layer_sizes=(64,))` on 1,200 rows of
digits, a new estimator each time, varying `optimizer__learning_rate`,
`epochs` (1 or N = 20) and `random_state`:

    fixed cost of a fit = its time - epochs x per-epoch time

with the per-epoch time (median of the later N-epoch fits - median of the
later 1-epoch fits) / (N - 1). Reported: the median fixed cost of the
later fits over the first fit's, goal <= 0.10 on TensorFlow and JAX
(PyTorch, which compiles nothing, for information). Raw Keras, a network
built and compiled for each fit, goes through the same schedule, for
orientation. Each arm runs in a fresh process, twice, alternating.

BENCH_QUICK=1: 4 later fits, N = 3, one process per arm.

Run: KERAS_BACKEND=jax python benchmarks/refit_fixed_cost.py
"""

import itertools
import json
import statistics
import time

ROWS = 1200
HIDDEN = 64


def settings():
    """(N, number of seeds for the later fits, processes per arm)."""
    from common import sized

    return sized(20, 3), sized(3, 1), sized(2, 1)


def data():
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    return (X[:ROWS] / 16.0).astype("float32"), y[:ROWS]


def fit_ours(X, y, hidden, epochs, learning_rate, seed):
    from keras.wrappers import SKLearnClassifier

    SKLearnClassifier(
        model__hidden_layer_sizes=(hidden,),
        epochs=epochs,
        optimizer__learning_rate=learning_rate,
        random_state=seed,
    ).fit(X, y)


def fit_raw(X, y, hidden, epochs, learning_rate, seed):
    import keras

    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input((X.shape[1],)),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
    )
    model.fit(X, y, epochs=epochs, batch_size=32, verbose=0)


def run_arm(arm):
    """Fits the schedule in this process; prints a JSON line of readings."""
    fit = {"ours": fit_ours, "raw": fit_raw}[arm]
    n_epochs, n_seeds, _ = settings()
    X, y = data()
    fit(X, y, HIDDEN // 4, 1, 1e-3, 0)  # warm-up: another architecture

    def timed(epochs, learning_rate, seed):
        start = time.perf_counter()
        fit(X, y, HIDDEN, epochs, learning_rate, seed)
        return epochs, time.perf_counter() - start

    first = timed(n_epochs, 1e-3, 0)
    later = [
        timed(epochs, learning_rate, seed)
        for seed, epochs, learning_rate in itertools.product(
            range(1, n_seeds + 1), (1, n_epochs), (1e-3, 1e-2)
        )
    ]

    def median_time(epochs):
        return statistics.median(t for e, t in later if e == epochs)

    per_epoch = (median_time(n_epochs) - median_time(1)) / (n_epochs - 1)
    fixed = [t - e * per_epoch for e, t in later]
    print(
        json.dumps(
            {
                "first": first[1] - first[0] * per_epoch,
                "later": statistics.median(fixed),
                "per_epoch": per_epoch,
            }
        )
    )


def main():
    from common import backend
    from common import report
    from common import run_child

    readings = {"ours": [], "raw": []}
    for _ in range(settings()[2]):
        for arm in readings:
            readings[arm].append(run_child(__file__, "--arm", arm))

    def median(arm, key):
        return statistics.median(r[key] for r in readings[arm])

    for arm in readings:
        print(
            f"{arm}: per-epoch {median(arm, 'per_epoch') * 1000:.1f} ms, "
            f"fixed cost first {median(arm, 'first'):.3f} s, "
            f"later {median(arm, 'later'):.3f} s"
        )

    def row(name, arm, target):
        return dict(
            measure=f"{name}: fixed cost per fit, later fits vs first",
            ours=median(arm, "later"),
            reference=median(arm, "first"),
            ratio=median(arm, "later") / median(arm, "first"),
            target=target,
            unit="s",
        )

    target = "<= 0.10"
    if backend() == "torch":
        target += " (informational on torch)"
    rows = [
        dict(
            row("wrapper", "ours", target), goal="compile once per architecture"
        ),
        row("raw Keras", "raw", "(orientation)"),
    ]
    report("refit fixed cost", rows)


if __name__ == "__main__":
    from common import run_script

    run_script(main, run_arm)
