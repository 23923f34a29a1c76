"""Keras preprocessing layers as the `model` of `SKLearnTransformer`.

A layer that learns from data (`TextVectorization`, `StringLookup`,
`Normalization`, `FeatureSpace`, ...) is fitted the way scikit-learn fits a
transformer: each fit adapts a fresh copy to that fit's rows alone, so that
in cross-validation every fold learns its own vocabulary or statistics.
Keras runs these layers through TensorFlow on every backend.
"""

import numpy as np

from keras.src import tree
from keras.src.layers.layer import Layer
from keras.src.layers.preprocessing.feature_space import FeatureSpace
from keras.src.models.model import Model
from keras.src.utils.module_utils import tensorflow as tf

# Output modes with one column per vocabulary entry.
VOCABULARY_MODES = ("one_hot", "multi_hot", "count", "tf_idf")


def is_layer(model):
    """Whether `model` is a layer on its own rather than a model."""
    return isinstance(model, Layer) and not isinstance(model, Model)


def adapted(layer, overrides, X):
    """A copy of `layer` built from its configuration updated with
    `overrides` (the `model__*` parameters) and adapted to `X`, and the
    width of its output (`None` for a dict)."""
    # An unknown name gets Keras's error, naming it.
    fresh = type(layer).from_config({**layer.get_config(), **overrides})
    X = layer_input(fresh, X)
    if isinstance(fresh, FeatureSpace):
        # `FeatureSpace.adapt` reads only a `tf.data.Dataset`.
        fresh.adapt(tf.data.Dataset.from_tensor_slices(X).batch(1024))
    elif hasattr(fresh, "adapt"):
        fresh.adapt(X)
    first = transform(fresh, tree.map_structure(lambda a: a[:1], X), 1)
    return fresh, getattr(first, "shape", (None,))[-1]


def layer_input(layer, X):
    """`X` as the layer takes it: a dict of column arrays by feature name
    for a `FeatureSpace`, one array otherwise."""
    if not isinstance(layer, FeatureSpace):
        return np.asarray(X)
    if not set(layer.features) <= set(getattr(X, "keys", list)()):
        raise ValueError(
            "A FeatureSpace takes X as a DataFrame or dict with the columns "
            f"{list(layer.features)}. Received: {type(X).__name__} {X!r:.80}"
        )
    return {name: np.asarray(X[name]) for name in layer.features}


def transform(layer, X, batch_size):
    """The layer's output for `X`, `batch_size` rows per call, as NumPy.

    The layer runs in a `tf.data` pipeline, as Keras recommends for these
    layers on every backend (the NumPy backend can't call them eagerly).
    """
    rows = tf.data.Dataset.from_tensor_slices(layer_input(layer, X))
    outputs = [
        tree.map_structure(np.asarray, batch)
        for batch in rows.batch(batch_size).map(layer)
    ]
    return tree.map_structure(lambda *parts: np.concatenate(parts), *outputs)


def vocabulary_names(layer):
    """The vocabulary, where the layer outputs one column per entry of it;
    `None` otherwise."""
    config = layer.get_config() if hasattr(layer, "get_vocabulary") else {}
    padded = config.get("pad_to_max_tokens")  # To `max_tokens` columns.
    if config.get("output_mode") not in VOCABULARY_MODES or padded:
        return None
    return np.asarray([str(t) for t in layer.get_vocabulary()], dtype=object)
