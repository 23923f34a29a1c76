"""Torch step overhead: the time of one training step of `Model.fit` on
PyTorch against a plain PyTorch training loop.

On PyTorch a Keras training step runs the Keras trainer's Python around
the same kernels a plain loop runs. Three arms train Dense(64, relu) ->
Dense(5) on 20,000 x 40 float32 rows, 5 classes, with Adam and
cross-entropy, batch 32, shuffled each epoch: the wrapper
(`SKLearnClassifier`), raw Keras `Model.fit`, and `torch.nn.Sequential`
with `torch.optim.Adam` and `torch.nn.CrossEntropyLoss` in a hand-written
loop. A step's time is an epoch's time over its steps, the median over
every epoch but the first (which pays for building and warming up) and
over the interleaved repeats. Goal (issue 16): Keras <= 1.5 x the plain
loop. Only on KERAS_BACKEND=torch; elsewhere it prints "skipped".

BENCH_QUICK=1: 4,000 rows, 3 epochs, one repeat.

Run: KERAS_BACKEND=torch python benchmarks/torch_step.py
"""

import statistics
import time

import numpy as np
from common import backend
from common import report
from common import sized
from sklearn.datasets import make_classification

BATCH_SIZE = 32


def network(n_features, n_classes):
    import keras

    model = keras.Sequential(
        [
            keras.Input((n_features,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(n_classes, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def epoch_timer():
    """A Keras callback recording each epoch's wall time in `.seconds`."""
    import keras

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.start)

    return EpochTimer()


def plain_torch_fit(X, y, epochs, seed):
    """Trains the same network in a plain PyTorch loop; epoch times (s)."""
    import torch

    torch.manual_seed(seed)
    net = torch.nn.Sequential(
        torch.nn.Linear(X.shape[1], 64),
        torch.nn.ReLU(),
        torch.nn.Linear(64, int(y.max()) + 1),
    )
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    criterion = torch.nn.CrossEntropyLoss()
    X, y = torch.from_numpy(X), torch.from_numpy(y)
    seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(len(X))
        for begin in range(0, len(X), BATCH_SIZE):
            rows = order[begin : begin + BATCH_SIZE]
            optimizer.zero_grad()
            loss = criterion(net(X[rows]), y[rows])
            loss.backward()
            optimizer.step()
        seconds.append(time.perf_counter() - start)
    return seconds


def main():
    if backend() != "torch":
        print(f"\n== torch step ({backend()}) ==\nskipped (PyTorch only)")
        return
    from keras.wrappers import SKLearnClassifier

    n_rows, epochs, repeats = sized(20000, 4000), sized(4, 3), sized(3, 1)
    X, y = make_classification(
        n_rows, 40, n_informative=20, n_classes=5, random_state=0
    )
    X, y = X.astype("float32"), y.astype("int64")
    steps = -(-n_rows // BATCH_SIZE)

    def ours():
        timer = epoch_timer()
        SKLearnClassifier(
            model=lambda X, y: network(X.shape[1], y.shape[1]),
            epochs=epochs,
            batch_size=BATCH_SIZE,
            random_state=0,
        ).fit(X, y, callbacks=[timer])
        return timer.seconds

    def raw():
        timer = epoch_timer()
        network(X.shape[1], 5).fit(
            X,
            y,
            epochs=epochs,
            batch_size=BATCH_SIZE,
            verbose=0,
            callbacks=[timer],
        )
        return timer.seconds

    arms = {
        "ours": ours,
        "raw": raw,
        "plain": lambda: plain_torch_fit(X, y, epochs, 0),
    }
    epoch_seconds = {name: [] for name in arms}
    for _ in range(repeats):
        for name, arm in arms.items():
            epoch_seconds[name] += arm()[1:]
    step_ms = {
        name: statistics.median(seconds) / steps * 1000
        for name, seconds in epoch_seconds.items()
    }
    rows = [
        dict(
            measure=f"training step, batch 32: {name} vs plain PyTorch loop",
            ours=step_ms[arm],
            reference=step_ms["plain"],
            ratio=step_ms[arm] / step_ms["plain"],
            target="<= 1.5",
            unit="ms",
            goal=f"torch step: {name} vs plain loop",
        )
        for name, arm in (("wrapper fit", "ours"), ("Model.fit", "raw"))
    ]
    report("torch step", rows)


if __name__ == "__main__":
    np.random.seed(0)
    main()
