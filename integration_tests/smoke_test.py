"""End-to-end smoke tests: the public API resolves to this repository's
wrappers, and a small grid search on real data learns something.

Run once per backend, e.g. `KERAS_BACKEND=jax pytest integration_tests`.
"""

import pathlib

from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV
from sklearn.model_selection import train_test_split

import keras

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_public_api_resolves_to_this_repository():
    cls = keras.wrappers.SKLearnClassifier
    assert cls.__module__ == "keras.src.wrappers.sklearn_wrapper"

    import keras.src.wrappers.sklearn_wrapper as module

    module_file = pathlib.Path(module.__file__).resolve()
    wrappers_dir = REPO_ROOT / "keras" / "src" / "wrappers"
    assert module_file.parent == wrappers_dir, (
        f"keras.wrappers was imported from {module_file}, not from "
        f"{wrappers_dir}: another Keras installation shadows this tree."
    )


def test_grid_search_on_digits():
    X, y = load_digits(return_X_y=True)
    X, y = X[:600] / 16.0, y[:600]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=0, stratify=y
    )
    search = GridSearchCV(
        keras.wrappers.SKLearnClassifier(epochs=10, random_state=0),
        param_grid={"model__hidden_layer_sizes": [(32,), (64,)]},
        cv=2,
    )
    search.fit(X_train, y_train)

    assert search.best_params_["model__hidden_layer_sizes"] in [(32,), (64,)]
    accuracy = search.score(X_test, y_test)
    assert accuracy >= 0.85, f"held-out accuracy {accuracy:.3f} < 0.85"
