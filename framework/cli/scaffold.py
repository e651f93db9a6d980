"""``county plugins new NAME``: scaffold a separately installable method plugin (插件脚手架).

The skeleton is rendered from the ``plugin-*.tmpl`` files in ``framework/cli/templates/``
(jinja2, loaded by the command only) into ``DIR/county-NAME``: a ``pyproject.toml`` with the
``county`` entry point, the package ``county_NAME`` (its ``MethodInfo``, one hook for each of the
six stages, a command group, its demo month), a README, a sample deployment and tests that run
the conformance suite and one scenario through the CLI. docs/plugin-guide.md walks through it.
"""

from __future__ import annotations

import json
import keyword
import re
from importlib.metadata import entry_points
from pathlib import Path

import click

from framework.cli.core import cli, county_command, emit
from framework.cli.root import LAZY_COMMANDS
from framework.errors import CountyError

TEMPLATES = Path(__file__).with_name("templates")

#: template file -> path in the new folder (``{package}`` is ``county_NAME``).
FILES = {
    "plugin-pyproject.toml.tmpl": "pyproject.toml",
    "plugin-README.md.tmpl": "README.md",
    "plugin-county.toml.tmpl": "county.toml",
    "plugin-conftest.py.tmpl": "conftest.py",
    "plugin-init.py.tmpl": "{package}/__init__.py",
    "plugin-rules.py.tmpl": "{package}/rules.py",
    "plugin-stages.py.tmpl": "{package}/stages.py",
    "plugin-board.py.tmpl": "{package}/board.py",
    "plugin-commands.py.tmpl": "{package}/commands.py",
    "plugin-demo.py.tmpl": "{package}/demo.py",
    "plugin-test_conformance.py.tmpl": "tests/test_conformance.py",
    "plugin-test_cli.py.tmpl": "tests/test_cli.py",
}

NAME_RE = re.compile(r"[a-z][a-z0-9_]*")


def installed_methods() -> dict[str, str]:
    """``{method name: its entry point's module}`` of every ``county`` entry point installed
    (read from the metadata: no plugin is imported)."""
    return {ep.name: ep.value for ep in entry_points(group="county")}


def check_name(name: str) -> None:
    """Refuse a NAME that is not a lowercase Python identifier (``a-z``, digits, ``_``, a
    letter first, not a keyword), that an installed method already has, or that is a kernel
    command (``county NAME`` would clash). ``CountyError`` (exit 2), one line."""
    if not NAME_RE.fullmatch(name) or keyword.iskeyword(name):
        raise CountyError(f"NAME {name!r}: use a lowercase identifier (a-z, 0-9, _; a letter first), e.g. wuri")
    taken = installed_methods()
    if name in taken:
        raise CountyError(f"NAME {name!r}: an installed method has that name ({taken[name]}); choose another "
                          f"(`county plugins list` shows them)")
    if name in LAZY_COMMANDS or name in cli.commands:
        raise CountyError(f"NAME {name!r}: `county {name}` is a kernel command; choose another name")


def _one_line(text: str, option: str) -> str:
    if not text.strip() or any(ch in text for ch in "\r\n\t\x00"):
        raise CountyError(f"{option} {text!r}: give one line of text")
    return text.strip()


def scaffold(name: str, parent: str | Path = ".", *, title_zh: str | None = None, county: str = "示例县",
             force: bool = False) -> dict:
    """Write the plugin skeleton for method ``name`` into ``parent/county-NAME``.

    ``title_zh``: the method's Chinese title (default ``NAME工作法``); ``county``: the source
    county (``MethodInfo.source_county``, the sample deployment's name). Returns ``{"name",
    "path", "package", "distribution", "files": [relative paths]}``. ``CountyError`` (nothing
    written) for a bad or taken NAME (:func:`check_name`), a bad title or county, a target that
    is a file, or a non-empty target folder without ``force`` (then files of the skeleton are
    overwritten, others kept).
    """
    check_name(name)
    title_zh = _one_line(title_zh if title_zh is not None else f"{name}工作法", "--title-zh")
    county = _one_line(county, "--county")
    target = Path(parent) / f"county-{name}"
    if target.exists() and not target.is_dir():
        raise CountyError(f"--dir {parent}: {target} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise CountyError(f"--dir {parent}: {target} exists and is not empty; give --force to write the skeleton into it")
    # jinja2 (~15 ms) only for this command (tests/test_lean.py)
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), keep_trailing_newline=True,
                      undefined=StrictUndefined, autoescape=False)
    env.filters["q"] = lambda s: json.dumps(s, ensure_ascii=False)  # a valid Python and TOML string
    values = {"name": name, "package": f"county_{name}", "dist": f"county-{name}", "title_zh": title_zh,
              "county": county}
    rendered = {out.format(package=values["package"]): env.get_template(tmpl).render(**values)
                for tmpl, out in FILES.items()}
    for rel, text in rendered.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return {"name": name, "path": str(target), "package": values["package"], "distribution": values["dist"],
            "files": sorted(rendered)}


@click.command("new")
@click.argument("name")
@click.option("--dir", "parent", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Folder in which to create county-NAME.")
@click.option("--title-zh", default=None, help="The method's Chinese title (default: NAME工作法).")
@click.option("--county", "county_name", default="示例县", show_default=True,
              help="The county the method comes from (source_county; the sample deployment's name).")
@click.option("--force", is_flag=True, help="Write into an existing non-empty folder (the skeleton's files are overwritten).")
@county_command(needs_county=False)
def new(db, now, as_json, name, parent, title_zh, county_name, force):
    """Scaffold a new method plugin NAME in DIR/county-NAME (pyproject, package, tests, README).

    It opens no database and reads no clock: the ``--db`` and ``--now`` every ``county``
    command takes (:func:`framework.cli.core.county_command`) are accepted here, ignored and
    hidden from ``--help``."""
    done = scaffold(name, parent, title_zh=title_zh, county=county_name, force=force)

    def human(d):
        click.echo(f"已创建 {d['path']}：{len(d['files'])} 个文件，工作法 {d['name']}（包 {d['package']}）")
        if title_zh is None:  # the placeholder title shows on boards and reports until it is changed
            click.echo(f"中文名暂为 {d['name']}工作法：用 --title-zh 指定，或改 {d['package']}/rules.py 的 TITLE_ZH")
        click.echo(f"下一步：pip install -e {d['path']} && (cd {d['path']} && python -m pytest -q)；"
                   f"见 docs/plugin-guide.md")

    emit(done, as_json, human)


for _param in new.params:  # the decorator adds them to every command; they do nothing here
    if _param.name in ("db", "now"):
        _param.hidden = True
