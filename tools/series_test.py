"""The exported series holds only what a Keras pull request may contain."""

import pathlib
import re
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import series  # noqa: E402

DIFF_PATH = re.compile(r"^diff --git a/(\S+) b/(\S+)$", re.MULTILINE)


def changed_paths(patch):
    return {match.group(2) for match in DIFF_PATH.finditer(patch.read_text())}


@unittest.skipIf(
    series.snapshot() is None,
    f"No Keras master snapshot in {series.SNAPSHOT_DIR}: it exists on "
    "development machines and in CI, not on users' machines.",
)
class SeriesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.TemporaryDirectory()
        cls.output = pathlib.Path(cls.scratch.name) / "series"
        series.write(cls.output)
        cls.patches = sorted(cls.output.glob("*.patch"))

    @classmethod
    def tearDownClass(cls):
        cls.scratch.cleanup()

    def test_wrappers_first_then_keras_fixes(self):
        fixes = len(series.upstream.fix_patches())
        wrappers, keras_fixes = self.patches[:-fixes], self.patches[-fixes:]
        # The first patch fixes master's own wrappers, nothing else.
        self.assertIn("fit_kwargs", wrappers[0].name)
        for patch in wrappers:
            strangers = [
                p
                for p in changed_paths(patch)
                if not p.startswith(series.SERIES_PATHS)
            ]
            self.assertEqual(strangers, [], patch.name)
        for patch in keras_fixes:
            paths = changed_paths(patch)
            # A fix to Keras touches Keras modules, never the wrappers, and
            # carries a test in the module's own test file.
            self.assertFalse(
                [p for p in paths if p.startswith(series.SERIES_PATHS)]
            )
            self.assertTrue([p for p in paths if p.endswith("_test.py")])

    def test_every_patch_explains_itself(self):
        for patch in self.patches:
            text = patch.read_text()
            subject = re.search(r"^Subject: \[PATCH[^\]]*\] (.+)$", text, re.M)
            self.assertIsNotNone(subject, patch.name)
            body = text.split("\n\n", 1)[1].split("\n---\n", 1)[0]
            self.assertGreater(len(body.split()), 30, patch.name)

    def test_guide_is_its_own_patch(self):
        (guide,) = (self.output / "keras-io").glob("*.patch")
        self.assertEqual(changed_paths(guide), {"guides/sklearn_wrappers.py"})


if __name__ == "__main__":
    unittest.main()
