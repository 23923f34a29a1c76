from keras.src import testing
from keras.src.wrappers import routing


def build(X, y, units=16, dropout=0.0):
    return None


def build_with_kwargs(X, y, **kwargs):
    return None


class RoutingTest(testing.TestCase):
    def test_is_routed(self):
        self.assertTrue(routing.is_routed("model__units"))
        self.assertTrue(routing.is_routed("optimizer__learning_rate"))
        self.assertFalse(routing.is_routed("model_units"))
        self.assertFalse(routing.is_routed("model__"))
        self.assertFalse(routing.is_routed("loss__from_logits"))

    def test_routed_strips_prefix(self):
        params = {"model__units": 8, "optimizer__beta_1": 0.8, "epochs": 3}
        self.assertEqual(routing.routed(params, "model"), {"units": 8})
        self.assertEqual(routing.routed(params, "optimizer"), {"beta_1": 0.8})

    def test_signature_defaults_skip_data_arguments(self):
        self.assertEqual(
            routing.signature_defaults(build, skip=("X", "y")),
            {"units": 16, "dropout": 0.0},
        )

    def test_check_routed_names_rejects_plain_names(self):
        with self.assertRaisesRegex(TypeError, r"\['bogus'\].*`model__`"):
            routing.check_routed_names({"bogus": 1}, "Estimator")
        routing.check_routed_names({"model__units": 1}, "Estimator")

    def test_check_accepts_names_the_routed_parameter(self):
        with self.assertRaisesRegex(ValueError, r"model__unit.*'units'"):
            routing.check_accepts(build, {"unit": 3}, "model", "build")
        routing.check_accepts(build, {"units": 3}, "model", "build")
        routing.check_accepts(build_with_kwargs, {"x": 1}, "model", "build")
