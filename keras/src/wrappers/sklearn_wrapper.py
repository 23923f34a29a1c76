"""scikit-learn estimators around Keras models, on every Keras backend."""

import numbers

import numpy as np

from keras.src.api_export import keras_export
from keras.src.models.model import Model
from keras.src.wrappers import targets as target_encoders
from keras.src.wrappers.base import FLOAT_DTYPES
from keras.src.wrappers.base import KerasEstimatorBase

try:
    from sklearn.base import ClassifierMixin
    from sklearn.base import ClassNamePrefixFeaturesOutMixin
    from sklearn.base import RegressorMixin
    from sklearn.base import TransformerMixin
    from sklearn.utils import compute_sample_weight
    from sklearn.utils._param_validation import StrOptions
    from sklearn.utils.multiclass import check_classification_targets
    from sklearn.utils.multiclass import type_of_target
    from sklearn.utils.validation import check_is_fitted
    from sklearn.utils.validation import column_or_1d
    from sklearn.utils.validation import validate_data
except ImportError:  # pragma: no cover

    class ClassifierMixin:
        pass

    class ClassNamePrefixFeaturesOutMixin:
        pass

    class RegressorMixin:
        pass

    class TransformerMixin:
        pass


_COMMON_ARGS = """
    Args:
        model: `None`, a compiled or uncompiled `keras.Model`, or a callable
            `model(X=..., y=..., **kwargs)` returning one. `None` builds an
            MLP sized from the data (one hidden layer of 100 ReLU units,
            like scikit-learn's MLP); its arguments `hidden_layer_sizes`,
            `activation` and `dropout` are routed parameters
            (`model__hidden_layer_sizes=(64, 32)`). A `Model` instance is
            cloned with `keras.models.clone_model` for each fit. A callable
            receives `X` and the targets `y` as the network sees them
            (one-hot for classes), plus `model_kwargs` and every `model__*`
            parameter. Defaults to `None`.
        warm_start: bool. If `True`, a new `fit` continues training the
            fitted `model_` instead of starting from a new model. Defaults
            to `False`.
        model_kwargs: dict of keyword arguments for the model callable (the
            Keras 3.15 way; `model__name=value` parameters are searchable
            equivalents). Defaults to `None`.
        fit_kwargs: dict of keyword arguments for `Model.fit` (the Keras
            3.15 way). Keyword arguments given to `fit` itself take
            precedence, for that call only. A key may not also be set as a
            parameter (`epochs`, `batch_size`, `verbose`, `callbacks`).
            Defaults to `None`.
        epochs: int, the number of epochs `fit` trains. Defaults to `None`,
            which means 20.
        batch_size: int, samples per gradient step and per prediction
            batch. Defaults to `None`, which means 32.
        verbose: 0 for silence, 1 or 2 for Keras's progress output.
            Defaults to `None`, which means 0.
        callbacks: list of `keras.callbacks.Callback` for `Model.fit`.
            Defaults to `None`.
        optimizer: name, class or instance of a Keras optimizer. Its
            arguments are routed parameters (`optimizer__learning_rate`).
            Each fit trains a fresh copy. Defaults to `None`: the optimizer
            of a compiled model, else `"adam"`.
        loss: Keras loss. Defaults to `None`: the loss of a compiled model,
            else one chosen from the targets.
        metrics: list of Keras metrics recorded in `history_`. Defaults to
            `None`.
        validation_fraction: float in (0, 1), the share of the training data
            held out to decide early stopping. Only used when
            `early_stopping=True`. Defaults to `0.1`.
        early_stopping: bool. If `True`, stop when the held-out loss has not
            improved for `n_iter_no_change` epochs, and keep the best
            weights. Defaults to `False`.
        n_iter_no_change: int, the patience of early stopping. Defaults to
            `10`.
        random_state: `None`, an int or a `numpy.random.RandomState`. An int
            makes fits reproducible: weight initialisation, dropout and
            shuffling are seeded, and the global random state is restored
            afterwards. Defaults to `None`.
        **routed_params: `model__<name>` and `optimizer__<name>` parameters,
            routed to the model callable and to the optimizer.
"""

_COMMON_ATTRIBUTES = """
    Attributes:
        model_: the fitted `keras.Model`.
        history_: dict mapping each metric to its per-epoch values, over
            every epoch `model_` has been trained.
        n_iter_: int, the number of epochs `model_` has been trained.
        n_features_in_: int, the number of features seen in `fit`.
        feature_names_in_: array of the column names, when `X` had them.
"""


def _with_common_docs(cls):
    cls.__doc__ = cls.__doc__.replace("{common_args}", _COMMON_ARGS).replace(
        "{common_attributes}", _COMMON_ATTRIBUTES
    )
    return cls


def _target_encoder_for(y):
    """Class labels get a classification head; anything else regression."""
    if type_of_target(y) in ("binary", "multiclass", "multilabel-indicator"):
        return _classification_targets(y, classes=None)
    return target_encoders.RegressionTargets.from_y(y)


def _classification_targets(y, classes):
    check_classification_targets(y)
    if type_of_target(y) == "multilabel-indicator":
        return target_encoders.ClassificationTargets(
            np.arange(y.shape[1]), multilabel=True
        )
    classes = np.unique(y if classes is None else classes)
    if len(classes) < 2:
        raise ValueError(
            "Classifier can't train when only one class is present: y has "
            f"the single class {classes[0]!r}. A classifier needs at least "
            "two classes in y."
        )
    return target_encoders.ClassificationTargets(classes)


@_with_common_docs
@keras_export("keras.wrappers.SKLearnClassifier")
class SKLearnClassifier(ClassifierMixin, KerasEstimatorBase):
    """A scikit-learn classifier around a Keras model.

        Works in `Pipeline`, `GridSearchCV`, `cross_validate`, ensembles and
        calibration like any scikit-learn classifier, on every Keras backend.
        Labels may be of any type (ints, strings, bools); binary, multiclass
        and multilabel-indicator targets are supported. The network may end in
        one sigmoid unit (binary) or one unit per class, output probabilities
        or logits (`from_logits=True` losses), and train on integer labels
        (sparse losses) or one-hot labels: the wrapper adapts to the model.
    {common_args}
            class_weight: `None`, `"balanced"` or a dict mapping labels to
                weights, multiplied into the sample weights. Defaults to
                `None`.
    {common_attributes}
            classes_: array of the class labels (label indices for multilabel
                targets).

        Example:

        >>> import numpy as np
        >>> from keras.wrappers import SKLearnClassifier
        >>> X = np.random.RandomState(0).normal(size=(100, 4))
        >>> y = np.where(X[:, 0] > 0, "pos", "neg")
        >>> clf = SKLearnClassifier(epochs=5, random_state=0).fit(X, y)
        >>> clf.predict(X[:2]).shape
        (2,)
        >>> clf.predict_proba(X[:2]).shape
        (2, 2)
    """

    _y_numeric = False

    def __init__(
        self,
        model=None,
        warm_start=False,
        model_kwargs=None,
        fit_kwargs=None,
        *,
        epochs=None,
        batch_size=None,
        verbose=None,
        callbacks=None,
        optimizer=None,
        loss=None,
        metrics=None,
        validation_fraction=0.1,
        early_stopping=False,
        n_iter_no_change=10,
        class_weight=None,
        random_state=None,
        **routed_params,
    ):
        super().__init__(
            model=model,
            warm_start=warm_start,
            model_kwargs=model_kwargs,
            fit_kwargs=fit_kwargs,
            epochs=epochs,
            batch_size=batch_size,
            verbose=verbose,
            callbacks=callbacks,
            optimizer=optimizer,
            loss=loss,
            metrics=metrics,
            validation_fraction=validation_fraction,
            early_stopping=early_stopping,
            n_iter_no_change=n_iter_no_change,
            random_state=random_state,
            **routed_params,
        )
        self.class_weight = class_weight

    _parameter_constraints = {
        **KerasEstimatorBase._parameter_constraints,
        "class_weight": [None, dict, StrOptions({"balanced"})],
    }

    @property
    def classes_(self):
        return self.target_encoder_.classes

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Trains a model on `X` and the labels `y`.

        Args:
            X: array-like of shape `(n_samples, n_features)`.
            y: array-like of labels, shape `(n_samples,)`, or a 0/1 matrix
                of shape `(n_samples, n_labels)` for multilabel targets.
            sample_weight: array-like of shape `(n_samples,)`, or `None`.
            **kwargs: `Model.fit` arguments for this call only.

        Returns:
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, kwargs, incremental=False)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Trains one epoch on a batch of data, continuing the fitted model.

        Args:
            X: array-like of shape `(n_samples, n_features)`.
            y: array-like of labels.
            classes: every label the classifier will see, required on the
                first call (this batch may not contain them all).
            sample_weight: array-like of shape `(n_samples,)`, or `None`.

        Returns:
            The estimator.
        """
        if not self.__sklearn_is_fitted__() and classes is None:
            raise ValueError(
                "classes must be passed on the first call to partial_fit: "
                "pass every label, e.g. `classes=np.unique(y_all)`."
            )
        return self._fit(
            X, y, sample_weight, {}, incremental=True, classes=classes
        )

    def _validate_fit_data(self, X, y, reset):
        X, y = super()._validate_fit_data(X, y, reset)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        return X, y

    def _fit_targets(self, X, y, classes):
        return _classification_targets(y, classes)

    def _sample_weight(self, X, y, sample_weight):
        weights = super()._sample_weight(X, y, sample_weight)
        if self.class_weight is not None:
            balance = compute_sample_weight(self.class_weight, y)
            balance = balance.astype("float32")
            weights = balance if weights is None else weights * balance
        if weights is not None and y.ndim == 1:
            weighted_classes = np.unique(y[weights > 0])
            if len(weighted_classes) < 2:
                raise ValueError(
                    "Only one class has non-zero sample weight "
                    f"({weighted_classes.tolist()}): a classifier needs at "
                    "least two classes with positive weight."
                )
        return weights

    def _stratify(self, y):
        if y.ndim != 1:
            return False
        _, counts = np.unique(y, return_counts=True)
        return counts.min() >= 2

    def predict(self, X, batch_size=None):
        """Predicts class labels.

        Args:
            X: array-like of shape `(n_samples, n_features)`.
            batch_size: int, rows per inference batch. Defaults to the
                estimator's `batch_size`.

        Returns:
            Array of labels of the same type as `y` in `fit`.
        """
        raw = self._raw_predict(X, batch_size)
        return self.target_encoder_.predict(raw)

    def predict_proba(self, X, batch_size=None):
        """Predicts class probabilities; each row sums to 1.

        For multilabel targets, each column is one label's probability.

        Returns:
            Float64 array of shape `(n_samples, n_classes)`.
        """
        raw = self._raw_predict(X, batch_size)
        return self.target_encoder_.probabilities(raw)

    def predict_log_proba(self, X, batch_size=None):
        """Log of `predict_proba`.

        Returns:
            Float64 array of shape `(n_samples, n_classes)`.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X, batch_size))

    def decision_function(self, X, batch_size=None):
        """Confidence scores: logits, or log-probabilities.

        Binary targets give a 1-D score, positive for `classes_[1]`.

        Returns:
            Float64 array of shape `(n_samples,)` for binary targets, else
            `(n_samples, n_classes)`.
        """
        raw = self._raw_predict(X, batch_size)
        return self.target_encoder_.decision(raw)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


@_with_common_docs
@keras_export("keras.wrappers.SKLearnRegressor")
class SKLearnRegressor(RegressorMixin, KerasEstimatorBase):
    """A scikit-learn regressor around a Keras model.

        Works in `Pipeline`, `GridSearchCV`, `cross_validate`, ensembles and
        `TransformedTargetRegressor` like any scikit-learn regressor, on every
        Keras backend. Targets may have one or several outputs; predictions
        have the shape of `y`. `score` is the R² of the predictions.
    {common_args}
    {common_attributes}

        Example:

        >>> import numpy as np
        >>> from keras.wrappers import SKLearnRegressor
        >>> X = np.random.RandomState(0).normal(size=(100, 3))
        >>> y = X @ np.array([1.0, -2.0, 0.5])
        >>> reg = SKLearnRegressor(epochs=5, random_state=0).fit(X, y)
        >>> reg.predict(X[:2]).shape
        (2,)
    """

    _y_numeric = True

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Trains a model on `X` and the targets `y`.

        Args:
            X: array-like of shape `(n_samples, n_features)`.
            y: array-like of shape `(n_samples,)` or
                `(n_samples, n_outputs)`.
            sample_weight: array-like of shape `(n_samples,)`, or `None`.
            **kwargs: `Model.fit` arguments for this call only.

        Returns:
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, kwargs, incremental=False)

    def partial_fit(self, X, y, sample_weight=None):
        """Trains one epoch on a batch of data, continuing the fitted model.

        Returns:
            The estimator.
        """
        return self._fit(X, y, sample_weight, {}, incremental=True)

    def _fit_targets(self, X, y, classes):
        return target_encoders.RegressionTargets.from_y(y)

    def predict(self, X, batch_size=None):
        """Predicts targets.

        Args:
            X: array-like of shape `(n_samples, n_features)`.
            batch_size: int, rows per inference batch. Defaults to the
                estimator's `batch_size`.

        Returns:
            Float64 array shaped like `y` in `fit`.
        """
        raw = self._raw_predict(X, batch_size)
        return self.target_encoder_.predict(raw)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


@_with_common_docs
@keras_export("keras.wrappers.SKLearnTransformer")
class SKLearnTransformer(
    ClassNamePrefixFeaturesOutMixin, TransformerMixin, KerasEstimatorBase
):
    """A scikit-learn transformer: a Keras network as a feature extractor.

        `fit` trains the network on `(X, y)`, a classification head for label
        targets and a regression head otherwise, or, without `y`, to
        reconstruct `X` as an autoencoder does. `transform` returns the output
        of `feature_layer`: by default the last hidden layer of the default
        network, or the output of a model you give (an encoder).
    {common_args}
            feature_layer: name or index of the layer whose output `transform`
                returns. Defaults to `None`: the last hidden layer of the
                default network, or the output of a given model.
    {common_attributes}

        Example:

        >>> import numpy as np
        >>> from keras.wrappers import SKLearnTransformer
        >>> X = np.random.RandomState(0).normal(size=(100, 6))
        >>> encoder = SKLearnTransformer(
        ...     model__hidden_layer_sizes=(3,), epochs=2, random_state=0
        ... )
        >>> encoder.fit_transform(X).shape
        (100, 3)
    """

    _y_numeric = False
    _derived_attributes = ("feature_extractor_",)
    _parameter_constraints = {
        **KerasEstimatorBase._parameter_constraints,
        "feature_layer": [None, str, numbers.Integral],
    }

    def __init__(
        self,
        model=None,
        warm_start=False,
        model_kwargs=None,
        fit_kwargs=None,
        *,
        epochs=None,
        batch_size=None,
        verbose=None,
        callbacks=None,
        optimizer=None,
        loss=None,
        metrics=None,
        validation_fraction=0.1,
        early_stopping=False,
        n_iter_no_change=10,
        feature_layer=None,
        random_state=None,
        **routed_params,
    ):
        super().__init__(
            model=model,
            warm_start=warm_start,
            model_kwargs=model_kwargs,
            fit_kwargs=fit_kwargs,
            epochs=epochs,
            batch_size=batch_size,
            verbose=verbose,
            callbacks=callbacks,
            optimizer=optimizer,
            loss=loss,
            metrics=metrics,
            validation_fraction=validation_fraction,
            early_stopping=early_stopping,
            n_iter_no_change=n_iter_no_change,
            random_state=random_state,
            **routed_params,
        )
        self.feature_layer = feature_layer

    def fit(self, X, y=None, sample_weight=None, **kwargs):
        """Trains the network on `(X, y)`, or to reconstruct `X`.

        Args:
            X: array-like of shape `(n_samples, n_features)`.
            y: labels or targets, or `None` to train an autoencoder.
            sample_weight: array-like of shape `(n_samples,)`, or `None`.
            **kwargs: `Model.fit` arguments for this call only.

        Returns:
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, kwargs, incremental=False)

    def partial_fit(self, X, y=None, sample_weight=None):
        """Trains one epoch on a batch of data, continuing the fitted model.

        Returns:
            The estimator.
        """
        return self._fit(X, y, sample_weight, {}, incremental=True)

    def transform(self, X, batch_size=None):
        """Returns the features the network computes for `X`.

        Args:
            X: array-like of shape `(n_samples, n_features)`.
            batch_size: int, rows per inference batch. Defaults to the
                estimator's `batch_size`.

        Returns:
            Float32 array of shape `(n_samples, n_features_out)`.
        """
        check_is_fitted(self)
        return self._raw_predict(X, batch_size, model=self.feature_extractor_)

    def _validate_fit_data(self, X, y, reset):
        if y is not None:
            return super()._validate_fit_data(X, y, reset)
        X = validate_data(self, X, reset=reset, dtype=FLOAT_DTYPES)
        return X.astype("float32", copy=False), None

    def _fit_targets(self, X, y, classes):
        if y is None:
            return target_encoders.ReconstructionTargets.from_y(X)
        return _target_encoder_for(y)

    def _set_derived(self):
        self.feature_extractor_ = self._feature_extractor()

    def _feature_extractor(self):
        model = self.model_
        layer = self.feature_layer
        if layer is None and self.model is None:
            hidden = [x for x in model.layers if x.name.startswith("hidden_")]
            layer = hidden[-1].name if hidden else None
        if layer is None:
            return model
        if not hasattr(model, "inputs") or model.inputs is None:
            raise ValueError(
                "`feature_layer` needs a functional or Sequential model, "
                f"but `model` built a subclassed {type(model).__name__}."
            )
        found = (
            model.get_layer(name=layer)
            if isinstance(layer, str)
            else model.get_layer(index=layer)
        )
        return Model(model.input, found.output)

    @property
    def _n_features_out(self):
        return int(self.feature_extractor_.outputs[0].shape[-1])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags
