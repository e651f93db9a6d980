"""The layout shows the architecture (issue 12): no import cycles between framework modules,
no module over 500 lines, imports at the top of modules.

Read from the source with :mod:`ast`, nothing is imported:

* the graph of imports between modules under ``framework/`` has no cycle — every import is an
  edge, at module level, inside a function or under ``if TYPE_CHECKING:`` alike (a cycle hidden
  in a function or behind a type-checking guard is still two modules that need each other);
  ``from P import X`` is an edge to ``P.X`` when that is a module, else to
  ``P``; importing a module of another subpackage is an edge to that subpackage's
  ``__init__`` too, which runs first — so ``from framework import X`` is an edge to
  ``framework`` only when X is not a submodule, ``framework`` enclosing every module);
* no module under ``framework/`` or ``plugins/`` has more than 500 lines;
* no function under ``framework/`` imports a framework module, and no function imports
  anything else either, except the optional heavy dependencies in :data:`LAZY_ALLOWED`, which
  are loaded only by the commands that need them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 500

#: Top-level packages a function may import lazily: optional or heavy dependencies that only
#: some commands need, kept out of ``county --help`` and of ``import framework`` (issue 13, lean
#: start-up; tests/test_lean.py checks they stay out): scikit-learn for training a classifier
#: (the ``ml`` extra), datasette for ``county serve`` (the ``serve`` extra), openpyxl for .xlsx
#: files, jinja2 for templates (boards, reports, charts), rich for tables and progress bars,
#: defusedxml for Open311 XML, playwright for browser tests, click_repl — prompt_toolkit,
#: ~80 ms — for ``county shell``, falcon and waitress for ``county open311 serve`` (the
#: ``open311`` extra). Framework modules are always imported at the top.
LAZY_ALLOWED = frozenset({"sklearn", "datasette", "openpyxl", "jinja2", "rich", "defusedxml", "playwright",
                          "click_repl", "falcon", "waitress", "holidays"})


# -- reading the source ------------------------------------------------------------------------


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` under ``root``: dotted name -> file (``__init__.py`` is the
    package itself)."""
    out = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.Module, type_checking: bool = False):
    """``(node, in_function)`` for every import: module level (class bodies included) or
    inside a function; those under ``if TYPE_CHECKING:`` only with ``type_checking``."""
    out = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for sub in (child.body + child.orelse if type_checking else child.orelse):
                    walk_one(sub, in_function)
                continue
            walk_one(child, in_function)

    def walk_one(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out.append((node, in_function))
            return
        walk(node, in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    walk(tree, False)
    return out


def _base(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a ``from … import`` names (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
    return ".".join(parts + ([node.module] if node.module else []))


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """``name`` or its longest prefix that is a module of the tree (None: not ours)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def imported(module: str, modules: dict[str, Path], node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules of the tree that ``node`` (in ``module``) imports. ``from P import X`` is
    ``P.X`` when that is a module, else ``P``."""
    out = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            target = _known(alias.name, modules)
            if target:
                out.append(target)
        return out
    base = _base(module, modules[module].name == "__init__.py", node)
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        target = sub if sub in modules else _known(base, modules)
        if target and target not in out:
            out.append(target)
    return out


def _packages_run(module: str, target: str, modules: dict[str, Path]) -> list[str]:
    """The packages whose ``__init__`` importing ``target`` from ``module`` runs first: the
    target's enclosing packages that do not enclose ``module`` too (those are initialised
    before ``module`` itself runs)."""
    mine = module.split(".")
    parts = target.split(".")
    out = []
    for i in range(1, len(parts)):
        if parts[:i] != mine[:i]:
            name = ".".join(parts[:i])
            if name in modules:
                out.append(name)
    return out


def import_graph(root: Path, package: str = "framework") -> dict[str, set[str]]:
    """Module -> the modules of ``package`` it imports anywhere (module level, in a function,
    under ``if TYPE_CHECKING:``), including the packages whose ``__init__`` that import runs
    (importing ``framework.demo.run`` from ``framework.cli.io`` runs
    ``framework/demo/__init__.py`` first)."""
    modules = module_files(root, package)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for node, _ in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path)), type_checking=True):
            for target in imported(module, modules, node):
                graph[module].update(t for t in [*_packages_run(module, target, modules), target] if t != module)
    return graph


def lazy_edges(root: Path, package: str = "framework") -> dict[str, set[str]]:
    """Module -> the modules of ``package`` named by its module-level ``LAZY_…`` tables (the
    plugin API's :data:`framework.LAZY_API`, the CLI root's
    :data:`framework.cli.root.LAZY_COMMANDS`): imported by name (``importlib``) on first use.
    They count for the layers (a lazy name may not point upward), not for cycles: such a
    table is an index like the plugins' entry points — the modules it names register
    themselves onto the table's holder (``@cli.command()``) or are what it re-exports, and the
    holder runs without them."""
    modules = module_files(root, package)
    out: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for node in ast.parse(path.read_text(encoding="utf-8"), str(path)).body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
                if isinstance(node, ast.AnnAssign) and node.value is not None else []
            if not any(isinstance(t, ast.Name) and t.id.startswith("LAZY_") for t in targets):
                continue
            for const in ast.walk(node.value):
                if isinstance(const, ast.Constant) and isinstance(const.value, str) and const.value in modules:
                    out[module].add(const.value)
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (``[a, b, …, a]``) per strongly connected component that has one, sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = [0]

    def connect(v: str) -> None:  # Tarjan (recursive: the tree has a few hundred modules at most)
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            components.append(comp)

    for v in sorted(graph):
        if v not in index:
            connect(v)
    out = []
    for comp in components:
        members = set(comp)
        if len(comp) == 1 and comp[0] not in graph.get(comp[0], ()):
            continue
        start = min(comp)
        # shortest path from start back to start inside the component
        paths = {start: [start]}
        queue = [start]
        found = None
        while queue and found is None:
            v = queue.pop(0)
            for w in sorted(graph.get(v, ())):
                if w == start:
                    found = paths[v] + [start]
                    break
                if w in members and w not in paths:
                    paths[w] = paths[v] + [w]
                    queue.append(w)
        out.append(found)
    return sorted(out)


def function_imports(root: Path, package: str = "framework") -> list[tuple[str, int, str, bool]]:
    """Every import inside a function under ``package``: ``(module, line, what, is_ours)``,
    ``what`` being the imported module (``from`` imports: the module named)."""
    modules = module_files(root, package)
    out = []
    for module, path in modules.items():
        for node, in_function in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not in_function:
                continue
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
                level = 0
            else:
                names = [_base(module, path.name == "__init__.py", node)]
                level = node.level
            for name in names:
                ours = bool(level) or name.split(".")[0] == package
                out.append((module, node.lineno, name, ours))
    return out


def long_files(root: Path, folders=("framework", "plugins"), limit: int = MAX_LINES) -> list[tuple[str, int]]:
    """``(path, lines)`` of every .py file under ``folders`` longer than ``limit`` lines."""
    out = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            n = len(path.read_text(encoding="utf-8").splitlines())
            if n > limit:
                out.append((path.relative_to(root).as_posix(), n))
    return out


# -- the rules ----------------------------------------------------------------------------------


def test_no_import_cycles_between_framework_modules():
    found = cycles(import_graph(ROOT))
    assert not found, "import cycles between framework modules (module-level imports):\n" + \
        "\n".join("  " + " -> ".join(c) for c in found)


def test_no_module_over_500_lines():
    found = long_files(ROOT)
    assert not found, f"modules over {MAX_LINES} lines:\n" + "\n".join(f"  {p}: {n} lines" for p, n in found)


def test_no_framework_imports_inside_functions():
    found = [(m, line, what) for m, line, what, ours in function_imports(ROOT) if ours]
    assert not found, "framework modules imported inside functions (import them at the top):\n" + \
        "\n".join(f"  {m}:{line} imports {what}" for m, line, what in found)


def test_imports_at_the_top_except_optional_heavy_dependencies():
    found = [(m, line, what) for m, line, what, ours in function_imports(ROOT)
             if not ours and what.split(".")[0] not in LAZY_ALLOWED]
    assert not found, (f"imports inside functions (only {', '.join(sorted(LAZY_ALLOWED))} may be loaded "
                       f"lazily):\n" + "\n".join(f"  {m}:{line} imports {what}" for m, line, what in found))


# -- the checker itself -------------------------------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return tmp_path


def test_checker_finds_a_cycle_through_any_import(tmp_path):
    root = _tree(tmp_path, {
        "framework/__init__.py": "from framework.a import x\n",
        "framework/a.py": "from framework import b\nx = 1\n",
        "framework/b.py": "from . import c\n",
        "framework/c.py": "import framework.a\n",
        "framework/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from framework import e\n",
        "framework/e.py": "def f():\n    from framework import d\n    import sklearn\n    import json\n",
    })
    graph = import_graph(root)
    assert graph["framework"] == {"framework.a"}
    assert graph["framework.a"] == {"framework.b"}  # a submodule, not the package
    assert graph["framework.b"] == {"framework.c"}  # relative import resolved
    # an import under TYPE_CHECKING and one inside a function are edges too: d -> e -> d
    assert graph["framework.d"] == {"framework.e"} and graph["framework.e"] == {"framework.d"}
    assert sorted(cycles(graph)) == [["framework.a", "framework.b", "framework.c", "framework.a"],
                                     ["framework.d", "framework.e", "framework.d"]]
    lazy = function_imports(root)
    assert lazy == [("framework.e", 2, "framework", True), ("framework.e", 3, "sklearn", False),
                    ("framework.e", 4, "json", False)]


def test_checker_from_package_import_name_is_an_edge_to_the_package(tmp_path):
    root = _tree(tmp_path, {
        "framework/__init__.py": "from framework.p.m import thing\n",
        "framework/p/__init__.py": "from framework.p.m import thing\n",
        "framework/p/m.py": "from framework import hookimpl\nfrom framework.p import thing\nthing = 1\n",
    })
    graph = import_graph(root)
    assert graph["framework.p.m"] == {"framework", "framework.p"}
    # one strongly connected component, named by one cycle through its first module
    assert cycles(graph) == [["framework", "framework.p.m", "framework"]]


def test_checker_counts_the_package_init_an_import_runs(tmp_path):
    root = _tree(tmp_path, {
        "framework/__init__.py": "",
        "framework/cli/__init__.py": "",
        "framework/cli/main.py": "from framework.cli import io\ncli = 1\n",
        "framework/cli/io.py": "from framework.demo.run import run_demo\n",
        "framework/demo/__init__.py": "from framework.demo import seed\n",
        "framework/demo/run.py": "run_demo = 1\n",
        "framework/demo/seed.py": "from framework.cli.main import cli\n",
    })
    graph = import_graph(root)
    assert graph["framework.cli.io"] == {"framework.demo", "framework.demo.run"}
    assert graph["framework.cli.main"] == {"framework.cli.io"}  # framework.cli encloses main: no edge
    # run never imports the CLI, but framework/demo/__init__.py, which importing run runs, does
    assert cycles(graph) == [["framework.cli.io", "framework.demo", "framework.demo.seed", "framework.cli.main",
                              "framework.cli.io"]]


@pytest.mark.parametrize("n, flagged", [(MAX_LINES, False), (MAX_LINES + 1, True)])
def test_checker_line_limit(tmp_path, n, flagged):
    root = _tree(tmp_path, {"framework/x.py": "x = 1\n" * n, "plugins/__init__.py": ""})
    assert bool(long_files(root)) is flagged


#: The packages from the top down (README, "Architecture"): a module may import its own layer
#: and the layers below it, never one above. Plugins import only the ``framework`` root.
LAYERS = [
    ["framework", "framework.testing"],
    ["framework.cli"],
    ["framework.demo"],
    ["framework.interchange"],
    ["framework.kernel", "framework.hookspecs"],
    ["framework.publish"],
    ["framework.store"],
    ["framework.models", "framework.errors", "framework.timerules", "framework.discovery"],
]


def layer_of(module: str) -> int:
    """The index in :data:`LAYERS` of the longest package name that holds ``module``."""
    best = max(((i, n) for i, names in enumerate(LAYERS) for n in names
                if module == n or module.startswith(n + ".")), key=lambda x: len(x[1]))
    return best[0]


def test_every_module_imports_only_its_layer_and_below():
    graph = import_graph(ROOT)
    for module, targets in lazy_edges(ROOT).items():
        graph[module] |= targets
    upward = sorted(f"{a} imports {b}" for a, bs in graph.items() for b in bs if layer_of(b) < layer_of(a))
    assert upward == []


def test_the_readme_draws_the_same_layers():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Architecture"):]
    section = section[:section.index("\n## ", 4)]
    order = [n for names in LAYERS for n in names]
    positions = [section.find(f"`{n}`") for n in order]
    assert -1 not in positions, [n for n, p in zip(order, positions) if p == -1]
    assert positions == sorted(positions), "README's Architecture section lists the layers in another order"


def test_lazy_tables_are_read():
    """The two lazy tables are seen, and name modules that exist."""
    edges = lazy_edges(ROOT)
    assert {"framework.hookspecs", "framework.kernel.context", "framework.cli.core"} <= edges["framework"]
    assert edges["framework.cli.root"] == {"framework.cli.admin", "framework.cli.audit", "framework.cli.cases",
                                           "framework.cli.core", "framework.cli.io", "framework.cli.open311",
                                           "framework.cli.publish", "framework.cli.shell"}


def test_layer_check_sees_an_upward_import():
    assert layer_of("framework.kernel.county") == 4 and layer_of("framework.publish.masking") == 5
    assert layer_of("framework.store.rows") > layer_of("framework.kernel.context") > layer_of("framework.cli.core")


def test_no_framework_module_imports_through_the_root():
    """`from framework import X` inside framework/ runs the root package first (the plugin API,
    which imports the kernel): a module below the root names what it imports by its full name
    (`import framework.hookspecs as hookspecs`), so no import starts a loop through the root."""
    found = []
    base = ROOT / "framework"
    for path in sorted(base.rglob("*.py")):
        if path == base / "__init__.py":
            continue
        for node, _ in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "framework":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
