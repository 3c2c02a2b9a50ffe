"""tests/e2e/test_bad_input.py, run against the static galley."""
import os
import runpy

runpy.run_path(os.path.join(os.environ["TOP_SRCDIR"], "tests", "e2e", "test_bad_input.py"), run_name="__main__")
