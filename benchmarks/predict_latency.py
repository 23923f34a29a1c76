"""Predict latency: 1 and 32 rows, against `Model.predict` and
`Model.predict_on_batch` on the wrapper's own fitted model.

BENCH_QUICK=1: 20 calls."""

import numpy as np
from common import interleaved_medians
from common import report
from common import sized
from sklearn.datasets import load_digits

CALLS = sized(200, 20)


def main():
    from keras.wrappers import SKLearnClassifier

    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype("float32")
    estimator = SKLearnClassifier(
        model__hidden_layer_sizes=(64,), epochs=2, random_state=0
    ).fit(X, y)
    model = estimator.model_
    rows = []
    for n_rows in (1, 32):
        batch = X[:n_rows]
        arms = {
            "predict": lambda: estimator.predict(batch),
            "predict_proba": lambda: estimator.predict_proba(batch),
            "Model.predict": lambda: model.predict(batch, verbose=0),
            "predict_on_batch": lambda: model.predict_on_batch(batch),
        }
        interleaved_medians(arms, 5)  # warm-up: compile every shape once
        medians = {
            name: seconds * 1000
            for name, seconds in interleaved_medians(arms, CALLS).items()
        }
        for ours in ("predict", "predict_proba"):
            for reference, target in (
                ("predict_on_batch", "<= 1.5"),
                ("Model.predict", "< 1"),
            ):
                rows.append(
                    dict(
                        measure=f"{ours} {n_rows} row(s) vs {reference}",
                        ours=medians[ours],
                        reference=medians[reference],
                        ratio=medians[ours] / medians[reference],
                        target=target,
                        unit="ms",
                    )
                )
    report("predict latency", rows)


if __name__ == "__main__":
    np.random.seed(0)
    main()
