import numpy as np

from keras.src import backend
from keras.src import layers
from keras.src import models
from keras.src import optimizers
from keras.src import testing
from keras.src.callbacks.callback import Callback
from keras.src.wrappers import SKLearnClassifier
from keras.src.wrappers import SKLearnRegressor
from keras.src.wrappers import base


class MakeOptimizerTest(testing.TestCase):
    def test_named_optimizer_keeps_its_plain_name(self):
        # Unique names ("adam_7") would give each fit's variables new names;
        # TensorFlow caches kernels per variable name and never evicts them.
        first = base.make_optimizer("adam", {})
        second = base.make_optimizer("adam", {"learning_rate": 0.1})
        self.assertEqual((first.name, second.name), ("adam", "adam"))
        self.assertIsNot(first, second)
        self.assertAllClose(second.learning_rate, 0.1)

    def test_instance_is_copied_with_its_name(self):
        template = optimizers.SGD(learning_rate=0.2, name="my_sgd")
        copy = base.make_optimizer(template, {"momentum": 0.5})
        self.assertIsNot(copy, template)
        self.assertEqual(copy.name, "my_sgd")
        self.assertAllClose(copy.momentum, 0.5)
        self.assertAllClose(template.momentum, 0.0)


def _user_compiled(X, y):
    model = models.Sequential(
        [layers.Input((X.shape[1],)), layers.Dense(y.shape[1])]
    )
    model.compile(optimizer="sgd", loss="mse")
    return model


class StepsPerExecutionTest(testing.TestCase):
    def data(self):
        rng = np.random.RandomState(0)
        X = rng.normal(size=(200, 4)).astype("float32")
        return X, (X[:, 0] > 0).astype(int)

    def test_many_steps_per_call_train_the_same_network(self):
        X, y = self.data()
        params = {"model__hidden_layer_sizes": (8,), "epochs": 3}
        fast = SKLearnClassifier(random_state=0, **params).fit(X, y)
        steps = 1 if backend.backend() == "torch" else 32
        self.assertEqual(fast.model_.steps_per_execution, steps)
        # Callbacks may want every batch: then one step per call.
        stepwise = SKLearnClassifier(
            random_state=0, callbacks=[Callback()], **params
        ).fit(X, y)
        self.assertEqual(stepwise.model_.steps_per_execution, 1)
        self.assertAllClose(
            fast.predict_proba(X), stepwise.predict_proba(X), atol=1e-6
        )
        # Callbacks added later get every batch of a continued fit too.
        fast.set_params(warm_start=True, callbacks=[Callback()]).fit(X, y)
        self.assertEqual(fast.model_.steps_per_execution, 1)
        fast.set_params(callbacks=None).fit(X, y)
        self.assertEqual(fast.model_.steps_per_execution, steps)

    def test_user_compiled_model_keeps_its_setting(self):
        X, y = self.data()
        reg = SKLearnRegressor(model=_user_compiled, epochs=1).fit(X, y)
        self.assertEqual(reg.model_.steps_per_execution, 1)
