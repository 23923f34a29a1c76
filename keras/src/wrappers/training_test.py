import random
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import scipy.sparse
from sklearn.exceptions import FitFailedWarning
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV

from keras.src import backend
from keras.src import testing
from keras.src.backend.common import global_state
from keras.src.random import seed_generator
from keras.src.wrappers import SKLearnRegressor
from keras.src.wrappers import inputs
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


def default_seeds(seed, n=3):
    with training.seeded(seed):
        return [seed_generator.make_default_seed() for _ in range(n)]


THREAD_SEED_SOURCE = pytest.mark.skipif(
    not hasattr(seed_generator, "set_default_seed_source"),
    reason="A thread draws its own default seeds only with the Keras fix "
    "'random: let a thread draw default seeds from a source of its own' "
    "(keras_fixes/0005); without it a seeded fit seeds the process.",
)


class SeededTest(testing.TestCase):
    @THREAD_SEED_SOURCE
    def test_process_global_random_state_is_left_alone(self):
        np_state = np.random.get_state()
        py_state = random.getstate()
        with training.seeded(123):
            seed_generator.make_default_seed()
            seed_generator.global_seed_generator().next()
        self.assertEqual(random.getstate(), py_state)
        self.assertAllClose(np.random.get_state()[1], np_state[1])
        self.assertIsNone(
            global_state.get_global_attribute(
                seed_generator.GLOBAL_SEED_GENERATOR
            )
        )

    def test_same_seed_same_draws(self):
        self.assertEqual(default_seeds(7), default_seeds(7))
        self.assertNotEqual(default_seeds(7), default_seeds(8))

    @THREAD_SEED_SOURCE
    def test_same_seed_same_draws_in_concurrent_threads(self):
        serial = default_seeds(7, n=200)
        self.assertNotEqual(serial, default_seeds(8, n=200))
        with ThreadPoolExecutor(2) as pool:
            concurrent = list(pool.map(lambda _: default_seeds(7, 200), [0, 1]))
        self.assertEqual(concurrent, [serial, serial])

    def test_seed_from_random_state(self):
        self.assertIsNone(training.seed_from(None))
        self.assertEqual(training.seed_from(5), 5)
        rng = np.random.RandomState(0)
        self.assertIsInstance(training.seed_from(rng), int)


FLOAT32 = np.dtype("float32")


class FitDataTest(testing.TestCase):
    def test_fit_arguments_carry_the_data(self):
        x = np.zeros((10, 2), "float32")
        y = np.zeros((10, 1), "float32")
        arguments = training.fit_data(
            x, y, None, {"batch_size": 4, "epochs": 1}, 0, FLOAT32
        )
        if backend.backend() == "tensorflow":
            # A dataset of the wrappers' own: see tensorflow_input_test.py.
            self.assertLen(list(arguments["x"]), 3)
        else:
            # Shuffled by a generator of the fit's own, not NumPy's global.
            self.assertIsInstance(arguments["x"], inputs.RowBatches)
            self.assertLen(arguments["x"], 3)

    def test_validation_split_holds_out_the_last_rows(self):
        x = np.arange(10, dtype="float32").reshape(10, 1)
        y = np.arange(10, dtype="float32").reshape(10, 1)
        arguments = training.fit_data(
            x,
            y,
            None,
            {"batch_size": 4, "validation_split": 0.2},
            0,
            FLOAT32,
        )
        validation = arguments["validation_data"]
        if backend.backend() == "tensorflow":
            validation = next(iter(validation))
        else:
            validation = validation[0]
        self.assertAllClose(validation[0], [[8.0], [9.0]])
        self.assertNotIn("validation_split", arguments)

    def test_sparse_rows_are_fed_batch_by_batch(self):
        x = scipy.sparse.csr_matrix(np.arange(10.0).reshape(10, 1))
        y = np.arange(10, dtype="float32").reshape(10, 1)
        arguments = training.fit_data(
            x,
            y,
            None,
            {"batch_size": 4, "validation_split": 0.2},
            0,
            FLOAT32,
        )
        self.assertIsInstance(arguments["x"], inputs.RowBatches)
        self.assertNotIn("batch_size", arguments)
        self.assertFalse(arguments["shuffle"])  # The batches shuffle rows.
        validation_x, _ = arguments["validation_data"][0]
        self.assertEqual(validation_x.dtype, np.float32)
        self.assertAllClose(validation_x, [[8.0], [9.0]])


TINY = {"model__hidden_layer_sizes": (4,), "epochs": 1, "random_state": 0}


def small_data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(64, 4))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


def exploding_regressor(**params):
    """Plain SGD at a learning rate that sends the weights to infinity."""
    return SKLearnRegressor(
        optimizer="sgd", optimizer__learning_rate=1e12, **{**TINY, **params}
    )


@pytest.mark.requires_trainable_backend
class DivergenceTest(testing.TestCase):
    def test_first_fit_that_diverges_raises_and_stays_unfitted(self):
        X, y = small_data()
        reg = exploding_regressor(epochs=5)
        with self.assertRaisesRegex(
            FloatingPointError, r"loss became (nan|inf) in epoch \d.*learning"
        ):
            reg.fit(X, y)
        with self.assertRaises(NotFittedError):
            reg.predict(X)

    def test_refit_that_diverges_keeps_previous_model(self):
        X, y = small_data()
        reg = SKLearnRegressor(**TINY).fit(X, y)
        before = reg.predict(X)
        with self.assertRaises(FloatingPointError):
            reg.set_params(
                optimizer="sgd", optimizer__learning_rate=1e12, epochs=5
            ).fit(X, y)
        self.assertAllEqual(reg.predict(X), before)

    def test_extreme_targets_diverge_on_first_epoch(self):
        # Finite in float32, but their squared error overflows.
        X, y = small_data()
        with self.assertRaisesRegex(FloatingPointError, "epoch 1\\b"):
            SKLearnRegressor(**TINY).fit(X, y * 1e30)

    def test_partial_fit_that_diverges_rolls_back(self):
        X, y = small_data()
        reg = SKLearnRegressor(**TINY).partial_fit(X, y)
        before = reg.predict(X)
        with self.assertRaisesRegex(FloatingPointError, "epoch 2"):
            reg.partial_fit(X, y * 1e30)
        self.assertAllEqual(reg.predict(X), before)

    def test_grid_search_scores_diverging_candidate_nan(self):
        X, y = small_data()
        search = GridSearchCV(
            SKLearnRegressor(optimizer="sgd", **{**TINY, "epochs": 5}),
            {"optimizer__learning_rate": [1e-2, 1e12]},
            cv=2,
        )
        with self.assertWarns(FitFailedWarning):
            search.fit(X, y)
        scores = search.cv_results_["mean_test_score"]
        self.assertTrue(np.isfinite(scores[0]))
        self.assertTrue(np.isnan(scores[1]))
        self.assertEqual(search.best_params_["optimizer__learning_rate"], 1e-2)
