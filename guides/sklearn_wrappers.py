"""
Title: Keras models in scikit-learn workflows
Author: The keras.wrappers patch series maintainers
Date created: 2026/11/22
Last modified: 2026/11/30
Description: Pipelines, hyperparameter search, ensembles, feature extraction and transfer learning with keras.wrappers, on tables, images, text, sequences, multi-input and multi-output models, on any backend.
Accelerator: None
"""

"""
## Introduction

scikit-learn has a rich toolbox around its estimators: `Pipeline` chains
preprocessing and a model so that both are fitted on the training folds only,
`GridSearchCV` tunes hyperparameters by cross-validation, `VotingClassifier`
and `StackingClassifier` combine models, and every metric and plotting helper
takes an estimator. `keras.wrappers` makes a Keras model one of those
estimators:

- `keras.wrappers.SKLearnClassifier` and `keras.wrappers.SKLearnRegressor`
  train a network with `fit` and answer `predict`, `predict_proba` and
  `score` like any scikit-learn classifier or regressor;
- `keras.wrappers.SKLearnTransformer` trains a network and returns what one
  of its layers computes, so it can feed another estimator.

This guide walks through the four places a Keras model most often goes in a
scikit-learn project: a pipeline, a search, an ensemble, and a feature
extractor in front of another model. It then goes beyond tables: images,
text, sequences of token ids, models with several inputs, and arrays too
large for memory; then reuses a pretrained network (as a feature extractor,
fine-tuned, and in a search over how many layers train), and trains models
with several outputs. Every example runs in seconds on a CPU, on small
datasets that ship with scikit-learn or are written in the guide.
"""

"""
## Setup

Keras reads the `KERAS_BACKEND` environment variable once, when it is first
imported. Everything in this guide runs unchanged on `"tensorflow"`, `"jax"`
and `"torch"`: pick one here (or in your shell) before importing Keras.
"""

import os
import tempfile

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.datasets import load_digits
from sklearn.datasets import make_regression
from sklearn.ensemble import RandomForestClassifier
from sklearn.ensemble import StackingClassifier
from sklearn.ensemble import VotingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.model_selection import cross_val_score
from sklearn.model_selection import cross_validate
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import keras
from keras.wrappers import InputDict
from keras.wrappers import SKLearnClassifier
from keras.wrappers import SKLearnRegressor
from keras.wrappers import SKLearnTransformer

print("Keras", keras.__version__, "on", keras.config.backend())

"""
We use two datasets: the 8x8 images of handwritten digits (64 features, 10
classes) and the Wisconsin breast cancer measurements (30 features, 2
classes). Each is split once into a training and a test set.
"""

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X / 16.0, y, test_size=0.25, stratify=y, random_state=0
)

X_cancer, y_cancer = load_breast_cancer(return_X_y=True)
Xc_train, Xc_test, yc_train, yc_test = train_test_split(
    X_cancer, y_cancer, test_size=0.25, stratify=y_cancer, random_state=0
)

"""
## A Keras model is a scikit-learn estimator

With no arguments, `SKLearnClassifier` builds a multi-layer perceptron sized
from the data, as scikit-learn's `MLPClassifier` does: one input per feature,
one hidden layer of 100 ReLU units, one output per class. Training arguments
(`epochs`, `batch_size`, `optimizer`, `loss`, ...) are ordinary estimator
parameters, and `random_state` makes the fit reproducible.
"""

classifier = SKLearnClassifier(epochs=10, random_state=0)
classifier.fit(X_train, y_train)
print("Test accuracy:", round(classifier.score(X_test, y_test), 3))
print("Probabilities:", classifier.predict_proba(X_test[:1]).round(2))

"""
The trained Keras model is `classifier.model_`, and the loss of each epoch is
in `classifier.history_`, a plain dict:
"""

print("Epochs trained:", classifier.n_iter_)
print("Last loss:", round(classifier.history_["loss"][-1], 4))

"""
## Your own network, in a pipeline

To train your own architecture, pass `model`: a function that receives the
training data as `X` and `y` (class labels arrive one-hot encoded, so
`y.shape[1]` is the number of classes) and returns a `keras.Model`. Any
other argument of that function becomes a parameter of the estimator with
the `model__` prefix, and the optimizer's arguments are parameters with the
`optimizer__` prefix. If the function does not compile the model, the
wrapper compiles it with the `optimizer` and a loss suited to the targets.

Here the network sits after a `StandardScaler` in a `Pipeline`: the scaler's
statistics are learned from the training data only.
"""


def build_model(X, y, units=64, dropout=0.0):
    inputs = keras.Input(shape=(X.shape[1],))
    x = keras.layers.Dense(units, activation="relu")(inputs)
    x = keras.layers.Dropout(dropout)(x)
    outputs = keras.layers.Dense(y.shape[1], activation="softmax")(x)
    return keras.Model(inputs, outputs)


pipeline = make_pipeline(
    StandardScaler(),
    SKLearnClassifier(
        model=build_model,
        model__units=32,
        optimizer="adam",
        optimizer__learning_rate=3e-3,
        epochs=10,
        random_state=0,
    ),
)
pipeline.fit(X_train, y_train)
print("Pipeline test accuracy:", round(pipeline.score(X_test, y_test), 3))

"""
## Hyperparameter search

Because `model__units`, `model__dropout` and `optimizer__learning_rate` are
estimator parameters, `GridSearchCV` and `RandomizedSearchCV` can tune them
like any other, together with training parameters such as `epochs` or
`batch_size`. Inside a pipeline, each name takes the step's prefix as well
(`sklearnclassifier__model__units`). `get_params()` lists every parameter
that can be tuned, with its current value.
"""

param_grid = {
    "sklearnclassifier__model__units": [16, 64],
    "sklearnclassifier__optimizer__learning_rate": [1e-3, 1e-2],
}
search = GridSearchCV(pipeline, param_grid, cv=2)
search.fit(X_train, y_train)
print("Best parameters:", search.best_params_)
print("Cross-validated accuracy:", round(search.best_score_, 3))
print(
    "Test accuracy of the refitted best:",
    round(search.score(X_test, y_test), 3),
)

"""
Each candidate is trained on clones of the estimator, so the search never
touches `pipeline` itself. With `n_jobs=-1`, the candidates train in parallel
worker processes; fitted estimators pickle, so they come back from the
workers (and can be saved with `joblib.dump`).

## Ensembles

A Keras classifier has `predict_proba`, so it can vote with soft voting, and
it can be stacked: `StackingClassifier` trains each member on
cross-validation folds and fits a final model on their predicted
probabilities. Here a random forest and a small network vote on the breast
cancer data, then a logistic regression learns how to weigh them.
"""

members = [
    ("forest", RandomForestClassifier(n_estimators=100, random_state=0)),
    (
        "keras",
        make_pipeline(
            StandardScaler(),
            SKLearnClassifier(
                model__hidden_layer_sizes=(32,), epochs=30, random_state=0
            ),
        ),
    ),
]
voting = VotingClassifier(members, voting="soft")
voting.fit(Xc_train, yc_train)
print("Soft voting accuracy:", round(voting.score(Xc_test, yc_test), 3))

stacking = StackingClassifier(
    members, final_estimator=LogisticRegression(), cv=3
)
stacking.fit(Xc_train, yc_train)
print("Stacking accuracy:", round(stacking.score(Xc_test, yc_test), 3))

"""
## A network as a feature extractor

`SKLearnTransformer` trains a network and returns the output of one of its
layers from `transform`. With the default network, that is the last hidden
layer: `model__hidden_layer_sizes=(64, 16)` learns 16 features. Given labels,
the network trains to classify them, so the features it learns separate the
classes; a support vector machine then draws the final boundaries. (Without
`y`, the transformer trains an autoencoder instead.)
"""

hybrid = make_pipeline(
    SKLearnTransformer(
        model__hidden_layer_sizes=(64, 16), epochs=15, random_state=0
    ),
    SVC(),
)
hybrid.fit(X_train, y_train)
print("Learned features:", hybrid[0].transform(X_test).shape)
print("Keras features + SVC accuracy:", round(hybrid.score(X_test, y_test), 3))

"""
With your own network, name the layer to read with `feature_layer`, for
example the bottleneck of an encoder: `SKLearnTransformer(model=build_fn,
feature_layer="code")`.

## Beyond tables: images, text, sequences and several inputs

So far, every `X` was a table of numbers. The estimators also take:

- arrays of any rank from 2, such as images `(n_samples, height, width,
  channels)` and sequences `(n_samples, steps, channels)`;
- integer token ids, which reach an input declared with
  `keras.Input(dtype="int32")` as integers;
- scipy.sparse matrices, such as the output of a `TfidfVectorizer`;
- a dict of arrays, one per input of a multi-input model;
- arrays read from disk with `np.load(path, mmap_mode="r")`.

Arrays already in memory in the model's input dtype go to `Model.fit`
whole. Anything else is converted a batch at a time (sparse rows
densified, rows read from disk, values cast to the input's dtype), so
memory grows with `batch_size`, never with a converted copy of `X`.

### Images

Reshaped to `(n_samples, 8, 8, 1)`, the digits are images that a
convolutional network can read. The model function receives `X` as it is,
so `X.shape[1:]` is the shape of one image. The default network (without
`model`) would flatten each image into a row.
"""

images_train = X_train.reshape(-1, 8, 8, 1)
images_test = X_test.reshape(-1, 8, 8, 1)


def build_cnn(X, y, filters=8):
    images = keras.Input(shape=X.shape[1:])  # (8, 8, 1)
    x = keras.layers.Conv2D(filters, 3, activation="relu")(images)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(y.shape[1], activation="softmax")(x)
    return keras.Model(images, outputs)


"""
A search over the number of filters, on the first 400 training images to
keep the guide quick:
"""

cnn_search = GridSearchCV(
    SKLearnClassifier(
        model=build_cnn,
        epochs=3,
        optimizer__learning_rate=1e-2,
        random_state=0,
    ),
    {"model__filters": [4, 8]},
    cv=2,
)
cnn_search.fit(images_train[:400], y_train[:400])
print("Best parameters:", cnn_search.best_params_)
print("CNN test accuracy:", round(cnn_search.score(images_test, y_test), 3))

"""
The fitted estimator records the shape of a row in `input_shape_`
(`n_features_in_` is `X.shape[1]`, 8 here, as scikit-learn defines it), and
refuses rows of another shape with an error that names both:
"""

cnn = cnn_search.best_estimator_
print("input_shape_:", cnn.input_shape_, "n_features_in_:", cnn.n_features_in_)
try:
    cnn.predict(X_test)  # flat rows of 64 pixels
except ValueError as error:
    print("ValueError:", error)

"""
### Text

A `TfidfVectorizer` turns documents into a sparse matrix with one column per
word (or pair of words) of the vocabulary, mostly zeros. In a pipeline, it
feeds the network directly: the wrappers densify the rows of one batch at a
time, so a vocabulary of 100,000 words costs memory for a batch of dense
rows, never for the whole matrix. Any parameter of the pipeline can be
searched, the vectorizer's included. Here is a tiny corpus of two topics:
"""

documents = [
    "simmer the onions in butter until soft",
    "whisk the eggs with sugar and flour",
    "bake the bread in a hot oven",
    "season the soup with salt and pepper",
    "roast the chicken with garlic and lemon",
    "knead the dough and let it rise",
    "fry the onions and add the tomatoes",
    "stir the sauce and taste the soup",
    "heavy rain is expected in the north",
    "a cold wind blows from the east tonight",
    "sunny skies and warm weather this weekend",
    "snow and ice on the roads in the morning",
    "thunderstorms are likely in the afternoon",
    "the rain clears and the sun comes out",
    "a warm front brings clouds and light rain",
    "frost overnight and a cold bright morning",
]
topics = ["cooking"] * 8 + ["weather"] * 8

text_search = GridSearchCV(
    make_pipeline(
        TfidfVectorizer(),
        SKLearnClassifier(
            epochs=5,
            batch_size=4,
            optimizer__learning_rate=3e-2,
            random_state=0,
        ),
    ),
    {"tfidfvectorizer__ngram_range": [(1, 1), (1, 2)]},
    cv=2,
)
text_search.fit(documents, topics)
print("Best parameters:", text_search.best_params_)
print("Cross-validated accuracy:", round(text_search.best_score_, 3))
print(
    text_search.predict(
        ["melt the butter and add the eggs", "rain and wind in the north"]
    )
)

"""
### Sequences of token ids

A tokenizer turns text into sequences of integer ids, which an `Embedding`
layer maps to vectors. Declare the input's dtype, `keras.Input(dtype="int32")`,
and the ids reach the network as integers, converted a batch at a time
(as `float32`, ids above 2**24 would be rounded).

In these 400 synthetic sequences of 12 ids, each sequence holds the ids 1
and 2 side by side: in the order "1 2" for the positive class, "2 1" for
the negative one. Counting ids cannot tell the classes apart, but a
`Conv1D` layer, which reads neighbouring ids together, can. (A recurrent
layer, `keras.layers.GRU`, would read the order too, more slowly.) Float
sequences of shape `(n_samples, steps, channels)` go into such a network
the same way, without the `Embedding` layer.
"""

rng = np.random.RandomState(0)
token_ids = rng.randint(3, 100, size=(400, 12))
in_order = rng.rand(400) < 0.5
rows = np.arange(400)
start = rng.randint(0, 11, size=400)
token_ids[rows, start] = np.where(in_order, 1, 2)
token_ids[rows, start + 1] = np.where(in_order, 2, 1)


def build_sequence_model(X, y, vocabulary_size=100):
    ids = keras.Input(shape=X.shape[1:], dtype="int32")
    x = keras.layers.Embedding(vocabulary_size, 8)(ids)
    x = keras.layers.Conv1D(16, 2, activation="relu")(x)
    x = keras.layers.GlobalMaxPooling1D()(x)
    outputs = keras.layers.Dense(y.shape[1], activation="softmax")(x)
    return keras.Model(ids, outputs)


sequence_classifier = SKLearnClassifier(
    model=build_sequence_model,
    epochs=3,
    optimizer__learning_rate=1e-2,
    random_state=0,
)
scores = cross_val_score(sequence_classifier, token_ids, in_order, cv=2)
print("Cross-validated accuracy on token ids:", scores.round(3))

"""
### Several inputs

A model with several inputs takes `X` as a dict of arrays, keyed by the
names of its inputs (`keras.Input(name=...)`). A plain dict works in `fit`
and `predict`. To cross-validate or search, wrap it in
`keras.wrappers.InputDict`: scikit-learn splits `X` by indexing its rows,
and an `InputDict` indexed by rows returns those rows of every input. Keys
that are missing, or that name no input of the model, get an error that
names them.

Here each digit comes with a small table beside its image (the ink in each
row of pixels: 8 numbers), read by a second input:
"""


def build_two_input_model(X, y):
    image = keras.Input(shape=X["image"].shape[1:], name="image")
    tabular = keras.Input(shape=X["tabular"].shape[1:], name="tabular")
    x = keras.layers.Conv2D(8, 3, activation="relu")(image)
    x = keras.layers.Concatenate()([keras.layers.Flatten()(x), tabular])
    outputs = keras.layers.Dense(y.shape[1], activation="softmax")(x)
    return keras.Model({"image": image, "tabular": tabular}, outputs)


images = images_train[:400]
X_two_inputs = InputDict(image=images, tabular=images.sum(axis=(2, 3)))
results = cross_validate(
    SKLearnClassifier(
        model=build_two_input_model,
        epochs=3,
        optimizer__learning_rate=1e-2,
        random_state=0,
    ),
    X_two_inputs,
    y_train[:400],
    cv=2,
    return_estimator=True,
)
print("Cross-validated accuracy with two inputs:", results["test_score"])
print("Row shapes:", results["estimator"][0].input_shape_)

"""
### Arrays larger than memory

An array too large for memory can stay on disk: save it once with
`np.save`, and open it with `np.load(path, mmap_mode="r")`. `fit` and
`predict` then read `batch_size` rows at a time, and give the pages of the
read-only map back after each batch, so the process never holds the whole
file.

Two caveats. `early_stopping=True` draws its validation rows with
scikit-learn's `train_test_split`, which copies the rows it draws, so all of
`X` ends up in memory; on an array on disk, pass
`fit_kwargs={"validation_split": 0.1, "callbacks":
[keras.callbacks.EarlyStopping()]}` instead, which holds out the last 10%
of the rows as a slice of the map. And a `SKLearnTransformer` fitted
without `y` (an autoencoder, which learns to reconstruct `X`) needs `X` as
a dense 2-D array.
"""

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "digits.npy")
    np.save(path, X_train.astype("float32"))
    X_on_disk = np.load(path, mmap_mode="r")  # reads nothing yet
    on_disk = SKLearnClassifier(epochs=3, batch_size=64, random_state=0)
    on_disk.fit(X_on_disk, y_train)
    accuracy = on_disk.score(X_test, y_test)
    print("Accuracy, trained from disk:", round(accuracy, 3))
    del X_on_disk  # closes the file before its folder is removed

"""
## Text, categories and tables with Keras preprocessing

A Keras preprocessing layer given as `model` makes `SKLearnTransformer` a
scikit-learn transformer that nothing trains: `TextVectorization`,
`StringLookup`, `IntegerLookup`, `Normalization`, `Discretization`,
`Hashing` and `keras.utils.FeatureSpace`. Each `fit` adapts a fresh copy of
the layer, built from its configuration, to that fit's rows alone. In a
search or a cross-validation every fold thus learns its own vocabulary or
statistics, and the held-out fold never leaks into them; a word seen only
there is out of vocabulary. `model__*` parameters override the layer's
arguments, so a search can tune them. `transform` runs the layer in a
`tf.data` pipeline, as Keras recommends for these layers, on every backend.

Raw text through `TextVectorization` into an embedding model, with the
vocabulary size searched:
"""

rng = np.random.RandomState(0)
words = {0: ["awful", "dull", "poor"], 1: ["great", "fine", "lovely"]}
filler = ["the", "a", "film", "plot", "was", "very", "and", "cast"]
review_labels = rng.randint(2, size=300)
reviews = np.array(
    [
        " ".join(rng.choice(filler * 2 + words[label], 8))
        for label in review_labels
    ]
)


def build_embedding_model(X, y, dim=8):
    # X holds token ids; the largest one sizes the embedding table.
    return keras.Sequential(
        [
            keras.Input(shape=X.shape[1:], dtype="int32"),
            keras.layers.Embedding(int(X.max()) + 1, dim),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(y.shape[1], activation="softmax"),
        ]
    )


text_pipeline = make_pipeline(
    SKLearnTransformer(
        model=keras.layers.TextVectorization(output_sequence_length=8)
    ),
    SKLearnClassifier(model=build_embedding_model, epochs=40, random_state=0),
)
text_search = GridSearchCV(
    text_pipeline, {"sklearntransformer__model__max_tokens": [4, 20]}, cv=3
).fit(reviews, review_labels)
print("Best vocabulary size:", text_search.best_params_)
print("Accuracy:", round(text_search.best_score_, 3))

"""
A pandas table of numbers and strings goes through a `FeatureSpace` into
the default network, and a `StringLookup` one-hot encodes a column inside a
`ColumnTransformer` for a random forest. A layer that outputs one column per
vocabulary entry names its columns by the vocabulary
(`get_feature_names_out`).
"""

import pandas as pd
from sklearn.compose import ColumnTransformer

flats = pd.DataFrame(
    {
        "city": rng.choice(["Lima", "Oslo", "Pune"], 300),
        "rooms": rng.randint(1, 6, 300),
        "area": rng.normal(70.0, 20.0, 300),
    }
)
expensive = ((flats["city"] == "Oslo") | (flats["area"] > 85)).astype(int)
feature_space = keras.utils.FeatureSpace(
    features={
        "city": "string_categorical",
        "rooms": "integer_categorical",
        "area": "float_normalized",
    },
    output_mode="concat",
)
table_model = make_pipeline(
    SKLearnTransformer(model=feature_space), SKLearnClassifier(random_state=0)
)
scores = cross_val_score(table_model, flats, expensive, cv=3)
print("FeatureSpace, accuracy:", round(scores.mean(), 3))

city_lookup = SKLearnTransformer(
    model=keras.layers.StringLookup(output_mode="one_hot")
)
columns = ColumnTransformer(
    [("city", city_lookup, ["city"]), ("area", "passthrough", ["area"])]
)
forest = make_pipeline(columns, RandomForestClassifier(random_state=0))
scores = cross_val_score(forest, flats, expensive, cv=3)
print("StringLookup and a random forest, accuracy:", round(scores.mean(), 3))
print(columns.fit(flats).get_feature_names_out())

"""
## Pretrained networks and transfer learning

A `keras.Model` instance given as `model` is a template of architecture and
weights: every `fit` trains a copy that starts from the instance's current
weights, `trainable` flags and compile settings, and the instance itself is
never trained or changed. `sklearn.base.clone` shares the instance, so each
candidate of a search and each fold of a cross-validation starts from the
same weights. A pretrained network can thus be evaluated, fine-tuned and
searched like any other estimator.

Here the pretrained network is a small one, trained on the digits 0 to 4 of
the training set; its hidden layer is named `"features"`. It is trained by a
`SKLearnClassifier`, whose `model_` is a plain `keras.Model`, but any
`keras.Model` with weights will do, one trained with `Model.fit` or loaded
with `keras.saving.load_model`.
"""


def build_pretrained(X, y):
    pixels = keras.Input(shape=(X.shape[1],))
    x = keras.layers.Dense(64, activation="relu", name="features")(pixels)
    outputs = keras.layers.Dense(y.shape[1], activation="softmax")(x)
    return keras.Model(pixels, outputs)


old_digits = y_train < 5
pretraining = SKLearnClassifier(
    model=build_pretrained, epochs=10, random_state=0
)
pretraining.fit(X_train[old_digits], y_train[old_digits])
pretrained = pretraining.model_
pretrained_weights = pretrained.get_weights()

"""
The new task is the digits 5 to 9, classes the network has never seen, with
100 labelled images to learn them from:
"""

new_rows = np.flatnonzero(y_train >= 5)[:100]
X_new, y_new = X_train[new_rows], y_train[new_rows]
X_new_test, y_new_test = X_test[y_test >= 5], y_test[y_test >= 5]

"""
### Features from a hidden layer, with `epochs=0`

`epochs=0` trains nothing: `fit` checks `X` and `y`, records the fitted
attributes (`n_features_in_`, `classes_` for a classifier, `n_iter_ == 0`
and an empty `history_`), and the estimator predicts, or transforms, with the
weights it was given. A `SKLearnTransformer` with `epochs=0` and
`feature_layer="features"` returns the pretrained hidden layer, for an SVC to
classify. A transformer that trains nothing does not use the network's head,
so the head need not match `y`.
"""

pretrained_features = make_pipeline(
    SKLearnTransformer(model=pretrained, feature_layer="features", epochs=0),
    SVC(),
)
pretrained_features.fit(X_new, y_new)
print("Epochs trained:", pretrained_features[0].n_iter_)
print("Features:", pretrained_features[0].transform(X_new_test).shape)
print(
    "Pretrained features + SVC accuracy:",
    round(pretrained_features.score(X_new_test, y_new_test), 3),
)

"""
### Fine-tuning: a new head, then the whole network at a small learning rate

The usual recipe for fine-tuning (see Keras's guide to
[transfer learning](https://keras.io/guides/transfer_learning/)): put a new
head on the pretrained layers, train the head alone while those layers stay
frozen, then let every layer train for a few epochs, with a learning rate
small enough to keep most of what the pretrained layers learned.

`trainable_layers=k` lets the top `k` layers train and freezes the others in
the copy that `fit` trains. Only layers with weights count, from the output
end of `model.layers`, and a nested model counts as one. So cut the
pretrained network at its hidden layer into one model, `base`, and put the
new head after it: `trainable_layers=1` trains the head,
`trainable_layers=2` the base too.
"""

base = keras.Model(
    pretrained.input, pretrained.get_layer("features").output, name="base"
)
new_head = keras.layers.Dense(5, activation="softmax", name="new_head")
transfer = keras.Sequential([keras.Input(shape=(64,)), base, new_head])

head_only = SKLearnClassifier(
    model=transfer,
    trainable_layers=1,
    epochs=30,
    optimizer__learning_rate=1e-2,
    random_state=0,
)
head_only.fit(X_new, y_new)
print("New head only:", round(head_only.score(X_new_test, y_new_test), 3))

"""
`head_only.model_` is a `keras.Model` like any other, so it is the template
of the second step. Its base is frozen: `trainable_layers=1` set the flags of
that copy, and a copy keeps its template's flags. So the second step passes
`trainable_layers=2`, and a learning rate of 1e-4 instead of 1e-2:
"""

fine_tuned = SKLearnClassifier(
    model=head_only.model_,
    trainable_layers=2,
    epochs=10,
    optimizer__learning_rate=1e-4,
    random_state=0,
)
fine_tuned.fit(X_new, y_new)
print("Then fine-tuned:", round(fine_tuned.score(X_new_test, y_new_test), 3))

"""
Neither fit changed `pretrained`, `transfer` or `head_only.model_`: each
trained a copy. A layer frozen in the model you give (`layer.trainable =
False`) stays frozen in `fit`, in `partial_fit` and in warm starts, and
`warm_start=True` continues from the estimator's own fitted `model_`, never
from the instance given as `model`.
"""

unchanged = all(
    np.array_equal(before, after)
    for before, after in zip(pretrained_weights, pretrained.get_weights())
)
print("Pretrained weights unchanged:", unchanged)

"""
### How much to fine-tune: a search over `trainable_layers`

`trainable_layers` is a parameter like any other, so a search can compare
training the head only with training the base too. Each candidate's clone
shares `transfer`, and each of its fits starts from the pretrained weights.
"""

depth_search = GridSearchCV(
    SKLearnClassifier(
        model=transfer, epochs=30, optimizer__learning_rate=1e-2, random_state=0
    ),
    {"trainable_layers": [1, 2]},
    cv=2,
)
depth_search.fit(X_new, y_new)
for layers, score in zip(
    depth_search.cv_results_["param_trainable_layers"],
    depth_search.cv_results_["mean_test_score"],
):
    print(f"trainable_layers={layers}: cross-validated accuracy {score:.3f}")

"""
## Several outputs

### A regressor with several heads

A model may end in several output heads. `SKLearnRegressor` cuts the columns
of `y` across the heads by their widths, in order, trains each head on its
columns, and `predict` returns one `(n_samples, n_targets)` array, as for a
single head. For a dict of outputs, the order is that of the sorted names.
Here the model's outputs are `{"b": ..., "a": ...}`: head `a`, of width 1,
trains on the first column of `y`, and head `b`, of width 2, on the other
two. Widths that do not add up to the columns of `y` get a `ValueError` that
names them.
"""

X_reg, Y_reg = make_regression(
    n_samples=300, n_features=8, n_targets=3, noise=1.0, random_state=0
)
Y_reg = Y_reg / Y_reg.std(axis=0)


def build_two_head_regressor(X, y):
    inputs = keras.Input(shape=(X.shape[1],))
    hidden = keras.layers.Dense(32, activation="relu")(inputs)
    a = keras.layers.Dense(1, name="a")(hidden)
    b = keras.layers.Dense(2, name="b")(hidden)
    return keras.Model(inputs, {"b": b, "a": a})


two_heads = SKLearnRegressor(
    model=build_two_head_regressor,
    epochs=20,
    optimizer__learning_rate=1e-2,
    random_state=0,
)
print("Predictions:", two_heads.fit(X_reg, Y_reg).predict(X_reg[:4]).shape)
scores = cross_val_score(two_heads, X_reg, Y_reg, cv=3)
print("Cross-validated R^2, averaged over the targets:", scores.round(3))

"""
### Several columns of labels

`SKLearnClassifier` also takes `y` with several columns of labels, each with
its own label set (scikit-learn calls these targets
`multiclass-multioutput`). Here each digit has two string labels: its name,
among 10, and its parity, among 2.
"""

names = np.array("zero one two three four five six seven eight nine".split())


def two_labels(digits):
    return np.column_stack([names[digits], np.where(digits % 2, "odd", "even")])


Y_train, Y_test = two_labels(y_train), two_labels(y_test)
print(Y_train[:3])

"""
The default network builds one softmax head per column. A model function
receives `y` as a list with one one-hot array per column, and returns one
head per column, each as wide as its column's number of classes:
"""


def build_one_head_per_column(X, y, units=64):
    inputs = keras.Input(shape=(X.shape[1],))
    hidden = keras.layers.Dense(units, activation="relu")(inputs)
    heads = [
        keras.layers.Dense(column.shape[1], activation="softmax")(hidden)
        for column in y
    ]
    return keras.Model(inputs, heads)


multi_output = SKLearnClassifier(
    model=build_one_head_per_column, epochs=10, random_state=0
)
scores = cross_val_score(multi_output, X_train, Y_train, cv=2)
print("Cross-validated subset accuracy:", scores.round(3))

"""
Predictions come as scikit-learn's multi-output classifiers give them:
`predict` returns an `(n_samples, n_columns)` array of labels,
`predict_proba` a list with one `(n_samples, n_classes)` array per column,
and `classes_` a list with one array of labels per column. `score` is the
subset accuracy: the share of rows with every column right, as
`sklearn.multioutput.MultiOutputClassifier` scores.
"""

multi_output.fit(X_train, Y_train)
print("Labels:", multi_output.predict(X_test[:2]).tolist())
print("Probabilities:", [p.shape for p in multi_output.predict_proba(X_test)])
print("Classes of the second column:", multi_output.classes_[1])
print("Test subset accuracy:", round(multi_output.score(X_test, Y_test), 3))

"""
A model whose heads do not match the columns gets an error that names each
head's width and each column's number of classes; here, the pretrained
network, with one head of 5 units:
"""

try:
    SKLearnClassifier(model=pretrained, epochs=1).fit(X_train, Y_train)
except ValueError as error:
    print("ValueError:", error)

"""
## Choosing the backend

Nothing above depends on the backend: the same script runs on TensorFlow,
JAX and PyTorch. The backend is chosen by the `KERAS_BACKEND` environment
variable before Keras is first imported, either in the shell:

```shell
KERAS_BACKEND=jax python my_search.py
```

or at the top of the script, as in the setup above. Without the variable,
Keras uses the `"backend"` entry of `~/.keras/keras.json` (TensorFlow if there
is none). Once Keras is imported, the backend is fixed for the process;
`keras.config.backend()` tells which one is in use. Worker processes of a parallel search inherit the environment
variable, so they use the same backend.

A fixed `random_state` makes fits repeatable on a given backend: weight
initialisation, dropout and shuffling are seeded. The backends draw different
random numbers, though, so the same seed gives slightly different networks on
TensorFlow, JAX and PyTorch.

## Where next

- The docstrings of `SKLearnClassifier`, `SKLearnRegressor` and
  `SKLearnTransformer` list every parameter: early stopping on a held-out
  fraction (`early_stopping=True`), `class_weight`, `warm_start` and
  `partial_fit` for training in several steps, `trainable_layers` for
  fine-tuning, `fit_kwargs` for any other `Model.fit` argument.
- scikit-learn's user guide on
  [model selection](https://scikit-learn.org/stable/model_selection.html) and
  [ensembles](https://scikit-learn.org/stable/modules/ensemble.html) applies
  unchanged.
"""
