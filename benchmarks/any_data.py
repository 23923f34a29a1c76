"""Any data: sparse matrices, arrays on disk and images through the wrappers.

Five measurements, each in a fresh process so that its peak resident
memory is its own:

- Sparse memory: `SKLearnClassifier` fit (1 epoch, batch 256) then
  predict on a 100,000 x 50,000 CSR float32 matrix, 20 non-zeros a row
  (19 GB if dense), with Input(50000) -> Dense(16, relu) -> Dense(2).
  Peak RSS growth, against the size the matrix would have dense.
- Sparse memory, large predict batches: the same fit, then `predict` with
  `batch_size=2048`, which densifies 2,048 rows (391 MiB) per batch.
  Peak RSS growth, against the size of one dense predict batch.
- Memmap memory: the same on 100,000 images 32 x 32 x 1 float32 (400 MB)
  in a `.npy` opened with `np.load(path, mmap_mode="r")`, with a small
  CNN. Peak RSS growth, which counts the file's pages the process maps,
  against the file's size; and the wall time of fit + predict against
  raw `Model.fit` + `Model.predict` on the same images loaded in memory.
- Wide memmap memory: the same on 5,000 images 96 x 96 x 3 float32
  (553 MB, 108 KB a row), which `fit` validates by bytes, not by rows.
  Peak RSS growth against the file's size, and that growth minus the
  same fit's on 512 rows: what grows with the file.
- CNN fit overhead: the wrapper's `fit` against `Model.fit` on the same
  CNN (adam and sparse categorical cross-entropy, which the wrapper
  compiles for one softmax unit per class), on digits as 8 x 8 x 1
  images tiled to 5391 rows, 5 epochs, batch 64, interleaved.

Peak growth is VmHWM after fit + predict minus VmRSS before, with VmHWM
reset (`/proc/self/clear_refs`) after the data is built and the backend
initialised. A watchdog ends a run whose RSS passes `RSS_CAP_MIB`, so that
a wrapper which densified the matrix could not exhaust a shared machine.

BENCH_QUICK=1: 5,000 rows of each, two overhead repeats.

Run: KERAS_BACKEND=jax python benchmarks/any_data.py
(or one measurement: ... benchmarks/any_data.py --measure sparse).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
from common import sized

SPARSE_ROWS = sized(100_000, 5_000)
SPARSE_COLUMNS = 50_000
NON_ZEROS_PER_ROW = 20
IMAGE_ROWS = sized(100_000, 5_000)
IMAGE_SHAPE = (32, 32, 1)
WIDE_ROWS = sized(5_000, 500)
WIDE_SHAPE = (96, 96, 3)
# The wide fit again on this many rows: its growth is the fixed cost that
# does not depend on the file's size (mostly the backend compiling the CNN).
WIDE_FEW_ROWS = sized(512, 64)
PREDICT_BATCH_SIZE = 2048
BATCH_SIZE = 256
OVERHEAD_EPOCHS = 5
OVERHEAD_BATCH_SIZE = 64
OVERHEAD_REPEATS = sized(5, 2)
# A run whose resident memory passes this is ended and reported at it.
RSS_CAP_MIB = 8192
ABORTED = 3  # exit status of a run the watchdog ended


# ------------------------------------------------------------------ memory


def _status_mib(field):
    with open("/proc/self/status") as status:
        match = re.search(rf"^{field}:\s+(\d+) kB", status.read(), re.M)
    return int(match.group(1)) / 1024


def reset_peak():
    """Resets VmHWM to the current RSS (Linux); returns that RSS in MiB."""
    import gc

    gc.collect()
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")
    return _status_mib("VmRSS")


def peak_mib():
    return _status_mib("VmHWM")


def start_watchdog():
    """Ends the process, saying so on stdout, if its RSS passes the cap."""

    def watch():
        while True:
            rss = _status_mib("VmRSS")
            if rss > RSS_CAP_MIB:
                print(json.dumps({"aborted": True, "rss_mib": rss}), flush=True)
                os._exit(ABORTED)
            time.sleep(0.05)

    threading.Thread(target=watch, daemon=True).start()


def initialise_backend():
    """Imports Keras and the wrappers and starts the backend's runtime, so
    that the baseline reading includes them."""
    import keras
    from keras.wrappers import SKLearnClassifier  # noqa: F401

    keras.ops.convert_to_numpy(keras.ops.ones((2, 2)) + 1)


# -------------------------------------------------------------------- data


def sparse_data():
    """A seeded CSR float32 matrix with exactly NON_ZEROS_PER_ROW distinct
    columns a row, and binary labels that depend on it."""
    import scipy.sparse

    rng = np.random.default_rng(0)
    # Sorted draws from n - k values plus 0..k-1 are k distinct, sorted
    # columns.
    columns = np.sort(
        rng.integers(
            0,
            SPARSE_COLUMNS - NON_ZEROS_PER_ROW,
            (SPARSE_ROWS, NON_ZEROS_PER_ROW),
        ),
        axis=1,
    ) + np.arange(NON_ZEROS_PER_ROW)
    values = rng.random((SPARSE_ROWS, NON_ZEROS_PER_ROW), dtype=np.float32)
    indptr = np.arange(
        0, SPARSE_ROWS * NON_ZEROS_PER_ROW + 1, NON_ZEROS_PER_ROW
    )
    X = scipy.sparse.csr_matrix(
        (values.ravel(), columns.ravel().astype(np.int32), indptr),
        shape=(SPARSE_ROWS, SPARSE_COLUMNS),
    )
    y = (columns[:, 0] < SPARSE_COLUMNS // (2 * NON_ZEROS_PER_ROW)).astype(int)
    return X, y


def write_images(directory, rows=IMAGE_ROWS, shape=IMAGE_SHAPE):
    """Writes `rows` seeded images of `shape` as a .npy and their labels
    apart.

    Returns:
        The paths of the images and of the labels.
    """
    os.makedirs(directory, exist_ok=True)
    images_path = os.path.join(directory, "images.npy")
    labels_path = os.path.join(directory, "labels.npy")
    rng = np.random.default_rng(0)
    images = np.lib.format.open_memmap(
        images_path,
        mode="w+",
        dtype=np.float32,
        shape=(rows,) + shape,
    )
    labels = np.empty(rows, dtype=np.int64)
    chunk = 1_000
    for start in range(0, rows, chunk):
        block = rng.standard_normal(
            (min(chunk, rows - start),) + shape, dtype=np.float32
        )
        images[start : start + len(block)] = block
        labels[start : start + len(block)] = block.mean(axis=(1, 2, 3)) > 0
    images.flush()
    del images
    np.save(labels_path, labels)
    return images_path, labels_path


def digit_images():
    """Digits as 8 x 8 x 1 float32 images in [0, 1], tiled three times."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = (digits.images[..., None] / 16.0).astype(np.float32)
    return np.concatenate([X] * 3), np.concatenate([digits.target] * 3)


# ----------------------------------------------------------------- networks


def dense_network(n_features):
    import keras

    inputs = keras.Input((n_features,))
    hidden = keras.layers.Dense(16, activation="relu")(inputs)
    outputs = keras.layers.Dense(2, activation="softmax")(hidden)
    return keras.Model(inputs, outputs)


def cnn(input_shape, n_classes):
    import keras

    inputs = keras.Input(input_shape)
    hidden = keras.layers.Conv2D(4, 3, strides=2, activation="relu")(inputs)
    hidden = keras.layers.GlobalAveragePooling2D()(hidden)
    outputs = keras.layers.Dense(n_classes, activation="softmax")(hidden)
    return keras.Model(inputs, outputs)


def build_dense(X, y):
    return dense_network(X.shape[1])


def build_cnn(X, y):
    return cnn(X.shape[1:], y.shape[1])


def compiled_cnn(input_shape, n_classes):
    """The CNN compiled as the wrapper compiles it."""
    model = cnn(input_shape, n_classes)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


# ------------------------------------------------------------ measurements


def fit_and_predict_peak(build, X, y, predict_batch_size=BATCH_SIZE):
    """Peak RSS growth and seconds of one epoch of `fit` and a `predict`."""
    from keras.wrappers import SKLearnClassifier

    initialise_backend()
    estimator = SKLearnClassifier(
        model=build, epochs=1, batch_size=BATCH_SIZE, random_state=0
    )
    baseline = reset_peak()
    start = time.perf_counter()
    estimator.fit(X, y)
    predictions = estimator.predict(X, batch_size=predict_batch_size)
    seconds = time.perf_counter() - start
    assert predictions.shape == (len(y),)
    return {"growth_mib": peak_mib() - baseline, "seconds": seconds}


def measure_sparse():
    return fit_and_predict_peak(build_dense, *sparse_data())


def measure_sparse_large_predict():
    return fit_and_predict_peak(
        build_dense, *sparse_data(), predict_batch_size=PREDICT_BATCH_SIZE
    )


def measure_memmap(images_path, labels_path):
    X = np.load(images_path, mmap_mode="r")
    return fit_and_predict_peak(build_cnn, X, np.load(labels_path))


def measure_memmap_raw(images_path, labels_path):
    """Raw Keras on the same images, loaded in memory: the time reference."""
    import keras

    X = np.load(images_path)
    y = np.load(labels_path)
    initialise_backend()
    keras.utils.set_random_seed(0)
    model = compiled_cnn(X.shape[1:], 2)
    baseline = reset_peak()
    start = time.perf_counter()
    model.fit(X, y, epochs=1, batch_size=BATCH_SIZE, verbose=0)
    model.predict(X, batch_size=BATCH_SIZE, verbose=0)
    seconds = time.perf_counter() - start
    return {"growth_mib": peak_mib() - baseline, "seconds": seconds}


def measure_overhead():
    from common import interleaved_medians

    from keras.wrappers import SKLearnClassifier

    X, y = digit_images()
    n_classes = len(np.unique(y))
    estimator = SKLearnClassifier(
        model=build_cnn,
        epochs=OVERHEAD_EPOCHS,
        batch_size=OVERHEAD_BATCH_SIZE,
        random_state=0,
    )

    def raw():
        compiled_cnn(X.shape[1:], n_classes).fit(
            X,
            y,
            epochs=OVERHEAD_EPOCHS,
            batch_size=OVERHEAD_BATCH_SIZE,
            verbose=0,
        )

    def ours():
        estimator.fit(X, y)

    raw(), ours()  # warm-up: imports, first compilations
    return interleaved_medians({"ours": ours, "raw": raw}, OVERHEAD_REPEATS)


# -------------------------------------------------------------- the driver


def run_child(*arguments):
    """Runs one measurement in a fresh process; returns its JSON reading."""
    result = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--measure", *arguments],
        capture_output=True,
        text=True,
        env=dict(os.environ),
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode not in (0, ABORTED) or not lines:
        sys.stderr.write(result.stdout + result.stderr)
        raise RuntimeError(f"any_data --measure {arguments[0]} failed")
    return json.loads(lines[-1])


def growth(reading):
    """Peak growth in MiB, or the RSS at which the watchdog stopped it."""
    if reading.get("aborted"):
        return reading["rss_mib"]
    return reading["growth_mib"]


def note(reading):
    if reading.get("aborted"):
        return f" (ended at the {RSS_CAP_MIB} MiB cap)"
    return ""


def memmap_row(reading, rows, shape, file_mib, target="< 300 MB (286 MiB)"):
    """The row of a memmap run's peak RSS growth against its file's size."""
    return dict(
        measure=(
            f"memmap {rows}x{'x'.join(map(str, shape))} fit+predict: peak "
            f"RSS growth vs file size{note(reading)}"
        ),
        ours=growth(reading),
        reference=file_mib,
        ratio=growth(reading) / file_mib,
        target=target,
        unit="MiB",
    )


def main():
    from common import report

    sparse = run_child("sparse")
    sparse_large_predict = run_child("sparse_large_predict")
    directory = tempfile.mkdtemp(prefix="any_data_")
    try:
        paths = write_images(directory)
        file_mib = os.path.getsize(paths[0]) / 2**20
        memmap = run_child("memmap", *paths)
        memmap_raw = run_child("memmap_raw", *paths)
    finally:
        shutil.rmtree(directory)
    directory = tempfile.mkdtemp(prefix="any_data_")
    try:
        wide_paths = write_images(directory, WIDE_ROWS, WIDE_SHAPE)
        wide_file_mib = os.path.getsize(wide_paths[0]) / 2**20
        wide = run_child("memmap", *wide_paths)
        few_paths = write_images(
            os.path.join(directory, "few"), WIDE_FEW_ROWS, WIDE_SHAPE
        )
        wide_few = run_child("memmap", *few_paths)
    finally:
        shutil.rmtree(directory)
    overhead = run_child("overhead")
    batch_mib = PREDICT_BATCH_SIZE * SPARSE_COLUMNS * 4 / 2**20

    dense_mib = SPARSE_ROWS * SPARSE_COLUMNS * 4 / 2**20
    # What the wide fit's memory grows by with the file's rows.
    wide_growth = growth(wide) - growth(wide_few)
    rows = [
        dict(
            measure=(
                f"sparse {SPARSE_ROWS}x{SPARSE_COLUMNS} fit+predict: peak "
                f"RSS growth vs dense size{note(sparse)}"
            ),
            ours=growth(sparse),
            reference=dense_mib,
            ratio=growth(sparse) / dense_mib,
            target="< 1536 MiB",
            unit="MiB",
        ),
        dict(
            measure=(
                f"sparse fit+predict(batch_size={PREDICT_BATCH_SIZE}): peak "
                "RSS growth vs one dense predict batch"
                f"{note(sparse_large_predict)}"
            ),
            ours=growth(sparse_large_predict),
            reference=batch_mib,
            ratio=growth(sparse_large_predict) / batch_mib,
            # The sparse bound, and two dense batches: the one densified
            # and the backend's copy of it.
            target=f"< {1536 + 2 * batch_mib:.0f} MiB (1536 + 2 batches)",
            unit="MiB",
        ),
        memmap_row(memmap, IMAGE_ROWS, IMAGE_SHAPE, file_mib),
        # Its fixed cost, which JAX's compilation alone brings near 286 MiB,
        # is bounded by the next row instead.
        memmap_row(wide, WIDE_ROWS, WIDE_SHAPE, wide_file_mib, "(orientation)"),
        dict(
            measure=(
                f"wide memmap: peak RSS growth on {WIDE_ROWS} rows minus "
                f"that on {WIDE_FEW_ROWS} rows vs file size{note(wide)}"
            ),
            ours=wide_growth,
            reference=wide_file_mib,
            ratio=wide_growth / wide_file_mib,
            # Four training batches: memory must not grow with the file.
            target=f"< {4 * BATCH_SIZE * wide_file_mib / WIDE_ROWS:.0f} MiB",
            unit="MiB",
        ),
    ]
    if not memmap.get("aborted"):
        rows.append(
            dict(
                measure=(
                    "memmap fit+predict: wall time vs raw Keras on the "
                    "images in memory"
                ),
                ours=memmap["seconds"],
                reference=memmap_raw["seconds"],
                ratio=memmap["seconds"] / memmap_raw["seconds"],
                target="(orientation)",
                unit="s",
            )
        )
    rows.append(
        dict(
            measure=(
                f"CNN fit 5391x8x8x1, {OVERHEAD_EPOCHS} epochs, batch "
                f"{OVERHEAD_BATCH_SIZE}"
            ),
            ours=overhead["ours"],
            reference=overhead["raw"],
            ratio=overhead["ours"] / overhead["raw"],
            target="<= 1.03",
            unit="s",
        )
    )
    report("any data", rows)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--measure",
        nargs="+",
        metavar=("NAME", "PATH"),
        help="sparse | sparse_large_predict | memmap IMAGES LABELS | "
        "memmap_raw IMAGES LABELS | overhead",
    )
    arguments = parser.parse_args()
    if arguments.measure:
        np.random.seed(0)
        name, paths = arguments.measure[0], arguments.measure[1:]
        measure = {
            "sparse": measure_sparse,
            "sparse_large_predict": measure_sparse_large_predict,
            "memmap": measure_memmap,
            "memmap_raw": measure_memmap_raw,
            "overhead": measure_overhead,
        }[name]
        if name != "overhead":
            start_watchdog()
        print(json.dumps(measure(*paths)))
    else:
        main()
