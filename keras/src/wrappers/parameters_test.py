import numpy as np
from absl.testing import parameterized

from keras.src import optimizers
from keras.src import testing
from keras.src.wrappers import parameters


class Holder:
    def __init__(self, **values):
        vars(self).update(values)


RULES = {
    "epochs": (parameters.NONE, parameters.int_at_least(1)),
    "mode": (parameters.one_of("fast", "slow"),),
}


class CheckParametersTest(testing.TestCase):
    def test_accepted_values_pass(self):
        for epochs in (None, 1, np.int64(30)):
            parameters.check_parameters(
                Holder(epochs=epochs, mode="fast"), RULES
            )

    @parameterized.named_parameters(
        ("too_small", {"epochs": 0}, ValueError, "epochs=0"),
        ("wrong_type", {"epochs": 2.5}, TypeError, "epochs=2.5"),
        ("bool_is_no_int", {"epochs": True}, TypeError, "epochs=True"),
        ("unknown_option", {"mode": "turbo"}, ValueError, "mode='turbo'"),
    )
    def test_rejected_value_is_named_and_echoed(self, values, error, echo):
        name = next(iter(values))
        holder = Holder(**{"epochs": 1, "mode": "fast", **values})
        with self.assertRaisesRegex(error, f"`{name}`.*Received: {echo}"):
            parameters.check_parameters(holder, RULES)

    def test_message_lists_the_allowed_values(self):
        with self.assertRaisesRegex(
            ValueError,
            r"`mode` parameter of Holder must be one of \{'fast', 'slow'\}\. "
            r"Received: mode='turbo'",
        ):
            parameters.check_parameters(Holder(epochs=1, mode="turbo"), RULES)

    def test_has_methods_accepts_an_optimizer_instance(self):
        rule = parameters.has_methods("apply_gradients")
        self.assertTrue(rule.accepts(optimizers.SGD()))
        self.assertFalse(rule.accepts("sgd"))
