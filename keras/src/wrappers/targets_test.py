import numpy as np
from absl.testing import parameterized

from keras.src import losses
from keras.src import testing
from keras.src.wrappers import targets


class ClassificationTargetsTest(testing.TestCase):
    def test_network_view_is_one_hot_in_class_order(self):
        encoder = targets.ClassificationTargets(np.array(["a", "b", "c"]))
        view = encoder.network_view(np.array(["c", "a"]))
        self.assertAllClose(view, [[0, 0, 1], [1, 0, 0]])
        # A column of labels, as a transformer may be given, reads the same.
        column = encoder.network_view(np.array([["c"], ["a"]]))
        self.assertAllClose(column, view)

    @parameterized.named_parameters(
        ("one_sigmoid_unit", 2, 1, None, targets.BINARY_COLUMN),
        ("sparse_default", 3, 3, None, targets.SPARSE),
        (
            "sparse_string",
            3,
            3,
            "sparse_categorical_crossentropy",
            targets.SPARSE,
        ),
        ("one_hot_string", 3, 3, "categorical_crossentropy", targets.ONE_HOT),
        (
            "two_softmax_units",
            2,
            2,
            "categorical_crossentropy",
            targets.ONE_HOT,
        ),
    )
    def test_representation_follows_model(
        self, n_classes, width, loss, expected
    ):
        encoder = targets.ClassificationTargets(np.arange(n_classes))
        encoder.configure(width, loss)
        self.assertEqual(encoder.representation, expected)

    def test_width_mismatch_names_both_widths(self):
        encoder = targets.ClassificationTargets(np.arange(3))
        with self.assertRaisesRegex(ValueError, "5 units.*3 units"):
            encoder.configure(5, None)

    def test_encode_per_representation(self):
        encoder = targets.ClassificationTargets(np.array([10, 20]))
        y = np.array([20, 10, 20])
        encoder.configure(1, None)
        self.assertAllClose(encoder.encode(y), [[1], [0], [1]])
        encoder.configure(2, "sparse_categorical_crossentropy")
        self.assertAllClose(encoder.encode(y), [1, 0, 1])
        encoder.configure(2, "categorical_crossentropy")
        self.assertAllClose(encoder.encode(y), [[0, 1], [1, 0], [0, 1]])

    def test_unseen_label_is_an_error(self):
        encoder = targets.ClassificationTargets(np.array([0, 1]))
        with self.assertRaisesRegex(ValueError, r"labels \[7\]"):
            encoder.indices(np.array([0, 7]))

    def test_logits_are_turned_into_probabilities(self):
        encoder = targets.ClassificationTargets(np.arange(3))
        encoder.configure(
            3, losses.SparseCategoricalCrossentropy(from_logits=True)
        )
        raw = np.array([[2.0, 0.0, -1.0], [0.0, 0.0, 0.0]])
        proba = encoder.probabilities(raw)
        expected = np.exp(raw) / np.exp(raw).sum(axis=1, keepdims=True)
        self.assertAllClose(proba, expected)
        self.assertAllClose(encoder.decision(raw), raw)

    def test_probabilities_rows_sum_to_one(self):
        encoder = targets.ClassificationTargets(np.arange(3))
        encoder.configure(3, None)
        raw = np.array([[0.2, 0.3, 0.5000001], [0.0, 0.0, 0.0]], "float32")
        proba = encoder.probabilities(raw)
        self.assertAllClose(proba.sum(axis=1), [1.0, 1.0], atol=1e-12)
        self.assertAllClose(proba[1], [1 / 3] * 3)

    def test_binary_decision_is_log_odds_of_second_class(self):
        encoder = targets.ClassificationTargets(np.array(["no", "yes"]))
        encoder.configure(1, None)
        raw = np.array([[0.8], [0.1]])
        decision = encoder.decision(raw)
        self.assertEqual(decision.shape, (2,))
        self.assertAllClose(decision, np.log([0.8 / 0.2, 0.1 / 0.9]))
        self.assertEqual(list(encoder.predict(raw)), ["yes", "no"])

    @parameterized.named_parameters(
        ("probabilities", "binary_crossentropy", [[0.3, 0.6], [0.9, 1.4]]),
        (
            "logits",
            losses.BinaryCrossentropy(from_logits=True),
            [[-1.0, 2.0], [0.5, -3.0]],
        ),
        ("negative_outputs", "binary_crossentropy", [[-0.2, -0.5]] * 2),
    )
    def test_binary_crossentropy_per_class_keeps_both_scores(self, loss, raw):
        # One unit per class, each with its own binary cross-entropy: two
        # scores per row, whose argmax is the prediction (as Keras's own
        # `test_sklearn_estimator_decision_function` reads them).
        encoder = targets.ClassificationTargets(np.array([0, 1]))
        encoder.configure(2, loss)
        self.assertTrue(encoder.scores_per_class)
        raw = np.array(raw)
        decision = encoder.decision(raw)
        self.assertEqual(decision.shape, (2, 2))
        self.assertAllEqual(decision.argmax(axis=-1), encoder.predict(raw))

    @parameterized.named_parameters(
        ("sparse", "sparse_categorical_crossentropy"),
        ("one_hot", "categorical_crossentropy"),
    )
    def test_exclusive_classes_keep_one_binary_score(self, loss):
        encoder = targets.ClassificationTargets(np.array([0, 1]))
        encoder.configure(2, loss)
        self.assertFalse(encoder.scores_per_class)
        self.assertEqual(encoder.decision(np.array([[0.3, 0.7]])).shape, (1,))

    def test_multilabel_predicts_indicators(self):
        encoder = targets.ClassificationTargets(np.arange(3), multilabel=True)
        encoder.configure(3, None)
        self.assertEqual(encoder.representation, targets.MULTILABEL)
        raw = np.array([[0.9, 0.2, 0.6]])
        self.assertAllClose(encoder.predict(raw), [[1, 0, 1]])
        self.assertAllClose(encoder.probabilities(raw), raw)

    def test_integer_labels_only_for_keras_sparse_losses(self):
        def my_sparse_loss(y_true, y_pred):
            return losses.categorical_crossentropy(y_true, y_pred)

        encoder = targets.ClassificationTargets(np.array([10, 20, 30]))
        y = np.array([30, 10])
        for loss in (
            "sparse_categorical_crossentropy",
            losses.SparseCategoricalCrossentropy(),
            losses.sparse_categorical_crossentropy,
        ):
            encoder.configure(3, loss)
            self.assertAllClose(encoder.encode(y), [2, 0])
        # A custom loss gets one-hot targets, whatever its name says.
        encoder.configure(3, my_sparse_loss)
        self.assertAllClose(encoder.encode(y), [[0, 0, 1], [1, 0, 0]])


class RegressionTargetsTest(testing.TestCase):
    def test_one_dimensional_round_trip(self):
        encoder = targets.RegressionTargets(np.array([1.0, 2.0]))
        self.assertEqual(encoder.encode(np.array([1.0, 2.0])).shape, (2, 1))
        self.assertEqual(encoder.predict(np.ones((2, 1))).shape, (2,))

    def test_multi_output_width_is_checked(self):
        encoder = targets.RegressionTargets(np.ones((4, 2)))
        self.assertEqual(encoder.predict(np.ones((4, 2))).shape, (4, 2))
        with self.assertRaisesRegex(ValueError, "2 output"):
            encoder.configure_heads(targets.OutputHeads([3]), None)

    def test_reconstruction_needs_one_unit_per_feature(self):
        encoder = targets.ReconstructionTargets(np.ones((4, 5)))
        with self.assertRaisesRegex(ValueError, "reconstruct X.*5 units"):
            encoder.configure_heads(targets.OutputHeads([2]), None)


class OutputHeadsTest(testing.TestCase):
    def test_dict_heads_are_in_sorted_name_order(self):
        outputs = {"b": np.zeros((2, 1)), "a": np.zeros((2, 3, 2))}
        heads = targets.OutputHeads.of_outputs(outputs)
        self.assertEqual(heads.widths, [6, 1])
        packed = heads.pack(["for a", "for b"])
        self.assertEqual(packed, {"a": "for a", "b": "for b"})

    def test_regression_columns_are_cut_by_head_widths_in_order(self):
        Y = np.arange(12.0).reshape(4, 3)
        encoder = targets.RegressionTargets(Y)
        heads = targets.OutputHeads([2, 1], structure=[0, 1])
        self.assertEqual(
            encoder.configure_heads(heads, None), "mean_squared_error"
        )
        first, second = encoder.encode(Y)
        self.assertAllClose(first, Y[:, :2])
        self.assertAllClose(second, Y[:, 2:])
        self.assertAllClose(encoder.predict(Y), Y)


class MultiOutputClassificationTargetsTest(testing.TestCase):
    def setUp(self):
        super().setUp()
        self.encoder = targets.MultiOutputClassificationTargets(
            [
                targets.ClassificationTargets(np.array(["a", "b", "c"])),
                targets.ClassificationTargets(np.array([0, 1])),
            ]
        )

    def test_each_column_picks_its_own_representation_and_loss(self):
        heads = targets.OutputHeads([3, 1], structure=[0, 1])
        losses_ = self.encoder.configure_heads(heads, None)
        self.assertEqual(
            losses_, ["sparse_categorical_crossentropy", "binary_crossentropy"]
        )
        y = np.array([["c", 1], ["a", 0]], dtype=object)
        labels, binary = self.encoder.encode(y)
        self.assertAllEqual(labels, [2, 0])
        self.assertAllClose(binary, [[1.0], [0.0]])

    def test_decodes_each_head_to_its_column(self):
        self.encoder.configure_heads(
            targets.OutputHeads([3, 1], structure=[0, 1]), None
        )
        raw = np.array([[0.1, 0.7, 0.2, 0.9], [0.8, 0.1, 0.1, 0.2]])
        proba = self.encoder.probabilities(raw)
        self.assertAllClose(proba[0], raw[:, :3])
        self.assertAllClose(proba[1], [[0.1, 0.9], [0.8, 0.2]])
        predicted = self.encoder.predict(raw)
        self.assertEqual(predicted.dtype, object)
        self.assertEqual(predicted.tolist(), [["b", 1], ["a", 0]])

    def test_head_count_and_widths_are_checked(self):
        with self.assertRaisesRegex(ValueError, r"1 output head.*\[3, 2\]"):
            self.encoder.configure_heads(targets.OutputHeads([3]), None)
        with self.assertRaisesRegex(ValueError, r"widths \[3, 4\].*head 1"):
            self.encoder.configure_heads(
                targets.OutputHeads([3, 4], structure=[0, 1]), None
            )
