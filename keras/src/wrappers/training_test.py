import random
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import scipy.sparse
from absl.testing import parameterized

from keras.src import testing
from keras.src.backend.common import global_state
from keras.src.random import seed_generator
from keras.src.trainers import data_adapters
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
    "'random: let a thread draw default seeds from a source of its own'"
    "; without it a seeded fit seeds the process.",
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


def fed_batches(data):
    """The batches `Model.fit` draws from `data` in an epoch, as NumPy."""
    return list(data_adapters.get_data_adapter(data).get_numpy_iterator())


class FitDataTest(testing.TestCase):
    @parameterized.named_parameters(
        ("dense", np.arange(10.0).reshape(10, 1)),
        ("sparse", scipy.sparse.csr_matrix(np.arange(10.0).reshape(10, 1))),
    )
    def test_batches_carry_every_row_with_its_target_and_weight(self, x):
        y = np.arange(10, dtype="float32").reshape(10, 1) * 2
        weights = np.arange(10, dtype="float32")
        arguments = training.fit_data(
            x, y, weights, {"batch_size": 4, "epochs": 1}, 0, FLOAT32
        )
        # The batches shuffle themselves; Model.fit must not try to.
        self.assertFalse(arguments["shuffle"])
        self.assertNotIn("batch_size", arguments)
        batches = fed_batches(arguments["x"])
        self.assertEqual([len(b[0]) for b in batches], [4, 4, 2])
        rows = np.concatenate([b[0] for b in batches])
        self.assertEqual(rows.dtype, np.float32)
        self.assertEqual(sorted(rows[:, 0]), list(range(10)))
        self.assertAllClose(np.concatenate([b[1] for b in batches]), rows * 2)
        self.assertAllClose(np.concatenate([b[2] for b in batches]), rows[:, 0])

    def test_a_seed_fixes_the_row_order(self):
        x = np.arange(40.0).reshape(40, 1)

        def order(seed):
            arguments = training.fit_data(
                x, x, None, {"batch_size": 8}, seed, FLOAT32
            )
            batches = fed_batches(arguments["x"])
            return np.concatenate([b[0] for b in batches])[:, 0].tolist()

        self.assertEqual(order(3), order(3))
        self.assertNotEqual(order(3), order(4))

    @parameterized.named_parameters(
        ("dense", np.arange(10.0).reshape(10, 1)),
        ("sparse", scipy.sparse.csr_matrix(np.arange(10.0).reshape(10, 1))),
    )
    def test_validation_split_holds_out_the_last_rows(self, x):
        y = np.arange(10, dtype="float32").reshape(10, 1)
        arguments = training.fit_data(
            x,
            y,
            np.ones(10, "float32"),
            {"batch_size": 4, "validation_split": 0.2},
            0,
            FLOAT32,
        )
        self.assertNotIn("validation_split", arguments)
        (validation,) = fed_batches(arguments["validation_data"])
        self.assertEqual(validation[0].dtype, np.float32)
        self.assertAllClose(validation[0], [[8.0], [9.0]])
        self.assertAllClose(validation[1], [[8.0], [9.0]])
        self.assertAllClose(validation[2], [1.0, 1.0])
        training_rows = np.concatenate(
            [b[0] for b in fed_batches(arguments["x"])]
        )
        self.assertEqual(sorted(training_rows[:, 0]), list(range(8)))

    def test_validation_split_that_leaves_no_rows_is_refused(self):
        x = np.zeros((3, 1), "float32")
        with self.assertRaisesRegex(ValueError, "validation_split=0.1"):
            training.fit_data(
                x,
                x,
                None,
                {"batch_size": 4, "validation_split": 0.1},
                0,
                FLOAT32,
            )

    def test_validation_data_in_order(self):
        x = np.arange(10.0).reshape(10, 1)
        validation = (x[:6], x[:6])
        arguments = training.fit_data(
            x,
            x,
            None,
            {"batch_size": 4, "validation_data": validation},
            0,
            FLOAT32,
        )
        batches = fed_batches(arguments["validation_data"])
        self.assertEqual([len(b) for b in batches], [2, 2])
        self.assertAllClose(
            np.concatenate([b[0] for b in batches])[:, 0], range(6)
        )
