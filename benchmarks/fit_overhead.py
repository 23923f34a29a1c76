"""Fit overhead: the wrapper's `fit` against `Model.fit` on the same model.

20000 x 40 data with 5 classes, Dense(64, relu) -> Dense(5), 5 epochs,
batch 128. Both arms build and compile the same network, then train it.
Goal (issue 16): at most 1.03 x on TensorFlow (reported on every backend).
BENCH_QUICK=1: 2,000 rows, 2 epochs, two repeats.
"""

import numpy as np
from common import interleaved_medians
from common import report
from common import sized
from sklearn.datasets import make_classification


def network(n_features, n_classes):
    import keras

    model = keras.Sequential(
        [
            keras.Input((n_features,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(n_classes, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def build_network(X, y):
    return network(X.shape[1], y.shape[1])


def main(repeats=None):
    from keras.wrappers import SKLearnClassifier

    repeats = repeats or sized(5, 2)
    rows, epochs = sized(20000, 2000), sized(5, 2)
    X, y = make_classification(
        rows, 40, n_informative=20, n_classes=5, random_state=0
    )
    X = X.astype("float32")
    estimator = SKLearnClassifier(
        model=build_network, epochs=epochs, batch_size=128
    )

    def raw():
        network(40, 5).fit(X, y, epochs=epochs, batch_size=128, verbose=0)

    def ours():
        estimator.fit(X, y)

    raw(), ours()  # warm-up: imports, first compilations
    medians = interleaved_medians({"ours": ours, "raw": raw}, repeats)
    report(
        "fit overhead",
        [
            dict(
                measure=f"fit {rows}x40, {epochs} epochs, batch 128",
                ours=medians["ours"],
                reference=medians["raw"],
                ratio=medians["ours"] / medians["raw"],
                target="<= 1.03",
                unit="s",
                goal="fit overhead vs Model.fit",
            )
        ],
    )


if __name__ == "__main__":
    np.random.seed(0)
    main()
