"""Start-up time of the ``county`` CLI and the size of its environment (issue 13, lean start-up
and install).

    python benchmarks/startup.py [--runs 20] [--python PATH/TO/venv/bin/python]

Runs each command ``--runs`` times in a fresh interpreter and prints the fastest and the
median CPU time (user + system of the child: steadier than wall time on a shared machine) and
the fastest wall time, each against the baseline ``python -c "import click, pluggy,
sqlite_utils, attrs, cattrs"`` (the libraries every command needs) measured in the same run:

* ``import framework`` (the plugin API root), ``import framework.cli.main`` (the console
  script's module), ``county --help`` and ``county plugins list --help``;
* which heavy optional modules each one loads (they should load none: tests/test_lean.py holds
  that for the imports);
* where ``county --help`` spends its import time (``python -X importtime``, self time summed
  per top-level package, the largest first);
* the size of the environment (``sys.prefix``) and whether numpy, scipy, matplotlib or
  scikit-learn are installed in it.

Printed, never asserted: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINE = "import click, pluggy, sqlite_utils, attrs, cattrs"
HEAVY = ("openpyxl", "jinja2", "rich", "defusedxml", "sklearn", "matplotlib", "numpy", "scipy", "datasette",
         "click_repl", "prompt_toolkit")
BIG = ("numpy", "scipy", "matplotlib", "sklearn")
#: Commands run here, so that ``python -c`` finds the installed ``framework`` (the environment's,
#: editable or not), never a checkout in the current directory.
RUN_IN = tempfile.gettempdir()


def run(argv: list[str], **kw) -> subprocess.CompletedProcess:
    # PYTHONDONTWRITEBYTECODE would make every run compile the project's modules again
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("COUNTY_") and k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    return subprocess.run(argv, capture_output=True, cwd=RUN_IN, env=env, **kw)


def county_argv(python: str) -> list[str]:
    """The ``county`` console script beside ``python`` (else ``python -m framework.cli``)."""
    script = Path(python).parent / "county"
    return [python, str(script)] if script.exists() else [python, "-m", "framework.cli"]


def timed(argv: list[str], runs: int) -> tuple[list[float], list[float]]:
    """``(cpu seconds, wall seconds)`` of each of ``runs`` runs of ``argv``."""
    cpu, wall = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        r = run(argv)
        wall.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if r.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed:\n{r.stderr.decode(errors='replace')}")
    return cpu, wall


def loaded(python: str, code: str) -> list[str]:
    """The modules of :data:`HEAVY` in ``sys.modules`` after running ``code`` in ``python``."""
    probe = f"{code}\nimport sys\nprint('loaded:', *(m for m in {HEAVY!r} if m in sys.modules))"
    r = run([python, "-c", probe], text=True)
    last = r.stdout.strip().splitlines()[-1:] if r.returncode == 0 else []
    if not last or not last[0].startswith("loaded:"):
        return [f"(failed: {r.stderr.strip().splitlines()[-1:]})"]
    return last[0].split()[1:]


def import_profile(argv: list[str], top: int = 12) -> list[tuple[str, float]]:
    """Self import time (ms) summed per top-level package for ``argv`` run with -X importtime."""
    r = run([argv[0], "-X", "importtime", *argv[1:]], text=True)
    per: dict[str, float] = {}
    for line in r.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = line.removeprefix("import time:").split("|", 2)
        pkg = name.strip().split(".")[0]
        per[pkg] = per.get(pkg, 0.0) + int(self_us) / 1000
    return sorted(per.items(), key=lambda kv: -kv[1])[:top]


def tree_size(root: Path) -> int:
    total = 0
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = os.path.join(dirpath, f)
            if not os.path.islink(p):
                total += os.path.getsize(p)
    return total


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--python", default=sys.executable, help="the interpreter of the environment to measure")
    a = ap.parse_args(argv)
    py = a.python
    county = county_argv(py)
    cases = [
        ("baseline: " + BASELINE, [py, "-c", BASELINE], BASELINE),
        ("import framework", [py, "-c", "import framework"], "import framework"),
        ("import framework.cli.main", [py, "-c", "import framework.cli.main"], "import framework.cli.main"),
        ("county --help", [*county, "--help"], None),
        ("county plugins list --help", [*county, "plugins", "list", "--help"], None),
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {sys.version.split()[0]} at {py}; {os.cpu_count()} CPU(s), load {load:.1f}; {a.runs} runs each")
    print(f"{'ms':<62} {'cpu min':>8} {'×base':>6} {'cpu med':>8} {'×base':>6} {'wall min':>9} {'×base':>6}")
    base = None
    for label, cmd, _ in cases:
        timed(cmd, 2)  # warm the file cache and the .pyc files
        cpu, wall = timed(cmd, a.runs)
        row = (min(cpu), statistics.median(cpu), min(wall))
        base = base or row
        print(f"{label:<62} {row[0] * 1000:8.0f} {row[0] / base[0]:6.2f} {row[1] * 1000:8.0f} {row[1] / base[1]:6.2f} "
              f"{row[2] * 1000:9.0f} {row[2] / base[2]:6.2f}")
    print("\nheavy optional modules loaded (none expected):")
    for label, _, code in cases[1:3]:
        print(f"  {label:<30} {', '.join(loaded(py, code)) or 'none'}")
    help_loaded = loaded(py, "import sys\nsys.argv = ['county', '--help']\nfrom framework.cli.main import cli\n"
                             "try:\n    cli.main(prog_name='county', standalone_mode=False)\nexcept SystemExit:\n    pass")
    print(f"  {'county --help':<30} {', '.join(help_loaded) or 'none'}")
    print("\nwhere `county --help` spends its import time (self ms per top-level package, -X importtime):")
    for pkg, ms in import_profile([*county, "--help"]):
        print(f"  {pkg:<34} {ms:7.1f}")
    prefix = Path(run([py, "-c", "import sys; print(sys.prefix)"], text=True).stdout.strip())
    probe = "import importlib.util as u; print(' '.join(m for m in %r if u.find_spec(m)))" % (BIG,)
    big = run([py, "-c", probe], text=True).stdout.split()
    du = shutil.which("du")
    size = (subprocess.run([du, "-sh", str(prefix)], capture_output=True, text=True).stdout.split() or ["?"])[0] \
        if du else f"{tree_size(prefix) / 1e6:.0f}M"
    print(f"\nenvironment {prefix}: {size}; installed of {', '.join(BIG)}: {', '.join(big) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
