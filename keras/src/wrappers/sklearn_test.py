"""Tests using Scikit-Learn's bundled estimator_checks."""

import unittest
from contextlib import contextmanager

import numpy as np
import pytest
import sklearn
from packaging.version import parse as parse_version
from sklearn.base import clone
from sklearn.model_selection import cross_validate
from sklearn.utils.estimator_checks import parametrize_with_checks

import keras
from keras.src import testing
from keras.src.backend import floatx
from keras.src.backend import set_floatx
from keras.src.layers import Dense
from keras.src.layers import Input
from keras.src.models import Model
from keras.src.wrappers import SKLearnClassifier
from keras.src.wrappers import SKLearnRegressor
from keras.src.wrappers import SKLearnTransformer


def wrapped_parametrize_with_checks(
    estimators,
    *,
    legacy=True,
    expected_failed_checks=None,
):
    """Wrapped `parametrize_with_checks` handling backwards compat."""
    sklearn_version = parse_version(
        parse_version(sklearn.__version__).base_version
    )

    if sklearn_version >= parse_version("1.6"):
        return parametrize_with_checks(
            estimators,
            legacy=legacy,
            expected_failed_checks=expected_failed_checks,
        )

    def patched_more_tags(estimator, expected_failed_checks):
        import copy

        original_tags = copy.deepcopy(sklearn.utils._tags._safe_tags(estimator))

        def patched_more_tags(self):
            original_tags.update({"_xfail_checks": expected_failed_checks})
            return original_tags

        estimator.__class__._more_tags = patched_more_tags
        return estimator

    estimators = [
        patched_more_tags(estimator, expected_failed_checks(estimator))
        for estimator in estimators
    ]

    # legacy is not supported and ignored
    return parametrize_with_checks(estimators)


def dynamic_model(X, y, loss, out_activation_function="softmax", layers=[10]):
    """Creates a basic MLP classifier dynamically choosing binary/multiclass
    classification loss and output activations.
    """
    n_features_in = X.shape[1]
    inp = Input(shape=(n_features_in,))

    hidden = inp
    for layer_size in layers:
        hidden = Dense(layer_size, activation="relu")(hidden)

    n_outputs = y.shape[1] if len(y.shape) > 1 else 1
    out = [Dense(n_outputs, activation=out_activation_function)(hidden)]
    model = Model(inp, out)
    model.compile(loss=loss, optimizer="rmsprop")

    return model


@contextmanager
def use_floatx(x):
    """Context manager to temporarily
    set the keras backend precision.
    """
    _floatx = floatx()
    set_floatx(x)
    try:
        yield
    finally:
        set_floatx(_floatx)


EXPECTED_FAILED_CHECKS = {
    "SKLearnClassifier": {
        "check_sample_weight_equivalence_on_dense_data": (
            "float32 training matches repeated rows only up to rounding "
            "(about 1 ulp)"
        ),
        "check_sample_weight_equivalence_on_sparse_data": (
            "sparse X is densified batch by batch, so as for dense data: "
            "float32 training matches repeated rows only up to rounding"
        ),
    },
    "SKLearnRegressor": {},
    "SKLearnTransformer": {
        "check_sample_weight_equivalence_on_dense_data": (
            "float32 training matches repeated rows only up to rounding "
            "(about 1 ulp)"
        ),
        "check_sample_weight_equivalence_on_sparse_data": (
            "sparse X is densified batch by batch, so as for dense data: "
            "float32 training matches repeated rows only up to rounding"
        ),
    },
}


def _raised_by_not_implemented(exc):
    """Whether `exc`, or an error it was raised from (scikit-learn's checks
    wrap what `fit` raised), is a backend's `NotImplementedError`."""
    while exc is not None:
        if isinstance(exc, NotImplementedError) or (
            "NotImplementedError" in str(exc)
        ):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


@wrapped_parametrize_with_checks(
    estimators=[
        SKLearnClassifier(
            model=dynamic_model,
            model_kwargs={
                "loss": "categorical_crossentropy",
                "layers": [20, 20, 20],
            },
            fit_kwargs={"epochs": 5},
        ),
        SKLearnRegressor(
            model=dynamic_model,
            model_kwargs={"loss": "mse"},
        ),
        SKLearnTransformer(
            model=dynamic_model,
            model_kwargs={"loss": "mse"},
        ),
    ],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS[
        type(estimator).__name__
    ],
)
def test_sklearn_estimator_checks(estimator, check):
    """Checks that can be passed with sklearn's default tolerances
    and in a single epoch.
    """
    try:
        check(estimator)
    except Exception as exc:
        if keras.config.backend() in [
            "numpy",
            "openvino",
        ] and _raised_by_not_implemented(exc):
            pytest.xfail("Backend not implemented")
        elif isinstance(exc, unittest.SkipTest):
            # Workaround for https://github.com/pytest-dev/pytest/issues/13895
            pytest.skip(str(exc))
        else:
            raise


@pytest.mark.parametrize(
    "estimator",
    [
        SKLearnClassifier(
            model=dynamic_model,
            model_kwargs={
                "out_activation_function": "softmax",
                "loss": "binary_crossentropy",
            },
            fit_kwargs={"epochs": 1},
        ),
        SKLearnClassifier(
            model=dynamic_model,
            model_kwargs={
                "out_activation_function": "linear",
                "loss": "binary_crossentropy",
            },
            fit_kwargs={"epochs": 1},
        ),
    ],
)
def test_sklearn_estimator_decision_function(estimator):
    """Checks that the argmax of ``decision_function`` is the same as
    ``predict`` for classifiers.
    """
    try:
        X, y = sklearn.datasets.make_classification(
            n_samples=10,
            n_features=10,
            n_informative=4,
            n_classes=2,
            random_state=42,
        )
        estimator.fit(X, y)
        if (
            estimator.decision_function(X[:1]).argmax(axis=-1)
            != estimator.predict(X[:1]).flatten()
        ):
            raise AssertionError(
                "decision_function and predict are inconsistent"
            )
    except Exception as exc:
        if keras.config.backend() in [
            "numpy",
            "openvino",
        ] and _raised_by_not_implemented(exc):
            pytest.xfail("Backend not implemented")
        else:
            raise


@pytest.mark.requires_trainable_backend
def test_sklearn_classifier_warm_start_starts_from_model_instance():
    inputs = Input(shape=(4,))
    outputs = Dense(2, activation="softmax")(inputs)
    model = Model(inputs, outputs)
    model.compile(loss="categorical_crossentropy", optimizer="sgd")
    weights = [np.array(w) for w in model.get_weights()]

    X = np.ones((4, 4))
    y = np.array([1, 2, 1, 2])
    estimator = SKLearnClassifier(model=model, warm_start=True)

    # The instance is a template: the fit trains a copy of it, from its
    # weights, and leaves the instance as it was.
    estimator.fit(X, y, epochs=1, verbose=0)
    first_model = estimator.model_

    if first_model is model:
        raise AssertionError("Expected fit to train a copy of the model.")
    for actual, expected in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(actual, expected)

    estimator.fit(X, y, epochs=0, verbose=0)

    if estimator.model_ is not first_model:
        raise AssertionError("Expected warm_start to reuse the fitted model.")


def zero_init_model(X, y):
    """Softmax classifier whose weights all start at zero."""
    inp = Input(shape=(X.shape[1],))
    out = Dense(y.shape[1], activation="softmax", kernel_initializer="zeros")(
        inp
    )
    model = Model(inp, out)
    model.compile(loss="categorical_crossentropy", optimizer="sgd")
    return model


def optimizer_steps(estimator):
    """Number of optimizer steps the fitted model took."""
    return int(
        keras.ops.convert_to_numpy(estimator.model_.optimizer.iterations)
    )


class SKLearnWrapperParamsTest(testing.TestCase):
    def test_clone_keeps_fit_kwargs(self):
        estimator = SKLearnRegressor(
            model=dynamic_model,
            model_kwargs={"loss": "mse"},
            fit_kwargs={"epochs": 3, "verbose": 0},
        )
        cloned = clone(estimator)
        self.assertEqual(
            cloned.get_params()["fit_kwargs"],
            estimator.get_params()["fit_kwargs"],
        )

    @pytest.mark.requires_trainable_backend
    def test_cross_validate_trains_for_fit_kwargs_epochs(self):
        X, y = sklearn.datasets.make_regression(
            n_samples=16, n_features=4, random_state=0
        )
        # One batch per epoch, so optimizer steps == epochs.
        estimator = SKLearnRegressor(
            model=dynamic_model,
            model_kwargs={"loss": "mse", "out_activation_function": "linear"},
            fit_kwargs={"epochs": 3, "batch_size": 16, "verbose": 0},
        )
        result = cross_validate(estimator, X, y, cv=2, return_estimator=True)
        self.assertEqual(
            [optimizer_steps(fold) for fold in result["estimator"]], [3, 3]
        )

    @pytest.mark.requires_trainable_backend
    def test_fit_leaves_fit_kwargs_unchanged(self):
        X, y = sklearn.datasets.make_classification(
            n_samples=16, n_features=4, random_state=0
        )
        fit_kwargs = {"epochs": 1, "batch_size": 16, "verbose": 0}
        estimator = SKLearnClassifier(
            model=dynamic_model,
            model_kwargs={"loss": "categorical_crossentropy"},
            fit_kwargs=fit_kwargs,
        )
        estimator.fit(X, y, epochs=2)
        self.assertEqual(optimizer_steps(estimator), 2)
        expected = {"epochs": 1, "batch_size": 16, "verbose": 0}
        self.assertEqual(fit_kwargs, expected)
        self.assertEqual(estimator.get_params()["fit_kwargs"], expected)
        # Arguments given to an earlier `fit` call do not carry over.
        estimator.fit(X, y)
        self.assertEqual(optimizer_steps(estimator), 1)

    def test_set_fit_request_requests_metadata_for_fit(self):
        with sklearn.config_context(enable_metadata_routing=True):
            estimator = SKLearnClassifier(
                model=dynamic_model,
                model_kwargs={"loss": "categorical_crossentropy"},
            )
            estimator.set_score_request(sample_weight=False)
            estimator.set_fit_request(sample_weight=True)
            for est in [estimator, clone(estimator)]:
                routing = est.get_metadata_routing()
                self.assertIs(routing.fit.requests["sample_weight"], True)
                self.assertIs(routing.score.requests["sample_weight"], False)

    @pytest.mark.requires_trainable_backend
    def test_cross_validate_routes_sample_weight_to_fit(self):
        X, y = sklearn.datasets.make_classification(
            n_samples=16, n_features=4, random_state=0
        )
        sample_weight = np.random.RandomState(0).uniform(0.1, 5, len(y))
        # Zero-initialised and unshuffled: every fit on the same rows and
        # weights ends with the same weights.
        fit_kwargs = {"epochs": 2, "verbose": 0, "shuffle": False}
        with sklearn.config_context(enable_metadata_routing=True):
            estimator = SKLearnClassifier(
                model=zero_init_model, fit_kwargs=fit_kwargs
            )
            estimator.set_fit_request(sample_weight=True)
            estimator.set_score_request(sample_weight=False)
            result = cross_validate(
                estimator,
                X,
                y,
                cv=2,
                params={"sample_weight": sample_weight},
                return_estimator=True,
                return_indices=True,
                error_score="raise",
            )
        for fold, train in zip(result["estimator"], result["indices"]["train"]):
            expected = SKLearnClassifier(
                model=zero_init_model, fit_kwargs=fit_kwargs
            ).fit(X[train], y[train], sample_weight=sample_weight[train])
            unweighted = SKLearnClassifier(
                model=zero_init_model, fit_kwargs=fit_kwargs
            ).fit(X[train], y[train])
            self.assertAllClose(
                fold.model_.get_weights()[0], expected.model_.get_weights()[0]
            )
            self.assertNotAllClose(
                fold.model_.get_weights()[0],
                unweighted.model_.get_weights()[0],
            )
