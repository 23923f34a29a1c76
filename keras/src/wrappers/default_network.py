"""The network the wrappers build when no `model` is given.

Like scikit-learn's `MLPClassifier` and `MLPRegressor`, it is a multi-layer
perceptron whose input and output widths come from the data: one hidden
layer of 100 ReLU units by default. Its arguments are routed parameters
(`model__hidden_layer_sizes=(64, 32)`, `model__dropout=0.1`, ...).
"""

import numbers

from keras.src import layers
from keras.src.models.model import Model
from keras.src.wrappers.inputs import InputDict

_HIDDEN_PREFIX = "hidden_"


def is_hidden_layer(layer):
    """Whether `layer` is one of the default network's hidden layers."""
    return layer.name.startswith(_HIDDEN_PREFIX)


def build_mlp(
    X,
    y,
    output_activation="linear",
    hidden_layer_sizes=(100,),
    activation="relu",
    dropout=0.0,
):
    """Builds an uncompiled MLP sized from `X` and the network targets `y`.

    Args:
        X: the inputs: an array of shape `(n_samples, ...)`, flattened
            into the first hidden layer, or a dict of such arrays (one
            model input each), flattened and concatenated.
        y: 2-D array of targets as the network sees them; its width sets the
            output layer. A list of them (several columns of labels) gets
            one output layer per entry, `output_0`, `output_1`, ...
        output_activation: activation of the output layer, chosen by the
            wrapper from the task.
        hidden_layer_sizes: tuple of ints, the width of each hidden layer.
        activation: activation of the hidden layers.
        dropout: float in [0, 1), dropout rate after each hidden layer.

    Returns:
        A functional `Model` whose hidden layers are named `hidden_1`, ...
    """
    if isinstance(hidden_layer_sizes, numbers.Integral):
        hidden_layer_sizes = (hidden_layer_sizes,)
    sizes = tuple(hidden_layer_sizes)
    if not all(isinstance(s, numbers.Integral) and s > 0 for s in sizes):
        raise ValueError(
            "Expected `model__hidden_layer_sizes` to be a tuple of positive "
            f"ints. Received: hidden_layer_sizes={hidden_layer_sizes}"
        )
    if not 0.0 <= dropout < 1.0:
        raise ValueError(
            "Expected `model__dropout` to be a float in [0, 1). "
            f"Received: dropout={dropout}"
        )
    inputs, hidden = _input_layers(X)
    for index, units in enumerate(sizes, start=1):
        hidden = layers.Dense(
            units, activation=activation, name=f"{_HIDDEN_PREFIX}{index}"
        )(hidden)
        if dropout:
            hidden = layers.Dropout(dropout)(hidden)
    heads = y if isinstance(y, list) else [y]
    outputs = [
        layers.Dense(
            head.shape[1],
            activation=output_activation,
            name=f"output_{index}" if isinstance(y, list) else "output",
        )(hidden)
        for index, head in enumerate(heads)
    ]
    if not isinstance(y, list):
        outputs = outputs[0]
    return Model(inputs, outputs, name="mlp")


def _input_layers(X):
    """The model's inputs, and the flat features they concatenate to."""
    arrays = X if isinstance(X, InputDict) else {"features_in": X}
    inputs = {
        name: layers.Input(shape=value.shape[1:], name=name)
        for name, value in arrays.items()
    }
    flat = [
        layers.Flatten()(tensor) if len(tensor.shape) > 2 else tensor
        for tensor in inputs.values()
    ]
    features = flat[0] if len(flat) == 1 else layers.Concatenate()(flat)
    if not isinstance(X, InputDict):
        inputs = inputs["features_in"]
    return inputs, features
