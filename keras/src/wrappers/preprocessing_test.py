import copy
import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.model_selection import cross_val_score
from sklearn.model_selection import cross_validate
from sklearn.pipeline import make_pipeline

from keras.src import layers
from keras.src import testing
from keras.src.layers.preprocessing.feature_space import FeatureSpace
from keras.src.wrappers import SKLearnClassifier
from keras.src.wrappers import SKLearnTransformer

POSITIVE = ["good great", "great fine", "fine good nice"]
NEGATIVE = ["bad awful", "poor bad", "awful poor ugly"]


def _reviews(rows):
    """Short texts, labelled 1 for the positive words and 0 otherwise."""
    y = np.arange(rows) % 2
    texts = [
        (POSITIVE if label else NEGATIVE)[i % 3] for i, label in enumerate(y)
    ]
    return np.array(texts, dtype=object), y


def _lookups_copy_before_adapt():
    """Whether a lookup layer copied before it adapted can adapt
    (a fix to Keras). scikit-learn's `clone` deep-copies the layer."""
    try:
        copy.deepcopy(layers.StringLookup())
    except ValueError:
        return False
    return True


def _skip_without_lookup_copies(test):
    if not _lookups_copy_before_adapt():
        test.skipTest(
            "An unadapted lookup layer cannot be copied and adapted (as "
            "`clone` and a fit per fold do) without the Keras fix 'Lookup "
            "layers: a copy made before adapt has no vocabulary and can "
            "adapt'."
        )


class PreprocessingLayerTest(testing.TestCase):
    """A Keras preprocessing layer as the `model` of `SKLearnTransformer`:
    each fit adapts a fresh copy of it to that fit's rows."""

    def test_vocabulary_learned_per_fit(self):
        layer = layers.StringLookup(output_mode="one_hot")
        colors = np.array([["red"], ["blue"], ["red"], ["teal"]], dtype=object)
        first = SKLearnTransformer(model=layer).fit(colors[:2])
        second = SKLearnTransformer(model=layer).fit(colors[2:])
        # Each fit learned from its rows only; the given layer learned
        # nothing.
        self.assertEqual(
            sorted(first.get_feature_names_out()), ["[UNK]", "blue", "red"]
        )
        self.assertEqual(
            sorted(second.get_feature_names_out()), ["[UNK]", "red", "teal"]
        )
        self.assertEqual(layer.vocabulary_size(), 1)
        # "teal" was never seen by the first fit: out of vocabulary.
        columns = list(first.get_feature_names_out())
        expected = np.zeros((4, 3))
        for row, color in enumerate(["red", "blue", "red", "[UNK]"]):
            expected[row, columns.index(color)] = 1
        self.assertAllEqual(first.transform(colors), expected)

    def test_text_vocabulary_per_fold_and_search(self):
        _skip_without_lookup_copies(self)
        texts, y = _reviews(60)
        vectorizer = SKLearnTransformer(
            model=layers.TextVectorization(output_mode="multi_hot")
        )
        pipeline = make_pipeline(vectorizer, LogisticRegression())
        scores = cross_val_score(pipeline, texts, y, cv=3)
        self.assertGreaterEqual(scores.min(), 0.9)
        # A word seen only in the held-out rows is out of vocabulary in
        # that fold: each fold's vectorizer learned from its own rows.
        held_out = np.array(["ugly" in text for text in texts])
        split = [(np.flatnonzero(~held_out), np.flatnonzero(held_out))]
        result = cross_validate(
            pipeline, texts, y, cv=split, return_estimator=True
        )
        fold_vectorizer = result["estimator"][0][0]
        self.assertNotIn("ugly", fold_vectorizer.get_feature_names_out())
        self.assertIn("poor", fold_vectorizer.get_feature_names_out())
        self.assertEqual(result["test_score"][0], 1.0)
        unknown = fold_vectorizer.transform(np.array(["ugly"], dtype=object))
        self.assertEqual(unknown.tolist(), [[1] + [0] * (unknown.shape[1] - 1)])

        search = GridSearchCV(
            pipeline,
            {"sklearntransformer__model__max_tokens": [2, 5]},
            cv=3,
        ).fit(texts, y)
        # Each candidate's layer was built with its `max_tokens`.
        best = search.best_params_["sklearntransformer__model__max_tokens"]
        vocabulary = search.best_estimator_[0].get_feature_names_out()
        self.assertEqual(len(vocabulary), best)
        self.assertEqual(best, 5)  # Two tokens ([UNK] and one word) can't.
        self.assertLess(search.cv_results_["mean_test_score"][0], 0.9)

    def test_lookup_in_column_transformer(self):
        _skip_without_lookup_copies(self)
        rng = np.random.RandomState(0)
        table = pd.DataFrame(
            {
                "color": rng.choice(["red", "green", "blue"], 90),
                "size": rng.normal(size=90),
            }
        )
        y = (table["color"] == "red").to_numpy().astype(int)
        columns = ColumnTransformer(
            [
                (
                    "color",
                    SKLearnTransformer(
                        model=layers.StringLookup(output_mode="one_hot")
                    ),
                    ["color"],
                ),
                ("size", "passthrough", ["size"]),
            ]
        ).set_output(transform="pandas")
        features = columns.fit_transform(table)
        self.assertEqual(
            sorted(features.columns),
            sorted(
                ["color__[UNK]", "color__red", "color__green", "color__blue"]
                + ["size__size"]
            ),
        )
        pipeline = make_pipeline(columns, LogisticRegression())
        self.assertGreaterEqual(cross_val_score(pipeline, table, y).min(), 0.9)

    @pytest.mark.requires_trainable_backend
    def test_feature_space_into_the_default_network(self):
        _skip_without_lookup_copies(self)
        rng = np.random.RandomState(0)
        table = pd.DataFrame(
            {
                "color": rng.choice(["red", "green", "blue"], 90),
                "doors": rng.choice([2, 4], 90),
                "price": rng.normal(10.0, 3.0, 90),
            }
        )
        y = ((table["color"] == "red") | (table["price"] > 12)).astype(int)
        features = FeatureSpace(
            features={
                "color": "string_categorical",
                "doors": "integer_categorical",
                "price": "float_normalized",
            },
            output_mode="concat",
        )
        pipeline = make_pipeline(
            SKLearnTransformer(model=features),
            SKLearnClassifier(epochs=30, random_state=0),
        )
        result = cross_validate(
            pipeline, table, y.to_numpy(), cv=3, return_estimator=True
        )
        self.assertGreaterEqual(result["test_score"].mean(), 0.8)
        # A category never seen in fit is out of vocabulary, not an error.
        fitted = result["estimator"][0]
        unseen = pd.DataFrame(
            {"color": ["purple"], "doors": [3], "price": [20]}
        )
        self.assertEqual(fitted.predict(unseen).tolist(), [1])
        with self.assertRaisesRegex(ValueError, "columns.*'price'"):
            fitted.predict(table[["color", "doors"]])

    def test_pickled_with_what_it_learned(self):
        # Pickling the estimator pickles its `model`, the unadapted layer.
        _skip_without_lookup_copies(self)
        texts, _ = _reviews(12)
        fitted = SKLearnTransformer(
            model=layers.TextVectorization(
                output_mode="int", output_sequence_length=4
            )
        ).fit(texts)
        loaded = pickle.loads(pickle.dumps(fitted))
        self.assertAllEqual(loaded.transform(texts), fitted.transform(texts))
        self.assertEqual(
            loaded.model_.get_vocabulary(), fitted.model_.get_vocabulary()
        )

    def test_stateless_layer_and_statistics(self):
        X = np.array([[1.0, 10.0], [3.0, 30.0]])
        normalized = SKLearnTransformer(model=layers.Normalization())
        self.assertAllClose(
            normalized.fit_transform(X), [[-1.0, -1.0], [1.0, 1.0]]
        )
        self.assertEqual(
            list(normalized.get_feature_names_out()),
            ["sklearntransformer0", "sklearntransformer1"],
        )
        hashed = SKLearnTransformer(model=layers.Hashing(num_bins=3))
        ids = hashed.fit_transform(np.array([["a"], ["b"], ["a"]]))
        self.assertEqual(ids.shape, (3, 1))
        self.assertEqual(ids[0, 0], ids[2, 0])
