"""scikit-learn's estimator checks against every wrapper, on each backend.

Keras's own `keras/src/wrappers/sklearn_test.py` runs these checks on
instances built from a user's model function. Here they also run on the
default network and with routed parameters (`model__*`, `optimizer__*`):
some 360 checks per backend, most of them fitting at least once, too many
for the time `pytest keras/src/wrappers` may take in Keras's CI.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from keras.src import layers
from keras.src import models
from keras.src.wrappers.sklearn_wrapper import SKLearnClassifier
from keras.src.wrappers.sklearn_wrapper import SKLearnRegressor
from keras.src.wrappers.sklearn_wrapper import SKLearnTransformer


def compiled_mlp(X, y, units=16, loss="categorical_crossentropy"):
    """A user-style model callable: compiled, one-hot loss by default."""
    inputs = layers.Input(shape=(X.shape[1],))
    hidden = layers.Dense(units, activation="relu")(inputs)
    activation = "softmax" if loss == "categorical_crossentropy" else None
    outputs = layers.Dense(y.shape[1], activation=activation)(hidden)
    model = models.Model(inputs, outputs)
    model.compile(optimizer="adam", loss=loss)
    return model


ESTIMATORS = [
    SKLearnClassifier(),
    SKLearnClassifier(
        model=compiled_mlp,
        model__units=32,
        optimizer="adam",
        optimizer__learning_rate=0.01,
        epochs=10,
        batch_size=16,
    ),
    SKLearnRegressor(),
    SKLearnRegressor(
        model=compiled_mlp,
        model__loss="mean_squared_error",
        optimizer__learning_rate=0.01,
        epochs=30,
    ),
    SKLearnTransformer(),
    SKLearnTransformer(model__hidden_layer_sizes=(8, 4), epochs=5),
]

# Mini-batch gradient descent only makes a weight of 2 and a repeated row
# agree in expectation, not to the 1e-7 these checks demand.
_STOCHASTIC = "mini-batch SGD: sample weights equal repeats only on average"
EXPECTED_FAILED_CHECKS = {
    "check_sample_weight_equivalence_on_dense_data": _STOCHASTIC,
    # Sparse X is densified a batch at a time and trained on as dense data.
    "check_sample_weight_equivalence_on_sparse_data": _STOCHASTIC,
}


@parametrize_with_checks(
    ESTIMATORS,
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
