"""
Title: Keras models in scikit-learn workflows
Author: The keras.wrappers patch series maintainers
Date created: 2026/11/22
Last modified: 2026/11/22
Description: Pipelines, hyperparameter search, ensembles and feature extraction with keras.wrappers, on any backend.
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
extractor in front of another model. Every example runs in seconds on a CPU,
on small datasets that ship with scikit-learn.
"""

"""
## Setup

Keras reads the `KERAS_BACKEND` environment variable once, when it is first
imported. Everything in this guide runs unchanged on `"tensorflow"`, `"jax"`
and `"torch"`: pick one here (or in your shell) before importing Keras.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.ensemble import StackingClassifier
from sklearn.ensemble import VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import keras
from keras.wrappers import SKLearnClassifier
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
  `partial_fit` for training in several steps, `fit_kwargs` for any other
  `Model.fit` argument.
- scikit-learn's user guide on
  [model selection](https://scikit-learn.org/stable/model_selection.html) and
  [ensembles](https://scikit-learn.org/stable/modules/ensemble.html) applies
  unchanged.
"""
