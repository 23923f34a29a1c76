"""The main job: a Keras model tuned and scored like any scikit-learn model.

Run with `make demo` (or `make demo BACKEND=jax`). It searches over the
default network's width and the optimizer's learning rate with
`GridSearchCV` on scikit-learn's digits, then reports the held-out
accuracy of the refitted best model.
"""

import time

from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV
from sklearn.model_selection import train_test_split

import keras
from keras.wrappers import SKLearnClassifier


def main():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X / 16.0, y, test_size=0.25, stratify=y, random_state=0
    )
    search = GridSearchCV(
        SKLearnClassifier(epochs=20, random_state=0),
        {
            "model__hidden_layer_sizes": [(64,), (128,)],
            "optimizer__learning_rate": [1e-3, 3e-3],
        },
        cv=3,
        verbose=2,
    )
    print(f"Keras {keras.__version__}, backend: {keras.config.backend()}")
    start = time.perf_counter()
    search.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    print(f"Best parameters: {search.best_params_}")
    print(f"Cross-validated accuracy: {search.best_score_:.4f}")
    print(f"Test accuracy: {search.score(X_test, y_test):.4f}")
    print(f"Search time: {seconds:.1f} s")


if __name__ == "__main__":
    main()
