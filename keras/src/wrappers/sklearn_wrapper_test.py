import contextlib
import io
import os
import pickle
import random
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
import scipy.sparse
from absl.testing import parameterized
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import r2_score
from sklearn.model_selection import GridSearchCV
from sklearn.model_selection import cross_val_score
from sklearn.model_selection import cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from keras.src import backend
from keras.src import losses
from keras.src import ops
from keras.src import optimizers
from keras.src import testing
from keras.src.callbacks.callback import Callback
from keras.src.layers import GRU
from keras.src.layers import Concatenate
from keras.src.layers import Conv1D
from keras.src.layers import Conv2D
from keras.src.layers import Dense
from keras.src.layers import Embedding
from keras.src.layers import Flatten
from keras.src.layers import GlobalAveragePooling1D
from keras.src.layers import Input
from keras.src.layers import StringLookup
from keras.src.metrics import R2Score
from keras.src.models import Model
from keras.src.models import Sequential
from keras.src.random import seed_generator
from keras.src.wrappers import InputDict
from keras.src.wrappers import SKLearnClassifier
from keras.src.wrappers import SKLearnRegressor
from keras.src.wrappers import SKLearnTransformer
from keras.src.wrappers import shared_functions

# A small default network: fits take a fraction of a second.
SMALL = {"model__hidden_layer_sizes": (8,), "random_state": 0}
# A learning rate high enough to learn the toy problems in a few epochs.
FAST = {**SMALL, "optimizer__learning_rate": 0.05}


def blobs(n=60, n_features=4, n_classes=3, seed=0):
    """Well separated classes, balanced, in shuffled order."""
    rng = np.random.RandomState(seed)
    y = np.arange(n) % n_classes
    rng.shuffle(y)
    centers = rng.normal(scale=4.0, size=(n_classes, n_features))
    X = centers[y] + rng.normal(size=(n, n_features))
    return X.astype("float32"), y


def noise_labels(n=60, n_features=4, weights=(0.5, 0.5), seed=0):
    """Features that say nothing about the labels: only priors are learned."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, n_features)).astype("float32")
    counts = np.round(np.asarray(weights) * n).astype(int)
    y = np.repeat(np.arange(len(weights)), counts)
    rng.shuffle(y)
    return X, y


def linear(n=60, n_features=4, n_outputs=None, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, n_features)).astype("float32")
    w = rng.normal(size=(n_features, n_outputs or 1))
    y = X @ w
    return X, (y[:, 0] if n_outputs is None else y)


def _mlp(n_features, units, out_units, out_activation=None):
    inputs = Input(shape=(n_features,))
    hidden = Dense(units, activation="relu", name="hidden")(inputs)
    outputs = Dense(out_units, activation=out_activation, name="output")(hidden)
    return Model(inputs, outputs)


def dynamic_model(X, y, loss, layers=[10]):
    """The model-building callable of the Keras 3.15 documentation."""
    inputs = Input(shape=(X.shape[1],))
    x = inputs
    for units in layers:
        x = Dense(units, activation="relu")(x)
    outputs = Dense(y.shape[1], activation="softmax")(x)
    model = Model(inputs, outputs)
    model.compile(loss=loss, optimizer="rmsprop")
    return model


def build_units(X, y, units=16):
    return _mlp(X.shape[1], units, y.shape[1], "softmax")


def build_sigmoid(X, y):
    model = _mlp(X.shape[1], 8, 1, "sigmoid")
    model.compile(loss="binary_crossentropy", optimizer=optimizers.Adam(0.05))
    return model


def build_softmax(X, y, loss="categorical_crossentropy"):
    model = _mlp(X.shape[1], 8, y.shape[1], "softmax")
    model.compile(loss=loss, optimizer=optimizers.Adam(0.05))
    return model


def build_logits(X, y, compiled=False, units=None):
    model = _mlp(X.shape[1], 8, units or y.shape[1])
    if compiled:
        model.compile(
            loss=losses.SparseCategoricalCrossentropy(from_logits=True),
            optimizer=optimizers.Adam(0.05),
        )
    return model


def build_five_units(X, y):
    return _mlp(X.shape[1], 8, 5, "softmax")


def build_not_a_model(X, y):
    return "not a model"


def build_autoencoder(X, y, code_units=3):
    inputs = Input(shape=(X.shape[1],))
    code = Dense(code_units, activation="tanh", name="code")(inputs)
    outputs = Dense(y.shape[1], name="reconstruction")(code)
    return Model(inputs, outputs)


class RecordingBuilder:
    """A model callable that remembers the `X` and `y` it was given."""

    def __init__(self, out_activation="softmax"):
        self.out_activation = out_activation
        self.calls = []

    def __call__(self, X, y):
        self.calls.append((np.array(X), np.array(y)))
        return _mlp(X.shape[1], 8, y.shape[1], self.out_activation)


class CountingCallback(Callback):
    def __init__(self):
        super().__init__()
        self.epochs = 0

    def on_epoch_end(self, epoch, logs=None):
        self.epochs += 1


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class Keras315CompatibilityTest(testing.TestCase):
    @pytest.mark.requires_trainable_backend
    def test_callable_with_model_kwargs_and_fit_kwargs(self):
        X, y = blobs()
        clf = SKLearnClassifier(
            model=dynamic_model,
            model_kwargs={
                "loss": "categorical_crossentropy",
                "layers": [20, 20, 20],
            },
            fit_kwargs={"epochs": 1},
        )
        clf.fit(X, y)
        predictions = clf.predict(X)
        self.assertEqual(predictions.shape, (60,))
        self.assertContainsSubset(set(predictions), set(clf.classes_))
        self.assertEqual(clf.n_iter_, 1)
        dense = [w for w in clf.model_.layers if isinstance(w, Dense)]
        self.assertEqual([w.units for w in dense], [20, 20, 20, 3])
        # The model's own compile arguments are kept.
        self.assertIsInstance(clf.model_.optimizer, optimizers.RMSprop)
        self.assertEqual(clf.predict_proba(X).shape, (60, 3))

    @pytest.mark.requires_trainable_backend
    def test_model_compiled_with_an_unregistered_loss(self):
        # A plain function, never registered as serializable, as Keras
        # 3.15 accepted it.
        def squared_error(y_true, y_pred):
            return (y_true - y_pred) ** 2

        def build(X, y):
            inputs = Input(shape=(X.shape[1],))
            model = Model(inputs, Dense(1)(inputs))
            model.compile(optimizer="sgd", loss=squared_error)
            return model

        X, y = blobs()
        reg = SKLearnRegressor(model=build, epochs=1).fit(X, y.astype(float))
        self.assertIs(reg.model_.loss, squared_error)
        self.assertEqual(reg.predict(X).shape, (60,))

    @pytest.mark.requires_trainable_backend
    def test_routed_param_overrides_model_kwargs_in_a_search(self):
        # The 3.15 way to configure, searched the scikit-learn way.
        X, y = blobs()
        clf = SKLearnClassifier(
            model=dynamic_model,
            model_kwargs={"loss": "categorical_crossentropy", "layers": [4]},
            epochs=1,
        )
        # What a search sets back is what `get_params` listed.
        clf.set_params(**clf.get_params(deep=True))
        self.assertEqual(clf.get_params()["model__layers"], [4])
        search = GridSearchCV(clf, {"model__layers": [[3], [5]]}, cv=2)
        search.fit(X, y)
        best_layers = search.best_params_["model__layers"]
        self.assertIn(best_layers, ([3], [5]))
        model = search.best_estimator_.model_
        dense = [w for w in model.layers if isinstance(w, Dense)]
        self.assertEqual(dense[0].units, best_layers[0])
        # The search set clones' parameters, never the original's.
        self.assertEqual(clf.model_kwargs["layers"], [4])

    def test_positional_arguments(self):
        clf = SKLearnClassifier(
            dynamic_model, True, {"loss": "categorical_crossentropy"}, {}
        )
        params = clf.get_params(deep=False)
        self.assertIs(params["model"], dynamic_model)
        self.assertTrue(params["warm_start"])
        self.assertEqual(
            params["model_kwargs"], {"loss": "categorical_crossentropy"}
        )
        self.assertEqual(params["fit_kwargs"], {})

    @parameterized.named_parameters(
        ("multiclass", 3),
        ("binary", 2),
    )
    @pytest.mark.requires_trainable_backend
    def test_callable_receives_one_hot_y(self, n_classes):
        X, y = blobs(n_classes=n_classes)
        labels = np.array(["a", "b", "c"])[y]
        builder = RecordingBuilder()
        SKLearnClassifier(model=builder, epochs=1).fit(X, labels)
        self.assertLen(builder.calls, 1)
        seen_X, seen_y = builder.calls[0]
        self.assertEqual(seen_X.shape, X.shape)
        self.assertEqual(seen_y.shape, (60, n_classes))
        self.assertAllClose(seen_y.sum(axis=1), np.ones(60))
        self.assertAllClose(np.argmax(seen_y, axis=1), y)

    @pytest.mark.requires_trainable_backend
    def test_regressor_callable_receives_2d_y(self):
        X, y = linear()
        builder = RecordingBuilder(out_activation=None)
        SKLearnRegressor(model=builder, epochs=1).fit(X, y)
        _, seen_y = builder.calls[0]
        self.assertEqual(seen_y.shape, (60, 1))
        self.assertAllClose(seen_y[:, 0], y, atol=1e-5)

    @pytest.mark.requires_trainable_backend
    def test_compiled_model_instance_is_cloned(self):
        X, y = blobs()
        model = _mlp(4, 8, 3, "softmax")
        model.compile(loss="categorical_crossentropy", optimizer="sgd")
        before = [np.array(w) for w in model.get_weights()]
        clf = SKLearnClassifier(model=model, fit_kwargs={"epochs": 2})
        clf.fit(X, y)
        self.assertIsNot(clf.model_, model)
        for old, new in zip(before, model.get_weights()):
            self.assertAllClose(old, new, atol=0, rtol=0)
        self.assertIs(clf.get_params()["model"], model)
        self.assertIsInstance(clf.model_.optimizer, optimizers.SGD)
        self.assertEqual(clf.n_iter_, 2)
        self.assertEqual(clf.predict_proba(X).shape, (60, 3))

    @pytest.mark.requires_trainable_backend
    def test_fit_call_kwargs_override_fit_kwargs_once(self):
        X, y = blobs()
        fit_kwargs = {"epochs": 1}
        clf = SKLearnClassifier(fit_kwargs=fit_kwargs, **SMALL)
        clf.fit(X, y, epochs=2)
        self.assertEqual(clf.n_iter_, 2)
        self.assertLen(clf.history_["loss"], 2)
        self.assertEqual(fit_kwargs, {"epochs": 1})
        self.assertIs(clf.fit_kwargs, fit_kwargs)
        clf.fit(X, y)
        self.assertEqual(clf.n_iter_, 1)

    @pytest.mark.requires_trainable_backend
    def test_regressor_with_compiled_model(self):
        X, y = linear()
        model = _mlp(4, 8, 1)
        model.compile(loss="mean_squared_error", optimizer="sgd")
        reg = SKLearnRegressor(model=model, fit_kwargs={"epochs": 2})
        reg.fit(X, y)
        predictions = reg.predict(X)
        self.assertEqual(predictions.shape, (60,))
        self.assertTrue(np.all(np.isfinite(predictions)))
        self.assertIsInstance(reg.model_.optimizer, optimizers.SGD)
        self.assertLen(reg.history_["loss"], 2)
        self.assertIsNot(reg.model_, model)


class RoutedParamsTest(testing.TestCase):
    def test_default_network_params_listed(self):
        clf = SKLearnClassifier()
        params = clf.get_params(deep=True)
        self.assertEqual(params["model__hidden_layer_sizes"], (100,))
        self.assertIn("model__activation", params)
        self.assertAllClose(params["optimizer__learning_rate"], 1e-3)
        shallow = clf.get_params(deep=False)
        self.assertNotIn("model__hidden_layer_sizes", shallow)

    def test_callable_params_listed(self):
        params = SKLearnClassifier(model=build_units).get_params()
        self.assertEqual(params["model__units"], 16)
        self.assertNotIn("model__X", params)
        self.assertNotIn("model__y", params)

    def test_model_kwargs_listed(self):
        clf = SKLearnClassifier(
            model=dynamic_model,
            model_kwargs={"loss": "categorical_crossentropy"},
        )
        params = clf.get_params()
        self.assertEqual(params["model__loss"], "categorical_crossentropy")
        self.assertEqual(params["model__layers"], [10])

    @pytest.mark.requires_trainable_backend
    def test_set_params_then_clone(self):
        X, y = blobs()
        clf = SKLearnClassifier(model=build_units, epochs=1)
        self.assertIs(clf.set_params(model__units=8), clf)
        cloned = clone(clf)
        self.assertEqual(cloned.get_params()["model__units"], 8)
        self.assertEqual(cloned.get_params(deep=False)["model__units"], 8)
        cloned.fit(X, y)
        self.assertEqual(cloned.model_.get_layer("hidden").units, 8)

    @pytest.mark.requires_trainable_backend
    def test_routed_params_reach_model_and_optimizer(self):
        X, y = blobs()
        clf = SKLearnClassifier(
            model__hidden_layer_sizes=(5, 3),
            optimizer="sgd",
            optimizer__learning_rate=0.02,
            epochs=1,
        )
        clf.fit(X, y)
        hidden = [w.units for w in clf.model_.layers if isinstance(w, Dense)]
        self.assertEqual(hidden, [5, 3, 3])
        self.assertIsInstance(clf.model_.optimizer, optimizers.SGD)
        self.assertAllClose(clf.model_.optimizer.learning_rate, 0.02)

    @parameterized.named_parameters(
        ("default_network", None, "model__nope"),
        ("callable", build_units, "model__nope"),
        ("optimizer", None, "optimizer__nope"),
    )
    def test_unknown_routed_param_raises_at_fit(self, model, name):
        X, y = blobs()
        clf = SKLearnClassifier(model=model, epochs=1, **{name: 1})
        with self.assertRaisesRegex(ValueError, name):
            clf.fit(X, y)
        self.assertFalse(hasattr(clf, "model_"))

    @parameterized.named_parameters(
        ("classifier", SKLearnClassifier),
        ("regressor", SKLearnRegressor),
        ("transformer", SKLearnTransformer),
    )
    def test_unknown_plain_kwarg_raises(self, cls):
        X, y = blobs()
        # Raised at construction or, as scikit-learn validates parameters,
        # at the latest when fitting.
        with self.assertRaisesRegex(TypeError, "bogus"):
            cls(bogus=1, epochs=1, **SMALL).fit(X, y)


@pytest.mark.requires_trainable_backend
class ClassifierTest(testing.TestCase):
    @parameterized.named_parameters(
        ("str", np.array(["cat", "dog", "eel"]), "U"),
        ("bool", np.array([True, False, True]), "b"),
        ("int", np.array([10, -3, 7]), "i"),
        ("object_str", np.array(["x", "y", "z"], dtype=object), "O"),
    )
    def test_label_types(self, label_values, kind):
        X, y = blobs()
        labels = label_values[y]
        clf = SKLearnClassifier(epochs=10, **FAST).fit(X, labels)
        predictions = clf.predict(X)
        self.assertEqual(predictions.dtype.kind, kind)
        self.assertEqual(predictions.shape, (60,))
        self.assertContainsSubset(set(predictions), set(clf.classes_))
        self.assertEqual(list(clf.classes_), list(np.unique(labels)))
        # Labels are decoded the way they were encoded: the fit learns.
        self.assertGreaterEqual(clf.score(X, labels), 0.8)

    @parameterized.named_parameters(
        ("number_and_bool", [3, True] * 30, "mixes label types"),
        ("str_and_number", ["a", 1] * 30, "mixes label types"),
        ("none", ["a", "b", None] * 20, "missing labels"),
        ("nan", [1.0, 2.0, np.nan] * 20, "missing labels"),
    )
    def test_bad_labels(self, labels, message):
        # Checked as given: an array would turn `True` into the class 1.
        X, _ = blobs()
        clf = SKLearnClassifier(epochs=1, **SMALL)
        with self.assertRaisesRegex(ValueError, message):
            clf.fit(X, labels)
        self.assertFalse(hasattr(clf, "model_"))

    def test_object_and_categorical_labels(self):
        X, y = blobs(n_classes=2)
        numbers = np.array([10, 20], dtype=object)[y]
        clf = SKLearnClassifier(epochs=1, **SMALL).fit(X, numbers)
        self.assertEqual(clf.classes_.dtype.kind, "i")
        self.assertAllEqual(clf.classes_, [10, 20])
        flags = pd.Series(y.astype(bool), dtype="category")
        clf = SKLearnClassifier(epochs=1, **SMALL).fit(X, flags)
        self.assertAllEqual(clf.classes_, [False, True])
        self.assertEqual(clf.predict(X).dtype.kind, "b")

    @parameterized.named_parameters(
        ("one_sigmoid_unit", build_sigmoid),
        ("two_softmax_units", build_softmax),
    )
    def test_binary(self, model):
        X, y = blobs(n_classes=2)
        labels = np.array(["no", "yes"])[y]
        clf = SKLearnClassifier(model=model, epochs=10, random_state=0)
        clf.fit(X, labels)
        decision = clf.decision_function(X)
        proba = clf.predict_proba(X)
        predictions = clf.predict(X)
        self.assertEqual(decision.shape, (60,))
        self.assertEqual(proba.shape, (60, 2))
        self.assertAllClose(proba.sum(axis=1), np.ones(60))
        self.assertTrue(np.all((proba >= 0) & (proba <= 1)))
        self.assertAllEqual(
            predictions, clf.classes_[(decision > 0).astype(int)]
        )
        self.assertAllEqual(predictions, clf.classes_[np.argmax(proba, axis=1)])
        self.assertGreaterEqual(clf.score(X, labels), 0.8)
        # Probability outputs are passed through as they are.
        raw = np.asarray(clf.model_.predict_on_batch(X), dtype="float64")
        if raw.shape[1] == 1:
            self.assertAllClose(proba[:, 1], raw[:, 0], atol=1e-6)
        else:
            self.assertAllClose(proba, raw, atol=1e-6)

    def test_binary_one_logit_unit(self):
        X, y = blobs(n_classes=2)
        clf = SKLearnClassifier(
            model=build_logits,
            model_kwargs={"units": 1},
            loss=losses.BinaryCrossentropy(from_logits=True),
            optimizer__learning_rate=0.05,
            epochs=10,
            random_state=0,
        ).fit(X, y)
        raw = np.asarray(clf.model_.predict_on_batch(X), dtype="float64")
        self.assertEqual(raw.shape, (60, 1))
        self.assertAllClose(clf.decision_function(X), raw[:, 0], atol=1e-5)
        proba = clf.predict_proba(X)
        self.assertAllClose(proba[:, 1], 1 / (1 + np.exp(-raw[:, 0])))
        self.assertAllClose(proba.sum(axis=1), np.ones(60))
        self.assertGreaterEqual(clf.score(X, y), 0.8)

    @parameterized.named_parameters(
        ("sparse_str", "sparse_categorical_crossentropy"),
        ("one_hot_str", "categorical_crossentropy"),
        ("sparse_obj", losses.SparseCategoricalCrossentropy()),
    )
    def test_sparse_and_one_hot_losses(self, loss):
        X, y = blobs()
        clf = SKLearnClassifier(
            model=build_softmax,
            model_kwargs={"loss": loss},
            epochs=10,
            random_state=0,
        )
        clf.fit(X, y)
        proba = clf.predict_proba(X)
        self.assertEqual(proba.shape, (60, 3))
        self.assertAllClose(proba.sum(axis=1), np.ones(60))
        self.assertGreaterEqual(clf.score(X, y), 0.8)

    @parameterized.named_parameters(
        ("loss_parameter", False),
        ("compiled_model", True),
    )
    def test_logits_model(self, compiled):
        X, y = blobs()
        if compiled:
            clf = SKLearnClassifier(
                model=build_logits,
                model_kwargs={"compiled": True},
                epochs=10,
                random_state=0,
            )
        else:
            clf = SKLearnClassifier(
                model=build_logits,
                loss=losses.SparseCategoricalCrossentropy(from_logits=True),
                optimizer__learning_rate=0.05,
                epochs=10,
                random_state=0,
            )
        clf.fit(X, y)
        proba = clf.predict_proba(X)
        self.assertAllClose(proba.sum(axis=1), np.ones(60))
        self.assertTrue(np.all((proba >= 0) & (proba <= 1)))
        self.assertAllEqual(
            clf.predict(X), clf.classes_[np.argmax(proba, axis=1)]
        )
        logits = np.asarray(clf.model_.predict_on_batch(X), dtype="float64")
        self.assertAllClose(proba, softmax(logits), atol=1e-5)
        self.assertGreaterEqual(clf.score(X, y), 0.8)

    def test_multilabel(self):
        rng = np.random.RandomState(0)
        X = rng.normal(size=(60, 4)).astype("float32")
        Y = (X[:, :3] > 0).astype(int)
        clf = SKLearnClassifier(epochs=10, **FAST).fit(X, Y)
        predictions = clf.predict(X)
        proba = clf.predict_proba(X)
        self.assertEqual(predictions.shape, (60, 3))
        self.assertContainsSubset(set(np.unique(predictions)), {0, 1})
        self.assertEqual(proba.shape, (60, 3))
        self.assertTrue(np.all((proba >= 0) & (proba <= 1)))
        self.assertAllEqual(predictions, (proba > 0.5).astype(int))
        self.assertGreaterEqual(np.mean(predictions == Y), 0.8)

    def test_predict_log_proba_and_batch_size(self):
        X, y = blobs()
        clf = SKLearnClassifier(epochs=2, **SMALL).fit(X, y)
        proba = clf.predict_proba(X)
        self.assertAllClose(clf.predict_log_proba(X), np.log(proba))
        self.assertAllEqual(clf.predict(X, batch_size=7), clf.predict(X))
        self.assertAllClose(clf.predict_proba(X, batch_size=7), proba)
        # Batch-wise inference does not mix rows.
        self.assertAllClose(clf.predict_proba(X[:5]), proba[:5])
        self.assertEqual(clf.predict(X[:1]).shape, (1,))
        # Multiclass scores: one column per class, ordered like proba.
        decision = clf.decision_function(X)
        self.assertEqual(decision.shape, (60, 3))
        self.assertAllEqual(
            np.argmax(decision, axis=1), np.argmax(proba, axis=1)
        )

    def test_class_weight(self):
        X, y = noise_labels(weights=(0.8, 0.2))
        plain = SKLearnClassifier(epochs=5, **FAST).fit(X, y)
        baseline = plain.predict_proba(X)[:, 1].mean()
        for class_weight in ("balanced", {0: 1.0, 1: 4.0}):
            weighted = SKLearnClassifier(
                epochs=5, class_weight=class_weight, **FAST
            ).fit(X, y)
            self.assertGreater(
                weighted.predict_proba(X)[:, 1].mean(), baseline + 0.1
            )

    def test_early_stopping(self):
        X, y = noise_labels()
        clf = SKLearnClassifier(
            epochs=100, early_stopping=True, n_iter_no_change=2, **FAST
        ).fit(X, y)
        self.assertLess(clf.n_iter_, 100)
        self.assertLen(clf.history_["loss"], clf.n_iter_)
        self.assertLen(clf.history_["val_loss"], clf.n_iter_)

    def test_early_stopping_refuses_other_validation(self):
        X, y = blobs()
        clf = SKLearnClassifier(early_stopping=True, **SMALL)
        with self.assertRaisesRegex(ValueError, "validation_split"):
            clf.fit(X, y, validation_split=0.2)
        self.assertFalse(hasattr(clf, "model_"))

    def test_early_stopping_with_too_few_rows_to_stratify(self):
        # 15 rows of 3 classes: a 10% hold-out has 2 rows, fewer than the
        # classes, so the split cannot be stratified.
        X, y = blobs(n=15)
        clf = SKLearnClassifier(early_stopping=True, **SMALL).fit(X, y)
        self.assertLen(clf.history_["val_loss"], clf.n_iter_)

    def test_partial_fit(self):
        X, y = blobs()
        clf = SKLearnClassifier(**SMALL)
        first = y < 2  # The first batch lacks class 2.
        with self.assertRaisesRegex(ValueError, "classes"):
            clf.partial_fit(X[first], y[first])
        self.assertFalse(hasattr(clf, "model_"))
        clf.partial_fit(X[first], y[first], classes=np.array([0, 1, 2]))
        self.assertEqual(clf.n_iter_, 1)
        self.assertAllEqual(clf.classes_, [0, 1, 2])
        model = clf.model_
        clf.partial_fit(X, y)
        self.assertEqual(clf.n_iter_, 2)
        clf.partial_fit(X, y)
        self.assertEqual(clf.n_iter_, 3)
        self.assertIs(clf.model_, model)
        self.assertLen(clf.history_["loss"], 3)
        self.assertEqual(clf.predict_proba(X).shape, (60, 3))
        with self.assertRaisesRegex(ValueError, "not in classes_"):
            clf.partial_fit(X[:3], np.array([0, 1, 5]))
        self.assertEqual(clf.n_iter_, 3)

    def test_a_row_predicts_the_same_in_any_call(self):
        # Model.predict's last, smaller batch may round differently.
        X, y = blobs(n=70)
        clf = SKLearnClassifier(epochs=1, **SMALL).fit(X, y)
        proba = clf.predict_proba(X)
        for row in (0, 33, 69):
            single = clf.predict_proba(X[row : row + 1])
            self.assertAllEqual(single[0], proba[row])
        restored = pickle.loads(pickle.dumps(clf))
        self.assertAllEqual(restored.predict_proba(X), proba)

    def test_warm_start_continues(self):
        X, y = blobs()
        clf = SKLearnClassifier(warm_start=True, epochs=2, **FAST)
        clf.fit(X, y)
        first = list(clf.history_["loss"])
        model = clf.model_
        clf.fit(X, y)
        self.assertEqual(clf.n_iter_, 4)
        self.assertLen(clf.history_["loss"], 4)
        self.assertEqual(clf.history_["loss"][:2], first)
        self.assertLess(clf.history_["loss"][2], first[0])
        self.assertIs(clf.model_, model)

    def test_no_warm_start_restarts(self):
        X, y = blobs()
        clf = SKLearnClassifier(warm_start=False, epochs=2, **FAST)
        clf.fit(X, y)
        first = list(clf.history_["loss"])
        model = clf.model_
        clf.fit(X, y)
        self.assertEqual(clf.n_iter_, 2)
        self.assertLen(clf.history_["loss"], 2)
        self.assertIsNot(clf.model_, model)
        # Same seed, same start: the restart repeats the first fit.
        self.assertAllClose(clf.history_["loss"], first)


@pytest.mark.requires_trainable_backend
class RegressorTest(testing.TestCase):
    @parameterized.named_parameters(
        ("1d", None, (60,)),
        ("one_column", 1, (60, 1)),
        ("two_columns", 2, (60, 2)),
    )
    def test_predict_shape_and_score(self, n_outputs, shape):
        X, y = linear(n_outputs=n_outputs)
        reg = SKLearnRegressor(epochs=20, **FAST).fit(X, y)
        predictions = reg.predict(X)
        self.assertEqual(predictions.shape, shape)
        self.assertEqual(reg.model_.outputs[0].shape[-1], n_outputs or 1)
        score = reg.score(X, y)
        self.assertAllClose(score, r2_score(y, predictions))
        metric = R2Score()
        metric.update_state(
            np.reshape(y, (60, -1)).astype("float32"),
            np.reshape(predictions, (60, -1)).astype("float32"),
        )
        self.assertAllClose(metric.result(), score, atol=1e-5, rtol=1e-5)
        # The network learns a linear map in a few epochs.
        self.assertGreater(score, 0.5)

    def test_partial_fit(self):
        X, y = linear()
        reg = SKLearnRegressor(**SMALL)
        reg.partial_fit(X, y)
        reg.partial_fit(X, y)
        self.assertEqual(reg.n_iter_, 2)
        self.assertEqual(reg.predict(X).shape, (60,))


@pytest.mark.requires_trainable_backend
class TransformerTest(testing.TestCase):
    def test_autoencoder_without_y(self):
        X, _ = blobs()
        transformer = SKLearnTransformer(epochs=2, **SMALL)
        features = transformer.fit_transform(X)
        self.assertEqual(features.shape, (60, 8))
        self.assertEqual(features.dtype, np.float32)
        self.assertAllClose(transformer.transform(X), features)
        # The network reconstructs X.
        self.assertEqual(transformer.model_.outputs[0].shape[-1], 4)
        names = transformer.get_feature_names_out()
        self.assertLen(names, 8)
        self.assertLen(set(names), 8)
        transformer.set_output(transform="pandas")
        frame = transformer.transform(X)
        self.assertIsInstance(frame, pd.DataFrame)
        self.assertEqual(list(frame.columns), list(names))
        self.assertAllClose(frame.to_numpy(), features)

    @parameterized.named_parameters(
        ("layer_name", "code"),
        ("layer_index", 1),
    )
    def test_feature_layer_of_user_model(self, feature_layer):
        X, _ = blobs()
        transformer = SKLearnTransformer(
            model=build_autoencoder,
            model_kwargs={"code_units": 3},
            feature_layer=feature_layer,
            epochs=2,
            random_state=0,
        )
        features = transformer.fit(X).transform(X)
        self.assertEqual(features.shape, (60, 3))
        # tanh units.
        self.assertTrue(np.all(np.abs(features) <= 1))
        self.assertLen(transformer.get_feature_names_out(), 3)

    def test_user_model_without_feature_layer_returns_output(self):
        X, _ = blobs()
        transformer = SKLearnTransformer(
            model=build_autoencoder, epochs=1, random_state=0
        ).fit(X)
        features = transformer.transform(X)
        self.assertEqual(features.shape, (60, 4))
        self.assertAllClose(
            features, transformer.model_.predict_on_batch(X), atol=1e-6
        )

    def test_fit_with_labels(self):
        X, y = blobs()
        labels = np.array(["a", "b", "c"])[y]
        transformer = SKLearnTransformer(
            epochs=2, model__hidden_layer_sizes=(8, 5), random_state=0
        )
        features = transformer.fit(X, labels).transform(X)
        # The last hidden layer of the default network.
        self.assertEqual(features.shape, (60, 5))
        # A classification head: one unit per class.
        self.assertEqual(transformer.model_.outputs[0].shape[-1], 3)

    def test_fit_with_continuous_y(self):
        X, y = linear()
        transformer = SKLearnTransformer(epochs=2, **SMALL)
        self.assertEqual(transformer.fit_transform(X, y).shape, (60, 8))
        self.assertEqual(transformer.model_.outputs[0].shape[-1], 1)


class ErrorsTest(testing.TestCase):
    @parameterized.named_parameters(
        ("classifier", SKLearnClassifier),
        ("regressor", SKLearnRegressor),
        ("transformer", SKLearnTransformer),
    )
    @pytest.mark.requires_trainable_backend
    def test_bad_X(self, cls):
        X, y = blobs()
        bad = X.copy()
        bad[3, 1] = np.nan
        estimator = cls(epochs=1, **SMALL)
        with self.assertRaisesRegex(ValueError, "NaN"):
            estimator.fit(bad, y)
        self.assertFalse(hasattr(estimator, "model_"))
        estimator.fit(X, y)
        method = getattr(estimator, "predict", None) or estimator.transform
        with self.assertRaisesRegex(ValueError, "NaN"):
            method(bad)
        with self.assertRaisesRegex(ValueError, "features"):
            method(X[:, :3])

    def test_single_class(self):
        X, _ = blobs()
        with self.assertRaisesRegex(ValueError, "class"):
            SKLearnClassifier(epochs=1, **SMALL).fit(X, np.ones(60, int))

    def test_sample_weight_errors(self):
        X, y = blobs()
        clf = SKLearnClassifier(epochs=1, **SMALL)
        with self.assertRaisesRegex(ValueError, "zero"):
            clf.fit(X, y, sample_weight=np.zeros(60))
        with self.assertRaisesRegex(ValueError, "class"):
            clf.fit(X, y, sample_weight=(y == 0).astype(float))
        with self.assertRaisesRegex(ValueError, "(?i)negative"):
            clf.fit(X, y, sample_weight=-np.ones(60))
        self.assertFalse(hasattr(clf, "model_"))

    def test_set_params_unknown_plain_name(self):
        with self.assertRaisesRegex(ValueError, "bogus"):
            SKLearnClassifier().set_params(bogus=1)

    def test_continuous_y_to_classifier(self):
        X, y = linear()
        with self.assertRaisesRegex(ValueError, "Unknown label type"):
            SKLearnClassifier(epochs=1, **SMALL).fit(X, y)

    @pytest.mark.requires_trainable_backend
    def test_text_y_to_regressor(self):
        X, _ = linear()
        reg = SKLearnRegressor(epochs=1, **SMALL)
        with self.assertRaisesRegex(
            ValueError, "needs numeric y.*use SKLearnClassifier"
        ):
            reg.fit(X, np.array(["low", "high"] * 30))
        # Text that reads as numbers is taken as numbers.
        reg.fit(X, np.array(["1.5", "-2"] * 30))
        self.assertEqual(reg.predict(X).dtype, np.float64)

    def test_callable_without_X_and_y(self):
        def get_model(meta, units=32):
            return None

        X, y = blobs()
        clf = SKLearnClassifier(model=get_model, epochs=1)
        with self.assertRaisesRegex(TypeError, "must accept.*`X` and `y`"):
            clf.fit(X, y)

    def test_callable_returning_non_model(self):
        X, y = blobs()
        clf = SKLearnClassifier(model=build_not_a_model, epochs=1)
        with self.assertRaisesRegex(TypeError, "keras.Model"):
            clf.fit(X, y)
        self.assertFalse(hasattr(clf, "model_"))

    def test_output_width_mismatch(self):
        X, y = blobs()
        clf = SKLearnClassifier(model=build_five_units, epochs=1)
        with self.assertRaisesRegex(ValueError, "units"):
            clf.fit(X, y)
        reg = SKLearnRegressor(model=build_five_units, epochs=1)
        with self.assertRaisesRegex(ValueError, "units"):
            reg.fit(*linear())

    @parameterized.named_parameters(
        ("predict", SKLearnClassifier, "predict"),
        ("predict_proba", SKLearnClassifier, "predict_proba"),
        ("decision_function", SKLearnClassifier, "decision_function"),
        ("predict_log_proba", SKLearnClassifier, "predict_log_proba"),
        ("regressor_predict", SKLearnRegressor, "predict"),
        ("transform", SKLearnTransformer, "transform"),
    )
    def test_not_fitted(self, cls, method):
        X, _ = blobs()
        with self.assertRaises(NotFittedError):
            getattr(cls(), method)(X)


@pytest.mark.requires_trainable_backend
class StateTest(testing.TestCase):
    def test_params_not_mutated_by_fit(self):
        X, y = blobs()
        callback = CountingCallback()
        callbacks = [callback]
        fit_kwargs = {"shuffle": True}
        clf = SKLearnClassifier(
            epochs=3,
            callbacks=callbacks,
            fit_kwargs=fit_kwargs,
            early_stopping=True,
            n_iter_no_change=1,
            class_weight="balanced",
            **SMALL,
        )
        before = clf.get_params(deep=False)
        before_hash = joblib.hash(
            {k: v for k, v in before.items() if k != "callbacks"}
        )
        clf.fit(X, y)
        after = clf.get_params(deep=False)
        self.assertEqual(
            joblib.hash({k: v for k, v in after.items() if k != "callbacks"}),
            before_hash,
        )
        self.assertIs(after["callbacks"], callbacks)
        self.assertEqual(callbacks, [callback])
        self.assertEqual(fit_kwargs, {"shuffle": True})
        self.assertGreater(callback.epochs, 0)

    def test_inputs_not_modified(self):
        X, y = blobs()
        labels = np.array(["a", "b", "c"])[y]
        rng = np.random.RandomState(0)
        # float32 weights can reach the network without a copy.
        weights = rng.uniform(0.5, 2.0, size=60).astype("float32")
        copies = X.copy(), labels.copy(), weights.copy()
        SKLearnClassifier(epochs=1, class_weight="balanced", **SMALL).fit(
            X, labels, sample_weight=weights
        )
        self.assertAllEqual(X, copies[0])
        self.assertAllEqual(labels, copies[1])
        self.assertAllEqual(weights, copies[2])

    def test_fitted_attributes(self):
        X, y = blobs()
        clf = SKLearnClassifier(epochs=3, metrics=["accuracy"], **SMALL)
        self.assertFalse(hasattr(clf, "model_"))
        clf.fit(X, y)
        self.assertIsInstance(clf.model_, Model)
        self.assertIsInstance(clf.history_, dict)
        self.assertEqual(clf.n_iter_, 3)
        self.assertLen(clf.history_["loss"], clf.n_iter_)
        self.assertLen(clf.history_["accuracy"], clf.n_iter_)
        self.assertEqual(clf.n_features_in_, 4)
        self.assertFalse(hasattr(clf, "feature_names_in_"))

    def test_feature_names_from_dataframe(self):
        X, y = blobs()
        frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
        clf = SKLearnClassifier(epochs=1, **SMALL).fit(frame, y)
        self.assertAllEqual(clf.feature_names_in_, ["a", "b", "c", "d"])
        self.assertEqual(clf.n_features_in_, 4)
        self.assertAllClose(clf.predict_proba(frame), clf.predict_proba(X))


@pytest.mark.requires_trainable_backend
class DeterminismTest(testing.TestCase):
    def test_same_random_state_same_fit(self):
        X, y = blobs()
        params = {**SMALL, "model__dropout": 0.2, "epochs": 2}
        first = SKLearnClassifier(**params).fit(X, y).predict_proba(X)
        second = SKLearnClassifier(**params).fit(X, y).predict_proba(X)
        self.assertAllClose(first, second, atol=0, rtol=0)
        params["random_state"] = 1
        other = SKLearnClassifier(**params).fit(X, y).predict_proba(X)
        self.assertNotAllClose(first, other)

    def test_random_state_instance(self):
        X, y = blobs()
        params = {**SMALL, "epochs": 1}
        params["random_state"] = np.random.RandomState(3)
        first = SKLearnClassifier(**params).fit(X, y).predict_proba(X)
        params["random_state"] = np.random.RandomState(3)
        second = SKLearnClassifier(**params).fit(X, y).predict_proba(X)
        self.assertAllClose(first, second, atol=0, rtol=0)

    @pytest.mark.skipif(
        not hasattr(seed_generator, "set_default_seed_source"),
        reason="A seeded fit leaves the process's random state alone only "
        "with the Keras fix 'random: let a thread draw default seeds from a "
        "source of its own'; without it, it seeds the "
        "process as keras.utils.set_random_seed does.",
    )
    def test_global_random_state_unchanged(self):
        X, y = blobs()
        np.random.seed(1234)
        random.seed(1234)
        numpy_state = np.random.get_state()
        python_state = random.getstate()
        SKLearnClassifier(epochs=1, **SMALL).fit(X, y)
        after = np.random.get_state()
        self.assertEqual(after[0], numpy_state[0])
        self.assertAllEqual(after[1], numpy_state[1])
        self.assertEqual(after[2:], numpy_state[2:])
        self.assertEqual(random.getstate(), python_state)


class MetadataRoutingTest(testing.TestCase):
    @pytest.mark.requires_trainable_backend
    def test_pipeline_step_param_without_routing(self):
        X, y = noise_labels()
        weights = np.where(y == 0, 20.0, 1.0)
        pipe = make_pipeline(StandardScaler(), SKLearnClassifier(**FAST))
        pipe.set_params(sklearnclassifier__epochs=5)
        pipe.fit(X, y)
        unweighted = pipe.predict_proba(X)[:, 0].mean()
        pipe.fit(X, y, sklearnclassifier__sample_weight=weights)
        weighted = pipe.predict_proba(X)[:, 0].mean()
        self.assertGreater(weighted, 0.7)
        self.assertGreater(weighted, unweighted + 0.1)


@pytest.mark.requires_trainable_backend
class VerbosityTest(testing.TestCase):
    def fit_and_capture(self, **params):
        X, y = blobs()
        output = io.StringIO()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with contextlib.redirect_stdout(output):
                clf = SKLearnClassifier(
                    model__hidden_layer_sizes=(8,), epochs=2, **params
                )
                clf.fit(X, y).predict_proba(X)
        ours = [
            w
            for w in caught
            if os.sep + os.path.join("keras", "src", "wrappers") in w.filename
        ]
        return output.getvalue(), ours

    def test_silent_by_default(self):
        printed, warned = self.fit_and_capture()
        self.assertEqual(printed, "")
        self.assertEqual(warned, [])

    def test_progress_bar_when_asked(self):
        printed, warned = self.fit_and_capture(verbose=1)
        self.assertIn("Epoch 2/2", printed)
        self.assertEqual(warned, [])


def two_heads(X, y, widths=(2, 1)):
    """A regression network with one head per width."""
    inputs = Input((X.shape[1],))
    hidden = Dense(16, activation="relu")(inputs)
    return Model(inputs, [Dense(width)(hidden) for width in widths])


def head_per_column(X, y):
    """A classification network with one softmax head per column of y."""
    inputs = Input((X.shape[1],))
    hidden = Dense(16, activation="relu")(inputs)
    heads = [Dense(t.shape[1], activation="softmax")(hidden) for t in y]
    return Model(inputs, heads)


def two_label_columns(n=120, seed=0):
    """Two columns of string labels, each with its own label set."""
    X, y = blobs(n=n, n_classes=3, seed=seed)
    colours = np.array(["red", "green", "blue"])[y]
    sizes = np.where(X[:, 1] > np.median(X[:, 1]), "big", "small")
    return X, np.column_stack([colours, sizes])


FAST_USER_MODEL = {
    "optimizer": "adam",
    "optimizer__learning_rate": 0.05,
    "random_state": 0,
}


@pytest.mark.requires_trainable_backend
class MultiOutputTest(testing.TestCase):
    def test_regressor_cuts_y_across_the_heads_in_order(self):
        X, Y = linear(n=120, n_outputs=3)
        reg = SKLearnRegressor(model=two_heads, epochs=30, **FAST_USER_MODEL)
        scores = cross_val_score(reg, X, Y, cv=2)
        self.assertGreater(scores.min(), 0.5)
        reg.fit(X, Y)
        heads = reg.model_.predict(X, verbose=0)
        self.assertAllClose(reg.predict(X), np.hstack(heads), atol=1e-6)
        restored = pickle.loads(pickle.dumps(reg))
        self.assertAllEqual(restored.predict(X), reg.predict(X))

    def test_regressor_heads_must_add_up_to_the_columns(self):
        X, Y = linear(n_outputs=2)
        reg = SKLearnRegressor(model=two_heads, epochs=1)
        with self.assertRaisesRegex(
            ValueError, r"widths \[2, 1\], 3 columns.*y has 2 column"
        ):
            reg.fit(X, Y)

    @parameterized.named_parameters(
        ("default_network", None), ("user_heads", head_per_column)
    )
    def test_classifier_with_two_columns_of_string_labels(self, model):
        X, Y = two_label_columns()
        fast = FAST if model is None else FAST_USER_MODEL
        clf = SKLearnClassifier(model=model, epochs=30, **fast)
        scores = cross_val_score(clf, X, Y, cv=2)
        self.assertGreater(scores.min(), 0.7)
        clf.fit(X, Y)
        self.assertLen(clf.model_.outputs, 2)
        self.assertAllEqual(clf.classes_[0], ["blue", "green", "red"])
        self.assertAllEqual(clf.classes_[1], ["big", "small"])
        labels = clf.predict(X)
        self.assertEqual(labels.shape, (len(X), 2))
        self.assertTrue(set(labels[:, 1]) <= {"big", "small"})
        proba = clf.predict_proba(X)
        self.assertEqual([p.shape for p in proba], [(len(X), 3), (len(X), 2)])
        # Each column's label is its own head's most probable class.
        for j, (p, classes) in enumerate(zip(proba, clf.classes_)):
            self.assertAllClose(p.sum(axis=1), np.ones(len(X)))
            self.assertAllEqual(labels[:, j], classes[p.argmax(axis=1)])
        # Scored as scikit-learn's `MultiOutputClassifier` scores: the
        # share of rows with every column right.
        self.assertEqual(clf.score(X, Y), np.mean(np.all(labels == Y, axis=1)))
        restored = pickle.loads(pickle.dumps(clf))
        self.assertAllEqual(restored.predict(X), labels)

    def test_class_weight_per_column(self):
        X, y = noise_labels(n=120, weights=(0.8, 0.2))
        Y = np.column_stack([y, np.arange(120) % 3])
        per_column = [{0: 1.0, 1: 4.0}, {0: 1.0, 1: 1.0, 2: 1.0}]
        plain = SKLearnClassifier(epochs=5, **FAST).fit(X, Y)
        weighted = SKLearnClassifier(
            epochs=5, class_weight=per_column, **FAST
        ).fit(X, Y)
        # Only the first column's minority class gained weight.
        gain = [
            w[:, 1].mean() - p[:, 1].mean()
            for w, p in zip(weighted.predict_proba(X), plain.predict_proba(X))
        ]
        self.assertGreater(gain[0], 0.1)
        self.assertLess(abs(gain[1]), 0.15)
        with self.assertRaisesRegex(ValueError, "class_weight"):
            SKLearnClassifier(class_weight=per_column[:1], **SMALL).fit(X, Y)

    def test_classifier_heads_must_match_the_columns(self):
        X, Y = two_label_columns()
        clf = SKLearnClassifier(model=two_heads, epochs=1)
        with self.assertRaisesRegex(
            ValueError, r"widths \[2, 1\].*\[3, 2\] classes: head 0"
        ):
            clf.fit(X, Y)
        single = SKLearnClassifier(model=_mlp(4, 8, 3, "softmax"), epochs=1)
        with self.assertRaisesRegex(ValueError, "1 output head.*2 columns"):
            single.fit(X, Y)

    def test_dict_heads_with_early_stopping_and_sample_weights(self):
        X, Y = linear(n=120, n_outputs=3)

        def dict_heads(X, y):
            inputs = Input((X.shape[1],))
            hidden = Dense(8, activation="relu")(inputs)
            # Sorted by name: "a" takes the first two columns, "b" the last.
            return Model(inputs, {"b": Dense(1)(hidden), "a": Dense(2)(hidden)})

        weights = np.random.RandomState(0).uniform(0.5, 2.0, size=len(X))
        for settings in (
            {"early_stopping": True},
            {"fit_kwargs": {"validation_split": 0.2}},
        ):
            reg = SKLearnRegressor(
                model=dict_heads, epochs=3, random_state=0, **settings
            ).fit(X, Y, sample_weight=weights)
            self.assertIn("val_a_loss", reg.history_)
            heads = reg.model_.predict(X, verbose=0)
            self.assertAllClose(
                reg.predict(X), np.hstack([heads["a"], heads["b"]]), atol=1e-6
            )

    def test_losses_by_output_name_reach_their_heads(self):
        X, Y = two_label_columns()

        def named_heads(X, y):
            inputs = Input((X.shape[1],))
            hidden = Dense(8, activation="relu")(inputs)
            size = Dense(2, activation="softmax", name="size")(hidden)
            colour = Dense(3, activation="softmax", name="colour")(hidden)
            # A list of heads whose names sort the other way round.
            model = Model(inputs, [size, colour])
            model.compile(
                optimizer="adam",
                loss={
                    "colour": "sparse_categorical_crossentropy",
                    "size": "categorical_crossentropy",
                },
            )
            return model

        clf = SKLearnClassifier(model=named_heads, epochs=2, random_state=0)
        clf.fit(X, Y[:, ::-1])
        self.assertEqual(
            [column.representation for column in clf.target_encoder_.columns],
            ["one_hot", "sparse"],
        )
        self.assertEqual(clf.predict(X).shape, (len(X), 2))

    def test_partial_fit_takes_classes_per_column(self):
        X, Y = two_label_columns()
        numbers = np.column_stack(
            [np.unique(Y[:, 0], return_inverse=True)[1], Y[:, 1] == "big"]
        ).astype(int)
        first = numbers[:, 0] < 2  # A first batch of 0/1 columns.
        clf = SKLearnClassifier(**SMALL)
        clf.partial_fit(X[first], numbers[first], classes=[[0, 1, 2], [0, 1]])
        clf.partial_fit(X, numbers)
        self.assertAllEqual(clf.classes_[0], [0, 1, 2])
        self.assertEqual([p.shape[1] for p in clf.predict_proba(X)], [3, 2])


class ParameterValidationTest(testing.TestCase):
    @parameterized.named_parameters(
        ("epochs", SKLearnClassifier, {"epochs": -1}, ValueError),
        (
            "trainable_layers",
            SKLearnClassifier,
            {"trainable_layers": 0},
            ValueError,
        ),
        ("batch_size", SKLearnClassifier, {"batch_size": "32"}, TypeError),
        ("fraction", SKLearnClassifier, {"validation_fraction": 1}, ValueError),
        (
            "class_weight",
            SKLearnClassifier,
            {"class_weight": "even"},
            ValueError,
        ),
        ("random_state", SKLearnClassifier, {"random_state": -1}, ValueError),
        (
            "feature_layer",
            SKLearnTransformer,
            {"feature_layer": 1.5},
            TypeError,
        ),
    )
    def test_invalid_parameter_fails_fit_not_init(self, cls, params, error):
        # Created and cloned without complaint; refused by `fit`, before
        # any training, with the parameter's name.
        estimator = cls(**params)
        X = np.zeros((4, 2), dtype="float32")
        y = np.array([0, 1, 0, 1])
        with self.assertRaisesRegex(error, f"`{next(iter(params))}`"):
            estimator.fit(X, y)
        self.assertFalse(hasattr(estimator, "model_"))


def build_linear_sgd(X, y):
    model = Sequential([Input((X.shape[1],)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


@pytest.mark.requires_trainable_backend
class SampleWeightTest(testing.TestCase):
    def test_weight_k_trains_like_k_copies(self):
        # With the whole data in one batch, a weight of k and k copies of
        # the row give the same gradient. Keras divides a batch's weighted
        # loss by its number of rows, so this needs the weights scaled to a
        # mean of 1: unscaled, plain SGD would take steps 1.75 times as long.
        rng = np.random.RandomState(0)
        X = rng.normal(size=(8, 3)).astype("float32")
        y = X @ np.array([1.0, -2.0, 0.5], dtype="float32")
        weights = np.array([0, 1, 2, 3, 0, 4, 1, 3])
        params = {"model": build_linear_sgd, "epochs": 5, "batch_size": 64}
        weighted = SKLearnRegressor(random_state=0, **params)
        weighted.fit(X, y, sample_weight=weights)
        repeated = SKLearnRegressor(random_state=0, **params)
        repeated.fit(np.repeat(X, weights, axis=0), np.repeat(y, weights))
        self.assertAllClose(
            weighted.predict(X), repeated.predict(X), rtol=1e-5, atol=1e-5
        )


def small_table(n_rows=40):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(n_rows, 3))
    return X, (X[:, 0] > 0).astype(int)


TINY = {"model__hidden_layer_sizes": (4,), "epochs": 1, "random_state": 0}
TOO_LARGE = r"too large for dtype\('float32'\)"


def digit_images(n_rows=400):
    X, y = load_digits(return_X_y=True)
    return (X[:n_rows] / 16).reshape(-1, 8, 8, 1), y[:n_rows]


def build_cnn(X, y, filters=8):
    images = Input(X.shape[1:])
    features = Conv2D(filters, 3, activation="relu")(images)
    features = Flatten()(features)
    outputs = Dense(y.shape[1], activation="softmax")(features)
    return Model(images, outputs)


def build_gru(X, y):
    steps = Input(X.shape[1:])
    outputs = Dense(y.shape[1], activation="softmax")(GRU(8)(steps))
    return Model(steps, outputs)


def build_conv1d(X, y):
    steps = Input(X.shape[1:])
    features = GlobalAveragePooling1D()(Conv1D(8, 3)(steps))
    return Model(steps, Dense(y.shape[1])(features))


def build_parity_embedding(X, y):
    # Token ids above 2**24, whose parity float32 cannot represent.
    ids = Input(X.shape[1:], dtype="int32")
    parity = Embedding(2, 4)(ops.mod(ids, 2))
    outputs = Dense(y.shape[1], activation="softmax")(Flatten()(parity))
    return Model(ids, outputs)


def build_image_and_table(X, y):
    image = Input(X["image"].shape[1:], name="image")
    table = Input(X["table"].shape[1:], name="table")
    features = Concatenate()([Flatten()(image), table])
    hidden = Dense(16, activation="relu")(features)
    outputs = Dense(y.shape[1], activation="softmax")(hidden)
    return Model({"image": image, "table": table}, outputs)


# Few epochs, so a higher learning rate than Adam's default.
FAST_ANY_DATA = {"optimizer__learning_rate": 0.01, "random_state": 0}


@pytest.mark.requires_trainable_backend
class InputsTest(testing.TestCase):
    def test_values_float32_cannot_hold_are_refused(self):
        X, y = small_table()
        large = X.copy()
        large[5, 1] = 1e39
        for form in (large, scipy.sparse.csr_matrix(large)):
            with self.assertRaisesRegex(ValueError, TOO_LARGE):
                SKLearnClassifier(**TINY).fit(form, y)
        clf = SKLearnClassifier(**TINY).fit(X, y)
        with self.assertRaisesRegex(ValueError, TOO_LARGE):
            clf.predict(large)
        with self.assertRaisesRegex(ValueError, "Input X contains NaN"):
            clf.predict(np.where(large > 1e38, np.nan, large))

    def test_text_in_X_gets_an_actionable_error(self):
        X, y = small_table()
        text = X.astype(str)
        with self.assertRaisesRegex(ValueError, "holds text.*OneHotEncoder"):
            SKLearnClassifier(**TINY).fit(text, y)
        clf = SKLearnClassifier(**TINY).fit(X, y)
        with self.assertRaisesRegex(ValueError, "holds text"):
            clf.predict(text)

    def test_text_into_a_model_that_takes_strings(self):
        colors = np.array(["red", "green", "blue", "grey"])
        X = colors[np.random.RandomState(0).randint(0, 4, size=(96, 1))]
        y = np.isin(X[:, 0], ["red", "grey"]).astype(int)

        def build(X, y):
            inputs = Input(shape=(1,), dtype="string")
            lookup = StringLookup(vocabulary=colors, output_mode="one_hot")
            outputs = Dense(2, activation="softmax")(lookup(inputs))
            return Model(inputs, outputs)

        clf = SKLearnClassifier(
            model=build,
            epochs=20,
            optimizer="adam",
            optimizer__learning_rate=0.1,
            random_state=0,
        )
        if backend.backend() != "tensorflow":
            with self.assertRaisesRegex(ValueError, "string.*TensorFlow"):
                clf.fit(X, y)
            return
        # NumPy `str_`, and a pandas column of Python strings.
        frame = pd.DataFrame({"color": X[:, 0].astype(object)})
        self.assertGreater(cross_val_score(clf, frame, y, cv=3).min(), 0.95)
        clf.fit(X, y)
        self.assertAllEqual(clf.predict(colors[:, None]), [1, 0, 0, 1])

    def test_every_form_of_the_same_rows_predicts_the_same(self):
        X, y = small_table()
        clf = SKLearnClassifier(**TINY).fit(X, y)
        expected = clf.predict_proba(X)
        path = self.get_temp_dir() + "/x.npy"
        np.save(path, X)
        for form in (
            X.astype("float32"),
            X.tolist(),
            scipy.sparse.csr_matrix(X),
            np.load(path, mmap_mode="r"),
        ):
            self.assertAllClose(clf.predict_proba(form), expected, atol=1e-6)

    def test_dict_inputs_are_checked_by_name(self):
        X = InputDict(image=np.zeros((40, 4, 4, 1)), table=small_table()[0])
        y = small_table()[1]
        clf = SKLearnClassifier(
            model=build_image_and_table, epochs=1, random_state=0
        )
        bad = InputDict(X, image=np.full((40, 4, 4, 1), np.nan))
        with self.assertRaisesRegex(ValueError, r"X\['image'\] contains NaN"):
            clf.fit(bad, y)
        clf.fit(X, y)
        self.assertFalse(hasattr(clf, "n_features_in_"))
        with self.assertRaisesRegex(
            ValueError, r"Input 'image' of X has rows of shape \(4, 4\)"
        ):
            clf.predict(InputDict(X, image=np.zeros((40, 4, 4))))
        with self.assertRaisesRegex(ValueError, "fitted on a dict of inputs"):
            clf.predict(X["table"])

    def test_image_cnn_in_a_grid_search(self):
        X, y = digit_images()
        search = GridSearchCV(
            SKLearnClassifier(model=build_cnn, epochs=5, **FAST_ANY_DATA),
            {"model__filters": [4, 8]},
            cv=2,
        ).fit(X, y)
        self.assertGreater(search.best_score_, 0.5)  # Chance is 0.1.
        self.assertEqual(search.best_estimator_.input_shape_, (8, 8, 1))
        self.assertEqual(search.best_estimator_.n_features_in_, 8)
        with self.assertRaisesRegex(
            ValueError, r"rows of shape \(64,\).*rows of shape \(8, 8, 1\)"
        ):
            search.predict(X.reshape(len(X), -1))

    def test_gru_sequence_classifier_in_cross_val_score(self):
        rng = np.random.RandomState(0)
        X = rng.normal(size=(300, 12, 3)).astype("float32")
        y = (X[:, :, 0].sum(axis=1) > 0).astype(int)
        scores = cross_val_score(
            SKLearnClassifier(model=build_gru, epochs=10, **FAST_ANY_DATA),
            X,
            y,
            cv=2,
        )
        self.assertGreater(scores.min(), 0.75)

    def test_conv1d_regressor(self):
        rng = np.random.RandomState(0)
        X = rng.normal(size=(300, 10, 2)).astype("float32")
        y = X[:, :, 0].mean(axis=1)
        regressor = SKLearnRegressor(
            model=build_conv1d, epochs=20, random_state=0
        ).fit(X, y)
        self.assertGreater(regressor.score(X, y), 0.8)
        self.assertEqual(regressor.predict(X[:3]).shape, (3,))

    def test_integer_ids_reach_the_model_as_integers(self):
        ids = np.random.RandomState(0).randint(2**24, 2**25, size=(200, 1))
        parity = ids[:, 0] % 2
        classifier = SKLearnClassifier(
            model=build_parity_embedding, epochs=10, random_state=0
        ).fit(ids, parity)
        self.assertEqual(classifier.score(ids, parity), 1.0)
        # Through float32, odd ids above 2**24 round to even ones.
        self.assertLess(classifier.score(ids.astype("float32"), parity), 0.6)

    def test_tfidf_text_pipeline_in_a_search(self):
        rng = np.random.RandomState(0)
        topics = [["goal", "match", "team", "score"], ["vote", "law", "party"]]
        texts, labels = [], []
        for i in range(120):
            words = rng.choice(topics[i % 2], 4).tolist()
            words += rng.choice(["the", "a", "today", "news"], 3).tolist()
            texts.append(" ".join(rng.permutation(words)))
            labels.append(["sport", "politics"][i % 2])
        pipeline = make_pipeline(
            TfidfVectorizer(),
            SKLearnClassifier(epochs=10, **FAST_ANY_DATA),
        )
        search = GridSearchCV(
            pipeline,
            {"sklearnclassifier__model__hidden_layer_sizes": [(8,), (16,)]},
            cv=2,
        ).fit(texts, labels)
        self.assertGreater(search.best_score_, 0.9)
        sparse = search.best_estimator_[0].transform(texts)
        classifier = search.best_estimator_[-1]
        self.assertAllClose(
            classifier.predict_proba(sparse),
            classifier.predict_proba(sparse.toarray()),
            atol=1e-5,
        )

    def test_sparse_formats_and_files_feed_the_same_batches(self):
        rng = np.random.RandomState(0)
        dense = rng.binomial(1, 0.1, size=(80, 30)) * rng.normal(size=(80, 30))
        y = (dense.sum(axis=1) > 0).astype(int)
        path = self.get_temp_dir() + "/dense.npy"
        np.save(path, dense)
        predictions = [
            SKLearnClassifier(epochs=2, random_state=0)
            .fit(matrix, y)
            .predict_proba(dense)
            for matrix in (
                scipy.sparse.csr_matrix(dense),
                scipy.sparse.csc_array(dense),
                scipy.sparse.coo_matrix(dense),
                np.load(path, mmap_mode="r"),
            )
        ]
        for other in predictions[1:]:
            self.assertAllClose(other, predictions[0], atol=1e-6)

    def test_two_input_model_in_cross_validate(self):
        rng = np.random.RandomState(0)
        X = InputDict(
            image=rng.normal(size=(240, 4, 4, 1)),
            table=rng.normal(size=(240, 3)),
        )
        y = (X["image"].mean(axis=(1, 2, 3)) + X["table"][:, 0] > 0).astype(int)
        results = cross_validate(
            SKLearnClassifier(
                model=build_image_and_table, epochs=10, **FAST_ANY_DATA
            ),
            X,
            y,
            cv=2,
            return_estimator=True,
        )
        self.assertGreater(results["test_score"].min(), 0.75)
        estimator = results["estimator"][0]
        self.assertEqual(
            estimator.input_shape_, {"image": (4, 4, 1), "table": (3,)}
        )
        # A plain dict predicts as well; a missing input is named.
        self.assertLen(estimator.predict(dict(X)), 240)
        with self.assertRaisesRegex(ValueError, r"Missing: \['table'\]"):
            estimator.predict({"image": X["image"]})

    def test_memmap_is_checked_a_chunk_at_a_time(self):
        X, y = digit_images(200)
        X = np.concatenate([X] * 25)  # More rows than one chunk.
        X[-1, 0, 0, 0] = np.nan
        path = self.get_temp_dir() + "/images.npy"
        np.save(path, X)
        with self.assertRaisesRegex(ValueError, "Input X contains NaN"):
            SKLearnClassifier(model=build_cnn).fit(
                np.load(path, mmap_mode="r"), np.concatenate([y] * 25)
            )
        with self.assertRaisesRegex(ValueError, "requires y to be passed"):
            SKLearnClassifier(model=build_cnn).fit(
                np.load(path, mmap_mode="r"), None
            )

    def test_memmap_predicts_batch_by_batch_like_the_array(self):
        X, y = digit_images(200)
        path = self.get_temp_dir() + "/images.npy"
        np.save(path, X)
        on_disk = np.load(path, mmap_mode="r")
        classifier = SKLearnClassifier(
            model=build_cnn, epochs=2, random_state=0
        ).fit(on_disk, y)
        self.assertEqual(classifier.input_shape_, (8, 8, 1))
        self.assertAllClose(
            classifier.predict_proba(on_disk), classifier.predict_proba(X)
        )


def shared_fit_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 6)).astype("float32")
    return X, (X[:, 0] + X[:, 1] > 0).astype(int) + (X[:, 2] > 1)


@pytest.mark.skipif(
    backend.backend() != "jax",
    reason="Only JAX shares compiled functions: TensorFlow's capture the "
    "variables of the model they were traced for, and PyTorch compiles "
    "nothing.",
)
@pytest.mark.requires_trainable_backend
class SharedFunctionsTest(testing.TestCase):
    def fit(self, learning_rate, epochs, seed):
        X, y = shared_fit_data()
        return SKLearnClassifier(
            model__hidden_layer_sizes=(7,),
            optimizer__learning_rate=learning_rate,
            epochs=epochs,
            random_state=seed,
        ).fit(X, y)

    def test_later_fits_train_as_a_fresh_build_bit_for_bit(self):
        X, _ = shared_fit_data()
        shared_functions.CACHE.clear()
        first = self.fit(0.1, 1, seed=0)
        later = self.fit(0.01, 3, seed=1)
        self.assertIs(later.model_.train_function, first.model_.train_function)
        shared_functions.CACHE.clear()
        fresh = self.fit(0.01, 3, seed=1)
        self.assertIsNot(
            fresh.model_.train_function, first.model_.train_function
        )
        self.assertEqual(later.history_["loss"], fresh.history_["loss"])
        self.assertAllClose(
            later.predict_proba(X), fresh.predict_proba(X), atol=0, rtol=0
        )
        # The learning rate is the later fit's own.
        self.assertNotEqual(first.history_["loss"], later.history_["loss"])

    def test_a_changed_lender_lends_nothing(self):
        # Its functions read its steps per call, and its loss and
        # optimizer when traced again.
        for change in ("recompile", "steps"):
            shared_functions.CACHE.clear()
            first = self.fit(0.1, 1, seed=0)
            train_function = first.model_.train_function
            if change == "recompile":
                first.model_.compile(optimizer="sgd", loss="mse")
            else:
                first.model_.steps_per_execution = 1
            later = self.fit(0.1, 1, seed=1)
            self.assertIsNot(later.model_.train_function, train_function)

    def test_predict_function_of_a_dropped_estimator_is_kept(self):
        X, _ = shared_fit_data()
        shared_functions.CACHE.clear()
        first = self.fit(0.1, 1, seed=0)
        first.predict(X)
        predict_function = first.model_.predict_function
        del first
        later = self.fit(0.1, 1, seed=1)
        self.assertIs(later.model_.predict_function, predict_function)
        self.assertEqual(later.predict(X).shape, (120,))
