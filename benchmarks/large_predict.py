"""Large predictions: `predict` and `predict_proba` with default arguments
on 1,000,000 x 20 float32 rows, against `Model.predict` at its best batch
size.

A user scores a large array with `estimator.predict(X)` and no batch size,
so what matters is the time with the defaults. The classifier has the
default network (one hidden layer of 100 units), fitted for one epoch on
5,000 of the rows; its own `model_.predict(X, batch_size=b, verbose=0)`
is timed for each b in `BATCH_SIZES`, and the fastest is the reference.
Each arm runs once on a slice first (compiling its batch shape), then the
arms alternate. Goal (issue 16): <= 1.5 x the best `Model.predict`.

BENCH_QUICK=1: 50,000 rows, two repeats.

Run: KERAS_BACKEND=jax python benchmarks/large_predict.py
"""

import numpy as np
from common import interleaved_medians
from common import report
from common import sized

BATCH_SIZES = (1024, 4096, 16384, 65536)


def main():
    from keras.wrappers import SKLearnClassifier

    n_rows, repeats = sized(1_000_000, 50_000), sized(3, 2)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n_rows, 20), dtype=np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(int) + (X[:, 2] > 1)
    estimator = SKLearnClassifier(epochs=1, random_state=0)
    estimator.fit(X[:5000], y[:5000])
    model = estimator.model_

    def arms(X):
        functions = {
            "predict": lambda: estimator.predict(X),
            "predict_proba": lambda: estimator.predict_proba(X),
        }
        for b in BATCH_SIZES:
            functions[b] = lambda b=b: model.predict(X, batch_size=b, verbose=0)
        return functions

    interleaved_medians(arms(X[: max(BATCH_SIZES)]), 1)  # warm-up
    medians = interleaved_medians(arms(X), repeats)
    best = min(BATCH_SIZES, key=medians.get)
    print(
        "Model.predict, s by batch size: "
        + ", ".join(f"{b}: {medians[b]:.3f}" for b in BATCH_SIZES)
    )
    rows = [
        dict(
            measure=(
                f"{method} {n_rows}x20, default arguments vs Model.predict "
                f"(best batch size, {best})"
            ),
            ours=medians[method],
            reference=medians[best],
            ratio=medians[method] / medians[best],
            target="<= 1.5",
            unit="s",
            goal=f"large {method} vs best Model.predict",
        )
        for method in ("predict", "predict_proba")
    ]
    report("large predictions", rows)


if __name__ == "__main__":
    np.random.seed(0)
    main()
