from keras.src import optimizers
from keras.src import testing
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
