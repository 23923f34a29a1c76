import random

import numpy as np

from keras.src import backend
from keras.src import testing
from keras.src.wrappers import training


class ResolveFitArgumentsTest(testing.TestCase):
    def test_defaults_then_fit_kwargs_then_call(self):
        fit_kwargs = {"epochs": 3, "shuffle": False}
        merged = training.resolve_fit_arguments(
            {"batch_size": 8}, fit_kwargs, {"shuffle": True}
        )
        self.assertEqual(merged["epochs"], 3)
        self.assertEqual(merged["batch_size"], 8)
        self.assertEqual(merged["verbose"], 0)
        self.assertTrue(merged["shuffle"])
        self.assertEqual(fit_kwargs, {"epochs": 3, "shuffle": False})

    def test_same_argument_in_two_places_is_an_error(self):
        with self.assertRaisesRegex(ValueError, "`epochs` is set both"):
            training.resolve_fit_arguments({"epochs": 2}, {"epochs": 3}, {})

    def test_callbacks_list_is_a_copy(self):
        callbacks = []
        merged = training.resolve_fit_arguments(
            {"callbacks": callbacks}, None, {}
        )
        merged["callbacks"].append("x")
        self.assertEqual(callbacks, [])


class SeededTest(testing.TestCase):
    def test_global_state_is_restored(self):
        np_state = np.random.get_state()
        py_state = random.getstate()
        with training.seeded(123):
            np.random.rand()
            random.random()
        self.assertEqual(random.getstate(), py_state)
        self.assertAllClose(np.random.get_state()[1], np_state[1])
        self.assertEqual(np.random.get_state()[2], np_state[2])

    def test_same_seed_same_draws(self):
        with training.seeded(7):
            first = (np.random.rand(), random.random())
        with training.seeded(7):
            second = (np.random.rand(), random.random())
        self.assertEqual(first, second)

    def test_seed_from_random_state(self):
        self.assertIsNone(training.seed_from(None))
        self.assertEqual(training.seed_from(5), 5)
        rng = np.random.RandomState(0)
        self.assertIsInstance(training.seed_from(rng), int)


class FitDataTest(testing.TestCase):
    def test_fit_arguments_carry_the_data(self):
        x = np.zeros((10, 2), "float32")
        y = np.zeros((10, 1), "float32")
        arguments = training.fit_data(
            x, y, None, {"batch_size": 4, "epochs": 1}, seed=0
        )
        if backend.backend() == "tensorflow":
            batches = list(arguments["x"])
            self.assertLen(batches, 3)
            self.assertFalse(arguments["shuffle"])
            self.assertNotIn("batch_size", arguments)
        else:
            self.assertIs(arguments["x"], x)
            self.assertEqual(arguments["batch_size"], 4)

    def test_validation_split_holds_out_the_last_rows(self):
        x = np.arange(10, dtype="float32").reshape(10, 1)
        y = np.arange(10, dtype="float32").reshape(10, 1)
        arguments = training.fit_data(
            x, y, None, {"batch_size": 4, "validation_split": 0.2}, seed=0
        )
        validation = arguments["validation_data"]
        if backend.backend() == "tensorflow":
            validation = next(iter(validation))
        self.assertAllClose(validation[0], [[8.0], [9.0]])
        self.assertNotIn("validation_split", arguments)


class ReleasingTracedGradientsTest(testing.TestCase):
    def fit_small_model(self):
        from keras.src import layers
        from keras.src import models

        model = models.Sequential([layers.Input((3,)), layers.Dense(2)])
        model.compile(optimizer="adam", loss="mse")
        x = np.ones((8, 3), "float32")
        model.fit(x, np.ones((8, 2), "float32"), epochs=1, verbose=0)

    def test_fits_leave_no_gradient_registered(self):
        if backend.backend() != "tensorflow":
            # Nothing to release: the block only runs its body.
            with training.releasing_traced_gradients():
                self.fit_small_model()
            return
        from tensorflow.python.framework import ops

        registry = ops._gradient_registry._registry
        before = len(registry)
        with training.releasing_traced_gradients():
            self.fit_small_model()
        self.assertEqual(len(registry), before)
        # Without the block, each traced train step leaves entries behind,
        # which hold its graphs for the life of the process.
        self.fit_small_model()
        self.assertGreater(len(registry), before)

    def test_other_custom_gradients_are_kept(self):
        if backend.backend() != "tensorflow":
            self.skipTest("TensorFlow's gradient registry only.")
        import tensorflow as tf
        from tensorflow.python.framework import ops

        @tf.custom_gradient
        def doubled_gradient(x):
            return tf.identity(x), lambda upstream: 2.0 * upstream

        @tf.function
        def gradient(x):
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = doubled_gradient(x)
            return tape.gradient(y, x)

        registry = ops._gradient_registry._registry
        before = len(registry)
        with training.releasing_traced_gradients():
            self.assertAllClose(gradient(tf.constant(1.0)), 2.0)
        self.assertGreater(len(registry), before)
