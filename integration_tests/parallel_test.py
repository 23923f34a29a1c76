"""Hyperparameter search in threads, across processes and on Dask.

A search run in joblib threads or worker processes, or on the workers of
a real `dask.distributed` cluster, must compute exactly the serial
search's scores: with `random_state` fixed, where a fit runs does not
change what it learns. A fit draws from no process-global random state
(`training.seeded`), so fits running at once in threads of one process
(a Dask worker's executor threads, its event loop) cannot shift each
other's random streams.
"""

import threading

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV
from sklearn.model_selection import cross_validate

from keras.wrappers import SKLearnClassifier


@pytest.fixture(scope="module")
def data():
    X, y = load_digits(return_X_y=True)
    return X[:500] / 16.0, y[:500]


def make_search(n_jobs=None):
    return GridSearchCV(
        SKLearnClassifier(
            model__hidden_layer_sizes=(16,), epochs=5, random_state=0
        ),
        {"optimizer__learning_rate": [1e-3, 1e-2]},
        cv=2,
        n_jobs=n_jobs,
    )


@pytest.fixture(scope="module")
def serial(data):
    return make_search().fit(*data)


def assert_same_search(search, serial, atol=0.0):
    assert search.best_params_ == serial.best_params_
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"],
        serial.cv_results_["mean_test_score"],
        rtol=0,
        atol=atol,
    )


def test_process_workers_match_serial(data, serial):
    assert_same_search(make_search(n_jobs=2).fit(*data), serial)
    # Estimators fitted in a worker come back pickled, and predict as the
    # ones fitted in this process.
    X, y = data
    fitted = {
        n_jobs: cross_validate(
            make_search().estimator,
            X,
            y,
            cv=2,
            n_jobs=n_jobs,
            return_estimator=True,
        )["estimator"]
        for n_jobs in (None, 2)
    }
    for here, there in zip(fitted[None], fitted[2]):
        np.testing.assert_allclose(
            there.predict_proba(X), here.predict_proba(X), rtol=1e-6, atol=0
        )


def test_threads_match_serial(data, serial):
    with joblib.parallel_backend("threading"):
        assert_same_search(make_search(n_jobs=2).fit(*data), serial)


def test_fits_in_two_threads_equal_their_serial_twins(data):
    X, y = data
    estimators = [
        SKLearnClassifier(
            model__hidden_layer_sizes=(16,), epochs=3, random_state=0
        ),
        SKLearnClassifier(
            model__hidden_layer_sizes=(8, 8),
            model__dropout=0.2,
            epochs=4,
            random_state=1,
        ),
    ]
    serial = [clone(e).fit(X, y).predict_proba(X) for e in estimators]
    fitted = [clone(e) for e in estimators]
    threads = [threading.Thread(target=e.fit, args=(X, y)) for e in fitted]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for estimator, expected in zip(fitted, serial):
        np.testing.assert_array_equal(estimator.predict_proba(X), expected)


@pytest.mark.parametrize(
    "n_workers, threads_per_worker", [(2, 1), (1, 2)], ids=["2x1", "1x2"]
)
def test_dask_cluster_matches_serial(
    data, serial, n_workers, threads_per_worker
):
    from dask.distributed import Client
    from dask.distributed import LocalCluster

    with (
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=threads_per_worker,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        with joblib.parallel_backend("dask"):
            search = make_search(n_jobs=2).fit(*data)
        workers = client.scheduler_info()["workers"]
    assert len(workers) == n_workers
    assert_same_search(search, serial)
