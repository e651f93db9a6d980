"""The conformance suite needs only pytest: without hypothesis it still runs every check
(personal data over fixed examples), and it leaves no temporary folders behind."""

import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

RUNNER = textwrap.dedent('''
    import importlib.abc
    import sys


    class NoHypothesis(importlib.abc.MetaPathFinder):  # as if hypothesis were not installed
        def find_spec(self, name, path=None, target=None):
            if name == "hypothesis" or name.startswith("hypothesis."):
                raise ImportError(f"No module named {name!r}")
            return None


    sys.meta_path.insert(0, NoHypothesis())
    import pytest
    sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", sys.argv[1]]))
''')

SUITE = textwrap.dedent('''
    from framework.testing.conformance import MethodConformance
    import framework.testing.conformance as kit

    def test_hypothesis_is_absent():
        assert kit.st is None

    class TestTaizhang(MethodConformance):
        method = "taizhang"
''')


def test_suite_runs_without_hypothesis_and_cleans_up(tmp_path):
    (tmp_path / "test_kit.py").write_text(SUITE, encoding="utf-8")
    (tmp_path / "run.py").write_text(RUNNER, encoding="utf-8")
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {"PATH": "/usr/bin:/bin", "TMPDIR": str(temp), "HOME": str(tmp_path), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    r = subprocess.run([sys.executable, str(tmp_path / "run.py"), str(tmp_path / "test_kit.py")],
                       capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    # 1 + the suite's checks, without the hypothesis one
    assert "8 passed" in r.stdout, r.stdout[-1000:]
    assert not any(p.name.startswith("conformance-") for p in temp.iterdir()), sorted(p.name for p in temp.iterdir())
