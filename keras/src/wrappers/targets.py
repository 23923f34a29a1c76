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
    """Whether `loss` (a string, class instance or function) is one of
    `kinds`, Keras loss classes and functions."""
    if isinstance(loss, str):
        loss = losses.get(loss)
    classes = tuple(kind for kind in kinds if isinstance(kind, type))
    return isinstance(loss, classes) or any(loss is kind for kind in kinds)


def loss_from_logits(loss):
    """Whether a loss object was configured with `from_logits=True`."""
    return isinstance(loss, losses.Loss) and bool(
        loss.get_config().get("from_logits", False)
    )


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
        self.widths = [int(width) for width in widths]
        self.structure = structure
        self.names = names

    @classmethod
    def of_outputs(cls, outputs, names=None):
        """The heads of a model from its outputs (symbolic or computed),
        and the model's `output_names` when it has them."""
        flat = tree.flatten(outputs)
        widths = [
            1 if len(output.shape) == 1 else int(np.prod(output.shape[1:]))
            for output in flat
        ]
        structure = None
        if tree.is_nested(outputs):
            structure = tree.pack_sequence_as(outputs, list(range(len(flat))))
        if isinstance(outputs, dict):
            names = sorted(outputs)  # The order `tree.flatten` gives.
        if names is not None:
            # A plain list: a model's `output_names` is a tracked one.
            names = [str(name) for name in names]
            if len(names) != len(flat):
                names = None
        return cls(widths, structure, names)

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
            missing = sorted(set(self.names or []) - set(value))
            if self.names is None or missing:
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


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _normalized(raw):
    """Rows of `raw`, negatives clipped to 0, scaled to sum to 1: a new
    float64 array, written in place (a million rows are common here)."""
    p = np.maximum(raw, 0, dtype="float64")
    totals = p.sum(axis=1, keepdims=True)
    # A row with no mass says nothing: spread it evenly.
    empty = ~(totals[:, 0] > 0)
    if empty.any():
        p[empty] = 1.0
        totals[empty] = p.shape[1]
    p /= totals
    return p


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
        if self.multilabel and output_width == self.n_classes:
            self.representation = MULTILABEL
        elif self.multilabel:
            self._raise_width(output_width, "one per label")
        elif output_width == 1 and self.n_classes == 2:
            self.representation = BINARY_COLUMN
        elif output_width == self.n_classes:
            sparse = loss is None or _is_one_of(loss, _SPARSE_LOSSES)
            self.representation = SPARSE if sparse else ONE_HOT
        else:
            hint = " or 1 sigmoid unit" if self.n_classes == 2 else ""
            self._raise_width(output_width, "one per class" + hint)
        self.from_logits = loss is not None and loss_from_logits(loss)
        # A binary cross-entropy over one unit per class scores each class
        # on its own, so both scores of two classes are kept (Keras's own
        # tests read the class as their argmax).
        self.scores_per_class = self.representation == ONE_HOT and (
            _is_one_of(loss, _BINARY_LOSSES)
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
        return _normalized(raw)

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
        return [
            column.network_view(y[:, j])
            for j, column in enumerate(self.columns)
        ]

    def configure_heads(self, heads, loss):
        n_classes = [column.n_classes for column in self.columns]
        if len(heads) != len(self.columns):
            raise ValueError(
                f"The model has {len(heads)} output head(s), of widths "
                f"{heads.widths}, but y has {len(self.columns)} columns of "
                f"labels, with {n_classes} classes. A multi-output "
                "classifier needs one head per column, as wide as its "
                f"classes. {_HEADS_HINT}"
            )
        wrong = [
            j
            for j, (column, width) in enumerate(zip(self.columns, heads.widths))
            if width != column.n_classes
            and not (width == 1 and column.n_classes == 2)
        ]
        if wrong:
            raise ValueError(
                f"The model's output heads have widths {heads.widths}, but "
                f"the columns of y have {n_classes} classes: head {wrong[0]} "
                "needs one unit per class of its column (or 1 sigmoid unit "
                f"for 2 classes). {_HEADS_HINT}"
            )
        self.heads = heads
        defaults = [
            column.configure(width, column_loss)
            for column, width, column_loss in zip(
                self.columns, heads.widths, heads.per_head(loss)
            )
        ]
        return heads.pack(defaults)

    def encode(self, y):
        return self.heads.pack(
            [column.encode(y[:, j]) for j, column in enumerate(self.columns)]
        )

    def _per_column(self, method, raw):
        return [
            getattr(column, method)(part)
            for column, part in zip(self.columns, self.heads.split(raw))
        ]

    def probabilities(self, raw):
        """A list with one `(n_samples, n_classes)` array per column."""
        return self._per_column("probabilities", raw)

    def decision(self, raw):
        """A list with each column's scores (see `ClassificationTargets`)."""
        return self._per_column("decision", raw)

    def predict(self, raw):
        """An `(n_samples, n_columns)` array of labels. Columns whose
        labels differ in type share an object array."""
        labels = self._per_column("predict", raw)
        dtypes = {column.dtype for column in labels}
        dtype = dtypes.pop() if len(dtypes) == 1 else object
        result = np.empty((len(raw), len(labels)), dtype=dtype)
        for j, column in enumerate(labels):
            result[:, j] = column
        return result


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
        self.heads = None

    @classmethod
    def from_y(cls, y):
        y = np.asarray(y)
        n_outputs = 1 if y.ndim == 1 else y.shape[1]
        return cls(n_outputs, y.ndim == 1)

    def network_view(self, y):
        return np.asarray(y, dtype="float32").reshape(len(y), -1)

    def encode(self, y):
        """The targets as the network trains on them: the columns of `y`
        cut across the model's heads by their widths, in order."""
        y = self.network_view(y)
        if self.heads is None or len(self.heads) == 1:
            return y
        return self.heads.pack(self.heads.split(y))

    def configure_heads(self, heads, loss):
        if len(heads) > 1 and sum(heads.widths) != self.n_outputs:
            raise ValueError(
                f"The model's {len(heads)} output heads have widths "
                f"{heads.widths}, {sum(heads.widths)} columns in all, but y "
                f"has {self.n_outputs} column(s). The columns of y are "
                "cut across the heads by their widths, in order: make the "
                "widths add up to y's columns."
            )
        self.heads = heads
        # One loss name serves every head.
        return self.configure(sum(heads.widths), loss)

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
