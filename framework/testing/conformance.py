"""The conformance suite every method plugin runs against itself with one line::

    from framework.testing.conformance import MethodConformance

    class TestConformance(MethodConformance):
        method = "mymethod"
        case_fields = {"scope": "township"}   # --set fields a valid case needs (optional)

It checks: the plugin is found through the ``county`` entry point (or ``plugin`` is given),
its MethodInfo is well-formed and matches the hooks it implements; every stage returns
well-formed results for generated cases; every deadline falls after arrival (except a
milestone declared ``anchor="before"``: timed before an event, it may fall at or before it); escalation
chains end (no cycles); the method's satisfaction scale confirms and reopens as declared; the
sweep is idempotent; publicity never shows raw personal data
(property-based with hypothesis when it is installed, else over fixed examples; over every
render format); appraisal rates lie in [0, 1]; the plugin's source reads the kernel only through
the public API (no SQL naming a kernel table, imports from the ``framework`` root only).

The registry is built once per class; each test's database lives in a temporary folder the
class removes when it is done.

Class attributes a plugin may set:

* ``method`` (required) — the method name;
* ``plugin`` — the plugin module, for a plugin not installed through an entry point;
* ``case_fields`` — ``--set`` fields a valid case of this method needs;
* ``case_unit_level`` — the unit level where its cases are taken in (default: the level of
  the first tier of its chain, else ``village``);
* ``extra_methods`` — other methods the deployment must enable alongside;
* ``publicity_shows_case`` — whether a resolved and confirmed case appears on some board of
  its unit for its month (default True; a method that posts only meetings sets False);
* ``bindings`` — the deployment's ``[bindings]``, e.g. ``{"dianti.deadline": "taizhang"}``
  (the bound methods are enabled too);
* ``case_channel`` / ``case_category`` — the generic case's codes (default: the method's
  **first** declared channel and category, none when it declares none).
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import tempfile
from pathlib import Path

import framework.hookspecs as hookspecs
from framework.errors import Refusal
from framework.kernel.config import Deployment
from framework.kernel.county import County
from framework.kernel.queries import names_kernel_table
from framework.kernel.registry import Registry
from framework.models import (
    STAGES,
    Board,
    Deadline,
    MethodInfo,
    Metric,
    Person,
    Requester,
    Unit,
)
from framework.publish.render import render
from framework.store import Store

try:  # optional: more spellings of personal data when hypothesis is installed
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - exercised in environments without hypothesis
    st = None

#: The kernel's own subpackages: never imported by a plugin.
KERNEL_PACKAGES = frozenset({"kernel", "store", "publish", "interchange", "cli", "demo", "hookspecs", "models",
                             "errors", "timerules"})

BASE_LEVELS = ["county", "township", "village", "group", "community", "grid", "department"]

#: Fixed personal-data examples (surname, given name, mobile, ID number, anonymous) used when
#: hypothesis is not installed, and always tried first.
PERSONAL_EXAMPLES = [
    ("王", "长贵", "13812345678", "510623199001011234", False),
    ("李", "芳", "15987654321", "43122919680315001X", True),
    ("欧", "阳娜", "18600001111", "110101200001010023", False),
]


class MethodConformance:
    method: str = ""
    plugin = None
    case_fields: dict = {}
    case_unit_level: str | None = None
    extra_methods: tuple = ()
    bindings: dict = {}
    publicity_shows_case: bool = True
    #: The generic case's channel and category: None takes the method's FIRST declared one
    #: (``next(iter(MethodInfo.channels))``), or no code when it declares none.
    case_channel: str | None = None
    case_category: str | None = None
    start = "2026-03-02T09:30:00+08:00"  # a Monday

    _registry: Registry | None = None
    _tmp: tempfile.TemporaryDirectory | None = None

    @classmethod
    def setup_class(cls):
        cls._registry = None
        cls._tmp = tempfile.TemporaryDirectory(prefix="conformance-")

    @classmethod
    def teardown_class(cls):
        if cls._tmp is not None:
            cls._tmp.cleanup()
            cls._tmp = None

    # -- building a generic deployment for the method --------------------------------------
    def registry(self) -> Registry:
        """The plugins found on this machine (plus ``plugin``), built once per class."""
        cls = type(self)
        if cls._registry is None:
            extra = {self.method: self.plugin} if self.plugin is not None else None
            cls._registry = Registry(extra, entry_points=True)
        return cls._registry

    def info(self) -> MethodInfo:
        reg = self.registry()
        assert self.method in reg.methods, (
            f"method {self.method!r} not found through the 'county' entry point "
            f"(broken: {reg.broken.get(self.method)})")
        return reg.methods[self.method]

    def deployment(self, info: MethodInfo) -> Deployment:
        methods = [self.method]
        for m in (*self.extra_methods, *self.bindings.values()):
            if m not in methods:
                methods.append(m)
        reg = self.registry()
        tiers = [t for m in methods if m in reg.methods for t in reg.methods[m].tiers]
        levels = list(BASE_LEVELS)
        levels += [lv for lv in dict.fromkeys(t.level for t in tiers) if lv not in BASE_LEVELS]
        units = [Unit("t", "测试县", "county")]
        parent_of = {"township": "t", "village": "t.tn", "group": "t.tn.v1", "community": "t.tn",
                     "grid": "t.tn.c1"}
        codes = {"township": "t.tn", "village": "t.tn.v1", "group": "t.tn.v1.g1", "community": "t.tn.c1",
                 "grid": "t.tn.c1.g1"}
        for lv in levels[1:]:
            code = codes.get(lv, f"t.{lv}")
            units.append(Unit(code, f"测试{lv}", lv, parent_of.get(lv, "t")))
        roles = list(info.roles) or ["agency_cadre"]  # 机关干部 (methods.md §1.3)
        people = [Person(f"p-{i}", f"干部{i}", u.code, roles, ["general"], "13900000000")
                  for i, u in enumerate(units)]
        return Deployment(name="测试县", code="t", methods=methods, units=units, people=people,
                          bindings=dict(self.bindings))

    def county(self, now: str | None = None) -> County:
        info = self.info()
        if type(self)._tmp is None:  # used outside pytest's class set-up
            type(self).setup_class()
        path = Path(tempfile.mkdtemp(dir=type(self)._tmp.name)) / "county.db"
        county = County.init(Store(str(path)), self.deployment(info), self.registry())
        county.clock.fixed = dt.datetime.fromisoformat(now or self.start)
        return county

    def intake_unit(self, county: County, info: MethodInfo) -> str:
        chain = county.chain_method(self.method)
        level = self.case_unit_level or (chain.tiers[0].level if chain.tiers else "village")
        matches = sorted(u.code for u in county.units.values() if u.level == level)
        assert matches, f"no unit of level {level!r} in the generic deployment"
        return matches[0]

    def add(self, county: County, info: MethodInfo, **kw):
        kw.setdefault("channel", self.case_channel or next(iter(info.channels), None))
        kw.setdefault("category", self.case_category or next(iter(info.categories), None))
        kw.setdefault("fields", dict(self.case_fields))
        kw.setdefault("title", "测试事项")
        return county.add_case(self.method, self.intake_unit(county, info), **kw)

    # -- the checks ------------------------------------------------------------------------
    def test_method_info_matches_hooks(self):
        info = self.info()
        reg = self.registry()
        assert info.name == self.method and info.title_zh and info.source_lines and info.version
        implemented = {s for s in STAGES if reg.implements(self.method, s)}
        declared = set(info.stages)
        assert implemented <= declared, f"hooks implemented but not declared in stages: {implemented - declared}"
        missing = declared - implemented
        assert not missing, f"stages declared but not implemented (a @hookimpl county_<stage>): {sorted(missing)}"
        for s in info.settings:
            assert s.description, f"setting {s.name} has no description"
        module = reg.modules[self.method]
        for name in dir(module):
            if name.startswith("county_") and hasattr(hookspecs, name) and callable(getattr(module, name)):
                fn = getattr(module, name)
                assert getattr(fn, "county_impl", None) is not None, (
                    f"{name} is not marked @hookimpl: the kernel never calls it")
                assert inspect.getdoc(fn), f"hook {name} has no docstring"

    def test_chain_ends(self):
        """Follow each tier's escalation (the deadline's escalate milestone, else the next
        tier of the chain) from every tier: it must reach the end without a cycle."""
        info = self.info()
        county = self.county()
        case = self.add(county, info)
        chain = county.chain_method(self.method)

        def step(level):
            d = county.registry.call_one(chain.name, "deadline", ctx=county.ctx(chain.name), case=case,
                                         level=level, arrived_at=county.now()) or Deadline()
            targets = [m.to_level for m in d.milestones if m.action == "escalate" and m.to_level]
            if targets:
                return targets[0]
            nxt = chain.next_tier(level)
            return nxt.name if nxt else None

        for tier in chain.tiers:
            seen, cur = [], tier.name
            while cur is not None:
                assert cur not in seen, f"escalation cycle: {' -> '.join(seen + [cur])}"
                seen.append(cur)
                cur = step(cur)

    def test_stages_well_formed_and_deadlines_after_arrival(self):
        info = self.info()
        county = self.county()
        case = self.add(county, info)
        assert case.id.startswith("t-") and case.status in ("registered", "assigned", "resolved", "in_progress")
        assert case.created_at == county.now()
        before = {m.name for m in county.ctx(self.method).milestones.of(case.id) if m.anchor == "before"}
        primary = [m for m in county.ctx(self.method).milestones.of(case.id) if m.primary]
        if case.due_at is not None and not (primary and primary[-1].name in before):
            assert case.due_at > case.created_at, "due instant must fall after arrival (or say anchor='before')"
        # every tier of the chain, arriving now: milestones after arrival, exactly one primary,
        # escalation targets inside the chain
        chain = county.chain_method(self.method)
        for tier in chain.tiers:
            if not county.registry.implements(chain.name, "deadline"):
                break
            at = county.now()
            d = county.registry.call_one(chain.name, "deadline", ctx=county.ctx(chain.name), case=case,
                                         level=tier.name, arrived_at=at)
            if d is None:
                continue
            assert isinstance(d, Deadline)
            if d.milestones:
                assert sum(m.primary for m in d.milestones) == 1, f"tier {tier.name}: need exactly one primary milestone"
            for m in d.milestones:
                assert m.due_at.tzinfo is not None, f"tier {tier.name}: {m.name} has a naive due instant"
                assert m.anchor in ("arrival", "before"), f"tier {tier.name}: {m.name} anchor {m.anchor!r}"
                # a milestone timed before an event (anchor="before") may fall at or before arrival
                assert m.anchor == "before" or m.due_at > at, (
                    f"tier {tier.name}: {m.name} not after arrival (a milestone timed before an event says "
                    f"anchor='before')")
                assert m.action in ("escalate", "flag", "none")
                if m.to_level is not None:
                    assert chain.tier(m.to_level), f"{m.name} escalates to {m.to_level!r}, not a tier of the chain"

    def test_satisfaction_gate(self):
        """The method's ``SatisfactionScale`` (docs/hooks.md §12.2) works end to end: a rating
        outside ``closes`` reopens a resolved case at the tier that resolved it, with the deadline
        its deadline hook gives from the confirmation instant; a closing rating (code or Chinese
        label) then confirms it. A case the intake does not leave open or resolved is not rated.
        Before that, the sign-off gate (§12.6): with one party unsigned the case is not resolved
        (unless ``MethodInfo.signoff_gate=False``)."""
        info = self.info()
        scale = info.satisfaction
        county = self.county()
        case = self.add(county, info)
        if case.is_open:  # the sign-off close gate (§12.6): refused with a party unsigned, unless declared off
            county.require_signoff(case.id, [("p1", "甲户")])
            if info.signoff_gate:
                try:
                    county.resolve(case.id, "办结")
                except Refusal as e:
                    assert "1 of 1 parties have not signed (甲户)" in str(e), str(e)
                else:
                    raise AssertionError("a case with an unsigned party was resolved (docs/hooks.md §12.6)")
                county.sign(case.id, "p1")
            case = county.resolve(case.id, "办结")
        if case.status != "resolved":
            return
        if scale.reopens:
            low = next(c for c in reversed(scale.codes) if c not in scale.closes)
            level, when = case.resolved_level, county.now()
            case = county.confirm(case.id, low)
            assert (case.status, case.level, case.satisfaction) == ("in_progress", level, low), "a reopened case"
            assert "reopened" in [e.type for e in case.events], "a reopened case has a reopened event"
            assert case.tier_arrived_at == when and case.resolved_at is None
            if case.due_at is not None:
                assert case.due_at > when or any(
                    m.anchor == "before" for m in county.ctx(self.method).milestones.of(case.id, state="pending"))
            case = county.resolve(case.id, "再次办结")
        best = scale.closes[0]
        case = county.confirm(case.id, scale.label(best))
        assert (case.status, case.satisfaction) == ("confirmed", best)

    def test_sweep_idempotent(self):
        info = self.info()
        county = self.county()
        cases = [self.add(county, info, title=f"事项{i}") for i in range(3)]
        acted = 0
        for days in (1, 2, 6, 12, 20, 40, 80):
            county.clock.fixed = dt.datetime.fromisoformat(self.start) + dt.timedelta(days=days)
            acted += len(county.sweep())
            assert county.sweep() == [], f"second sweep at +{days} days changed something"
        if any(c.due_at is not None and c.is_open for c in cases):
            assert acted > 0, "cases had due instants but 80 days of sweeps did nothing"

    def test_publicity_never_shows_raw_personal_data_fixed_examples(self):
        for example in PERSONAL_EXAMPLES:
            self.check_personal_data_masked(*example)

    if st is not None:
        @settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))  # each example: a fresh county
        @given(surname=st.sampled_from(list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")),
               name=st.text(alphabet="伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂", min_size=1, max_size=2),
               phone=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
               id_number=st.from_regex(r"[1-6][0-9]{5}(19[5-9][0-9]|200[0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])"
                                       r"[0-9]{3}[0-9X]", fullmatch=True),
               anonymous=st.booleans())
        def test_publicity_never_shows_raw_personal_data(self, surname, name, phone, id_number, anonymous):
            self.check_personal_data_masked(surname, name, phone, id_number, anonymous)

    def check_personal_data_masked(self, surname, name, phone, id_number, anonymous):
        """A resolved, confirmed case whose requester's name, phone, ID number and address also
        appear in its title, description and notes: no board of any unit, in any format, shows
        them raw; the case itself appears on a board of its month (unless the method says not)."""
        info = self.info()
        county = self.county()
        full = surname + name + "某某"[: max(0, 2 - len(name))]
        case = self.add(county, info, title=f"{full}反映问题，电话{phone}", description=f"身份证{id_number}，联系{phone}",
                        requester=Requester(full, phone, id_number, "测试镇测试村5组12号", anonymous))
        county.attach(case.id, f"https://media.example.cn/{phone}.jpg", caption=f"{full}家门口")  # §12.7
        if case.is_open:
            county.resolve(case.id, f"已办结，回访{phone}")
        county.confirm(case.id, "satisfied", note=f"{full}签字")
        period = county.now().strftime("%Y-%m")
        outputs = []
        for unit in county.units:
            boards = county.boards(unit, period)
            for b in boards:
                assert isinstance(b, Board)
            for fmt in ("json", "md", "csv", "html"):
                outputs.append(render(boards, fmt))
        text = "\n".join(outputs)
        if self.publicity_shows_case and county.registry.implements(self.method, "publicity"):
            assert case.id in text, "the confirmed case appears on no board of its unit for its month"
        assert phone not in text and id_number not in text
        assert full not in text
        assert "5组12号" not in text
        assert "media.example.cn" not in text, "an attachment's URL is on a board (docs/hooks.md §12.7)"

    def test_appraisal_rates_in_range(self):
        info = self.info()
        county = self.county()
        a = self.add(county, info, title="一")
        self.add(county, info, title="二")
        if a.is_open:
            county.resolve(a.id, "办结")
        county.clock.fixed = dt.datetime.fromisoformat(self.start) + dt.timedelta(days=30)
        county.sweep()
        period = dt.datetime.fromisoformat(self.start).strftime("%Y")
        metrics = county.appraise(period)
        assert metrics, "appraisal returned nothing"
        for m in metrics:
            assert isinstance(m, Metric)
            if m.denominator is not None:
                assert m.denominator >= 0
                if m.denominator == 0:
                    assert m.value is None, f"{m.metric}: zero denominator must have no value"
                else:
                    assert 0.0 <= m.value <= 1.0, f"{m.metric} = {m.value} outside [0, 1]"


    def test_reads_the_kernel_only_through_the_public_api(self):
        """The plugin's source files (its package, or its module) name no kernel table in any
        SQL string and import nothing of ``framework`` but the package root's public names."""
        module = self.registry().modules[self.method]
        path = Path(inspect.getfile(module))
        files = sorted(path.parent.rglob("*.py")) if path.name == "__init__.py" else [path]
        problems = public_api_problems(files)
        assert not problems, "\n".join(problems)


def public_api_problems(files, relative_to: Path | None = None) -> list[str]:
    """Every place in ``files`` (Python sources; tests and conftest.py skipped) that reaches the
    kernel other than through the public API: SQL naming a kernel table, an import of a
    ``framework`` submodule (also ``from framework import kernel`` and module names in strings
    for ``importlib``), or a private attribute of ``ctx``. One line each: ``file:line: what``."""
    problems = []
    for f in files:
        f = Path(f)
        if f.name.startswith("test_") or f.name == "conftest.py":
            continue
        where = f.relative_to(relative_to) if relative_to else f
        tree = ast.parse(f.read_text(encoding="utf-8"), filename=str(f))
        for node in ast.walk(tree):
            at = f"{where}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                table = names_kernel_table(node.value)
                if table:
                    problems.append(f"{at}: SQL names the kernel table {table!r}")
                elif node.value.startswith("framework."):
                    problems.append(f"{at}: names the module {node.value} (plugins import from `framework` only)")
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("framework."):
                problems.append(f"{at}: imports {node.module} (plugins import from `framework` only)")
            elif isinstance(node, ast.ImportFrom) and node.module == "framework":
                subs = [a.name for a in node.names if a.name in KERNEL_PACKAGES]
                if subs:
                    problems.append(f"{at}: imports framework.{subs[0]} (plugins import the public names of `framework` only)")
            elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "ctx"
                  and node.attr.startswith("_")):
                problems.append(f"{at}: uses ctx.{node.attr} (private: use the documented ctx API)")
            elif isinstance(node, ast.Import):
                problems += [f"{at}: imports {a.name} (plugins import from `framework` only)"
                             for a in node.names if a.name.startswith("framework.")]
    return problems
