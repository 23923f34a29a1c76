"""Compiled JAX functions shared by the models of one architecture.

A search fits one architecture again and again (another fold, learning
rate, number of epochs or seed), and each new model traced and compiled
its train and predict functions anew, most of a small fit's time on JAX.
JAX's trainer is stateless: its compiled step takes every variable as
input and returns the new values, so the step compiled for one model
computes exactly what a new model of the same architecture would compile,
on that model's own weights, optimizer state and learning rate (a
variable, not a constant). Models whose architecture and compilation have
the same `architecture_key` therefore share the functions of the first
one, bit for bit what their own would compute.

A model is only keyed when all that its compiled step does is in its
configuration: a `Sequential` or functional model of Keras's own layers
(no `Lambda`), compiled with Keras's own losses, metrics and optimizers,
not distributed. Any other model compiles its own functions, as before.

TensorFlow's functions capture the variables of the model they were traced
for, and PyTorch compiles nothing, so they share nothing.

The cache is process-wide and thread-safe: each `SharedFunctions` and the
cache itself hold a lock, and keeping, which also runs when an estimator
is garbage-collected, never waits for one.
"""

import collections
import json
import math
import threading

import numpy as np

from keras.src import backend
from keras.src import dtype_policies
from keras.src.distribution import distribution_lib
from keras.src.layers.core.lambda_layer import Lambda
from keras.src.models.functional import Functional
from keras.src.models.sequential import Sequential
from keras.src.saving import serialization_lib

FUNCTION_NAMES = ("train_function", "test_function", "predict_function")

# The functions hold the model they were traced for, so the cache holds
# at most this many architectures, and models of at most this many bytes
# of variables in all: a large pretrained model is not kept alive for
# fits that may never come.
MAX_ARCHITECTURES = 8
MAX_BYTES = 64 * 2**20


class SharedFunctions:
    """The compiled functions of one architecture, filled in as its models
    build them.

    A function still reads the model that built it: its number of steps
    per call, and, when JAX traces it again for a new batch shape, its
    compiled loss and optimizer. So a function is only lent while that
    model is as it was when the function was kept (`_fingerprint`).
    """

    def __init__(self):
        # name -> (function, the model that built it, its fingerprint)
        self._functions = {}
        self._lock = threading.Lock()

    def lend(self, model):
        """Gives `model` the functions it has not built yet."""
        with self._lock:
            for name, entry in list(self._functions.items()):
                function, owner, fingerprint = entry
                if _fingerprint(owner) != fingerprint:
                    self._functions.pop(name, None)
                elif getattr(model, name) is None:
                    setattr(model, name, function)

    def keep(self, model):
        """Keeps those of `model`'s functions not kept yet.

        Keeping only saves later fits a compilation, so it never waits:
        it may run from a garbage-collection finalizer, in the middle of
        this thread's own `lend`, and then keeps nothing.
        """
        if not self._lock.acquire(blocking=False):
            return
        try:
            for name in FUNCTION_NAMES:
                function = getattr(model, name)
                if function is not None and name not in self._functions:
                    fingerprint = _fingerprint(model)
                    self._functions[name] = (function, model, fingerprint)
        finally:
            self._lock.release()


def _fingerprint(model):
    """What a compiled function reads from its model when it runs or is
    traced again: a new `compile` makes a new optimizer and loss."""
    return (
        model.steps_per_execution,
        id(model.optimizer),
        id(getattr(model, "_compile_loss", None)),
        tuple(layer.trainable for layer in model._flatten_layers()),
    )


class SharedFunctionsCache:
    """`SharedFunctions` by `architecture_key`, least recently used first
    out; safe to use from several threads."""

    def __init__(self):
        self._entries = collections.OrderedDict()
        self._lock = threading.Lock()

    def for_model(self, model):
        """The `SharedFunctions` of `model`'s architecture, or `None` when
        it cannot be shared."""
        try:
            key = architecture_key(model)
        except Exception:  # a configuration that cannot be written
            return None
        if key is None:
            return None
        size = sum(
            math.prod(v.shape) * np.dtype(v.dtype).itemsize
            for v in model.variables
        )
        if size > MAX_BYTES:
            return None
        with self._lock:
            self._entries.setdefault(key, (SharedFunctions(), size))
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_ARCHITECTURES or (
                sum(size for _, size in self._entries.values()) > MAX_BYTES
            ):
                self._entries.popitem(last=False)
            return self._entries[key][0]

    def clear(self):
        with self._lock:
            self._entries.clear()


CACHE = SharedFunctionsCache()


def architecture_key(model):
    """A string that equals another model's exactly when their compiled
    JAX steps are the same computation, or `None` if `model`'s cannot be
    told from its configuration."""
    if (
        backend.backend() != "jax"
        or type(model) not in (Functional, Sequential)
        or model.run_eagerly
        or not model.jit_compile
        or distribution_lib.distribution() is not None
        or any(_unkeyable_layer(layer) for layer in model._flatten_layers())
    ):
        return None
    compile_config = dict(model.get_compile_config() or {})
    compile_config.pop("optimizer", None)
    # The optimizer itself: `compile` may have wrapped the one it was given
    # (a `LossScaleOptimizer` under mixed precision).
    optimizer = serialization_lib.serialize_keras_object(model.optimizer)
    optimizer_config = optimizer.setdefault("config", {})
    # A number is a variable of the optimizer; a schedule is traced.
    if isinstance(optimizer_config.get("learning_rate"), (int, float)):
        del optimizer_config["learning_rate"]
    optimizer_config.pop("name", None)  # names its variables, no more
    described = {
        "model": _canonical_names(model.get_config(), _internal_names(model)),
        "variables": [
            (tuple(v.shape), v.dtype, v.trainable) for v in model.variables
        ],
        "compile": compile_config,
        "optimizer": optimizer,
        "steps_per_execution": model.steps_per_execution,
        "settings": (
            backend.floatx(),
            backend.epsilon(),
            backend.image_data_format(),
            dtype_policies.dtype_policy.dtype_policy().name,
            backend.config.is_nnx_enabled(),
        ),
    }
    if not _only_keras_objects(described):
        return None
    try:
        return json.dumps(described, sort_keys=True)
    except TypeError:  # a value with no exact text form
        return None


def _unkeyable_layer(layer):
    """Whether the step of a model with `layer` depends on more than its
    configuration and variables, or on a model's mutable state.

    A `Lambda` runs any function. Layers that `adapt` keep what they
    learned as constants of the traced step (`Normalization`'s mean and
    variance), not as variables. A layer that adds losses has them
    collected through its model's `_losses_override` list while a step is
    traced, which two threads tracing one model at once would mix up.
    """
    if isinstance(layer, Lambda) or hasattr(layer, "adapt"):
        return True
    return any(
        value is not None
        for name, value in vars(layer).items()
        if name.endswith("regularizer")
    )


def _internal_names(model):
    """Canonical names for the model's own name and its layers' names.

    Auto-generated names differ between builds (`dense_3`, `dense_7`) and
    change nothing computed. Input names and the names of several outputs
    are kept: they key the data dict and the logs.
    """
    kept = set()
    if type(model) is Functional:  # a `Sequential` has one of each
        if not backend.is_keras_tensor(model.input):
            kept.update(x._keras_history[0].name for x in model.inputs)
        if not backend.is_keras_tensor(model.output):
            kept.update(model.output_names)
    names = {model.name: "#model"}
    for index, layer in enumerate(model._flatten_layers(include_self=False)):
        if layer.name not in kept:
            names.setdefault(layer.name, f"#{index}")
    return names


def _canonical_names(config, names):
    """`config` with the layer names in its `name` fields and its
    references to layers (`keras_history`, `input_layers`,
    `output_layers`) replaced by `names`."""
    if isinstance(config, dict):
        result = {}
        for key, value in config.items():
            if key == "name" and isinstance(value, str):
                value = names.get(value, value)
            elif key in ("keras_history", "input_layers", "output_layers"):
                value = _renamed_references(value, names)
            else:
                value = _canonical_names(value, names)
            result[key] = value
        return result
    if isinstance(config, (list, tuple)):
        return [_canonical_names(value, names) for value in config]
    return config


def _renamed_references(value, names):
    """A `[layer_name, node_index, tensor_index]` reference, or a structure
    of them, renamed."""
    if isinstance(value, dict):
        return {k: _renamed_references(v, names) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if len(value) == 3 and isinstance(value[0], str):
            return [names.get(value[0], value[0]), value[1], value[2]]
        return [_renamed_references(v, names) for v in value]
    return value


def _only_keras_objects(config):
    """Whether every serialized object in `config` is one of Keras's public
    classes, which serialize with no registered name: a user's layer, loss
    or metric, or any function (serialized by its name alone), may compute
    what its configuration does not say."""
    if isinstance(config, dict):
        module = config.get("module", "keras")  # `None` for `__main__`
        if "class_name" in config and (
            config.get("registered_name") is not None
            or not isinstance(module, str)
            or not module.startswith("keras")
        ):
            return False
        return all(_only_keras_objects(value) for value in config.values())
    if isinstance(config, (list, tuple)):
        return all(_only_keras_objects(value) for value in config)
    return True
