"""Training batches for `Model.fit` on TensorFlow, from in-memory arrays,
as a `tf.data` pipeline of the wrappers' own.

Keras feeds arrays on TensorFlow through `ArrayDataAdapter`, whose
shuffle draws its permutation inside a `tf.data` function that every
epoch instantiates anew, so a seeded fit cannot get orders that are both
reproducible and new each epoch. `tf.data`'s own `shuffle` with a seed
draws a new order each time the dataset is iterated, i.e. each epoch, and
the same sequence of orders for the same seed.
"""

from keras.src import tree
from keras.src.utils.module_utils import tensorflow as tf
from keras.src.wrappers import inputs


def batches(x, y, sample_weight, dtypes, batch_size, shuffle, seed):
    """A dataset of `(x, y[, sample_weight])` batches, gathered by
    (shuffled) row indices.

    Shuffling indices and gathering a whole batch at once keeps the
    pipeline's per-row work to one integer, whatever the width of a row.
    Takes the same arguments as `inputs.RowBatches`.

    Args:
        x: array of inputs, or a dict of them.
        y: array of targets, or a list or dict of them (one per output
            head).
        sample_weight: array of per-row weights, or `None`.
        dtypes: the network's input dtypes (`inputs.network_dtypes`);
            each batch of `x` is cast to them in the pipeline, so that
            float64 arrays cost no float32 copy besides TensorFlow's own
            (text for a string input is not cast).
        batch_size: int, rows per batch.
        shuffle: bool, whether to draw a new row order each epoch.
        seed: int seed of the row orders, or `None`.

    Returns:
        A `tf.data.Dataset`.
    """
    # Keras's trees take dicts, not dict subclasses such as `InputDict`;
    # `tf.data` reads a list as one tensor to stack, so targets of several
    # output heads go in as a tuple.
    arrays = (inputs.plain(x), y)
    if sample_weight is not None:
        arrays += (sample_weight,)
    tensors = tree.map_structure(tf.constant, tree.lists_to_tuples(arrays))
    # Counted on the targets: arrays (one per output head) even for dict x.
    n_rows = len(tree.flatten(y)[0])
    indices = tf.data.Dataset.range(n_rows)
    if shuffle:
        indices = indices.shuffle(n_rows, seed=seed)

    def gather(rows):
        def take(tensor, dtype):
            batch = tf.gather(tensor, rows)
            # Text goes to a string input as it is.
            return batch if dtype.kind == "U" else tf.cast(batch, dtype)

        x = tree.map_structure(take, tensors[0], dtypes)
        rest = tree.map_structure(lambda t: tf.gather(t, rows), tensors[1:])
        return (x,) + rest

    # Prepare the next batch while the model trains on this one.
    return indices.batch(batch_size).map(gather).prefetch(tf.data.AUTOTUNE)
