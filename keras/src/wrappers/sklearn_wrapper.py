"""scikit-learn estimators around Keras models, on every Keras backend."""

import numbers

import numpy as np

from keras.src import tree
from keras.src.api_export import keras_export
from keras.src.models.model import Model
from keras.src.wrappers import default_network
from keras.src.wrappers import parameters
from keras.src.wrappers import preprocessing
from keras.src.wrappers import routing
from keras.src.wrappers import targets as target_encoders
from keras.src.wrappers.base import KerasEstimatorBase

try:
    from sklearn.base import ClassifierMixin
    from sklearn.base import ClassNamePrefixFeaturesOutMixin
    from sklearn.base import RegressorMixin
    from sklearn.base import TransformerMixin
    from sklearn.utils import compute_sample_weight
    from sklearn.utils.multiclass import check_classification_targets
    from sklearn.utils.multiclass import type_of_target
    from sklearn.utils.validation import column_or_1d
except ImportError:  # pragma: no cover

    class ClassifierMixin:
        pass

    class ClassNamePrefixFeaturesOutMixin:
        pass

    class RegressorMixin:
        pass

    class TransformerMixin:
        pass


def _label_kind(label):
    """`"missing"` (None, NaN or pandas.NA), `"bool"`, `"str"`,
    `"number"`, or the name of the label's type."""
    nan = isinstance(label, float) and np.isnan(label)
    if label is None or nan or type(label).__name__ == "NAType":
        return "missing"
    if isinstance(label, (bool, np.bool_)):
        return "bool"
    if isinstance(label, str):
        return "str"
    if isinstance(label, numbers.Number):
        return "number"
    return type(label).__name__


def _checked_labels(y):
    """The labels, checked to be all of one type and none missing.

    Checked on the labels as given: converting a list like `[3, True]` to
    an array would silently turn `True` into the class `1`. An object array
    of numbers or booleans comes back as a numeric array, which
    scikit-learn's target checks need. A categorical pandas y comes back
    as the array of its labels: scikit-learn's validation misreads some
    (boolean categories are reported as NaN).
    """
    if getattr(getattr(y, "dtype", None), "name", None) == "category":
        y = y.to_numpy()
    values = y if isinstance(y, np.ndarray) else np.asarray(y, dtype=object)
    if y is None or values.dtype != object:
        return y  # For None, scikit-learn's validation says y is required.
    kinds = {_label_kind(label) for label in values.ravel()}
    if "missing" in kinds:
        raise ValueError(
            "y has missing labels (None or NaN). Drop the rows without a "
            "label, or fill them in, before fitting."
        )
    if len(kinds) > 1 or not kinds <= {"bool", "str", "number"}:
        raise ValueError(
            f"y mixes label types ({', '.join(sorted(kinds))}): labels must "
            "all be of one type, all strings, all numbers or all booleans. "
            "Convert them to one type, e.g. `y.astype(str)`."
        )
    return y if kinds == {"str"} else np.array(values.tolist())


def _label_targets(y, classes=None):
    """The targets for the class labels `y`, checked by scikit-learn.

    Args:
        y: array of labels: one column, a multilabel indicator matrix, or
            several columns of labels.
        classes: `None`, or every label (`partial_fit`'s `classes`); for
            several columns, a list with each column's labels.

    Returns:
        A `ClassificationTargets`, or a `MultiOutputClassificationTargets`
        for several columns of labels.
    """
    check_classification_targets(y)
    kind = type_of_target(y)
    # Decided by `classes` where given: a first batch of 0/1 columns would
    # read as multilabel.
    per_column = (
        classes is not None
        and np.ndim(y) == 2
        and len(classes) == np.shape(y)[1] > 1
        and all(np.ndim(column) == 1 for column in classes)
    )
    if kind == "multilabel-indicator" and not per_column:
        return target_encoders.ClassificationTargets(
            np.arange(y.shape[1]), multilabel=True
        )
    if kind != "multiclass-multioutput" and not per_column:
        return _column_targets(y, classes)
    if classes is not None and len(classes) != y.shape[1]:
        raise ValueError(
            f"y has {y.shape[1]} columns of labels, so `classes` must be a "
            f"list of {y.shape[1]} arrays, one per column. Received "
            f"{len(classes)} entries."
        )
    return target_encoders.MultiOutputClassificationTargets(
        [
            _column_targets(y[:, j], None if classes is None else classes[j], j)
            for j in range(y.shape[1])
        ]
    )


def _column_targets(y, classes, column=None):
    """The targets of one column of labels (`classes`: all its labels)."""
    classes = np.unique(y if classes is None else classes)
    if len(classes) < 2:
        where = "y" if column is None else f"column {column} of y"
        raise ValueError(
            "Classifier can't train when only one class is present: "
            f"{where} has the single class {classes[0]!r}. A classifier "
            "needs at least two classes in each column of y."
        )
    return target_encoders.ClassificationTargets(classes)


@keras_export("keras.wrappers.SKLearnClassifier")
class SKLearnClassifier(ClassifierMixin, KerasEstimatorBase):
    """A scikit-learn classifier around a Keras model.

    Use a Keras network wherever scikit-learn expects a classifier: in a
    `Pipeline`, in `GridSearchCV` or `cross_validate`, in a `VotingClassifier`
    or `StackingClassifier`, in `CalibratedClassifierCV`, on the TensorFlow,
    JAX and PyTorch backends alike.

    Labels may be of any type (ints, strings, bools); targets may be binary,
    multiclass, a multilabel indicator matrix, or several columns of labels
    (`multiclass-multioutput`, each column with its own label set). Without
    a `model`, the classifier builds an MLP sized from the data, with one
    softmax head per column of labels. A network you give may end in one
    sigmoid unit (binary) or in one unit per class, output probabilities or
    logits (with a `from_logits=True` loss), and train on integer labels
    (sparse losses) or one-hot labels: the wrapper adapts to the model, head
    by head. Several columns of labels need one output head per column (a
    list, or a dict read in sorted-name order), and get predictions as
    scikit-learn's multi-output classifiers give them: `predict` an
    `(n_samples, n_columns)` array of labels, `predict_proba` a list with
    one array per column, `score` the share of rows with every column
    right.

    `X` may be what the network takes: an array of any rank from 2
    (images, sequences), a scipy.sparse matrix (densified one batch at a
    time), a dict of arrays keyed by the model's input names (as
    `keras.wrappers.InputDict` to be split by scikit-learn), or an array
    on disk (`np.load(path, mmap_mode="r")`, read one batch at a time).
    Each input receives its rows in the dtype it declares, so integer token
    ids stay integers; the default network flattens and concatenates.

    Args:
        model: `None`, a compiled or uncompiled `keras.Model`, or a callable
            `model(X=..., y=..., **kwargs)` returning one. `None` builds an
            MLP sized from the data (one hidden layer of 100 ReLU units,
            like scikit-learn's MLP); its arguments `hidden_layer_sizes`,
            `activation` and `dropout` are routed parameters
            (`model__hidden_layer_sizes=(64, 32)`). A `Model` instance is
            a template of architecture and weights (a pretrained network):
            each fit trains a copy that starts from its current weights,
            `trainable` flags and compile settings, and the instance
            itself is never trained or changed. A callable receives `X`
            and the targets `y` as the network sees them (one-hot for
            classes, a list of one-hot arrays for several columns of
            labels), plus `model_kwargs` and every `model__*` parameter.
            A model may have several outputs (see the classes' docstrings).
            Defaults to `None`.
        warm_start: bool. If `True`, a new `fit` continues training the
            fitted `model_` instead of starting from a new model. Defaults
            to `False`.
        model_kwargs: dict of keyword arguments for the model callable (the
            Keras 3.15 way; `model__name=value` parameters are searchable
            equivalents). A `model__name` parameter overrides the
            `model_kwargs` entry of the same name, so a search over
            `model__name` works on an estimator configured with
            `model_kwargs`. Defaults to `None`.
        fit_kwargs: dict of keyword arguments for `Model.fit` (the Keras
            3.15 way). Keyword arguments given to `fit` itself take
            precedence, for that call only. A key may not also be set as a
            parameter (`epochs`, `batch_size`, `verbose`, `callbacks`).
            Defaults to `None`.
        epochs: int, the number of epochs `fit` trains. `0` trains nothing:
            `fit` checks the data and records the fitted attributes, and
            the estimator predicts (or transforms) with the weights of the
            given model, for example a pretrained feature extractor.
            Defaults to `None`, which means 20.
        batch_size: int, samples per gradient step and per prediction
            batch. Defaults to `None`, which means 32.
        verbose: 0 for silence, 1 or 2 for Keras's progress output.
            Defaults to `None`, which means 0.
        callbacks: list of `keras.callbacks.Callback` for `Model.fit`.
            Defaults to `None`. A network the wrapper compiles itself runs
            32 training steps per call into TensorFlow or JAX, which makes
            small fits faster; with callbacks it runs one, so that they
            see every batch.
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
            shuffling are seeded from it, drawing from no process-global
            random state, so fits in concurrent threads (a Dask worker's)
            give what they give serially. Defaults to `None`.
        trainable_layers: int, how many of the model's top layers train;
            the others are frozen (`trainable=False`) before training. Only
            layers with weights count, from the output end of
            `model.layers`, and a nested model (a pretrained base) counts as
            one: with a base and a head, `1` trains the head only and `2`
            the base too. A layer that trains trains whole: a nested
            model's own frozen layers are unfrozen, as `base.trainable =
            True` does in Keras. Applied when a fit starts a new `model_`
            (or continues one that has trained no epoch), not when it
            continues training `model_`. A search over it compares
            fine-tuning depths.
            Defaults to `None`: each layer keeps its own `trainable` flag.
        **routed_params: `model__<name>` and `optimizer__<name>` parameters,
            routed to the model callable and to the optimizer.
        class_weight: `None`, `"balanced"` or a dict mapping labels to
            weights (for several columns of labels, a list of such dicts,
            one per column), multiplied into the sample weights. Defaults to
            `None`.

    Attributes:
        model_: the fitted `keras.Model`.
        history_: dict mapping each metric to its per-epoch values, over
            every epoch `model_` has been trained. (In Keras 3.15 it was
            the `keras.callbacks.History` object; its `history`, `epoch`
            and `params` attributes still work, deprecated.)
        n_iter_: int, the number of epochs `model_` has been trained.
            Replaces Keras 3.15's `epoch_`, which still works, deprecated.
        n_features_in_: int, `X.shape[1]` in `fit` (not set for a dict `X`).
        input_shape_: the shape of one row of `X` in `fit` (`(8, 8, 1)` for
            images), or a dict of them for a dict `X`.
        feature_names_in_: array of the column names, when `X` had them.
        classes_: array of the class labels (label indices for multilabel
            targets); for several columns of labels, a list with one such
            array per column.

    Example:

    The default network, tuned by a grid search over a routed parameter:

    >>> import numpy as np
    >>> from sklearn.model_selection import GridSearchCV
    >>> from keras.wrappers import SKLearnClassifier
    >>> X = np.random.RandomState(0).normal(size=(100, 4))
    >>> y = np.where(X[:, 0] > 0, "pos", "neg")
    >>> search = GridSearchCV(
    ...     SKLearnClassifier(epochs=5, random_state=0),
    ...     {"model__hidden_layer_sizes": [(8,), (16,)]},
    ...     cv=2,
    ... )
    >>> search = search.fit(X, y)
    >>> list(search.best_params_)
    ['model__hidden_layer_sizes']
    >>> search.predict(X[:3]).shape
    (3,)

    Your own network: a function of `X`, the one-hot targets `y` and any
    arguments of its own, which become `model__` parameters:

    >>> import keras
    >>> def build_model(X, y, units=16):
    ...     return keras.Sequential(
    ...         [
    ...             keras.Input(shape=(X.shape[1],)),
    ...             keras.layers.Dense(units, activation="relu"),
    ...             keras.layers.Dense(y.shape[1], activation="softmax"),
    ...         ]
    ...     )
    >>> clf = SKLearnClassifier(
    ...     model=build_model, model__units=8, epochs=5, random_state=0
    ... )
    >>> clf.fit(X, y).predict_proba(X[:3]).shape
    (3, 2)
    >>> clf.classes_
    array(['neg', 'pos'], dtype='<U3')
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
        trainable_layers=None,
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
            trainable_layers=trainable_layers,
            **routed_params,
        )
        self.class_weight = class_weight

    _parameter_rules = {
        **KerasEstimatorBase._parameter_rules,
        "class_weight": (
            parameters.NONE,
            parameters.DICT,
            parameters.LIST,
            parameters.one_of("balanced"),
        ),
    }

    @property
    def classes_(self):
        return self.target_encoder_.classes

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Trains a new model on `X` and the labels `y`.

        Each call starts from a freshly built network, unless `warm_start=True`
        and the estimator is already fitted: then training continues.

        Args:
            X: array of shape `(n_samples, ...)`, scipy.sparse matrix, or
                dict of arrays by model input name (see the class docstring).
            y: array-like of labels of shape `(n_samples,)`, a 0/1 indicator
                matrix of shape `(n_samples, n_labels)` for multilabel targets,
                or labels of shape `(n_samples, n_columns)` for several columns
                of labels.
            sample_weight: array-like of shape `(n_samples,)`, or `None`.
            **kwargs: `Model.fit` arguments for this call only (`epochs=5`,
                `validation_split=0.2`, ...). They take precedence over
                `fit_kwargs`.

        Returns:
            The fitted estimator.

        Example:

        >>> import numpy as np
        >>> from keras.wrappers import SKLearnClassifier
        >>> X = np.random.RandomState(0).normal(size=(60, 3))
        >>> y = (X[:, 0] > 0).astype(int)
        >>> clf = SKLearnClassifier(epochs=3, random_state=0)
        >>> clf.fit(X, y)
        SKLearnClassifier(epochs=3, random_state=0)
        >>> clf.n_iter_, len(clf.history_["loss"])
        (3, 3)
        >>> clf.fit(X, y, epochs=2).n_iter_
        2
        """
        return self._fit(X, y, sample_weight, kwargs, incremental=False)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Trains one epoch on a batch of data, continuing the fitted model.

        The first call builds the network; later calls keep training it, so the
        data can arrive in chunks that do not fit in memory together.

        Args:
            X: array of shape `(n_samples, ...)`, scipy.sparse matrix, or
                dict of arrays by model input name (see the class docstring).
            y: array-like of labels of shape `(n_samples,)`, or a 0/1 indicator
                matrix for multilabel targets.
            classes: array-like of every label the classifier will see (for
                several columns of labels, a list with one per column).
                Required on the first call, as one batch may not contain
                them all; ignored afterwards.
            sample_weight: array-like of shape `(n_samples,)`, or `None`.

        Returns:
            The estimator.

        Example:

        >>> import numpy as np
        >>> from keras.wrappers import SKLearnClassifier
        >>> X = np.random.RandomState(0).normal(size=(60, 3))
        >>> y = np.digitize(X[:, 0], [-0.5, 0.5])  # the labels 0, 1 and 2
        >>> clf = SKLearnClassifier(random_state=0)
        >>> for rows in np.array_split(np.arange(60), 3):
        ...     clf = clf.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
        >>> clf.n_iter_
        3
        >>> clf.classes_
        array([0, 1, 2])
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
        X, y = super()._validate_fit_data(X, _checked_labels(y), reset)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        return X, y

    def _fit_targets(self, X, y, classes):
        return _label_targets(y, classes)

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
        # `train_test_split` stratifies only if each class has two rows and
        # each side of the split has room for one row of every class.
        n_test = int(np.ceil(self.validation_fraction * len(y)))
        return counts.min() >= 2 and len(counts) <= min(n_test, len(y) - n_test)

    def predict(self, X, batch_size=None):
        """Predicts class labels.

        Args:
            X: array of shape `(n_samples, ...)`, scipy.sparse matrix, or
                dict of arrays by model input name (see the class docstring).
            batch_size: int, rows per inference batch. Defaults to the
                estimator's `batch_size`, or 32.

        Returns:
            An array of labels of the type of `y` in `fit`, of shape
            `(n_samples,)`; a 0/1 matrix of shape `(n_samples, n_labels)` for
            multilabel targets; `(n_samples, n_columns)` for several columns
            of labels.

        Example:

        >>> import numpy as np
        >>> from keras.wrappers import SKLearnClassifier
        >>> X = np.random.RandomState(0).normal(size=(60, 3))
        >>> y = np.where(X[:, 0] > 0, "yes", "no")
        >>> clf = SKLearnClassifier(epochs=3, random_state=0).fit(X, y)
        >>> labels = clf.predict(X, batch_size=16)
        >>> labels.shape, set(labels) <= {"yes", "no"}
        ((60,), True)
        """
        raw = self._raw_predict(X, batch_size)  # Checks it is fitted.
        return self.target_encoder_.predict(raw)

    def predict_proba(self, X, batch_size=None):
        """Predicts class probabilities.

        Each row sums to 1, with one column per class in the order of
        `classes_`. For multilabel targets, each column is one label's
        probability. Probabilities are computed from the network's outputs,
        whether it outputs probabilities or logits.

        Args:
            X: array of shape `(n_samples, ...)`, scipy.sparse matrix, or
                dict of arrays by model input name (see the class docstring).
            batch_size: int, rows per inference batch. Defaults to the
                estimator's `batch_size`, or 32.

        Returns:
            A float64 array of shape `(n_samples, n_classes)`; for several
            columns of labels, a list with one such array per column.

        Example:

        >>> import numpy as np
        >>> from keras.wrappers import SKLearnClassifier
        >>> X = np.random.RandomState(0).normal(size=(60, 3))
        >>> y = np.digitize(X[:, 0], [-0.5, 0.5])
        >>> clf = SKLearnClassifier(epochs=3, random_state=0).fit(X, y)
        >>> proba = clf.predict_proba(X[:5])
        >>> proba.shape, bool(np.allclose(proba.sum(axis=1), 1.0))
        ((5, 3), True)
        """
        raw = self._raw_predict(X, batch_size)  # Checks it is fitted.
        return self.target_encoder_.probabilities(raw)

    def predict_log_proba(self, X, batch_size=None):
        """Predicts the logarithm of the class probabilities.

        Args:
            X: array of shape `(n_samples, ...)`, scipy.sparse matrix, or
                dict of arrays by model input name (see the class docstring).
            batch_size: int, rows per inference batch. Defaults to the
                estimator's `batch_size`, or 32.

        Returns:
            A float64 array of shape `(n_samples, n_classes)`, the log of
            `predict_proba(X)`.

        Example:

        >>> import numpy as np
        >>> from keras.wrappers import SKLearnClassifier
        >>> X = np.random.RandomState(0).normal(size=(60, 3))
        >>> y = (X[:, 0] > 0).astype(int)
        >>> clf = SKLearnClassifier(epochs=3, random_state=0).fit(X, y)
        >>> log_proba = clf.predict_log_proba(X[:5])
        >>> log_proba.shape
        (5, 2)
        >>> bool(np.allclose(np.exp(log_proba), clf.predict_proba(X[:5])))
        True
        """
        proba = self.predict_proba(X, batch_size)
        with np.errstate(divide="ignore"):  # log(0) is -inf.
            return tree.map_structure(np.log, proba)

    def decision_function(self, X, batch_size=None):
        """Predicts confidence scores: logits, or log-probabilities.

        A network trained with a `from_logits=True` loss gives its logits;
        otherwise the scores are the log-probabilities. Binary targets give one
        score per sample, the log-odds of `classes_[1]`: positive where
        `predict` returns `classes_[1]`. Multilabel targets give each label's
        log-odds. A network with one unit per class trained with a binary
        cross-entropy scores each class on its own, and keeps one column per
        class for two classes as well; the argmax of a row is the predicted
        class.

        In Keras 3.15 this method returned the network's raw outputs (for a
        softmax network, the probabilities). For those, call
        `predict_proba(X)`; for the raw outputs, `model_.predict(X)`.

        Args:
            X: array of shape `(n_samples, ...)`, scipy.sparse matrix, or
                dict of arrays by model input name (see the class docstring).
            batch_size: int, rows per inference batch. Defaults to the
                estimator's `batch_size`, or 32.

        Returns:
            A float64 array of shape `(n_samples,)` for binary targets, else
            (and for the binary cross-entropy networks above)
            `(n_samples, n_classes)`; for several columns of labels, a list
            with one such array per column.

        Example:

        >>> import numpy as np
        >>> from keras.wrappers import SKLearnClassifier
        >>> X = np.random.RandomState(0).normal(size=(60, 3))
        >>> y = (X[:, 0] > 0).astype(int)
        >>> clf = SKLearnClassifier(epochs=3, random_state=0).fit(X, y)
        >>> scores = clf.decision_function(X)
        >>> scores.shape
        (60,)
        >>> bool(np.all((scores > 0) == (clf.predict(X) == 1)))
        True
        """
        raw = self._raw_predict(X, batch_size)  # Checks it is fitted.
        return self.target_encoder_.decision(raw)

    def score(self, X, y, sample_weight=None):
        """Returns the mean accuracy of `predict(X)` against `y`.

        For several columns of labels, a row counts as right when every
        column is, as scikit-learn's `MultiOutputClassifier` scores.

        Args:
            X: the inputs, as for `predict`.
            y: the true labels.
            sample_weight: array-like of shape `(n_samples,)`, or `None`.

        Returns:
            A float in [0, 1].

        Example:

        Two columns of labels, each with its own head and label set:

        >>> import numpy as np
        >>> from keras.wrappers import SKLearnClassifier
        >>> X = np.random.RandomState(0).normal(size=(60, 3))
        >>> Y = np.column_stack(
        ...     [np.where(X[:, 0] > 0, "pos", "neg"), np.digitize(X[:, 1], [0])]
        ... )
        >>> clf = SKLearnClassifier(epochs=3, random_state=0).fit(X, Y)
        >>> [len(classes) for classes in clf.classes_]
        [2, 2]
        >>> clf.predict(X[:4]).shape
        (4, 2)
        >>> 0.0 <= clf.score(X, Y) <= 1.0
        True
        """
        if not isinstance(self.classes_, list):  # One column of labels.
            return super().score(X, y, sample_weight)
        right = np.all(self.predict(X) == np.asarray(y), axis=1)
        return float(np.average(right, weights=sample_weight))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        tags.target_tags.multi_output = True
        tags.classifier_tags.poor_score = self._user_network()
        return tags


@keras_export("keras.wrappers.SKLearnRegressor")
class SKLearnRegressor(RegressorMixin, KerasEstimatorBase):
    """A scikit-learn regressor around a Keras model.

    Use a Keras network wherever scikit-learn expects a regressor: in a
    `Pipeline`, in `GridSearchCV` or `cross_validate`, in a
    `TransformedTargetRegressor` or a `StackingRegressor`, on the
    TensorFlow, JAX and PyTorch backends alike.

    Targets may have one or several outputs; predictions have the shape of
    `y` in `fit`. Without a `model`, the regressor builds an MLP sized from
    the data, with a linear output layer and the mean squared error loss.
    A model with several output heads (a list, or a dict read in
    sorted-name order) trains each head on the next columns of `y`, as many
    as the head is wide, and `predict` puts the heads side by side.
    `score` returns the R² of the predictions.

    `X` may be what the network takes: an array of any rank from 2
    (images, sequences), a scipy.sparse matrix (densified one batch at a
    time), a dict of arrays keyed by the model's input names (as
    `keras.wrappers.InputDict` to be split by scikit-learn), or an array
    on disk (`np.load(path, mmap_mode="r")`, read one batch at a time).
    Each input receives its rows in the dtype it declares, so integer token
    ids stay integers; the default network flattens and concatenates.

    Args:
        model: `None`, a compiled or uncompiled `keras.Model`, or a callable
            `model(X=..., y=..., **kwargs)` returning one. `None` builds an
            MLP sized from the data (one hidden layer of 100 ReLU units,
            like scikit-learn's MLP); its arguments `hidden_layer_sizes`,
            `activation` and `dropout` are routed parameters
            (`model__hidden_layer_sizes=(64, 32)`). A `Model` instance is
            a template of architecture and weights (a pretrained network):
            each fit trains a copy that starts from its current weights,
            `trainable` flags and compile settings, and the instance
            itself is never trained or changed. A callable receives `X`
            and the targets `y` as the network sees them (a 2-D float
            array, one column per target), plus `model_kwargs` and every
            `model__*` parameter. A model may have several output heads
            (see above).
            Defaults to `None`.
        warm_start: bool. If `True`, a new `fit` continues training the
            fitted `model_` instead of starting from a new model. Defaults
            to `False`.
        model_kwargs: dict of keyword arguments for the model callable (the
            Keras 3.15 way; `model__name=value` parameters are searchable
            equivalents). A `model__name` parameter overrides the
            `model_kwargs` entry of the same name, so a search over
            `model__name` works on an estimator configured with
            `model_kwargs`. Defaults to `None`.
        fit_kwargs: dict of keyword arguments for `Model.fit` (the Keras
            3.15 way). Keyword arguments given to `fit` itself take
            precedence, for that call only. A key may not also be set as a
            parameter (`epochs`, `batch_size`, `verbose`, `callbacks`).
            Defaults to `None`.
        epochs: int, the number of epochs `fit` trains. `0` trains nothing:
            `fit` checks the data and records the fitted attributes, and
            the estimator predicts (or transforms) with the weights of the
            given model, for example a pretrained feature extractor.
            Defaults to `None`, which means 20.
        batch_size: int, samples per gradient step and per prediction
            batch. Defaults to `None`, which means 32.
        verbose: 0 for silence, 1 or 2 for Keras's progress output.
            Defaults to `None`, which means 0.
        callbacks: list of `keras.callbacks.Callback` for `Model.fit`.
            Defaults to `None`. A network the wrapper compiles itself runs
            32 training steps per call into TensorFlow or JAX, which makes
            small fits faster; with callbacks it runs one, so that they
            see every batch.
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
            shuffling are seeded from it, drawing from no process-global
            random state, so fits in concurrent threads (a Dask worker's)
            give what they give serially. Defaults to `None`.
        trainable_layers: int, how many of the model's top layers train;
            the others are frozen (`trainable=False`) before training. Only
            layers with weights count, from the output end of
            `model.layers`, and a nested model (a pretrained base) counts as
            one: with a base and a head, `1` trains the head only and `2`
            the base too. A layer that trains trains whole: a nested
            model's own frozen layers are unfrozen, as `base.trainable =
            True` does in Keras. Applied when a fit starts a new `model_`
            (or continues one that has trained no epoch), not when it
            continues training `model_`. A search over it compares
            fine-tuning depths.
            Defaults to `None`: each layer keeps its own `trainable` flag.
        **routed_params: `model__<name>` and `optimizer__<name>` parameters,
            routed to the model callable and to the optimizer.

    Attributes:
        model_: the fitted `keras.Model`.
        history_: dict mapping each metric to its per-epoch values, over
            every epoch `model_` has been trained. (In Keras 3.15 it was
            the `keras.callbacks.History` object; its `history`, `epoch`
            and `params` attributes still work, deprecated.)
        n_iter_: int, the number of epochs `model_` has been trained.
            Replaces Keras 3.15's `epoch_`, which still works, deprecated.
        n_features_in_: int, `X.shape[1]` in `fit` (not set for a dict `X`).
        input_shape_: the shape of one row of `X` in `fit` (`(8, 8, 1)` for
            images), or a dict of them for a dict `X`.
        feature_names_in_: array of the column names, when `X` had them.

    Example:

    Scaling the targets as well as the features helps a network learn:

    >>> import numpy as np
    >>> from sklearn.compose import TransformedTargetRegressor
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from keras.wrappers import SKLearnRegressor
    >>> X = np.random.RandomState(0).normal(size=(100, 3))
    >>> y = 100 * X @ np.array([1.0, -2.0, 0.5]) + 50
    >>> model = make_pipeline(
    ...     StandardScaler(),
    ...     TransformedTargetRegressor(
    ...         SKLearnRegressor(epochs=5, random_state=0),
    ...         transformer=StandardScaler(),
    ...     ),
    ... )
    >>> model.fit(X, y).predict(X[:2]).shape
    (2,)
    """

    _y_numeric = True

    def _validate_fit_data(self, X, y, reset):
        # Values that read as numbers are taken; others get advice.
        values = np.asarray(y)
        if values.dtype.kind in "OUS":
            try:
                values.astype(np.float64)
            except (TypeError, ValueError) as error:
                raise ValueError(
                    f"{type(self).__name__} needs numeric y, but y holds "
                    f"values that are not numbers ({error}). For class "
                    "labels use SKLearnClassifier; otherwise convert y to "
                    "numbers."
                ) from error
        return super()._validate_fit_data(X, y, reset)

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Trains a new model on `X` and the targets `y`.

        Each call starts from a freshly built network, unless `warm_start=True`
        and the estimator is already fitted: then training continues.

        Args:
            X: array of shape `(n_samples, ...)`, scipy.sparse matrix, or
                dict of arrays by model input name (see the class docstring).
            y: array-like of shape `(n_samples,)` or `(n_samples, n_outputs)`.
            sample_weight: array-like of shape `(n_samples,)`, or `None`.
            **kwargs: `Model.fit` arguments for this call only (`epochs=5`,
                `validation_split=0.2`, ...). They take precedence over
                `fit_kwargs`.

        Returns:
            The fitted estimator.

        Example:

        >>> import numpy as np
        >>> from keras.wrappers import SKLearnRegressor
        >>> X = np.random.RandomState(0).normal(size=(60, 3))
        >>> y = X @ np.array([1.0, -2.0, 0.5])
        >>> reg = SKLearnRegressor(
        ...     model__hidden_layer_sizes=(16,), epochs=3, random_state=0
        ... )
        >>> reg.fit(X, y)
        SKLearnRegressor(epochs=3, model__hidden_layer_sizes=(16,),
                         random_state=0)
        >>> reg.n_iter_
        3
        """
        return self._fit(X, y, sample_weight, kwargs, incremental=False)

    def partial_fit(self, X, y, sample_weight=None):
        """Trains one epoch on a batch of data, continuing the fitted model.

        The first call builds the network; later calls keep training it, so the
        data can arrive in chunks that do not fit in memory together.

        Args:
            X: array of shape `(n_samples, ...)`, scipy.sparse matrix, or
                dict of arrays by model input name (see the class docstring).
            y: array-like of shape `(n_samples,)` or `(n_samples, n_outputs)`.
            sample_weight: array-like of shape `(n_samples,)`, or `None`.

        Returns:
            The estimator.

        Example:

        >>> import numpy as np
        >>> from keras.wrappers import SKLearnRegressor
        >>> X = np.random.RandomState(0).normal(size=(60, 3))
        >>> y = X @ np.array([1.0, -2.0, 0.5])
        >>> reg = SKLearnRegressor(random_state=0)
        >>> for rows in np.array_split(np.arange(60), 3):
        ...     reg = reg.partial_fit(X[rows], y[rows])
        >>> reg.n_iter_, len(reg.history_["loss"])
        (3, 3)
        """
        return self._fit(X, y, sample_weight, {}, incremental=True)

    def _fit_targets(self, X, y, classes):
        return target_encoders.RegressionTargets(y)

    def predict(self, X, batch_size=None):
        """Predicts the targets.

        Args:
            X: array of shape `(n_samples, ...)`, scipy.sparse matrix, or
                dict of arrays by model input name (see the class docstring).
            batch_size: int, rows per inference batch. Defaults to the
                estimator's `batch_size`, or 32.

        Returns:
            A float64 array shaped like `y` in `fit`: `(n_samples,)` or
            `(n_samples, n_outputs)`.

        Example:

        >>> import numpy as np
        >>> from keras.wrappers import SKLearnRegressor
        >>> X = np.random.RandomState(0).normal(size=(60, 3))
        >>> Y = np.column_stack([X.sum(axis=1), X[:, 0] - X[:, 1]])
        >>> reg = SKLearnRegressor(epochs=3, random_state=0).fit(X, Y)
        >>> reg.predict(X[:5]).shape
        (5, 2)
        """
        raw = self._raw_predict(X, batch_size)  # Checks it is fitted.
        return self.target_encoder_.predict(raw)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.regressor_tags.poor_score = self._user_network()
        return tags


@keras_export("keras.wrappers.SKLearnTransformer")
class SKLearnTransformer(
    ClassNamePrefixFeaturesOutMixin, TransformerMixin, KerasEstimatorBase
):
    """A scikit-learn transformer: a Keras network as a feature extractor.

    `fit` trains the network; `transform` returns the output of one of its
    layers, `feature_layer`. With label targets `y` the network trains with
    a classification head, with continuous targets a regression head, and
    without `y` it learns to reconstruct `X`, as an autoencoder does.

    Without a `model`, the transformer builds an MLP and `transform` returns
    its last hidden layer: `model__hidden_layer_sizes=(64, 16)` extracts 16
    features. With a model of your own, `transform` returns its output, or
    that of the layer named (or indexed) by `feature_layer`.

    Like other scikit-learn transformers it works in a `Pipeline` or a
    `ColumnTransformer`, and supports `get_feature_names_out` and
    `set_output(transform="pandas")`.

    `X` may be what the network takes: an array of any rank from 2
    (images, sequences), a scipy.sparse matrix (densified one batch at a
    time), a dict of arrays keyed by the model's input names (as
    `keras.wrappers.InputDict` to be split by scikit-learn), or an array
    on disk (`np.load(path, mmap_mode="r")`, read one batch at a time).
    Each input receives its rows in the dtype it declares, so integer token
    ids stay integers; the default network flattens and concatenates.

    `model` may also be one of Keras's preprocessing layers
    (`TextVectorization`, `StringLookup`, `IntegerLookup`, `Normalization`,
    `Discretization`, `Hashing`, ...) or a `keras.utils.FeatureSpace`. Then
    nothing trains: each `fit` adapts a fresh copy of the layer, built from
    its configuration, to that fit's `X` alone, so that in cross-validation
    every fold learns its own vocabulary or statistics, and the given layer
    never changes. `model__*` parameters override the layer's arguments
    (`model__max_tokens=5000`). `X` is what the layer takes: text as a 1-D
    array, list or Series of strings, one or more columns for a lookup, a
    DataFrame or dict of columns for a `FeatureSpace`. `transform` runs the
    fitted copy in a `tf.data` pipeline, on every backend, and returns
    NumPy arrays (a dict of them where the layer outputs a dict); values
    never seen in `fit` map to the layer's out-of-vocabulary index. Rows
    must come out of equal width: give a `TextVectorization` in `"int"`
    mode an `output_sequence_length`. The training parameters (`epochs`,
    `optimizer`, ...) do not apply.

    Args:
        model: `None`, a compiled or uncompiled `keras.Model`, a callable
            `model(X=..., y=..., **kwargs)` returning one, or a Keras
            preprocessing layer (see above). `None` builds an
            MLP sized from the data (one hidden layer of 100 ReLU units,
            like scikit-learn's MLP); its arguments `hidden_layer_sizes`,
            `activation` and `dropout` are routed parameters
            (`model__hidden_layer_sizes=(64, 32)`). A `Model` instance is
            a template of architecture and weights (a pretrained network):
            each fit trains a copy that starts from its current weights,
            `trainable` flags and compile settings, and the instance
            itself is never trained or changed. A callable receives `X`
            and the targets `y` as the network sees them (one-hot for
            classes, a list of one-hot arrays for several columns of
            labels), plus `model_kwargs` and every `model__*` parameter.
            A model may have several outputs (see the classes' docstrings).
            Defaults to `None`.
        warm_start: bool. If `True`, a new `fit` continues training the
            fitted `model_` instead of starting from a new model. Defaults
            to `False`.
        model_kwargs: dict of keyword arguments for the model callable (the
            Keras 3.15 way; `model__name=value` parameters are searchable
            equivalents). A `model__name` parameter overrides the
            `model_kwargs` entry of the same name, so a search over
            `model__name` works on an estimator configured with
            `model_kwargs`. Defaults to `None`.
        fit_kwargs: dict of keyword arguments for `Model.fit` (the Keras
            3.15 way). Keyword arguments given to `fit` itself take
            precedence, for that call only. A key may not also be set as a
            parameter (`epochs`, `batch_size`, `verbose`, `callbacks`).
            Defaults to `None`.
        epochs: int, the number of epochs `fit` trains. `0` trains nothing:
            `fit` checks the data and records the fitted attributes, and
            the estimator predicts (or transforms) with the weights of the
            given model, for example a pretrained feature extractor.
            Defaults to `None`, which means 20.
        batch_size: int, samples per gradient step and per prediction
            batch. Defaults to `None`, which means 32.
        verbose: 0 for silence, 1 or 2 for Keras's progress output.
            Defaults to `None`, which means 0.
        callbacks: list of `keras.callbacks.Callback` for `Model.fit`.
            Defaults to `None`. A network the wrapper compiles itself runs
            32 training steps per call into TensorFlow or JAX, which makes
            small fits faster; with callbacks it runs one, so that they
            see every batch.
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
            shuffling are seeded from it, drawing from no process-global
            random state, so fits in concurrent threads (a Dask worker's)
            give what they give serially. Defaults to `None`.
        trainable_layers: int, how many of the model's top layers train;
            the others are frozen (`trainable=False`) before training. Only
            layers with weights count, from the output end of
            `model.layers`, and a nested model (a pretrained base) counts as
            one: with a base and a head, `1` trains the head only and `2`
            the base too. A layer that trains trains whole: a nested
            model's own frozen layers are unfrozen, as `base.trainable =
            True` does in Keras. Applied when a fit starts a new `model_`
            (or continues one that has trained no epoch), not when it
            continues training `model_`. A search over it compares
            fine-tuning depths.
            Defaults to `None`: each layer keeps its own `trainable` flag.
        **routed_params: `model__<name>` and `optimizer__<name>` parameters,
            routed to the model callable and to the optimizer.
        feature_layer: name or index of the layer whose output `transform`
            returns. Defaults to `None`: the last hidden layer of the default
            network, or the output of a given model.

    Attributes:
        model_: the fitted `keras.Model`.
        history_: dict mapping each metric to its per-epoch values, over
            every epoch `model_` has been trained. (In Keras 3.15 it was
            the `keras.callbacks.History` object; its `history`, `epoch`
            and `params` attributes still work, deprecated.)
        n_iter_: int, the number of epochs `model_` has been trained.
            Replaces Keras 3.15's `epoch_`, which still works, deprecated.
        n_features_in_: int, `X.shape[1]` in `fit` (not set for a dict `X`).
        input_shape_: the shape of one row of `X` in `fit` (`(8, 8, 1)` for
            images), or a dict of them for a dict `X`.
        feature_names_in_: array of the column names, when `X` had them.
        feature_extractor_: the `keras.Model` from the inputs of `model_` to
            the output `transform` returns.

    Example:

    Features learned from the labels, fed to a support vector machine:

    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.svm import SVC
    >>> from keras.wrappers import SKLearnTransformer
    >>> X = np.random.RandomState(0).normal(size=(100, 6))
    >>> y = (X[:, 0] + X[:, 1] > 0).astype(int)
    >>> extractor = SKLearnTransformer(
    ...     model__hidden_layer_sizes=(16, 4), epochs=3, random_state=0
    ... )
    >>> hybrid = make_pipeline(extractor, SVC()).fit(X, y)
    >>> hybrid[0].transform(X).shape
    (100, 4)
    >>> hybrid.predict(X[:3]).shape
    (3,)
    """

    _y_numeric = False
    _needs_head_for_y = False
    _derived_attributes = KerasEstimatorBase._derived_attributes + (
        "feature_extractor_",
    )
    _parameter_rules = {
        **KerasEstimatorBase._parameter_rules,
        "feature_layer": (parameters.NONE, parameters.STR, parameters.INT),
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
        trainable_layers=None,
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
            trainable_layers=trainable_layers,
            **routed_params,
        )
        self.feature_layer = feature_layer

    def fit(self, X, y=None, sample_weight=None, **kwargs):
        """Trains a new network on `(X, y)`, or to reconstruct `X`.

        Each call starts from a freshly built network, unless `warm_start=True`
        and the estimator is already fitted: then training continues.

        Args:
            X: array of shape `(n_samples, ...)`, scipy.sparse matrix, or
                dict of arrays by model input name (see the class docstring).
            y: labels (a classification head), continuous targets (a regression
                head), or `None` to train the network to reconstruct `X`.
            sample_weight: array-like of shape `(n_samples,)`, or `None`.
            **kwargs: `Model.fit` arguments for this call only (`epochs=5`,
                `validation_split=0.2`, ...). They take precedence over
                `fit_kwargs`.

        Returns:
            The fitted estimator.

        Example:

        An autoencoder: without `y`, the network learns to reconstruct `X`.

        >>> import numpy as np
        >>> from keras.wrappers import SKLearnTransformer
        >>> X = np.random.RandomState(0).normal(size=(60, 6))
        >>> encoder = SKLearnTransformer(
        ...     model__hidden_layer_sizes=(3,), epochs=3, random_state=0
        ... ).fit(X)
        >>> encoder.model_.output_shape  # the reconstruction
        (None, 6)
        >>> encoder.transform(X).shape  # the code
        (60, 3)
        """
        if preprocessing.is_layer(self.model):
            overrides = routing.routed(self._routed_values, "model")
            self.model_, self._layer_width = preprocessing.adapted(
                self.model, overrides, X
            )
            return self
        return self._fit(X, y, sample_weight, kwargs, incremental=False)

    def partial_fit(self, X, y=None, sample_weight=None):
        """Trains one epoch on a batch of data, continuing the fitted model.

        The first call builds the network; later calls keep training it, so the
        data can arrive in chunks that do not fit in memory together.

        Args:
            X: array of shape `(n_samples, ...)`, scipy.sparse matrix, or
                dict of arrays by model input name (see the class docstring).
            y: labels, continuous targets, or `None` to train the network to
                reconstruct `X`.
            sample_weight: array-like of shape `(n_samples,)`, or `None`.

        Returns:
            The estimator.

        Example:

        >>> import numpy as np
        >>> from keras.wrappers import SKLearnTransformer
        >>> X = np.random.RandomState(0).normal(size=(60, 6))
        >>> encoder = SKLearnTransformer(
        ...     model__hidden_layer_sizes=(3,), random_state=0
        ... )
        >>> for rows in np.array_split(np.arange(60), 3):
        ...     encoder = encoder.partial_fit(X[rows])
        >>> encoder.n_iter_
        3
        """
        return self._fit(X, y, sample_weight, {}, incremental=True)

    def transform(self, X, batch_size=None):
        """Returns the features the network computes for `X`.

        The features are the output of `feature_layer`: by default the last
        hidden layer of the default network, or the output of a given model.

        Args:
            X: array of shape `(n_samples, ...)`, scipy.sparse matrix, or
                dict of arrays by model input name (see the class docstring).
            batch_size: int, rows per inference batch. Defaults to the
                estimator's `batch_size`, or 32 (1,024 for a preprocessing
                layer).

        Returns:
            A float32 array of shape `(n_samples, n_features_out)`, or a
            DataFrame after `set_output(transform="pandas")`.

        Example:

        Features from a named layer of your own network:

        >>> import numpy as np
        >>> import keras
        >>> from keras.wrappers import SKLearnTransformer
        >>> def build_autoencoder(X, y, code_units=2):
        ...     inputs = keras.Input(shape=(X.shape[1],))
        ...     code = keras.layers.Dense(code_units, name="code")(inputs)
        ...     outputs = keras.layers.Dense(y.shape[1])(code)
        ...     return keras.Model(inputs, outputs)
        >>> X = np.random.RandomState(0).normal(size=(60, 6))
        >>> encoder = SKLearnTransformer(
        ...     model=build_autoencoder,
        ...     feature_layer="code",
        ...     epochs=3,
        ...     random_state=0,
        ... ).fit(X)
        >>> encoder.transform(X).shape
        (60, 2)
        >>> encoder.get_feature_names_out()
        array(['sklearntransformer0', 'sklearntransformer1'], dtype=object)
        """
        if preprocessing.is_layer(vars(self).get("model_")):
            batch_size = batch_size or self.batch_size or 1024
            return preprocessing.transform(self.model_, X, batch_size)
        return self._raw_predict(X, batch_size)

    def get_feature_names_out(self, input_features=None):
        """Names the output columns.

        A preprocessing layer whose output has one column per entry of its
        vocabulary (a one-hot, multi-hot, count or TF-IDF `output_mode`)
        names them by the vocabulary; other outputs are named
        `sklearntransformer0`, `sklearntransformer1`, ... .

        Args:
            input_features: ignored; accepted for scikit-learn's API.

        Returns:
            An object array of strings, one per output column.

        Example:

        >>> import numpy as np
        >>> import keras
        >>> from keras.wrappers import SKLearnTransformer
        >>> colors = np.array([["red"], ["blue"], ["red"]])
        >>> lookup = SKLearnTransformer(
        ...     model=keras.layers.StringLookup(output_mode="one_hot")
        ... ).fit(colors)
        >>> lookup.get_feature_names_out()
        array(['[UNK]', 'red', 'blue'], dtype=object)
        >>> lookup.transform(np.array([["blue"], ["green"]]))
        array([[0, 0, 1],
               [1, 0, 0]])
        """
        names = preprocessing.vocabulary_names(vars(self).get("model_"))
        if names is None:
            names = super().get_feature_names_out(input_features)
        return names

    def _fit_targets(self, X, y, classes):
        if y is None:
            if not (isinstance(X, np.ndarray) and X.ndim == 2):
                raise ValueError(
                    "Fitting without y trains the network to reconstruct X, "
                    "which needs X as a 2-D array. Received X of type "
                    f"{type(X).__name__}"
                    + (f" and shape {X.shape}" if hasattr(X, "shape") else "")
                    + ". Pass y to `fit` to train on a target instead."
                )
            return target_encoders.ReconstructionTargets(X)
        # Labels get a classification head, anything else a regression one.
        kind = type_of_target(y)
        if kind.startswith("continuous") or kind == "unknown":
            return target_encoders.RegressionTargets(y)
        return _label_targets(y)

    def _set_derived(self):
        if preprocessing.is_layer(self.model_):
            return  # A preprocessing layer is used as it is.
        self.feature_extractor_ = self._feature_extractor()
        super()._set_derived()

    def _inference_model(self):
        return self.feature_extractor_

    def _feature_extractor(self):
        model, layer = self.model_, self.feature_layer
        if layer is None and self.model is None:
            hidden = list(filter(default_network.is_hidden_layer, model.layers))
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
        if preprocessing.is_layer(self.model_):
            return self._layer_width
        outputs = self.feature_extractor_.outputs
        if len(outputs) == 1:
            return int(outputs[0].shape[-1])
        return sum(target_encoders.OutputHeads.of_outputs(outputs).widths)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags
