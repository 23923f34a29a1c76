"""Search throughput: GridSearchCV on digits with the wrapper against a
hand-written raw-Keras estimator, skorch and scikit-learn's MLP.

Every arm trains Dense(64, relu) -> Dense(10) with Adam, batch 32, over a
2 x 2 grid (epochs 10 or 20, learning rate 1e-3 or 1e-2), cv=3.

Goals (issue 16): at most 1.0 x skorch's time (moonshot 0.7 x), within
3 x scikit-learn's MLPClassifier, and no slower than the raw-Keras
estimator. BENCH_QUICK=1: 600 rows, epochs 1 or 2, one repeat.
"""

import numpy as np
from common import interleaved_medians
from common import report
from common import sized
from sklearn.base import BaseEstimator
from sklearn.base import ClassifierMixin
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV
from sklearn.neural_network import MLPClassifier

EPOCHS = sized([10, 20], [1, 2])
LEARNING_RATES = [1e-3, 1e-2]


class RawKerasClassifier(ClassifierMixin, BaseEstimator):
    """The estimator a user would write by hand around `Model.fit`."""

    def __init__(self, epochs=10, learning_rate=1e-3):
        self.epochs = epochs
        self.learning_rate = learning_rate

    def fit(self, X, y):
        import keras

        self.classes_ = np.unique(y)
        self.model_ = keras.Sequential(
            [
                keras.Input((X.shape[1],)),
                keras.layers.Dense(64, activation="relu"),
                keras.layers.Dense(len(self.classes_), activation="softmax"),
            ]
        )
        self.model_.compile(
            optimizer=keras.optimizers.Adam(self.learning_rate),
            loss="sparse_categorical_crossentropy",
        )
        indices = np.searchsorted(self.classes_, y)
        self.model_.fit(
            X, indices, epochs=self.epochs, batch_size=32, verbose=0
        )
        return self

    def predict(self, X):
        proba = self.model_.predict(X, verbose=0)
        return self.classes_[np.argmax(proba, axis=1)]


def skorch_search():
    try:
        import torch
        from skorch import NeuralNetClassifier
    except ImportError:
        return None

    class MLP(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = torch.nn.Sequential(
                torch.nn.Linear(64, 64),
                torch.nn.ReLU(),
                torch.nn.Linear(64, 10),
            )

        def forward(self, X):
            return self.layers(X)

    net = NeuralNetClassifier(
        MLP,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        batch_size=32,
        train_split=None,
        verbose=0,
    )
    return net, {"max_epochs": EPOCHS, "lr": LEARNING_RATES}


def main(repeats=None):
    from keras.wrappers import SKLearnClassifier

    repeats = repeats or sized(2, 1)
    X, y = load_digits(return_X_y=True)
    n_rows = sized(len(X), 600)
    X, y = (X[:n_rows] / 16.0).astype("float32"), y[:n_rows]
    searches = {
        "ours": (
            SKLearnClassifier(model__hidden_layer_sizes=(64,), batch_size=32),
            {"epochs": EPOCHS, "optimizer__learning_rate": LEARNING_RATES},
        ),
        "raw Keras": (
            RawKerasClassifier(),
            {"epochs": EPOCHS, "learning_rate": LEARNING_RATES},
        ),
        "sklearn MLP": (
            MLPClassifier(
                hidden_layer_sizes=(64,), batch_size=32, random_state=0
            ),
            {"max_iter": EPOCHS, "learning_rate_init": LEARNING_RATES},
        ),
    }
    skorch = skorch_search()
    if skorch is None:
        print("skorch is not installed: no comparison with it.")
    else:
        searches["skorch"] = skorch

    def run(estimator, grid):
        return lambda: GridSearchCV(estimator, grid, cv=3).fit(X, y.astype(int))

    import warnings

    with warnings.catch_warnings():
        # sklearn's MLP warns that 10-20 iterations do not converge.
        warnings.simplefilter("ignore")
        medians = interleaved_medians(
            {name: run(*search) for name, search in searches.items()},
            repeats,
        )
    targets = {
        "raw Keras": "<= 1.0",
        "skorch": "<= 1.0 (moonshot <= 0.7)",
        "sklearn MLP": "<= 3.0",
    }
    rows = [
        dict(
            measure=f"GridSearchCV 2x2, cv=3 vs {reference}",
            ours=medians["ours"],
            reference=medians[reference],
            ratio=medians["ours"] / medians[reference],
            target=targets[reference],
            unit="s",
            goal=f"search throughput vs {reference}",
        )
        for reference in searches
        if reference != "ours"
    ]
    report("search throughput", rows)


if __name__ == "__main__":
    main()
