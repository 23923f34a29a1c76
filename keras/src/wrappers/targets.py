"""Target encoding for the network and decoding of its outputs.

Each wrapper owns one target object, fitted on `y` in `fit`. It says what the
model-building callable sees as `y`, how wide the network's output must be,
which loss fits when none is given, and how raw outputs become predictions.
The representation a network trains on is chosen from the model itself: one
sigmoid unit or one unit per class, a sparse (integer-label) or a one-hot
loss, probabilities or logits.
"""

import numpy as np

from keras.src import losses
from keras.src import tree

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

# Keras's losses that take integer labels, and those that score each unit
# on its own. Any other loss over one unit per class gets one-hot targets.
_SPARSE_LOSSES = (
    losses.SparseCategoricalCrossentropy,
    losses.sparse_categorical_crossentropy,
)
_BINARY_LOSSES = (
    losses.BinaryCrossentropy,
    losses.BinaryFocalCrossentropy,
    losses.binary_crossentropy,
    losses.binary_focal_crossentropy,
)


def _is_one_of(loss, kinds):
    """Whether `loss` (a name, a loss instance or a function) is one of
    `kinds`, Keras loss classes and functions."""
    loss = losses.get(loss) if isinstance(loss, str) else loss
    classes = tuple(kind for kind in kinds if isinstance(kind, type))
    return isinstance(loss, classes) or any(loss is kind for kind in kinds)


def _log(p):
    return np.log(np.clip(p, _EPSILON, None))


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _normalized(raw):
    """Rows of `raw`, negatives clipped to 0, scaled to sum to 1: a new
    float64 array, written in place (a million rows are common here)."""
    p = np.maximum(raw, 0, dtype="float64")
    totals = p.sum(axis=1, keepdims=True)
    # A row with no mass says nothing: spread it evenly. Rows are summed
    # once and masked only if one is empty.
    empty = ~(totals[:, 0] > 0)
    if empty.any():
        p[empty] = 1.0
        totals[empty] = p.shape[1]
    p /= totals
    return p


class OutputHeads:
    """The output heads of a model: each one's width, and the structure
    (a list or a dict) `Model.fit` expects their targets in.

    Heads are in `keras.tree.flatten` order: a list of outputs in its
    order, a dict of outputs by sorted name. A model's raw predictions are
    its heads' outputs, each flattened to 2-D, side by side in that order.

    Args:
        widths: list of ints, each head's width.
        structure: the model's output structure with each head replaced by
            its index, or `None` for a model with one output.
        names: list of each head's output name, or `None` if unknown.
    """

    def __init__(self, widths, structure=None, names=None):
        self.widths = list(widths)
        self.structure = structure
        self.names = names

    @classmethod
    def of_outputs(cls, outputs, names=None):
        """The heads of a model from its outputs (symbolic or computed),
        and the model's `output_names` when it has them."""
        flat = tree.flatten(outputs)
        structure = None
        if tree.is_nested(outputs):
            structure = tree.pack_sequence_as(outputs, list(range(len(flat))))
        if isinstance(outputs, dict):
            names = sorted(outputs)  # The order `tree.flatten` gives.
        if names is not None and len(names) != len(flat):
            names = None
        widths = [int(np.prod(output.shape[1:])) for output in flat]
        # A plain list: a model's `output_names` is a tracked one.
        return cls(widths, structure, names and [str(name) for name in names])

    def __len__(self):
        return len(self.widths)

    def split(self, raw):
        """The 2-D raw outputs, cut into one array per head."""
        return np.split(raw, np.cumsum(self.widths)[:-1], axis=1)

    def pack(self, arrays):
        """Per-head target arrays in the structure the model outputs."""
        if self.structure is None:
            return arrays[0]
        return tree.pack_sequence_as(self.structure, list(arrays))

    def per_head(self, value):
        """A loss given for each head: a dict by output name, a list in
        the heads' order, or one loss for every head."""
        if self.structure is None or not tree.is_nested(value):
            return [value] * len(self)
        if isinstance(value, dict):
            if self.names is None or set(self.names) - set(value):
                raise ValueError(
                    f"The loss is a dict with keys {sorted(value)}, but the "
                    f"model's output heads are named {self.names}: give a "
                    "loss for each output name, or one loss for all."
                )
            return [value[name] for name in self.names]
        if len(value) != len(self):
            raise ValueError(
                f"The loss is a list of {len(value)}, but the model has "
                f"{len(self)} output heads: give one loss per head, in "
                "order, or one loss for all."
            )
        return list(value)


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

    @property
    def output_activation(self):
        """The default network's output activation for these targets."""
        return "sigmoid" if self.multilabel else "softmax"

    def indices(self, y):
        """Maps labels to their index in `classes`; raises for unseen ones."""
        y = np.ravel(y)  # A column of labels, as a transformer may get.
        positions = np.searchsorted(self.classes, y).clip(0, self.n_classes - 1)
        unseen = self.classes[positions] != y
        if np.any(unseen):
            raise ValueError(
                f"y contains labels {np.unique(y[unseen]).tolist()} that are "
                f"not in classes_={self.classes.tolist()}. Pass every class "
                "in `classes=` on the first `partial_fit` call."
            )
        return positions

    def network_view(self, y):
        """The targets as a model-building callable sees them (2-D): one-hot
        rows, or the 0/1 indicator rows of multilabel targets."""
        if self.multilabel:
            return np.asarray(y, dtype="float32")
        one_hot = np.zeros((len(y), self.n_classes), dtype="float32")
        one_hot[np.arange(len(y)), self.indices(y)] = 1.0
        return one_hot

    def configure_heads(self, heads, loss):
        """Checks that the model has one output head, then `configure`s."""
        if len(heads) != 1:
            raise ValueError(
                f"The model has {len(heads)} output heads, of widths "
                f"{heads.widths}, but y is a single column of labels with "
                f"{self.n_classes} classes. Give the model one output, or "
                "pass y with one column of labels per head."
            )
        return self.configure(heads.widths[0], loss)

    def configure(self, output_width, loss):
        """Chooses the representation matching a model's output and loss.

        Args:
            output_width: int, the width of the model's output.
            loss: the loss the model is or will be compiled with, or `None`
                to pick the default for that output width.

        Returns:
            The loss to compile with when `loss` is `None`.
        """
        binary = self.n_classes == 2 and not self.multilabel
        if output_width == self.n_classes and self.multilabel:
            self.representation = MULTILABEL
        elif output_width == self.n_classes:
            sparse = loss is None or _is_one_of(loss, _SPARSE_LOSSES)
            self.representation = SPARSE if sparse else ONE_HOT
        elif output_width == 1 and binary:
            self.representation = BINARY_COLUMN
        else:
            expected = "one per label" if self.multilabel else "one per class"
            raise ValueError(
                f"The model's output has {output_width} units but the "
                f"targets need {self.n_classes} units ({expected}"
                f"{' or 1 sigmoid unit' if binary else ''}); classes_="
                f"{self.classes.tolist()}. Make the last layer that wide, or "
                "build it from the `y` your model callable receives "
                "(`y.shape[1]`)."
            )
        config = loss.get_config() if isinstance(loss, losses.Loss) else {}
        self.from_logits = bool(config.get("from_logits", False))
        # A binary cross-entropy over one unit per class scores each class
        # on its own, so both scores of two classes are kept (Keras's own
        # tests read the class as their argmax).
        self.scores_per_class = self.representation == ONE_HOT and (
            _is_one_of(loss, _BINARY_LOSSES)
        )
        return _DEFAULT_LOSSES[self.representation]

    def encode(self, y):
        """The targets `Model.fit` trains on, in the chosen representation."""
        if self.representation == SPARSE:
            return self.indices(y).astype("int32")
        if self.representation == BINARY_COLUMN:
            return self.indices(y).astype("float32").reshape(-1, 1)
        return self.network_view(y)

    def probabilities(self, raw):
        """Class probabilities (float64) from raw network outputs."""
        raw = np.asarray(raw, dtype="float64")
        if self.representation in (BINARY_COLUMN, MULTILABEL):
            p = _sigmoid(raw) if self.from_logits else np.clip(raw, 0, 1)
            return p if self.multilabel else np.hstack([1.0 - p, p])
        if self.from_logits:  # The softmax: exponentials, normalized.
            raw = np.exp(raw - raw.max(axis=1, keepdims=True))
        return _normalized(raw)

    def decision(self, raw):
        """Scores in scikit-learn's `decision_function` convention.

        Logits as they are, else the log-odds of each sigmoid unit or the
        log-probabilities of the classes. Binary targets get one score, the
        log-odds of `classes[1]`, unless `scores_per_class`: then, as for
        more classes, one column per class whose argmax is the predicted
        class.
        """
        raw = np.asarray(raw, dtype="float64")
        if not self.from_logits:
            p = self.probabilities(raw)
            raw = _log(p) - _log(1.0 - p) if self.multilabel else _log(p)
        if raw.shape[1] == 1:  # The logit of one sigmoid unit.
            return raw[:, 0]
        exclusive = not (self.multilabel or self.scores_per_class)
        if self.n_classes == 2 and exclusive:
            return raw[:, 1] - raw[:, 0]
        return raw

    def predict(self, raw):
        """Labels in the original label type from raw network outputs."""
        proba = self.probabilities(raw)
        if self.multilabel:
            return (proba > 0.5).astype(int)
        return self.classes[np.argmax(proba, axis=1)]


_HEADS_HINT = (
    "Build the heads from the list `y` your model callable receives "
    "(`[Dense(t.shape[1]) for t in y]`)."
)


class MultiOutputClassificationTargets:
    """Several columns of class labels (`multiclass-multioutput`), each
    with its own label set, trained on one output head per column.

    Each column is a `ClassificationTargets`; the heads are configured,
    encoded and decoded column by column, so each picks its own
    representation and loss from its own head.

    Args:
        columns: list of `ClassificationTargets`, one per column of `y`.
    """

    output_activation = "softmax"

    def __init__(self, columns):
        self.columns = list(columns)
        self.heads = None

    @property
    def classes(self):
        """One array of labels per column, as scikit-learn's multi-output
        classifiers give `classes_`."""
        return [column.classes for column in self.columns]

    def network_view(self, y):
        """One one-hot array per column, for a model callable's `y`."""
        return self._per_column("network_view", y.T)

    def configure_heads(self, heads, loss):
        """Checks one head per column, each as wide as its column needs,
        then `configure`s each column on its head and its loss (see
        `OutputHeads.per_head`); returns the default losses, packed."""
        n_classes = [column.n_classes for column in self.columns]
        if len(heads) != len(self.columns):
            raise ValueError(
                f"The model has {len(heads)} output head(s), of widths "
                f"{heads.widths}, but y has {len(self.columns)} columns of "
                f"labels, with {n_classes} classes. A multi-output "
                "classifier needs one head per column, as wide as its "
                f"classes. {_HEADS_HINT}"
            )
        # A head has one unit per class, or 1 sigmoid unit for 2 classes.
        widths, n = np.array(heads.widths), np.array(n_classes)
        wrong = np.flatnonzero((widths != n) & ((widths != 1) | (n != 2)))
        if len(wrong):
            raise ValueError(
                f"The model's output heads have widths {heads.widths}, but "
                f"the columns of y have {n_classes} classes: head {wrong[0]} "
                "needs one unit per class of its column (or 1 sigmoid unit "
                f"for 2 classes). {_HEADS_HINT}"
            )
        self.heads = heads
        # Each column is configured with its head's width and loss.
        per_head = zip(self.columns, heads.widths, heads.per_head(loss))
        return heads.pack([col.configure(*head) for col, *head in per_head])

    def encode(self, y):
        return self.heads.pack(self._per_column("encode", y.T))

    def _per_column(self, method, parts):
        """Each column's `method` of its part: of y, or of the outputs."""
        return [
            getattr(column, method)(part)
            for column, part in zip(self.columns, parts)
        ]

    def probabilities(self, raw):
        """A list with one `(n_samples, n_classes)` array per column."""
        return self._per_column("probabilities", self.heads.split(raw))

    def decision(self, raw):
        """A list with each column's scores (see `ClassificationTargets`)."""
        return self._per_column("decision", self.heads.split(raw))

    def predict(self, raw):
        """An `(n_samples, n_columns)` array of labels. Columns whose
        labels differ in type share an object array."""
        labels = self._per_column("predict", self.heads.split(raw))
        dtypes = {column.dtype for column in labels}
        return np.array(labels, dtype=object if len(dtypes) > 1 else None).T


class RegressionTargets:
    """Continuous targets with one or several outputs.

    Args:
        y: array of shape `(n_samples,)` or `(n_samples, n_outputs)`, the
            targets of `fit`; predictions have the same number of
            dimensions.
    """

    output_activation = "linear"
    _WIDTH_MESSAGE = (
        "The model's output has {width} units but y has {n} output(s). "
        "Make the last layer Dense({n}), or build it from the `y` your "
        "model callable receives (`y.shape[1]`)."
    )

    def __init__(self, y):
        self.one_dimensional = np.ndim(y) == 1
        self.n_outputs = 1 if self.one_dimensional else np.shape(y)[1]
        self.heads = OutputHeads([self.n_outputs])

    def network_view(self, y):
        return np.asarray(y, dtype="float32").reshape(len(y), -1)

    def encode(self, y):
        """The targets as the network trains on them: the columns of `y`
        cut across the model's heads by their widths, in order. One head,
        even a model's one-element list of outputs, takes one array."""
        y = self.network_view(y)
        if len(self.heads) == 1:
            return y
        return self.heads.pack(self.heads.split(y))

    def configure_heads(self, heads, loss):
        """Checks that the heads' widths add up to the columns of y;
        returns the default loss, one name for every head."""
        width = sum(heads.widths)
        if len(heads) > 1 and width != self.n_outputs:
            raise ValueError(
                f"The model's {len(heads)} output heads have widths "
                f"{heads.widths}, {width} columns in all, but y has "
                f"{self.n_outputs} column(s). The columns of y are cut "
                "across the heads by their widths, in order: make the "
                "widths add up to y's columns."
            )
        if width != self.n_outputs:
            raise ValueError(
                self._WIDTH_MESSAGE.format(width=width, n=self.n_outputs)
            )
        self.heads = heads
        return "mean_squared_error"

    def predict(self, raw):
        raw = np.asarray(raw, dtype="float64")
        return raw[:, 0] if self.one_dimensional else raw


class ReconstructionTargets(RegressionTargets):
    """Unsupervised training: the network learns to reconstruct `X`."""

    _WIDTH_MESSAGE = (
        "Fitting without y trains the model to reconstruct X, so its output "
        "must have {n} units (the number of features), but it has {width}. "
        "Pass y to `fit`, or end the model with Dense({n})."
    )
