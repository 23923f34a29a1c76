"""What users throw at the wrappers, and how much memory predicting takes.

Inputs are generated with hypothesis across dtypes, containers, shapes and
label sets: each either gives exactly the answer the same numbers give as a
float64 array, or raises a scikit-learn-style error, raised by scikit-learn
or the wrappers (never from inside a backend), whose message names the
problem. A million rows predict in bounded memory (measured with psutil),
and pickles move between backends.

hypothesis and psutil are not among Keras's test requirements, so these
tests live here rather than beside the modules in `keras/src/wrappers/`.
Run once per backend.
"""

import functools
import os
import pathlib
import subprocess
import sys
import threading
import time
import traceback
import warnings

import joblib
import numpy as np
import pandas as pd
import psutil
import pytest
import scipy.sparse
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import accuracy_score

from keras.src import backend
from keras.src import layers
from keras.src import models
from keras.src import testing
from keras.wrappers import SKLearnClassifier
from keras.wrappers import SKLearnRegressor
from keras.wrappers import SKLearnTransformer

pytestmark = pytest.mark.requires_trainable_backend

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent


# Deterministic examples (CI reruns the same ones), no example database
# written into the repository, and no per-example deadline: the first fit
# on a backend compiles.
PROPERTY = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TINY = {"model__hidden_layer_sizes": (4,), "epochs": 1, "random_state": 0}
N_FEATURES = 3


def raised_by(error):
    """The file of the innermost Python frame that raised `error`."""
    return pathlib.Path(traceback.extract_tb(error.__traceback__)[-1].filename)


def assert_clear_error(test, call, patterns):
    """`call()` raises a ValueError or TypeError from scikit-learn or the
    wrappers, whose message matches one of `patterns`."""
    try:
        call()
    except (ValueError, TypeError) as error:
        origin = raised_by(error)
        from_sklearn = "sklearn" in origin.parts
        from_wrappers = origin.parent.name == "wrappers"
        test.assertTrue(
            from_sklearn or from_wrappers,
            f"{type(error).__name__} raised from {origin}: {error}",
        )
        test.assertRegex(str(error), "|".join(patterns))
    else:
        test.fail(f"No error for an input with defects {patterns}")


# The defects an input can have, and what the error must say about each.
DEFECT_MESSAGES = {
    "no rows": r"0 sample\(s\)|Expected 2D array",
    "wrong width": r"X has \d+ features, but \w+ is expecting 3",
    "missing": r"Input X contains NaN",
    "infinite": r"Input X contains infinity",
    "too large": r"too large for dtype\('float32'\)",
    "text": r"X holds text, but the model.s input takes numbers",
}


def _poison(values, defect):
    """Puts one bad cell into a float64 copy of `values`."""
    values = values.astype(object)
    values[0, 0] = {
        "missing": np.nan,
        "infinite": np.inf,
        "too large": 1e300,
        "text": "seven",
    }[defect]
    return values


def _nullable(dtype):
    def convert(values, defect):
        frame = pd.DataFrame(values).astype(dtype)
        if defect == "missing":
            frame.iloc[0, 0] = pd.NA
        return frame

    return convert


def _categories(values, defect):
    return pd.DataFrame(values).astype("category")


def _numpy(dtype):
    def convert(values, defect):
        if defect is None:
            return values.astype(dtype)
        return _poison(values, defect).astype(dtype)

    return convert


def _nested(container):
    def convert(values, defect):
        rows = values.tolist() if defect is None else _poison(values, defect)
        return container(container(row) for row in rows)

    return convert


def _frame_with_column_dtypes(values, defect):
    frame = pd.DataFrame(values.astype("float64"))
    frame[0] = frame[0].astype("float32")
    if frame.shape[1] > 1:
        frame[1] = frame[1].astype("Int64")
    return frame


# name: (converter, defects it can carry). Values are small integers, so
# every form holds them exactly; `bool` and `uint8` forms are given 0/1.
FORMS = {
    "float16": (_numpy(np.float16), ("missing", "infinite")),
    "float32": (_numpy(np.float32), ("missing", "infinite")),
    "float64": (_numpy(np.float64), ("missing", "infinite", "too large")),
    "int8": (_numpy(np.int8), ()),
    "int64": (_numpy(np.int64), ()),
    "uint8": (_numpy(np.uint8), ()),
    "bool": (_numpy(bool), ()),
    "object": (_numpy(object), ("missing", "text")),
    "list": (_nested(list), ("missing", "text")),
    "tuple": (_nested(tuple), ("missing", "text")),
    "DataFrame": (lambda v, d: pd.DataFrame(v), ()),
    "DataFrame Int64": (_nullable("Int64"), ("missing",)),
    "DataFrame Float64": (_nullable("Float64"), ("missing",)),
    "DataFrame category": (_categories, ()),
    "DataFrame mixed dtypes": (_frame_with_column_dtypes, ()),
    "csr_matrix": (lambda v, d: scipy.sparse.csr_matrix(v), ()),
}
ZERO_ONE_FORMS = ("uint8", "bool")


@st.composite
def feature_inputs(draw, n_rows, n_features):
    """(input, float64 reference, defects) for one drawn form."""
    rows = draw(n_rows)
    width = draw(n_features)
    name = draw(st.sampled_from(sorted(FORMS)))
    low = 0 if name in ZERO_ONE_FORMS else -3
    values = draw(
        hnp.arrays(np.int64, (rows, width), elements=st.integers(low, 3))
    )
    convert, possible_defects = FORMS[name]
    defect = None
    if rows and possible_defects:
        defect = draw(st.sampled_from((None,) + possible_defects))
    defects = {defect} - {None}
    if rows == 0:
        defects.add("no rows")
    if width != N_FEATURES:
        defects.add("wrong width")
    return convert(values, defect), values.astype("float64"), defects, name


@functools.lru_cache(maxsize=None)
def fitted(kind):
    """One small fitted estimator per kind, shared by the input tests."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, N_FEATURES))
    if kind == "classifier":
        return SKLearnClassifier(**TINY).fit(X, np.arange(40) % 3)
    if kind == "regressor":
        return SKLearnRegressor(**TINY).fit(X, X.sum(axis=1))
    return SKLearnTransformer(**TINY).fit(X)


def outputs(estimator, X):
    """Every prediction method of `estimator`, by name."""
    if isinstance(estimator, SKLearnClassifier):
        return {
            "predict": estimator.predict(X),
            "predict_proba": estimator.predict_proba(X),
        }
    if isinstance(estimator, SKLearnRegressor):
        return {"predict": estimator.predict(X)}
    return {"transform": estimator.transform(X)}


def expected_layout(estimator, n_rows):
    """Shape and dtype of each prediction method's output."""
    if isinstance(estimator, SKLearnClassifier):
        return {
            "predict": ((n_rows,), estimator.classes_.dtype),
            "predict_proba": ((n_rows, 3), np.dtype("float64")),
        }
    if isinstance(estimator, SKLearnRegressor):
        return {"predict": ((n_rows,), np.dtype("float64"))}
    return {"transform": ((n_rows, 4), np.dtype("float32"))}


ESTIMATORS = {
    "classifier": SKLearnClassifier,
    "regressor": SKLearnRegressor,
    "transformer": SKLearnTransformer,
}
KINDS = st.sampled_from(sorted(ESTIMATORS))


class InputPropertiesTest(testing.TestCase):
    """Generated inputs give the float64 answer or a clear error."""

    def assert_same_outputs(self, estimator, X, reference):
        got = outputs(estimator, X)
        expected = outputs(estimator, reference)
        layout = expected_layout(estimator, len(reference))
        for method, value in got.items():
            shape, dtype = layout[method]
            self.assertEqual(value.shape, shape, method)
            self.assertEqual(value.dtype, dtype, method)
            self.assertAllEqual(value, expected[method], method)

    @settings(PROPERTY, max_examples=60)
    @given(
        kind=KINDS,
        case=feature_inputs(
            n_rows=st.sampled_from([0, 1, 2, 31, 32, 33, 70]),
            n_features=st.sampled_from([N_FEATURES] * 3 + [1, 500]),
        ),
    )
    def test_prediction_inputs(self, kind, case):
        X, reference, defects, _ = case
        estimator = fitted(kind)
        if defects:
            patterns = [DEFECT_MESSAGES[d] for d in defects]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                assert_clear_error(
                    self, lambda: outputs(estimator, X), patterns
                )
        else:
            self.assert_same_outputs(estimator, X, reference)

    @settings(PROPERTY, max_examples=12)
    @given(
        kind=KINDS,
        case=feature_inputs(
            n_rows=st.sampled_from([0, 1, 2, 9]),
            n_features=st.sampled_from([N_FEATURES, 1, 300]),
        ),
    )
    def test_training_inputs(self, kind, case):
        X, reference, defects, name = case
        defects.discard("wrong width")  # Any width can be trained on.
        n_rows = len(reference)
        y = np.arange(n_rows) % 2
        if kind == "classifier" and n_rows == 1:
            defects.add("one class")
        estimator = ESTIMATORS[kind](**TINY)
        if defects:
            patterns = [
                DEFECT_MESSAGES.get(d, "only one class") for d in defects
            ]
            assert_clear_error(self, lambda: estimator.fit(X, y), patterns)
            with self.assertRaises(NotFittedError):
                outputs(estimator, reference)
            return
        estimator.fit(X, y)
        expected = reference_fit(kind, reference.tobytes(), reference.shape)
        self.assertEqual(estimator.n_features_in_, reference.shape[1])
        for method, value in outputs(estimator, reference).items():
            self.assertAllEqual(
                value, outputs(expected, reference)[method], f"{name} {method}"
            )


@functools.lru_cache(maxsize=None)
def reference_fit(kind, data, shape):
    """The same fit on the float64 array, cached across examples."""
    X = np.frombuffer(data).reshape(shape)
    y = np.arange(shape[0]) % 2
    return ESTIMATORS[kind](**TINY).fit(X, y)


N_LABELED = 24
LABEL_X = np.random.RandomState(1).normal(size=(N_LABELED, N_FEATURES))

# Sorted label sets (class i of the integer codes is label_set[i]), and a
# label of the same type that training never sees (none for booleans).
LABEL_SETS = {
    "int": ([-5, 0, 7], 99),
    "float": ([1.0, 2.0, 3.0], 99.0),
    "str": (["ant", "bee", "cat"], "dog"),
    "bool": ([False, True], None),
    "object str": (np.array(["x", "y", "z"], dtype=object), "w"),
}


def label_codes(n_classes):
    codes = np.arange(N_LABELED) % n_classes
    np.random.RandomState(2).shuffle(codes)
    return codes


@functools.lru_cache(maxsize=None)
def code_fit(n_classes):
    return SKLearnClassifier(**TINY).fit(LABEL_X, label_codes(n_classes))


def _labels_with(labels, bad_value):
    labels = labels.astype(object)
    labels[0] = bad_value
    return labels


LABEL_CONTAINERS = {
    "ndarray": lambda labels: labels,
    "list": lambda labels: labels.tolist(),
    "Series": lambda labels: pd.Series(labels),
    "categorical Series": lambda labels: pd.Series(labels, dtype="category"),
}

LABEL_DEFECTS = {
    "mixed types": (
        lambda y: _labels_with(y, 3 if y.dtype.kind in "bOU" else "three"),
        r"y mixes label types",
    ),
    "None": (
        lambda y: _labels_with(y, None),
        r"y has missing labels|Input y contains NaN",
    ),
    "continuous": (
        lambda y: np.linspace(0, 1, len(y)),
        r"Unknown label type: continuous",
    ),
    "one class": (lambda y: np.repeat(y[:1], len(y)), r"only one class"),
}


class LabelPropertiesTest(testing.TestCase):
    @settings(PROPERTY, max_examples=16)
    @given(
        set_name=st.sampled_from(sorted(LABEL_SETS)),
        n_classes=st.sampled_from([2, 3]),
        container=st.sampled_from(sorted(LABEL_CONTAINERS)),
        defect=st.sampled_from([None, None, None] + sorted(LABEL_DEFECTS)),
    )
    def test_label_sets(self, set_name, n_classes, container, defect):
        label_set, unseen_label = LABEL_SETS[set_name]
        label_set = np.asarray(label_set)[:n_classes]
        labels = label_set[label_codes(len(label_set))]
        if defect is not None:
            corrupt, pattern = LABEL_DEFECTS[defect]
            y = LABEL_CONTAINERS[container](corrupt(labels))
            clf = SKLearnClassifier(**TINY)
            assert_clear_error(self, lambda: clf.fit(LABEL_X, y), [pattern])
            return
        clf = SKLearnClassifier(**TINY).fit(
            LABEL_X, LABEL_CONTAINERS[container](labels)
        )
        reference = code_fit(len(label_set))
        # The labels are names for the codes: the fit is the same fit.
        self.assertAllEqual(clf.classes_, label_set)
        proba = clf.predict_proba(LABEL_X)
        self.assertAllEqual(proba, reference.predict_proba(LABEL_X))
        predicted = clf.predict(LABEL_X)
        self.assertEqual(predicted.dtype, clf.classes_.dtype)
        self.assertAllEqual(predicted, label_set[proba.argmax(axis=1)])
        if unseen_label is None:
            return
        # Labels never seen in training count as errors when scoring.
        unseen = labels.copy()
        unseen[::4] = unseen_label
        self.assertAlmostEqual(
            clf.score(LABEL_X, unseen), accuracy_score(unseen, predicted)
        )


def small_data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(64, 4))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


class PeakMemory:
    """Samples this process's RSS in a thread; `growth` is peak - start."""

    def __enter__(self):
        self.process = psutil.Process()
        self.start = self.peak = self.process.memory_info().rss
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample)
        self.thread.start()
        return self

    def _sample(self):
        while not self.done.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.001)

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)
        self.growth = self.peak - self.start


class ScaleTest(testing.TestCase):
    def test_million_rows_predict_in_bounded_memory(self):
        rng = np.random.RandomState(4)
        big = rng.normal(size=(1_000_000, 20))
        clf = SKLearnClassifier(**TINY).fit(big[:64], np.arange(64) % 2)
        # 4096-row batches keep this test to seconds on every backend; the
        # memory bound does not depend on the batch size.
        batch_size = 4096
        clf.predict_proba(big[:batch_size], batch_size=batch_size)  # Compile.
        with PeakMemory() as memory:
            proba = clf.predict_proba(big, batch_size=batch_size)
        self.assertEqual(proba.shape, (1_000_000, 2))
        bound = 2 * (big.nbytes + proba.nbytes)
        self.assertLess(memory.growth, bound)
        rows = [0, 4095, 4096, 777_777, 999_999]
        self.assertAllEqual(
            proba[rows], clf.predict_proba(big[rows], batch_size=batch_size)
        )


LOAD_AND_PREDICT = """
import sys
import joblib
import numpy as np
estimators, X, targets, (vectorizer, texts) = joblib.load(sys.argv[1])
# A preprocessing layer's vocabulary, learned on another backend.
np.save(f"{sys.argv[2]}/vectorizer.npy", vectorizer.transform(texts))
for estimator, y in zip(estimators, targets):
    method = getattr(estimator, "predict_proba", None) or getattr(
        estimator, "predict", None
    ) or estimator.transform
    np.save(f"{sys.argv[2]}/{type(estimator).__name__}.npy", method(X))
    # A loaded estimator also keeps training on its new backend.
    n_iter = estimator.n_iter_
    estimator.partial_fit(X, y)
    assert estimator.n_iter_ == n_iter + 1, estimator.n_iter_
"""


class PersistenceAcrossBackendsTest(testing.TestCase):
    def test_pickled_estimators_predict_the_same_on_every_backend(self):
        X, y = small_data()
        labels = np.array(["no", "yes"])[y]
        estimators = [
            SKLearnClassifier(**TINY).fit(X, labels),
            SKLearnRegressor(**TINY).fit(X, X[:, 0]),
            SKLearnTransformer(**TINY).fit(X),
        ]
        expected = {
            "SKLearnClassifier": estimators[0].predict_proba(X),
            "SKLearnRegressor": estimators[1].predict(X),
            "SKLearnTransformer": estimators[2].transform(X),
        }
        texts = np.array(["a fine day", "a dull day", "fine fine rain"])
        vectorizer = SKLearnTransformer(
            model=layers.TextVectorization(output_mode="count")
        ).fit(texts[:2])
        expected["vectorizer"] = vectorizer.transform(texts)
        directory = self.get_temp_dir()
        path = os.path.join(directory, "estimators.joblib")
        joblib.dump(
            (estimators, X, [labels, X[:, 0], None], (vectorizer, texts)), path
        )
        for other in ("tensorflow", "jax", "torch"):
            if other == backend.backend():
                continue
            result = subprocess.run(
                [sys.executable, "-c", LOAD_AND_PREDICT, path, directory],
                env={**os.environ, "KERAS_BACKEND": other},
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                timeout=300,
            )
            self.assertEqual(result.returncode, 0, msg=result.stderr[-3000:])
            for name, values in expected.items():
                got = np.load(os.path.join(directory, f"{name}.npy"))
                self.assertEqual(got.dtype, values.dtype, f"{other} {name}")
                # Backends round float32 kernels differently in the last bit.
                self.assertAllClose(
                    got, values, atol=1e-6, rtol=1e-5, msg=f"{other} {name}"
                )


def build_two_layer(X, y, hidden=4, activation="relu"):
    inputs = layers.Input(shape=X.shape[1:])
    features = layers.Dense(hidden, activation=activation)(inputs)
    outputs = layers.Dense(y.shape[1], activation="softmax")(features)
    return models.Model(inputs, outputs)


@st.composite
def parameter_mixes(draw):
    """Estimator parameters in every style a user may set them, mixed."""
    params = {"model": build_two_layer, "random_state": 0}
    style = draw(st.sampled_from(["routed", "model_kwargs", "both"]))
    if style != "routed":
        params["model_kwargs"] = {"hidden": draw(st.sampled_from([3, 5]))}
        if draw(st.booleans()):
            params["model_kwargs"]["activation"] = "tanh"
    if style != "model_kwargs":
        params["model__hidden"] = draw(st.sampled_from([2, 6]))
    if draw(st.booleans()):
        params["optimizer__learning_rate"] = draw(st.sampled_from([1e-3, 1e-2]))
    epochs = draw(st.sampled_from([1, 2]))
    if draw(st.booleans()):
        params["epochs"] = epochs
    else:
        params["fit_kwargs"] = {"epochs": epochs}
    if draw(st.booleans()):
        params.setdefault("fit_kwargs", {})["shuffle"] = draw(st.booleans())
    if draw(st.booleans()):
        params["batch_size"] = 16
    return params


class ParameterRoundTripTest(testing.TestCase):
    @settings(PROPERTY, max_examples=6)
    @given(params=parameter_mixes())
    def test_parameters_round_trip_and_clones_fit_the_same(self, params):
        rng = np.random.RandomState(0)
        X = rng.normal(size=(40, N_FEATURES))
        y = np.arange(40) % 3
        expected = SKLearnClassifier(**params).fit(X, y).predict_proba(X)
        # What a search sets back is what `get_params` listed.
        estimator = SKLearnClassifier(**params)
        estimator.set_params(**estimator.get_params(deep=True))
        np.testing.assert_array_equal(
            estimator.fit(X, y).predict_proba(X), expected
        )
        # A clone of a fitted estimator fits as the original did.
        np.testing.assert_array_equal(
            clone(estimator).fit(X, y).predict_proba(X), expected
        )
