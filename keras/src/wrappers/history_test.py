import copy
import json
import pickle
import warnings

from absl.testing import parameterized

from keras.src import testing
from keras.src.wrappers.history import FitHistory


def _history():
    return FitHistory(
        {"loss": [0.9, 0.5, 0.4], "accuracy": [0.5, 0.7, 0.8]},
        params={"epochs": 3, "steps": 2, "verbose": 0},
    )


class FitHistoryTest(testing.TestCase):
    def test_is_a_plain_dict_of_per_epoch_lists(self):
        history = _history()
        self.assertIsInstance(history, dict)
        self.assertEqual(history["loss"][-1], 0.4)
        self.assertEqual(
            history, {"loss": [0.9, 0.5, 0.4], "accuracy": [0.5, 0.7, 0.8]}
        )
        self.assertEqual(sorted(history), ["accuracy", "loss"])
        self.assertEqual(
            json.loads(json.dumps(history))["accuracy"], [0.5, 0.7, 0.8]
        )

    def test_dict_use_does_not_warn(self):
        history = _history()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            dict(history)
            repr(history)
            copy.deepcopy(history)
            pickle.loads(pickle.dumps(history))

    @parameterized.named_parameters(
        ("history", "history", {"loss": [0.9, 0.5, 0.4]}, "history_\\["),
        ("epoch", "epoch", [0, 1, 2], "n_iter_"),
        ("params", "params", {"epochs": 3}, "get_params"),
    )
    def test_keras_3_15_attributes_warn_and_work(self, name, expected, hint):
        history = _history()
        with self.assertWarnsRegex(DeprecationWarning, hint) as caught:
            value = getattr(history, name)
        # The warning points at the line that read the attribute.
        self.assertEqual(caught.filename, __file__)
        if isinstance(expected, dict):
            self.assertEqual({key: value[key] for key in expected}, expected)
        else:
            self.assertEqual(value, expected)

    def test_pickle_keeps_values_and_params(self):
        restored = pickle.loads(pickle.dumps(_history()))
        self.assertIsInstance(restored, FitHistory)
        self.assertEqual(restored, _history())
        with self.assertWarns(DeprecationWarning):
            self.assertEqual(restored.params["steps"], 2)

    def test_empty_history_has_no_epochs(self):
        with self.assertWarns(DeprecationWarning):
            self.assertEqual(FitHistory({}).epoch, [])
