from unittest import mock

import numpy as np
import pytest

from keras.src import backend
from keras.src import layers
from keras.src import models
from keras.src import testing
from keras.src.wrappers import shared_functions

pytestmark = pytest.mark.skipif(
    backend.backend() != "jax",
    reason="Only JAX shares compiled functions: TensorFlow's capture the "
    "variables of the model they were traced for, and PyTorch compiles "
    "nothing.",
)


def mlp(units=8, activation="relu", names=("x",)):
    inputs = {name: layers.Input((3,), name=name) for name in names}
    joined = list(inputs.values())
    x = layers.Concatenate()(joined) if len(joined) > 1 else joined[0]
    x = layers.Dense(units, activation=activation)(x)
    model = models.Model(
        inputs if len(names) > 1 else joined[0], layers.Dense(2)(x)
    )
    model.compile(optimizer="adam", loss="mse")
    return model


class MyDense(layers.Dense):
    pass


def my_loss(y_true, y_pred):
    return (y_true - y_pred) ** 2


class ArchitectureKeyTest(testing.TestCase):
    def test_same_architecture_built_twice_has_one_key(self):
        first, second = mlp(), mlp()
        self.assertNotEqual(first.layers[1].name, second.layers[1].name)
        second.optimizer.learning_rate.assign(0.5)  # a variable
        key = shared_functions.architecture_key(first)
        self.assertIsNotNone(key)
        self.assertEqual(shared_functions.architecture_key(second), key)

    def test_what_the_step_computes_changes_the_key(self):
        key = shared_functions.architecture_key(mlp())
        frozen = mlp()
        frozen.layers[1].trainable = False
        other_optimizer = mlp()
        other_optimizer.compile(optimizer="sgd", loss="mse")
        other_loss = mlp()
        other_loss.compile(optimizer="adam", loss="mae")
        for model in (
            mlp(units=9),
            mlp(activation="tanh"),
            frozen,
            other_optimizer,
            other_loss,
        ):
            self.assertNotEqual(shared_functions.architecture_key(model), key)

    def test_input_names_of_a_dict_model_are_kept(self):
        self.assertNotEqual(
            shared_functions.architecture_key(mlp(names=("a", "b"))),
            shared_functions.architecture_key(mlp(names=("c", "d"))),
        )

    def test_what_configuration_does_not_say_has_no_key(self):
        lambda_model = models.Sequential(
            [layers.Input((3,)), layers.Lambda(lambda x: x * 2.0)]
        )
        custom_layer = models.Sequential([layers.Input((3,)), MyDense(2)])
        custom_loss = mlp()
        custom_loss.compile(optimizer="adam", loss=my_loss)
        # What `adapt` learned is a constant of the traced step.
        normalization = layers.Normalization()
        normalization.adapt(np.arange(12.0).reshape(4, 3))
        adapted = models.Sequential(
            [layers.Input((3,)), normalization, layers.Dense(2)]
        )
        # Losses added while tracing go through the model's own state.
        regularized = models.Sequential(
            [layers.Input((3,)), layers.Dense(2, kernel_regularizer="l2")]
        )
        for model in (
            lambda_model,
            custom_layer,
            custom_loss,
            adapted,
            regularized,
        ):
            if not model.compiled:
                model.compile(optimizer="adam", loss="mse")
            self.assertIsNone(shared_functions.architecture_key(model))


class UnwritableConfig(layers.Dense):
    def __init__(self, units, table):
        super().__init__(units)
        self.table = table

    def get_config(self):
        raise NotImplementedError("no config")


class SharedFunctionsCacheTest(testing.TestCase):
    def test_a_configuration_that_cannot_be_written_is_not_shared(self):
        model = models.Sequential(
            [layers.Input((3,)), UnwritableConfig(2, table=object())]
        )
        model.compile(optimizer="adam", loss="mse")
        cache = shared_functions.SharedFunctionsCache()
        self.assertIsNone(cache.for_model(model))

    def test_least_recently_used_architecture_goes_first(self):
        cache = shared_functions.SharedFunctionsCache()
        with mock.patch.object(shared_functions, "MAX_ARCHITECTURES", 1):
            first = cache.for_model(mlp())
            self.assertIs(cache.for_model(mlp()), first)
            cache.for_model(mlp(units=9))
            self.assertIsNot(cache.for_model(mlp()), first)

    def test_large_models_are_not_kept(self):
        cache = shared_functions.SharedFunctionsCache()
        with mock.patch.object(shared_functions, "MAX_BYTES", 100):
            self.assertIsNone(cache.for_model(mlp()))
