"""Target encoding for the network and decoding of its outputs.

Each wrapper owns one target object, fitted on `y` in `fit`. It says what the
model-building callable sees as `y`, how wide the network's output must be,
which loss fits when none is given, and how raw outputs become predictions.
The representation a network trains on is chosen from the model itself: one
sigmoid unit or one unit per class, a sparse (integer-label) or a one-hot
loss, probabilities or logits.
"""

import numpy as np

BINARY_COLUMN = "binary_column"  # one unit, P(classes_[1])
SPARSE = "sparse"  # one unit per class, integer labels
ONE_HOT = "one_hot"  # one unit per class, one-hot labels
MULTILABEL = "multilabel"  # one unit per label, 0/1 indicators

_DEFAULT_LOSSES = {
    BINARY_COLUMN: "binary_crossentropy",
    SPARSE: "sparse_categorical_crossentropy",
    ONE_HOT: "categorical_crossentropy",
    MULTILABEL: "binary_crossentropy",
}

# Probabilities are clipped away from 0 before taking logs.
_EPSILON = np.finfo(np.float64).tiny


def loss_name(loss):
    """A lower-case name for a loss given as a string, object or function."""
    if isinstance(loss, str):
        return loss.lower()
    inner = getattr(loss, "fn", None)
    for candidate in (inner, loss):
        name = getattr(candidate, "__name__", None)
        if name:
            return name.lower()
    return type(loss).__name__.lower()


def loss_from_logits(loss):
    """Whether a loss object was configured with `from_logits=True`."""
    if getattr(loss, "from_logits", False):
        return True
    return bool(getattr(loss, "_fn_kwargs", {}).get("from_logits", False))


def _is_sparse_loss(loss):
    """Sparse losses (integer labels) say so in their name."""
    return "sparse" in loss_name(loss)


def _is_binary_loss(loss):
    """Binary cross-entropies (one independent score per unit)."""
    return "binary" in loss_name(loss)


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class ClassificationTargets:
    """Class labels: binary, multiclass or multilabel indicator targets.

    Args:
        classes: array of the class labels (for multilabel targets, the
            label indices `0..n_labels-1`).
        multilabel: bool, whether targets are 2-D 0/1 indicator rows.
    """

    def __init__(self, classes, multilabel=False):
        self.classes = np.asarray(classes)
        self.multilabel = multilabel
        self.representation = None
        self.from_logits = False
        self.scores_per_class = False

    @property
    def n_classes(self):
        return len(self.classes)

    def indices(self, y):
        """Maps labels to their index in `classes`; raises for unseen ones."""
        if self.multilabel:
            return np.asarray(y)
        positions = np.searchsorted(self.classes, y)
        positions = np.clip(positions, 0, self.n_classes - 1)
        unseen = self.classes[positions] != y
        if np.any(unseen):
            raise ValueError(
                f"y contains labels {np.unique(y[unseen]).tolist()} that are "
                f"not in classes_={self.classes.tolist()}. Pass every class "
                "in `classes=` on the first `partial_fit` call."
            )
        return positions

    def network_view(self, y):
        """The targets as a model-building callable sees them (2-D)."""
        if self.multilabel:
            return np.asarray(y, dtype="float32")
        one_hot = np.zeros((len(y), self.n_classes), dtype="float32")
        one_hot[np.arange(len(y)), self.indices(y)] = 1.0
        return one_hot

    @property
    def output_activation(self):
        """The default network's output activation for these targets."""
        return "sigmoid" if self.multilabel else "softmax"

    def configure(self, output_width, loss):
        """Chooses the representation matching a model's output and loss.

        Args:
            output_width: int, the width of the model's output.
            loss: the loss the model is or will be compiled with, or `None`
                to pick the default for that output width.

        Returns:
            The loss to compile with when `loss` is `None`.
        """
        if self.multilabel and output_width == self.n_classes:
            self.representation = MULTILABEL
        elif self.multilabel:
            self._raise_width(output_width, "one per label")
        elif output_width == 1 and self.n_classes == 2:
            self.representation = BINARY_COLUMN
        elif output_width == self.n_classes:
            sparse = loss is None or _is_sparse_loss(loss)
            self.representation = SPARSE if sparse else ONE_HOT
        else:
            hint = " or 1 sigmoid unit" if self.n_classes == 2 else ""
            self._raise_width(output_width, "one per class" + hint)
        self.from_logits = loss is not None and loss_from_logits(loss)
        # A binary cross-entropy over one unit per class scores each class
        # on its own, so both scores of two classes are kept (Keras's own
        # tests read the class as their argmax).
        self.scores_per_class = self.representation == ONE_HOT and (
            _is_binary_loss(loss)
        )
        return _DEFAULT_LOSSES[self.representation]

    def _raise_width(self, output_width, expected):
        raise ValueError(
            f"The model's output has {output_width} units but the targets "
            f"need {self.n_classes} units ({expected}); classes_="
            f"{self.classes.tolist()}. Make the last layer that wide, or "
            "build it from the `y` your model callable receives "
            "(`y.shape[1]`)."
        )

    def encode(self, y):
        """The targets `Model.fit` trains on, in the chosen representation."""
        if self.representation == MULTILABEL:
            return np.asarray(y, dtype="float32")
        indices = self.indices(y)
        if self.representation == SPARSE:
            return indices.astype("int32")
        if self.representation == BINARY_COLUMN:
            return indices.astype("float32").reshape(-1, 1)
        return self.network_view(y)

    def probabilities(self, raw):
        """Class probabilities (float64) from raw network outputs."""
        raw = np.asarray(raw, dtype="float64")
        if self.representation in (BINARY_COLUMN, MULTILABEL):
            p = _sigmoid(raw) if self.from_logits else np.clip(raw, 0, 1)
            if self.representation == MULTILABEL:
                return p
            return np.hstack([1.0 - p, p])
        if self.from_logits:
            return _softmax(raw)
        p = np.clip(raw, 0, None)
        totals = p.sum(axis=1, keepdims=True)
        # A row with no mass says nothing: spread it evenly.
        p = np.where(totals > 0, p, 1.0)
        return p / p.sum(axis=1, keepdims=True)

    def decision(self, raw):
        """Scores in scikit-learn's `decision_function` convention.

        Binary targets get one score, the log-odds of `classes[1]`, unless
        `scores_per_class`: then, as for more classes, one column per class
        whose argmax is the predicted class.
        """
        raw = np.asarray(raw, dtype="float64")
        one_score = self.n_classes == 2 and not (
            self.multilabel or self.scores_per_class
        )
        if self.from_logits:
            if self.representation == BINARY_COLUMN:
                return raw[:, 0]
            if one_score:
                return raw[:, 1] - raw[:, 0]
            return raw
        log_p = np.log(np.clip(self.probabilities(raw), _EPSILON, None))
        if self.multilabel:
            log_q = np.log(np.clip(1.0 - np.exp(log_p), _EPSILON, None))
            return log_p - log_q
        if one_score:
            return log_p[:, 1] - log_p[:, 0]
        return log_p

    def predict(self, raw):
        """Labels in the original label type from raw network outputs."""
        proba = self.probabilities(raw)
        if self.multilabel:
            return (proba > 0.5).astype(int)
        return self.classes[np.argmax(proba, axis=1)]


class RegressionTargets:
    """Continuous targets with one or several outputs.

    Args:
        n_outputs: int, the number of target columns.
        one_dimensional: bool, whether `y` was 1-D (predictions then are).
    """

    output_activation = "linear"

    def __init__(self, n_outputs, one_dimensional):
        self.n_outputs = n_outputs
        self.one_dimensional = one_dimensional

    @classmethod
    def from_y(cls, y):
        y = np.asarray(y)
        n_outputs = 1 if y.ndim == 1 else y.shape[1]
        return cls(n_outputs, y.ndim == 1)

    def network_view(self, y):
        return np.asarray(y, dtype="float32").reshape(len(y), -1)

    encode = network_view

    def configure(self, output_width, loss):
        if output_width != self.n_outputs:
            raise ValueError(self._width_message(output_width))
        return "mean_squared_error"

    def _width_message(self, output_width):
        return (
            f"The model's output has {output_width} units but y has "
            f"{self.n_outputs} output(s). Make the last layer "
            f"Dense({self.n_outputs}), or build it from the `y` your "
            "model callable receives (`y.shape[1]`)."
        )

    def predict(self, raw):
        raw = np.asarray(raw, dtype="float64")
        return raw[:, 0] if self.one_dimensional else raw


class ReconstructionTargets(RegressionTargets):
    """Unsupervised training: the network learns to reconstruct `X`."""

    def _width_message(self, output_width):
        return (
            f"Fitting without y trains the model to reconstruct X, so "
            f"its output must have {self.n_outputs} units (the number of "
            f"features), but it has {output_width}. Pass y to `fit`, or "
            f"end the model with Dense({self.n_outputs})."
        )
