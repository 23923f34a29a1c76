"""Repository-wide pytest set-up: one backend per run, stated up front."""

import os

import pytest


def _requested_backend():
    return os.environ.get("KERAS_BACKEND")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "requires_trainable_backend: mark test for trainable backend only",
    )
    # Import Keras here, before any test module, so that a backend mismatch
    # stops the run at once instead of failing every test in its own way.
    import keras

    requested = _requested_backend()
    loaded = keras.config.backend()
    if requested and requested != loaded:
        raise pytest.UsageError(
            f"KERAS_BACKEND={requested} was requested but Keras loaded the "
            f"'{loaded}' backend. Check ~/.keras/keras.json and that "
            "`keras` resolves to this repository."
        )


def pytest_collection_modifyitems(config, items):
    # As Keras's own conftest.py: NumPy and OpenVINO have no trainer.
    from keras.src.backend import backend

    requires_trainable_backend = pytest.mark.skipif(
        backend() in ["numpy", "openvino"],
        reason="Trainer not implemented for NumPy and OpenVINO backend.",
    )
    for item in items:
        if "requires_trainable_backend" in item.keywords:
            item.add_marker(requires_trainable_backend)


def pytest_report_header(config):
    import keras

    return (
        f"keras {keras.__version__} from {os.path.dirname(keras.__file__)}, "
        f"backend: {keras.config.backend()}"
    )
