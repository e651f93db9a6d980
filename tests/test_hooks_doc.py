"""docs/hooks.md is the hook reference a stranger writes a method from (issue 12):

(a) every hookspec of :mod:`framework.hookspecs` is documented there under a heading carrying its
    exact signature, and no hook that does not exist is named; the hookspecs themselves carry
    annotations and ``:param:``/``:returns:`` docstrings;
(b) the worked example plugin (``<!-- example: plugin -->``) runs as written on the example
    deployment (``<!-- example: deployment -->``): the due instants, the escalation, its
    command, its board and its metric are the ones the page computes by hand;
(c) the example passes the conformance suite;
(d) §6 names every public member of ``ctx`` and of the objects it hands out (MethodContext,
    CaseQuery, EventQuery, MilestoneQuery, Actions, PluginTables, People, Calendar), names no
    member that does not exist, and lists exactly the ``ctx.cases`` filters; §7 lists every
    field of every record;
(e) §10 lists exactly the settings (with their defaults), own tables and ``county <method> …``
    commands of the five built-in plugins.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import inspect
import json
import re
import sys
import tempfile
import typing
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import click
import pytest
from click.testing import CliRunner

import framework
from framework import CountyError, Requester, hookspecs
from framework.kernel.registry import Registry
from framework.publish.render import render
from framework.testing.conformance import MethodConformance

DOC = Path(__file__).resolve().parents[1] / "docs" / "hooks.md"
TEXT = DOC.read_text(encoding="utf-8")
TZ = ZoneInfo("Asia/Shanghai")

#: Names in the docs that start like a hook but are not hooks (the command decorator, fixtures).
NOT_HOOKS = {"county_command", "county_cli", "county_db", "county_module"}


def hookspec_functions() -> dict[str, typing.Callable]:
    return {name: fn for name, fn in vars(hookspecs).items()
            if callable(fn) and hasattr(fn, "county_spec")}


def example(kind: str) -> str:
    """The fenced block right after ``<!-- example: KIND -->``."""
    m = re.search(r"<!-- example: " + re.escape(kind) + r" -->\s*\n```[a-z]*\n(.*?)\n```", TEXT, re.S)
    assert m, f"docs/hooks.md has no block marked <!-- example: {kind} -->"
    return m.group(1) + "\n"


def load_example_plugin():
    """Write the example plugin to a module file of its own and import it."""
    folder = Path(tempfile.mkdtemp(prefix="hooks-doc-"))
    path = folder / "county_reply10_example.py"
    path.write_text(example("plugin"), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("county_reply10_example", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


PLUGIN = load_example_plugin()


# -- (a) the reference matches the hookspecs ------------------------------------------------


def documented_signatures() -> dict[str, list[list[str]]]:
    """``{hook: [argument names of each heading documenting it]}`` from headings like
    ``### `county_deadline(ctx, case, level, arrived_at)` → …``."""
    out: dict[str, list[list[str]]] = {}
    for m in re.finditer(r"^#{2,4}\s+`(county_\w+)\(([^)]*)\)`", TEXT, re.M):
        args = [a.strip() for a in m.group(2).split(",") if a.strip()]
        out.setdefault(m.group(1), []).append(args)
    return out


def hook_section(name: str) -> str:
    """The text from the hook's signature heading to the next heading of the same or a higher level."""
    m = re.search(r"^(#{2,4})\s+`" + name + r"\(.*$", TEXT, re.M)
    assert m, name
    level = len(m.group(1))
    rest = TEXT[m.end():]
    end = re.search(r"^#{1," + str(level) + r"}\s", rest, re.M)
    return rest[: end.start()] if end else rest


def test_the_hookspecs_are_what_the_kernel_expects():
    specs = hookspec_functions()
    assert set(specs) == {
        "county_method", "county_migrations", "county_register_commands", "county_deployment_tables",
        "county_duties", "county_demo",
        "county_intake", "county_triage", "county_assignment", "county_deadline", "county_publicity",
        "county_appraisal"}
    firstresult = {n for n, fn in specs.items() if fn.county_spec.get("firstresult")}
    assert firstresult == {"county_intake", "county_triage", "county_assignment", "county_deadline"}


@pytest.mark.parametrize("name", sorted(hookspec_functions()))
def test_every_hookspec_is_documented_with_its_exact_signature(name):
    spec = hookspec_functions()[name]
    params = list(inspect.signature(spec).parameters)
    documented = documented_signatures().get(name)
    assert documented, f"docs/hooks.md has no heading `{name}({', '.join(params)})`"
    assert documented == [params], (
        f"docs/hooks.md documents {name} as {[f'{name}({chr(44).join(d)})' for d in documented]}; "
        f"the hookspec is {name}({', '.join(params)})")
    section = hook_section(name)
    for p in params:
        assert f"`{p}`" in section, f"the {name} section does not describe its argument `{p}`"
    assert "**Returns:**" in section, f"the {name} section does not say what it returns"
    assert "```python" in section, f"the {name} section has no example"


def test_no_hook_is_documented_that_does_not_exist():
    """Every ``county_…`` the page calls, defines or puts in a heading is a hook (or the command
    decorator); setting, tier and package names such as ``county_days`` are not looked at."""
    specs = set(hookspec_functions())
    assert set(documented_signatures()) <= specs
    called = set(re.findall(r"\b(county_\w+)\(", TEXT))
    headed = {n for line in TEXT.splitlines() if line.startswith("#") for n in re.findall(r"\bcounty_\w+", line)}
    assert (called | headed) - specs - NOT_HOOKS == set(), "docs/hooks.md names hooks that do not exist"


def test_hookspecs_are_annotated_and_documented():
    specs = hookspec_functions()
    # the names the annotations use, as TYPE_CHECKING imports them in framework/hookspecs.py
    names = {"dt": dt, "click": click, "Any": typing.Any, "Callable": typing.Callable,
             "MethodContext": framework.MethodContext,
             **{n: getattr(framework, n) for n in ("Assignment", "Board", "Case", "Deadline", "Duty", "IntakeResult",
                                                   "MethodInfo", "Metric", "TriageResult", "Unit", "DeploymentTable")}}
    from sqlite_utils.migrations import Migrations

    names["Migrations"] = Migrations
    for name, fn in specs.items():
        hints = typing.get_type_hints(fn, localns=names)
        params = list(inspect.signature(fn).parameters)
        assert set(hints) == set(params) | {"return"}, f"{name}: annotate every argument and the return"
        doc = inspect.getdoc(fn) or ""
        for p in params:
            assert f":param {p}:" in doc, f"{name}: no ':param {p}:' line"
        assert ":returns:" in doc, f"{name}: no ':returns:' line"


# -- (b) the worked example runs as the page says -----------------------------------------------


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def example_county(make_county, county_db, cli_registry):
    registry = Registry(extra_plugins={"reply10": PLUGIN}, entry_points=False)
    assert registry.broken == {} and "reply10" in registry.methods
    county = make_county(example("deployment"), now="2026-04-27T10:00:00+08:00", registry=registry)
    # the command below opens the database through the CLI's registry: make it this one
    cli_registry(registry)
    root = click.Group("county")
    PLUGIN.county_register_commands(root)

    def reply(case_id, mode, text, now):
        return CliRunner().invoke(root, ["reply10", "reply", case_id, "--mode", mode, "--text", text,
                                         "--db", str(county_db), "--now", now, "--json"])

    return county, reply


def test_worked_example_timeline(example_county):
    county, reply = example_county

    # sl-000001: Mon 2026-04-27 10:00 at 河上村. Ten working days across Labour Day (05-01..05-05
    # off, Sat 05-09 a make-up working day): 04-28 29 30, 05-06 07 08 09 11 12 13.
    a = county.add_case("reply10", "sl.dx.hs", "村道路灯不亮", channel="visit", category="roads",
                        requester=Requester("张三丰", "13812345678"), fields={"topic": "路灯"})
    assert a.id == "sl-000001"
    assert (a.level, a.unit, a.handler, a.status) == ("village", "sl.dx.hs", "hs-wang", "assigned")
    assert a.due_at == at("2026-05-13T23:59:59")
    assert a.extra == {"topic": "路灯", "reply_due_at": "2026-05-13T23:59:59+08:00"}

    # sl-000002: Tue 2026-04-28 15:00: 04-29 30, 05-06 07 08 09 11 12 13 14
    county.clock.fixed = at("2026-04-28T15:00")
    b = county.add_case("reply10", "sl.dx.hs", "自来水停水未通知", channel="hotline", category="water",
                        requester=Requester("李四"))
    assert b.id == "sl-000002" and b.due_at == at("2026-05-14T23:59:59")

    # its reply, through the plugin's own command, resolves it at the village, on time
    done = reply("sl-000002", "visit", "已上门说明检修安排", "2026-04-30T10:00:00+08:00")
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert (data["id"], data["status"], data["resolved_level"]) == ("sl-000002", "resolved", "village")
    assert data["resolved_at"] == "2026-04-30T10:00:00+08:00"

    # the sweep: not yet at the due instant itself, then escalation
    county.clock.fixed = at("2026-05-13T23:59:59")
    assert county.sweep() == []
    county.clock.fixed = at("2026-05-14T09:00")
    assert county.sweep() == [{"case": "sl-000001", "milestone": "reply", "due_at": "2026-05-13T23:59:59+08:00",
                               "action": "escalate", "from": "village", "to": "township"}]
    assert county.sweep() == []
    a = county.get_case("sl-000001")
    # township: ten working days after Thu 05-14: 05-15, 18 19 20 21 22, 25 26 27 28
    assert (a.level, a.unit, a.handler, a.status) == ("township", "sl.dx", "dx-li", "escalated")
    assert a.tier_arrived_at == at("2026-05-14T09:00")
    assert a.due_at == at("2026-05-28T23:59:59")
    assert a.extra["reply_due_at"] == "2026-05-28T23:59:59+08:00"
    ctx = county.ctx("reply10")
    assert [(m.level, m.name, m.due_at, m.action, m.to_level, m.state) for m in ctx.milestones.of("sl-000001")] == [
        ("village", "reply", at("2026-05-13T23:59:59"), "escalate", "township", "missed"),
        ("township", "reply", at("2026-05-28T23:59:59"), "flag", None, "pending"),
    ]
    assert [(m.name, m.state) for m in ctx.milestones.of("sl-000002")] == [("reply", "met")]

    done = reply("sl-000001", "phone", "路灯已修复", "2026-05-20T16:00:00+08:00")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["resolved_level"] == "township"
    # a second reply is refused (exit 1) and leaves the register as it was
    again = reply("sl-000001", "phone", "再次答复", "2026-05-21T09:00:00+08:00")
    assert again.exit_code == 1 and "sl-000001 is resolved" in again.output
    assert ctx.db.count("reply10_replies") == 2
    assert [r["mode"] for r in ctx.db.query("select mode from reply10_replies order by case_id")] == ["phone", "visit"]
    # bad input is exit 2, naming the option
    bad = reply("sl-000001", "fax", "x", "2026-05-21T09:00:00+08:00")
    assert bad.exit_code == 2 and "--mode 'fax'" in bad.output

    # the board: raw rows from the plugin, masked by the kernel
    county.clock.fixed = at("2026-06-01T09:00")
    boards = county.boards("sl.dx.hs", "2026-04")
    assert [(x.method, x.title, x.unit, x.period) for x in boards] == [
        ("reply10", "河上村十日答复公示（2026-04）", "sl.dx.hs", "2026-04")]
    (section,) = boards[0].sections
    assert section.title == "本期事项"
    assert section.rows == [
        {"case_id": "sl-000001", "created_on": "2026-04-27", "title": "村道路灯不亮", "requester": "张某",
         "tier": "乡镇", "due_on": "2026-05-28", "reply": "2026-05-20 电话答复（乡镇）"},
        {"case_id": "sl-000002", "created_on": "2026-04-28", "title": "自来水停水未通知", "requester": "李某",
         "tier": "村", "due_on": "2026-05-14", "reply": "2026-04-30 上门答复（村）"},
    ]
    # a township's request gives its villages' boards; the county's too
    assert [x.title for x in county.boards("sl", "2026-04")] == ["河上村十日答复公示（2026-04）"]
    for fmt in ("md", "html", "csv", "json"):
        text = render(boards, fmt, county)
        assert "河上村十日答复公示" in text and "sl-000001" in text
        assert "张三丰" not in text and "13812345678" not in text

    # appraisal: the method's own figure, by the date of the reply (its own table, ctx.scope)
    def own(period, unit="sl.dx"):
        return [(m.subject, m.numerator, m.denominator, m.value, m.method, m.period)
                for m in county.appraise(period, unit) if m.metric == "in_person_reply_rate"]

    assert own("2026-04") == [("sl.dx", 1, 1, 1.0, "reply10", "2026-04")]
    assert own("2026-05") == [("sl.dx", 0, 1, 0.0, "reply10", "2026-05")]
    assert own("2026Q2") == [("sl.dx", 1, 2, 0.5, "reply10", "2026Q2")]
    assert own("2026Q2", unit=None) == [("sl", 1, 2, 0.5, "reply10", "2026Q2")]
    assert own("2026-06") == [("sl.dx", 0, 0, None, "reply10", "2026-06")]
    # …beside the kernel's common metrics for the same cases, by the date of intake
    common = {(m.metric, m.tier): (m.numerator, m.denominator, m.value) for m in county.appraise("2026-04", "sl.dx")
              if m.subject == "sl.dx" and m.method == "reply10"}
    assert common[("cases", None)][2] == 2
    assert common[("resolution_rate", None)] == (2, 2, 1.0)
    assert common[("on_time_rate", None)] == (1, 2, 0.5)
    assert common[("tier_on_time_rate", "village")] == (1, 2, 0.5)
    assert common[("tier_on_time_rate", "township")] == (1, 1, 1.0)


def test_worked_example_intake_refuses_a_township(example_county):
    county, _ = example_county

    with pytest.raises(CountyError, match=r"--unit sl.dx: a reply10 request is taken in by a village"):
        county.add_case("reply10", "sl.dx", "镇上收到的诉求")
    with pytest.raises(CountyError, match="--set"):
        county.add_case("reply10", "sl.dx.hs", "未知字段", fields={"colour": "red"})
    assert county.list_cases() == []



def test_worked_example_sweep_prints_what_section_4_quotes(example_county, county_db):
    """§4 county_deadline quotes what `county sweep --now 2026-05-14T09:00` prints for the worked
    example and the notes it writes: the milestone by its Milestone.note (10个工作日内答复), the
    tiers by their Chinese titles (村级答复 village → 乡镇答复 township)."""
    from framework.cli.root import cli

    county, _ = example_county
    county.add_case("reply10", "sl.dx.hs", "村道路灯不亮", channel="visit", category="roads")
    printed = CliRunner().invoke(cli, ["sweep", "--db", str(county_db), "--now", "2026-05-14T09:00"],
                                 env={"COUNTY_ACTOR": "tester"})
    assert printed.exit_code == 0, printed.output
    lines = ["sl-000001  时限已逾期：reply（10个工作日内答复），期限 2026-05-13T23:59:59+08:00；"
             "上报 村级答复 village → 乡镇答复 township",
             "2026-05-14T09:00:00+08:00 督办：1 项"]
    assert printed.output.splitlines() == lines
    assert "  " + "\n  ".join(lines) + "\n" in TEXT  # quoted as printed, in the fenced block
    notes = {e.type: e.note for e in county.get_case("sl-000001").events}
    assert notes["overdue"] == "时限已逾期：reply（10个工作日内答复），期限 2026-05-13T23:59:59+08:00"
    assert notes["escalated"] == "时限逾期：reply（10个工作日内答复），督办上报至乡镇答复 township"
    doc = " ".join(TEXT.split())  # the page wraps the quoted notes
    assert f"`{notes['overdue']}`" in doc and f"`{notes['escalated']}`" in doc


# -- (c) the example passes the conformance suite -------------------------------------------------


class TestExampleConformance(MethodConformance):
    method = "reply10"
    plugin = PLUGIN


# -- (d) §6 lists every public member of ctx and its objects; §7 every field of the records -----


def section(number: str) -> str:
    """The text of ``## N.`` / ``### N.M`` from its heading to the next heading of the same or a
    higher level."""
    m = re.search(r"^(#{2,4}) " + re.escape(number) + r"[. ]", TEXT, re.M)
    assert m, f"docs/hooks.md has no section {number}"
    level = len(m.group(1))
    rest = TEXT[m.end():]
    end = re.search(r"^#{2," + str(level) + r"} ", rest, re.M)
    return rest[: end.start()] if end else rest


def public_members(cls) -> set[str]:
    """The public names a class defines itself (methods, properties, static methods) and the
    public attributes its ``__init__`` sets (``self.name = …``); Mapping's inherited methods and
    the like are left out."""
    names = {n for n in vars(cls) if not n.startswith("_")}
    init = vars(cls).get("__init__")
    if init is not None:
        names |= set(re.findall(r"self\.([a-z]\w*)\s*(?::[^=\n]+)?=(?!=)", inspect.getsource(init)))
    return names


#: Each object reachable from ``ctx`` and how §6 spells its members.
CTX_OBJECTS = {
    framework.MethodContext: "ctx.",
    framework.CaseQuery: "ctx.cases.",
    framework.EventQuery: "ctx.events.",
    framework.MilestoneQuery: "ctx.milestones.",
    framework.Actions: "ctx.actions.",
    framework.PluginTables: "ctx.db.",
    framework.People: "ctx.people.",
    framework.Calendar: "ctx.calendar.",
}


@pytest.mark.parametrize("cls", list(CTX_OBJECTS), ids=lambda c: c.__name__)
def test_section_6_names_every_public_member_of_ctx(cls):
    """Every public member of MethodContext, its read API (CaseQuery, EventQuery,
    MilestoneQuery), its write API (Actions), its tables (PluginTables), People and Calendar
    appears in §6 as `` `ctx.….NAME`` — so the reference cannot fall behind the code."""
    text = section("6")
    prefix = CTX_OBJECTS[cls]
    missing = sorted(n for n in public_members(cls)
                     if not re.search("`" + re.escape(prefix + n) + r"(?![\w])", text))
    assert not missing, f"docs/hooks.md §6 does not document {', '.join(prefix + n for n in missing)}"


def test_every_ctx_member_the_page_names_exists():
    """The reverse: every ``ctx.NAME`` and ``ctx.OBJECT.NAME`` anywhere on the page exists (a
    private ``ctx._…`` is named only as what a plugin must not use)."""
    attr_of = {"cases": framework.CaseQuery, "events": framework.EventQuery, "milestones": framework.MilestoneQuery,
               "actions": framework.Actions, "db": framework.PluginTables, "people": framework.People,
               "calendar": framework.Calendar, "method": framework.MethodInfo}
    ctx_names = public_members(framework.MethodContext)
    wrong = set()
    for first, second in re.findall(r"\bctx\.([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?", TEXT):
        if first.startswith("_"):
            continue
        if first not in ctx_names:
            wrong.add(f"ctx.{first}")
        elif second and first in attr_of:
            cls = attr_of[first]
            fields = {f.name for f in attrs.fields(cls)} if attrs.has(cls) else set()
            if second not in fields and not hasattr(cls, second) and second not in public_members(cls):
                wrong.add(f"ctx.{first}.{second}")
    assert not wrong, f"docs/hooks.md names what ctx does not have: {sorted(wrong)}"


def test_section_6_lists_every_case_filter():
    """The filter table of §6.5 has one row per filter of ``ctx.cases`` (``FILTERS``), no more."""
    from framework.kernel.queries import FILTERS

    text = section("6.5")
    m = re.search(r"^\| filter \| value \| matches \|\n\|[-|]+\|\n((?:\|.*\n)+)", text, re.M)
    assert m, "§6.5 has no filter table"
    documented = set()
    for row in m.group(1).splitlines():
        documented |= set(re.findall(r"`(\w+)`", row.split("|")[1]))
    assert documented == set(FILTERS), (
        f"§6.5 filters: missing {sorted(set(FILTERS) - documented)}, unknown {sorted(documented - set(FILTERS))}")


#: The records of §7, each documented as a ``**`Name`**`` paragraph or a ``| `Name` |`` table row.
RECORDS = ("Case", "Requester", "Event", "Unit", "Person", "MethodInfo", "StageRule", "Tier", "Setting",
           "IntakeResult", "TriageResult", "Assignment", "Deadline", "Milestone", "LoggedEvent",
           "MilestoneRecord", "Board", "BoardSection", "Metric", "Duty", "DeploymentTable", "Column")


@pytest.mark.parametrize("name", RECORDS)
def test_section_7_lists_every_field_of_each_record(name):
    text = section("7")
    m = (re.search(r"\*\*`" + name + r"`\*\* —(.*?)(?:\n\n|\Z)", text, re.S)
         or re.search(r"^\| `" + name + r"` \|(.*)$", text, re.M))
    assert m, f"§7 does not document the record {name}"
    block = m.group(1)
    cls = getattr(framework, name)
    missing = [f.name for f in attrs.fields(cls) if not re.search(r"`" + f.name + r"(?:`|=)", block)]
    assert not missing, f"§7 {name}: fields not documented: {missing}"


# -- (e) §10 matches the five built-in plugins: settings, own tables, commands -----------------

BUILT_IN = ("taizhang", "dianti", "daiban", "xiangkai", "shequ365")


def built_in(name: str):
    return importlib.import_module(f"plugins.{name}")


def leaf_commands(cmd: click.Command, path: tuple[str, ...] = ()) -> set[str]:
    """``{"group add", "post", …}``: every command under a click group, as typed after the group."""
    if isinstance(cmd, click.Group):
        return set().union(*(leaf_commands(c, (*path, n)) for n, c in cmd.commands.items()))
    return {" ".join(path)}


def table_rows(text: str, header: str) -> dict[str, list[str]]:
    """``{first cell: [cells…]}`` of the Markdown table whose header line starts with ``header``
    (cells split on unescaped ``|``)."""
    m = re.search(r"^" + re.escape(header) + r".*\n\|[-|]+\|\n((?:\|.*\n)+)", text, re.M)
    assert m, f"no table with header {header!r}"
    rows = {}
    for line in m.group(1).splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        rows[cells[0]] = cells[1:]
    return rows


def ticked(cell: str) -> set[str]:
    return set(re.findall(r"`([^`]+)`", cell))


@pytest.mark.parametrize("name", BUILT_IN)
def test_section_10_commands_are_the_registered_ones(name):
    """Every ``county <method> <command>`` the plugin registers is in §10.1's commands column,
    and nothing else is."""
    root = click.Group("county")
    built_in(name).county_register_commands(root)
    registered = leaf_commands(root.commands[name])
    rows = table_rows(section("10.1"), "| method | own tables | commands |")
    documented = ticked(rows[name][1])
    assert documented == registered, (
        f"§10.1 {name} commands: missing {sorted(registered - documented)}, not registered {sorted(documented - registered)}")


@pytest.mark.parametrize("name", BUILT_IN)
def test_section_10_own_tables_are_the_migrated_ones(name):
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

    db = sqlite_utils.Database(memory=True)
    migrations = Migrations(name)
    built_in(name).county_migrations(migrations)
    migrations.apply(db)
    created = {t for t in db.table_names() if t.startswith(f"{name}_")}
    rows = table_rows(section("10.1"), "| method | own tables | commands |")
    assert ticked(rows[name][0]) == created


@pytest.mark.parametrize("name", BUILT_IN)
def test_section_10_settings_are_the_declared_ones(name):
    info = built_in(name).county_method()
    rows = table_rows(section("10.1"), "| | taizhang | dianti | daiban | xiangkai | shequ365 |")
    cell = rows["settings (defaults)"][BUILT_IN.index(name)]
    documented = {t for t in ticked(cell) if re.fullmatch(r"[a-z_]+", t)}
    assert documented == {s.name for s in info.settings}
    for s in info.settings:  # each default follows its name
        shown = re.search(r"`" + s.name + r"` (\[[^\]]*\]|[^,(]+)", cell).group(1).strip()
        if isinstance(s.default, (bool, int, float, str)):
            expect = {True: "true", False: "false"}[s.default] if isinstance(s.default, bool) else (
                json.dumps(s.default, ensure_ascii=False) if isinstance(s.default, str) else str(s.default))
            assert shown == expect, f"§10.1 {name}: {s.name} shown as {shown!r}, default {s.default!r}"
        elif isinstance(s.default, list):
            assert shown == json.dumps(s.default, ensure_ascii=False), f"§10.1 {name}: {s.name} shown as {shown!r}"
