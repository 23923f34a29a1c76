"""The repository tracks no upstream file, and set-up lays none of ours."""

import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import upstream  # noqa: E402

OUR_KERAS_PATHS = upstream.REPLACED_PREFIXES + ("keras/__init__.py",)


class UpstreamLayoutTest(unittest.TestCase):
    def test_tracked_keras_files_are_all_ours(self):
        tracked = [
            path
            for path in upstream.tracked_files()
            if path.startswith("keras/")
        ]
        self.assertTrue(tracked)
        strangers = [p for p in tracked if not p.startswith(OUR_KERAS_PATHS)]
        self.assertEqual(strangers, [])

    def test_laid_files_are_untracked_and_never_replaced_paths(self):
        laid = upstream.MANIFEST.read_text().split()
        self.assertGreater(len(laid), 500)
        self.assertFalse(set(laid) & upstream.tracked_files())
        replaced = [p for p in laid if p.startswith(upstream.REPLACED_PREFIXES)]
        self.assertEqual(replaced, [])

    def test_keras_imports_from_this_tree(self):
        import keras

        wrappers_module = sys.modules[
            keras.wrappers.SKLearnClassifier.__module__
        ]
        self.assertEqual(
            pathlib.Path(wrappers_module.__file__).resolve().parent,
            upstream.REPO_ROOT / "keras" / "src" / "wrappers",
        )
        self.assertEqual(keras.__version__, upstream.KERAS_VERSION)
