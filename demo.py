"""Keras models in four real scikit-learn workflows, scored side by side.

Run with `make demo` (or `make demo BACKEND=jax`), or
`python -m demo [--output-dir DIR]` with `KERAS_BACKEND` set. On datasets
that ship with scikit-learn it runs:

1. a grid search over the default network's width and the optimizer's
   learning rate, on the digits images;
2. a stacking ensemble of a random forest, a logistic regression and a Keras
   network, against the forest alone and the network alone, on the breast
   cancer measurements;
3. a Keras network trained as a feature extractor, feeding an SVC, on the
   digits;
4. a Keras regressor inside a `TransformedTargetRegressor`, on diabetes.

It prints one table of held-out scores and training times, and writes two
figures to the output folder (`demo_output/` by default): the learning curve
of the network trained with early stopping, from its `history_`, and the
confusion matrix of the tuned digits classifier.
"""

import argparse
import os
import pathlib
import time

import matplotlib
import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import load_breast_cancer
from sklearn.datasets import load_diabetes
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.ensemble import StackingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import ConfusionMatrixDisplay
from sklearn.model_selection import GridSearchCV
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import keras
from keras.wrappers import SKLearnClassifier
from keras.wrappers import SKLearnRegressor
from keras.wrappers import SKLearnTransformer

DEFAULT_OUTPUT_DIR = "demo_output"
N_WORKFLOWS = 4


def _split(X, y, stratify=True):
    return train_test_split(
        X,
        y,
        test_size=0.25,
        stratify=y if stratify else None,
        random_state=0,
    )


def _progress(step, text):
    print(f"[{step}/{N_WORKFLOWS}] {text} ...", flush=True)


def _timed(fit):
    start = time.perf_counter()
    fitted = fit()
    return fitted, time.perf_counter() - start


def grid_search_on_digits(results, figures):
    _progress(1, "grid search on digits (4 candidates x 3 folds)")
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = _split(X / 16.0, y)
    search = GridSearchCV(
        SKLearnClassifier(epochs=20, random_state=0),
        {
            "model__hidden_layer_sizes": [(64,), (128,)],
            "optimizer__learning_rate": [1e-3, 3e-3],
        },
        cv=3,
        verbose=2,
    )
    search, seconds = _timed(lambda: search.fit(X_train, y_train))
    best = ", ".join(f"{k}={v}" for k, v in search.best_params_.items())
    print(f"      best: {best}")
    results.append(
        (
            "digits: GridSearchCV(SKLearnClassifier)",
            "accuracy",
            search.score(X_test, y_test),
            seconds,
        )
    )
    figures["confusion_matrix"] = lambda path: _confusion_matrix(
        search, X_test, y_test, path
    )


def stacking_on_breast_cancer(results, figures):
    _progress(
        2,
        "stacking on breast cancer (random forest + logistic regression "
        "+ Keras), against its members alone",
    )
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = _split(X, y)

    def keras_network():
        return make_pipeline(
            StandardScaler(),
            SKLearnClassifier(
                model__hidden_layer_sizes=(32,),
                epochs=200,
                early_stopping=True,
                n_iter_no_change=10,
                random_state=0,
            ),
        )

    def forest():
        return RandomForestClassifier(n_estimators=200, random_state=0)

    stacking = StackingClassifier(
        [
            ("forest", forest()),
            (
                "logistic",
                make_pipeline(StandardScaler(), LogisticRegression()),
            ),
            ("keras", keras_network()),
        ],
        final_estimator=LogisticRegression(),
        cv=3,
    )
    candidates = [
        ("breast cancer: stacking (forest + logistic + Keras)", stacking),
        ("breast cancer: random forest alone", forest()),
        ("breast cancer: SKLearnClassifier alone", keras_network()),
    ]
    for name, estimator in candidates:
        estimator, seconds = _timed(lambda: estimator.fit(X_train, y_train))
        results.append(
            (name, "accuracy", estimator.score(X_test, y_test), seconds)
        )
    network = candidates[-1][1][-1]
    print(
        f"      the network alone stopped after {network.n_iter_} epochs "
        "(early stopping on 10% held out)"
    )
    figures["learning_curve"] = lambda path: _learning_curve(network, path)


def feature_extractor_on_digits(results, figures):
    _progress(3, "Keras feature extractor feeding an SVC on digits")
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = _split(X / 16.0, y)
    hybrid = make_pipeline(
        SKLearnTransformer(
            model__hidden_layer_sizes=(128, 32), epochs=20, random_state=0
        ),
        SVC(),
    )
    hybrid, seconds = _timed(lambda: hybrid.fit(X_train, y_train))
    results.append(
        (
            "digits: SKLearnTransformer -> SVC",
            "accuracy",
            hybrid.score(X_test, y_test),
            seconds,
        )
    )


def regression_on_diabetes(results, figures):
    _progress(4, "SKLearnRegressor in TransformedTargetRegressor on diabetes")
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = _split(X, y, stratify=False)
    regressor = make_pipeline(
        StandardScaler(),
        TransformedTargetRegressor(
            regressor=SKLearnRegressor(
                model__hidden_layer_sizes=(16,), epochs=30, random_state=0
            ),
            transformer=StandardScaler(),
        ),
    )
    regressor, seconds = _timed(lambda: regressor.fit(X_train, y_train))
    results.append(
        (
            "diabetes: SKLearnRegressor in TransformedTargetRegressor",
            "R^2",
            regressor.score(X_test, y_test),
            seconds,
        )
    )


def _learning_curve(estimator, path):
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    history = estimator.history_
    epochs = np.arange(1, len(history["loss"]) + 1)
    best = int(np.argmin(history["val_loss"])) + 1
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(epochs, history["loss"], label="training loss")
    ax.plot(epochs, history["val_loss"], label="held-out loss (10%)")
    ax.axvline(best, color="gray", linestyle="--", label=f"best epoch ({best})")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy")
    ax.set_title("SKLearnClassifier on breast cancer: history_")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _confusion_matrix(estimator, X_test, y_test, path):
    import matplotlib.pyplot as plt

    display = ConfusionMatrixDisplay.from_estimator(
        estimator, X_test, y_test, cmap="Blues", colorbar=False
    )
    display.ax_.set_title(
        "Tuned SKLearnClassifier on digits (test set)\n"
        f"accuracy {estimator.score(X_test, y_test):.3f}"
    )
    display.figure_.set_size_inches(6, 6)
    display.figure_.tight_layout()
    display.figure_.savefig(path, dpi=120)
    plt.close(display.figure_)


def format_table(results):
    """The results as a plain-text table: workflow, metric, score, seconds."""
    header = ("workflow", "metric", "score", "seconds")
    rows = [
        (name, metric, f"{score:.3f}", f"{seconds:.1f}")
        for name, metric, score, seconds in results
    ]
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(4)]

    def line(cells):
        return "  ".join(
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths))
        )

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule] + [line(row) for row in rows])


def main(output_dir=DEFAULT_OUTPUT_DIR):
    """Runs the four workflows, prints the table and writes the figures.

    Args:
        output_dir: folder for the figures and `results.txt`; created if
            missing.

    Returns:
        The list of `(workflow, metric, score, seconds)` rows.
    """
    matplotlib.use("Agg")  # Figures go to files: no display needed.
    output_dir = pathlib.Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    print(f"Keras {keras.__version__}, backend: {keras.config.backend()}")
    start = time.perf_counter()
    results, figures = [], {}
    for workflow in (
        grid_search_on_digits,
        stacking_on_breast_cancer,
        feature_extractor_on_digits,
        regression_on_diabetes,
    ):
        workflow(results, figures)
    table = format_table(results)
    total = time.perf_counter() - start
    print()
    print(table)
    print(f"\nTotal: {total:.0f} s on {keras.config.backend()}")
    (output_dir / "results.txt").write_text(
        f"backend: {keras.config.backend()}\n{table}\n"
    )
    for name, draw in figures.items():
        draw(output_dir / f"{name}.png")
    written = sorted(p.name for p in output_dir.iterdir())
    print(f"Figures and table written to {os.path.abspath(output_dir)}/:")
    for name in written:
        print(f"  {name}")
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output-dir",
        default=DEFAULT_OUTPUT_DIR,
        help=f"where to write the figures (default: {DEFAULT_OUTPUT_DIR})",
    )
    main(parser.parse_args().output_dir)
