"""The training loop shared by the scikit-learn wrappers.

Data flows one way: validate X and y, encode the targets, build (or reuse)
and compile the model, `Model.fit`, then decode outputs at predict time.
The public classes in `sklearn_wrapper.py` differ only in their target
encoding, their mixins and their scikit-learn tags.
"""

import functools
import tempfile
import warnings
import weakref

import numpy as np

from keras.src import optimizers
from keras.src.callbacks.early_stopping import EarlyStopping
from keras.src.layers.layer import Layer
from keras.src.models.cloning import clone_model
from keras.src.models.model import Model
from keras.src.saving import serialization_lib
from keras.src.utils.naming import to_snake_case
from keras.src.wrappers import default_network
from keras.src.wrappers import inference
from keras.src.wrappers import inputs
from keras.src.wrappers import parameters
from keras.src.wrappers import routing
from keras.src.wrappers import sample_weights
from keras.src.wrappers import shared_functions
from keras.src.wrappers import training
from keras.src.wrappers.history import FitHistory
from keras.src.wrappers.targets import OutputHeads

try:
    import sklearn
except ImportError:  # pragma: no cover
    sklearn = None
try:
    from sklearn.base import BaseEstimator
    from sklearn.model_selection import train_test_split
    from sklearn.utils.validation import check_is_fitted
except ImportError:  # pragma: no cover
    BaseEstimator = object


def require_sklearn(owner):
    """Raises unless scikit-learn 1.6 or later (`validate_data`) is
    installed."""
    if inputs.validate_data is None:
        found = "(not installed)" if sklearn is None else sklearn.__version__
        raise ImportError(
            f"{owner} requires scikit-learn 1.6 or later. Received: "
            f"scikit-learn {found}. Install it with "
            "`pip install --upgrade scikit-learn`."
        )


# The allowed values of each parameter, checked once at the start of `fit`.
PARAMETER_RULES = {
    "model": (parameters.NONE, parameters.CALLABLE),
    "warm_start": (parameters.BOOL,),
    "model_kwargs": (parameters.NONE, parameters.DICT),
    "fit_kwargs": (parameters.NONE, parameters.DICT),
    "epochs": (parameters.NONE, parameters.int_at_least(0)),
    "batch_size": (parameters.NONE, parameters.int_at_least(1)),
    "verbose": (
        parameters.NONE,
        parameters.BOOL,
        parameters.int_at_least(0),
        parameters.one_of("auto"),
    ),
    "callbacks": (parameters.NONE, parameters.LIST),
    "optimizer": (
        parameters.NONE,
        parameters.STR,
        parameters.CLASS,
        parameters.has_methods("apply_gradients"),
    ),
    "loss": (parameters.NONE, parameters.STR, parameters.CALLABLE),
    "metrics": (parameters.NONE, parameters.LIST, parameters.DICT),
    "validation_fraction": (parameters.fraction(),),
    "early_stopping": (parameters.BOOL,),
    "n_iter_no_change": (parameters.int_at_least(1),),
    "random_state": (
        parameters.NONE,
        parameters.int_between(0, 2**32 - 1),
        parameters.RANDOM_STATE,
    ),
    "trainable_layers": (parameters.NONE, parameters.int_at_least(1)),
}


def output_heads(model, first_row):
    """The output heads of `model`, a `targets.OutputHeads`.

    Args:
        model: a `keras.Model`.
        first_row: one row of the training inputs as the network takes
            them, to run through a model with no symbolic outputs.
    """
    try:
        outputs = model.output
    except (AttributeError, ValueError):
        # Subclassed models have no symbolic outputs: run one row through.
        outputs = model(first_row)
    return OutputHeads.of_outputs(outputs, getattr(model, "output_names", None))


def make_optimizer(spec, overrides):
    """A new optimizer from a name, class or instance, plus overrides.

    A user's optimizer instance is never trained directly: each fit gets a
    fresh copy built from its config, so clones and refits share no state.

    An optimizer named by a string keeps that class's plain name ("adam")
    instead of Keras's unique "adam_<n>": on TensorFlow its variables'
    names become op attributes, and every new name adds entries to the
    eager kernel cache that are never evicted.

    Args:
        spec: an optimizer's name, class or instance.
        overrides: dict of constructor arguments (`optimizer__*`).

    Returns:
        A new `keras.optimizers.Optimizer`.
    """
    if isinstance(spec, str):
        spec = type(optimizers.get(spec))
        overrides = {"name": to_snake_case(spec.__name__), **overrides}
    cls = spec if isinstance(spec, type) else type(spec)
    routing.check_accepts(
        cls, overrides, "optimizer", f"optimizer {cls.__name__}"
    )
    if spec is cls:
        return cls(**overrides)
    return cls.from_config({**spec.get_config(), **overrides})


def copy_model(model):
    """A new model with the architecture, weights, learned vocabularies,
    `trainable` flags and compile settings of `model`, sharing no variables
    with it (its optimizer starts afresh)."""
    copied = clone_model(model)
    if type(copied) is not type(model):
        raise ValueError(
            f"`model` is a {type(model).__name__}, which "
            "`keras.models.clone_model` copies as a plain "
            f"{type(copied).__name__}, losing what the subclass adds (its "
            "`train_step`, ...). Pass a function that builds the model "
            "instead, `model=lambda X, y: build()`, and load the weights to "
            "start from in it."
        )
    if model.compiled and type(model).compile is not Model.compile:
        raise ValueError(
            f"`model` is a {type(model).__name__} with a `compile` method "
            "of its own, which the wrappers cannot call to compile their "
            "copy of it. Pass a function that builds and compiles the "
            "model instead, `model=lambda X, y: build()`."
        )
    copied.set_weights(model.get_weights())
    copy_assets(model, copied)
    if model.compiled and not copied.compiled:
        # `clone_model` compiles functional and Sequential clones itself.
        copied.compile_from_config(model.get_compile_config())
    return copied


def _nested_layers(model):
    """The layers of `model` and of the models nested in it, in order."""
    for layer in model.layers:
        yield layer
        if isinstance(layer, Model):
            yield from _nested_layers(layer)


def copy_assets(model, copied):
    """Gives the layers of `copied`, a `clone_model` copy of `model`, what
    the layers of `model` learned that is not a weight.

    Keras saves that state as a layer's assets, through a folder: the
    vocabulary a `StringLookup`, `IntegerLookup` or `TextVectorization`
    layer adapted, which `clone_model` and `set_weights` do not copy.
    """
    pairs = [
        pair
        for pair in zip(_nested_layers(model), _nested_layers(copied))
        if hasattr(pair[0], "save_assets")
    ]
    if not pairs:
        return
    with tempfile.TemporaryDirectory() as folder:
        for layer, twin in pairs:
            layer.save_assets(folder)
            twin.load_assets(folder)


def set_trainable_layers(model, count):
    """Lets the top `count` layers with weights train and freezes the rest.

    Layers are counted in `model.layers` from the output end, skipping
    layers without weights (`Dropout`, `Flatten`); a nested model (a
    pretrained base) counts as one layer.
    """
    weighted = [layer for layer in model.layers if layer.weights]
    if count > len(weighted):
        raise ValueError(
            f"`trainable_layers={count}` asks for more layers than the "
            f"model has with weights: {len(weighted)} "
            f"({[layer.name for layer in weighted]}). Use a value from 1 "
            f"to {len(weighted)}."
        )
    for index, layer in enumerate(weighted):
        layer.trainable = index >= len(weighted) - count


@functools.lru_cache(maxsize=None)
def _optimizer_class_named(name):
    # `optimizers.get` builds an instance (with backend variables) just to
    # name its class; `get_params(deep=True)` runs on every `set_params`.
    try:
        return type(optimizers.get(name))
    except ValueError:
        return None


def _optimizer_class(spec):
    """The optimizer class `spec` names, or None if it names none."""
    if isinstance(spec, str):
        spec = _optimizer_class_named(spec)
    cls = spec if isinstance(spec, type) else type(spec)
    return cls if issubclass(cls, optimizers.Optimizer) else None


def release_compiled_functions(model, others=(), shared=None):
    """Drops the compiled train, test and predict functions of `model`
    (unless `None`) and of the models in `others`.

    The functions hold their model (their closures call its steps), so a
    model and its functions form a cycle that only Python's cyclic
    collector frees. A search drops a fitted clone every fit and never
    collects: on JAX, each one kept its jitted functions and their
    executables until a collection came. Keras builds the functions again
    if a released model is used afterwards.

    Args:
        model: a `keras.Model` or `None`.
        others: more models.
        shared: `None`, or the `shared_functions.SharedFunctions` of
            `model`'s architecture, which keeps its functions first for
            later models.
    """
    if model is not None and shared is not None:
        shared.keep(model)
    for released in [model, *others]:
        if released is not None:
            released.train_function = None
            released.test_function = None
            released.predict_function = None


def check_finite_outputs(outputs):
    """Refuses to turn NaN network outputs into predictions."""
    if not np.isnan(np.sum(outputs)):  # one pass, no temporary
        return
    bad_rows = np.flatnonzero(
        np.isnan(outputs).reshape(len(outputs), -1).any(1)
    )
    if len(bad_rows):
        raise ValueError(
            f"The network returned NaN for {len(bad_rows)} of "
            f"{len(outputs)} rows (first: row {bad_rows[0]}), so they have "
            "no prediction. Its weights or these inputs overflow float32: "
            "check X for extreme values, or refit with scaled features or "
            "a lower learning rate."
        )


class KerasEstimatorBase(BaseEstimator):
    """Shared machinery of `SKLearnClassifier`, `SKLearnRegressor` and
    `SKLearnTransformer`; see their docstrings for the arguments."""

    _parameter_rules = PARAMETER_RULES
    # Whether predictions decode the model's output heads into targets like
    # y, so that the heads must match y even when a fit trains nothing (a
    # transformer returns a layer's output as it is).
    _needs_head_for_y = True

    # Attributes recomputed from `model_` after a fit or unpickling; never
    # pickled.
    _derived_attributes = (
        "_predictor",
        "_release_functions",
        "_shared_functions",
    )

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
        random_state=None,
        trainable_layers=None,
        **routed_params,
    ):
        require_sklearn(type(self).__name__)
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs
        self.epochs = epochs
        self.batch_size = batch_size
        self.verbose = verbose
        self.callbacks = callbacks
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        self.validation_fraction = validation_fraction
        self.early_stopping = early_stopping
        self.n_iter_no_change = n_iter_no_change
        self.random_state = random_state
        self.trainable_layers = trainable_layers
        # Routed values live apart from the declared parameters; their
        # names are checked in `fit`, as every other parameter is.
        self._routed_values = dict(routed_params)

    # ---------------------------------------------------------------- params

    def _routed_defaults(self):
        """Default values of every argument a routed parameter can reach."""
        if self.model is None:
            skip = ("X", "y", "output_activation")
            model = routing.signature_defaults(default_network.build_mlp, skip)
        elif isinstance(self.model, Layer):
            model = {}
        else:
            model = routing.signature_defaults(self.model, skip=("X", "y"))
            if isinstance(self.model_kwargs, dict):
                model.update(self.model_kwargs)
        result = {f"model__{k}": v for k, v in model.items()}
        # Without an `optimizer`, a model callable may compile its own
        # optimizer, whose class is unknown until it is built: listing
        # Adam's arguments there would route them to another class.
        if self.optimizer is not None or self.model is None:
            spec = "adam" if self.optimizer is None else self.optimizer
            cls = _optimizer_class(spec)
            if cls is not None:
                defaults = routing.signature_defaults(cls, skip=("name",))
                for name, value in defaults.items():
                    result[f"optimizer__{name}"] = value
        return result

    def get_params(self, deep=True):
        """Gets the parameters of this estimator.

        Args:
            deep: bool. If `True`, also lists every argument that a routed
                parameter can reach (`model__*` for the model-building
                callable, `optimizer__*` for the optimizer) with its
                default, so that search tools can discover them.

        Returns:
            Dict mapping parameter names to their values.
        """
        params = super().get_params(deep=False)
        params.update(self._routed_values)
        if deep:
            for name, value in self._routed_defaults().items():
                params.setdefault(name, value)
        return params

    def set_params(self, **params):
        """Sets parameters, including routed ones like `model__units`.

        Returns:
            The estimator.
        """
        plain = {}
        for name, value in params.items():
            if routing.is_routed(name) or name in self._routed_values:
                self._routed_values[name] = value
            else:
                plain[name] = value
        if plain:
            super().set_params(**plain)
        return self

    # ------------------------------------------------------------- fitting

    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")

    def __getattr__(self, name):
        # Only reached for attributes not found otherwise. `epoch_` is
        # answered here rather than by a property so that listing the
        # estimator's members (scikit-learn's HTML repr does) never warns.
        if name != "epoch_":
            raise AttributeError(
                f"'{type(self).__name__}' object has no attribute '{name}'"
            )
        warnings.warn(
            "`epoch_` is deprecated and will be removed in a future "
            "release. Use `n_iter_`, the number of epochs `model_` has been "
            "trained.",
            DeprecationWarning,
            stacklevel=2,
        )
        # Keras 3.15's `epoch_` counted epochs trained, 0 before a fit.
        return vars(self).get("n_iter_", 0)

    def _fit(self, X, y, sample_weight, kwargs, incremental, classes=None):
        """What `fit` and `partial_fit` do.

        Args:
            X, y, sample_weight: the training data, as given.
            kwargs: dict of `Model.fit` arguments given to this call.
            incremental: bool, whether this is `partial_fit`: one epoch,
                continuing the fitted model if there is one.
            classes: `partial_fit`'s `classes`, or `None`.

        Returns:
            The estimator. A fit that fails, interrupted or diverged,
            leaves it as it was before the call.
        """
        parameters.check_parameters(self, self._parameter_rules)
        routing.check_routed_names(self._routed_values, type(self).__name__)
        continuing = (incremental or self.warm_start) and (
            self.__sklearn_is_fitted__()
        )
        previous = {
            k: v for k, v in vars(self).items() if self._is_fit_state(k)
        }
        # A continued fit that fails gives its model its weights back.
        weights = training.WeightSnapshot(self.model_) if continuing else None
        if incremental:
            # One epoch, whatever `epochs` the other fit arguments set.
            kwargs = {**kwargs, "epochs": 1}
        try:
            self._fit_model(X, y, sample_weight, kwargs, continuing, classes)
        except BaseException:
            # A failed fit, interrupted or diverged, leaves the estimator as
            # it was before the call: unfitted, or with its previous model.
            for name in [k for k in vars(self) if self._is_fit_state(k)]:
                delattr(self, name)
            vars(self).update(previous)
            if weights is not None:
                weights.restore()
            raise
        return self

    def _is_fit_state(self, name):
        return name.endswith("_") or name in self._derived_attributes

    def _fit_model(self, X, y, sample_weight, kwargs, continuing, classes):
        """Validates the data, builds (or, `continuing`, reuses) the model,
        trains it and records the fit (see `_fit` for the arguments)."""
        X, y = self._validate_fit_data(X, y, reset=not continuing)
        targets = (
            self.target_encoder_
            if continuing
            else self._fit_targets(X, y, classes)
        )
        if y is None:
            y = X  # Unsupervised: the network learns to reconstruct X.
        sample_weight = sample_weights.scaled_to_mean_one(
            self._sample_weight(X, y, sample_weight)
        )
        seed = training.seed_from(self.random_state)
        params = {
            name: getattr(self, name) for name in training.FIT_ARGUMENT_DEFAULTS
        }
        fit_arguments = training.resolve_fit_arguments(
            params, self.fit_kwargs, kwargs
        )
        batch_callbacks = bool(fit_arguments["callbacks"])
        divergence = training.StopOnDivergence()
        fit_arguments["callbacks"].append(divergence)
        with training.seeded(seed):
            model, owns_steps = self._model_for_fit(X, y, targets, continuing)
            dtypes = inputs.network_dtypes(model, X)
            first_row = inputs.network_batch(X, slice(0, 1), dtypes)
            trains = fit_arguments["epochs"] != 0
            # A model that has trained nothing yet (a fit with `epochs=0`)
            # is prepared as a new one.
            if not continuing or self.n_iter_ == 0:
                self._prepare(model, targets, first_row, trains)
            history = None
            if trains:
                if owns_steps:
                    training.set_steps_per_execution(
                        model,
                        batch_callbacks,
                        inputs.nbytes(first_row) * fit_arguments["batch_size"],
                    )
                shared = self._share_compiled_functions(model)
                history = self._train(
                    model,
                    X,
                    y,
                    sample_weight,
                    targets,
                    seed,
                    fit_arguments,
                    dtypes,
                )
                if shared is not None:
                    shared.keep(model)
        divergence.raise_if_diverged(self.n_iter_ if continuing else 0)
        self._record_fit(model, targets, history, continuing)
        self._owns_steps_per_execution_ = owns_steps

    def _model_for_fit(self, X, y, targets, continuing):
        """The model this fit trains, and whether the wrapper compiled it
        (and so owns its `steps_per_execution`)."""
        if continuing:
            return self.model_, getattr(
                self, "_owns_steps_per_execution_", False
            )
        model = self._build_model(X, targets.network_view(y), targets)
        inputs.check_model_inputs(model, X)
        return model, not model.compiled

    def _prepare(self, model, targets, first_row, trains):
        """Freezes layers (`trainable_layers`), fits the targets to the
        model's heads, and compiles a model that will train.

        A transformer returns a layer's output, so when it trains nothing
        its model needs no head for y.
        """
        if self.trainable_layers is not None:
            set_trainable_layers(model, self.trainable_layers)
        if not (trains or self._needs_head_for_y):
            return
        loss = self.loss
        if loss is None and model.compiled:
            loss = model.loss
        default_loss = targets.configure_heads(
            output_heads(model, first_row), loss
        )
        if trains:
            self._compile(model, loss if loss is not None else default_loss)

    def _train(
        self, model, X, y, sample_weight, targets, seed, fit_arguments, dtypes
    ):
        """`Model.fit` on the data, holding out a share for early stopping."""
        if self.early_stopping:
            X, y, sample_weight = self._hold_out_validation(
                X, y, sample_weight, targets, seed, fit_arguments
            )
        return model.fit(
            **training.fit_data(
                X, targets.encode(y), sample_weight, fit_arguments, seed, dtypes
            )
        )

    def _record_fit(self, model, targets, history, continuing):
        """Records a fit's model and history; `history` is `None` for a fit
        that trained no epoch."""
        epochs = {}
        params = self.history_._fit_params if continuing else {}
        trained = 0
        if history is not None:
            epochs = {
                name: [float(v) for v in values]
                for name, values in history.history.items()
            }
            params, trained = history.params, len(history.epoch)
        if continuing:
            for name, values in self.history_.items():
                epochs[name] = values + epochs.get(name, [])
        self.model_ = model
        self.target_encoder_ = targets
        self.history_ = FitHistory(epochs, params=params)
        self.n_iter_ = trained + (self.n_iter_ if continuing else 0)
        self._set_derived()

    def _share_compiled_functions(self, model):
        """Lends a model that has not compiled its functions yet those of
        an earlier model of its architecture (`shared_functions`); returns
        the architecture's `SharedFunctions`, or `None`."""
        if model.train_function is None:
            self._shared_functions = shared_functions.CACHE.for_model(model)
        shared = vars(self).get("_shared_functions")
        if shared is not None:
            shared.lend(model)
        return shared

    def _set_derived(self):
        """Recomputes `_derived_attributes` from `model_`."""
        self._predictor = inference.BatchPredictor(self._inference_model())
        self._release_functions_with_estimator()

    def _release_functions_with_estimator(self):
        """Has the compiled functions of `model_` and the inference model
        released once this estimator is garbage, and those of models it no
        longer uses now (see `release_compiled_functions`)."""
        others = []
        if self._inference_model() is not self.model_:
            others.append(self._inference_model())
        previous = vars(self).get("_release_functions")
        detached = previous.detach() if previous is not None else None
        if detached is not None:
            old_model, old_others, old_shared = detached[2]
            if old_model is not self.model_:
                release_compiled_functions(old_model, old_others, old_shared)
            else:
                release_compiled_functions(None, old_others)
        release = weakref.finalize(
            self,
            release_compiled_functions,
            self.model_,
            others,
            vars(self).get("_shared_functions"),
        )
        release.atexit = False
        self._release_functions = release

    def _inference_model(self):
        """The model whose outputs `_raw_predict` returns."""
        return self.model_

    def _validate_fit_data(self, X, y, reset):
        """Checks X and y (see `inputs.validate`); returns them checked.

        The classifier and regressor extend it to check y first.
        """
        return inputs.validate(self, X, y, reset, self._y_numeric)

    def _sample_weight(self, X, y, sample_weight):
        if sample_weight is None:
            return None
        return sample_weights.check_sample_weight(
            sample_weight, inputs.num_rows(X)
        )

    # ------------------------------------------------------------ building

    def _build_model(self, X, y_network, targets):
        routed_model = routing.routed(self._routed_values, "model")
        if isinstance(self.model, Model):
            if routed_model or self.model_kwargs:
                raise ValueError(
                    "`model` is a Model instance, so `model_kwargs` and "
                    "`model__*` parameters have nothing to configure. Pass "
                    "a function that builds the model to route arguments "
                    "to it."
                )
            # A template: each fit trains a copy, from its weights.
            return copy_model(self.model)
        if self.model is None:
            build = default_network.build_mlp
            routing.check_accepts(
                build, routed_model, "model", "the default network"
            )
            activation = targets.output_activation
            return build(
                X, y_network, output_activation=activation, **routed_model
            )
        # A routed `model__x` overrides `model_kwargs["x"]`, as a search
        # over `model__x` expects of an estimator configured the 3.15 way.
        kwargs = {**(self.model_kwargs or {}), **routed_model}
        name = getattr(self.model, "__name__", repr(self.model))
        accepted = routing.accepted_names(self.model)
        if accepted is not None and not {"X", "y"} <= accepted:
            raise TypeError(
                f"The model callable `{name}` must accept the keyword "
                f"arguments `X` and `y`: it is called as `{name}(X=..., "
                "y=..., **model_kwargs)` with the training data as the "
                "network sees it. Add them to its signature, for example "
                f"`def {name}(X, y, units=32)`."
            )
        routing.check_accepts(
            self.model, kwargs, "model", f"the model callable `{name}`"
        )
        model = self.model(X=X, y=y_network, **kwargs)
        if not isinstance(model, Model):
            raise TypeError(
                f"The model callable `{name}` must return a keras.Model. "
                f"Received an object of type {type(model).__name__}. Make "
                "it return the model it builds."
            )
        return model

    def _compile(self, model, loss):
        """Compiles `model` with `loss` unless the user compiled it and
        asks nothing else."""
        routed_optimizer = routing.routed(self._routed_values, "optimizer")
        overrides = (self.loss, self.optimizer, self.metrics)
        # `trainable_layers` changes which variables train, so the model is
        # compiled again: its optimizer was built for the old ones.
        if (
            model.compiled
            and not routed_optimizer
            and self.trainable_layers is None
            and all(value is None for value in overrides)
        ):
            return
        # Recompiling keeps the user's other compile arguments. Only here:
        # a loss or metric the user never registered cannot be deserialized.
        arguments = {}
        if model.compiled:
            arguments = serialization_lib.deserialize_keras_object(
                model.get_compile_config()
            )
        arguments["optimizer"] = make_optimizer(
            self.optimizer or arguments.get("optimizer") or "adam",
            routed_optimizer,
        )
        arguments["loss"] = loss
        if self.metrics is not None:
            arguments["metrics"] = self.metrics
        model.compile(**arguments)

    def _hold_out_validation(
        self, X, y, sample_weight, targets, seed, fit_arguments
    ):
        """Splits off `validation_fraction` and stops on its loss."""
        given = [
            name
            for name in ("validation_data", "validation_split")
            if fit_arguments.get(name) is not None
        ]
        if given:
            raise ValueError(
                f"`early_stopping=True` holds out `validation_fraction` of "
                f"the data to stop on, so it cannot be combined with "
                f"`{given[0]}`. Received: {given[0]}="
                f"{fit_arguments[given[0]]!r:.60}. Use either, not both: "
                "set `early_stopping=False` to validate on your own data."
            )
        arrays = [X, y] + ([] if sample_weight is None else [sample_weight])
        stratify = y if self._stratify(y) else None
        parts = train_test_split(
            *arrays,
            test_size=self.validation_fraction,
            random_state=seed,
            stratify=stratify,
        )
        train, held_out = parts[0::2], parts[1::2]
        validation = (held_out[0], targets.encode(held_out[1]))
        if sample_weight is not None:
            validation += (held_out[2],)
        fit_arguments["validation_data"] = validation
        fit_arguments["callbacks"].append(
            EarlyStopping(
                monitor="val_loss",
                patience=self.n_iter_no_change,
                restore_best_weights=True,
            )
        )
        weights = train[2] if sample_weight is not None else None
        return train[0], train[1], weights

    def _stratify(self, y):
        return False

    # ------------------------------------------------------------ inference

    def _raw_predict(self, X, batch_size=None):
        check_is_fitted(self)
        X, _ = inputs.validate(self, X)
        batch_size = batch_size or self.batch_size or 32
        dtypes = inputs.network_dtypes(self._inference_model(), X)
        outputs = self._predictor(X, batch_size, dtypes)
        check_finite_outputs(outputs)
        return outputs

    # ---------------------------------------------------------- persistence

    def __getstate__(self):
        # Keras models pickle themselves (as `.keras` archives); what is
        # derived from them is rebuilt on loading.
        state = dict(super().__getstate__())
        for name in self._derived_attributes:
            state.pop(name, None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if self.__sklearn_is_fitted__():
            self._set_derived()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = True
        return tags

    def _user_network(self):
        """Whether the network is the user's rather than the default one.

        scikit-learn's `poor_score` tag says whether its checks may expect
        a reasonable score on their small datasets. The default network
        reaches it; a network the user gives may be built, compiled or
        trained (one epoch, say) for anything but those datasets, as Keras
        3.15 acknowledged by tagging every wrapper `poor_score`.
        """
        return self.model is not None
