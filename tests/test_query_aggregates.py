"""The read API's aggregate reads (issue 13): ``ctx.cases.count(by=…)``, ``ctx.events.count``,
``ctx.milestones.count`` — SQL-side counts with the record reads' filters, every figure
worked out by hand on one small county (built once for the module)."""

import datetime as dt
from pathlib import Path

import pytest

import plugins.taizhang
from framework.errors import CountyError
from framework.kernel import aggregates
from framework.testing import CountyRunner

TOML = (Path(plugins.taizhang.__file__).parent / "data" / "zhongjiang.toml").read_text(encoding="utf-8")
LLG, SQ = "zj.fx.llg", "zj.nh.sq"  # 柳林沟村 (富兴镇), 石墙村
NOV = {"method": "taizhang", "created": "2026-11"}


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """November 2026: 柳林沟村 a (resolved 11-04; callbacks unsatisfied then satisfied), b
    (resolved, confirmed satisfied), c (escalated to the township 11-03, open), d (open);
    石墙村 e (resolved 11-06; callback basically). October: 柳林沟村 o (resolved; a callback)."""
    run = CountyRunner(tmp_path_factory.mktemp("aggregates") / "county.db").init(TOML)

    def add(now, unit=LLG):
        return run("case", "add", "--method", "taizhang", "--unit", unit, "--title", "事项", "--category",
                   "livelihood", "--now", now, "--json").data["id"]

    o = add("2026-10-12T10:00")
    run("case", "resolve", o, "--note", "已办结", "--now", "2026-10-13T10:00")
    run("taizhang", "callback", o, "--satisfaction", "unsatisfied", "--now", "2026-11-02T09:00")
    a, b, c, d = (add("2026-11-02T10:00") for _ in range(4))
    e = add("2026-11-05T10:00", SQ)
    for cid, day in ((a, "04"), (b, "04"), (e, "06")):
        run("case", "resolve", cid, "--note", "已办结", "--now", f"2026-11-{day}T10:00")
    run("case", "confirm", b, "--satisfaction", "satisfied", "--now", "2026-11-12T10:00")
    run("case", "escalate", c, "--now", "2026-11-03T10:00")
    run("taizhang", "callback", a, "--satisfaction", "unsatisfied", "--now", "2026-11-20T10:00")
    run("taizhang", "callback", a, "--satisfaction", "satisfied", "--now", "2026-11-25T10:00")
    run("taizhang", "callback", e, "--satisfaction", "basically", "--now", "2026-11-21T10:00")
    return run, run.ctx("taizhang", now="2026-11-30T12:00"), dict(o=o, a=a, b=b, c=c, d=d, e=e)


def test_cases_count_by_one_key_and_by_a_tuple(county):
    _, ctx, ids = county
    assert ctx.cases.count(**NOV) == 5
    assert ctx.cases.count(by="origin_unit", **NOV) == {LLG: 4, SQ: 1}
    assert ctx.cases.count(by=("origin_unit", "status"), **NOV) == {
        (LLG, "resolved"): 1, (LLG, "confirmed"): 1, (LLG, "assigned"): 1, (LLG, "escalated"): 1, (SQ, "resolved"): 1}
    # c is held at the township now; the others (and d, open) at their village
    assert ctx.cases.count(by=("origin_unit", "level", "resolved_level"), open=True, **NOV) == {
        (LLG, "township", None): 1, (LLG, "village", None): 1}
    assert ctx.cases.count(by=("satisfaction",), **NOV) == {(None,): 4, ("satisfied",): 1}
    assert ctx.cases.count(by="origin_unit", method="taizhang", created="2026-10") == {LLG: 1}
    assert ctx.cases.count(by="extra.no_such_field", **NOV) == {None: 5}
    assert ctx.cases.count(by="origin_unit", origin="zj.fx", **NOV) == {LLG: 4}  # the subtree filter
    assert ctx.cases.count(by="status", ids=[], **NOV) == {}
    # by the resolution's period, whenever taken in (o: October's, resolved 10-13)
    assert ctx.cases.count(by="origin_unit", method="taizhang", resolved="2026-11") == {LLG: 2, SQ: 1}
    assert ctx.cases.values("id", method="taizhang", resolved="2026-10") == [(ids["o"],)]
    assert ctx.cases.values("id", method="taizhang", resolved=(None, dt.datetime(2026, 11, 4, 10, 0, 1,
                                                                                   tzinfo=dt.timezone.utc))) == [
        (ids["o"],), (ids["a"],), (ids["b"],)]


def test_cases_values_reads_the_fields_asked_as_a_case_has_them(county):
    _, ctx, ids = county
    tz = dt.timezone(dt.timedelta(hours=8))
    rows = ctx.cases.values("id", "status", "resolved_at", "origin_unit", "extra.no_such_field", **NOV)
    assert rows == [
        (ids["a"], "resolved", dt.datetime(2026, 11, 4, 10, 0, tzinfo=tz), LLG, None),
        (ids["b"], "confirmed", dt.datetime(2026, 11, 4, 10, 0, tzinfo=tz), LLG, None),
        (ids["c"], "escalated", None, LLG, None),
        (ids["d"], "assigned", None, LLG, None),
        (ids["e"], "resolved", dt.datetime(2026, 11, 6, 10, 0, tzinfo=tz), SQ, None)]
    # the same as the Case records say; by resolution order, open cases (no instant) first
    cases = {c.id: c for c in ctx.cases.find(**NOV)}
    assert [(i, due) for i, due in ctx.cases.values("id", "due_at", **NOV)] == [(i, c.due_at) for i, c in cases.items()]
    assert [i for (i,) in ctx.cases.values("id", order="resolved", **NOV)] == [ids[k] for k in "cdabe"]
    assert ctx.cases.values("title", ids=[]) == []


@pytest.mark.parametrize("few", [0, 20_000], ids=["cases-drive", "events-drive"])
def test_events_count_latest_distinct_and_by_case_keys(county, few, monkeypatch):
    # the same counts whichever side drives (the filtered cases, or the few events of the types)
    monkeypatch.setattr(aggregates, "FEW_EVENTS", few)
    _, ctx, ids = county
    # every callback of November's cases (o's, in November, is October's case: not counted)
    assert ctx.events.count("callback", **NOV) == 3
    assert ctx.events.count("callback", by=("case.origin_unit", "data.satisfaction"), **NOV) == {
        (LLG, "unsatisfied"): 1, (LLG, "satisfied"): 1, (SQ, "basically"): 1}
    # each case's latest callback only: a's second one
    assert ctx.events.count("callback", latest=True, by=("case.origin_unit", "data.satisfaction"), **NOV) == {
        (LLG, "satisfied"): 1, (SQ, "basically"): 1}
    assert ctx.events.count("callback", by="case.origin_unit", distinct_cases=True, **NOV) == {LLG: 1, SQ: 1}
    # only the settled ones (a filter of ctx.cases), and by case id
    assert ctx.events.count("callback", by="case_id", status=["resolved", "confirmed"], **NOV) == {
        ids["a"]: 2, ids["e"]: 1}
    # without case filters: every case of every method, here in a period of the events' time
    assert ctx.events.count("callback", at="2026-11") == 4
    since = dt.datetime(2026, 11, 21, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert ctx.events.count("callback", at=(since, None)) == 2  # e's on 11-21 10:00, a's on 11-25
    # c's escalation and its new assignment happened at the township
    assert ctx.events.count(level="township", by=("case_id", "type"), **NOV) == {
        (ids["c"], "escalated"): 1, (ids["c"], "assigned"): 1}
    assert ctx.events.count(["resolved", "confirmed"], by="type", **NOV) == {"resolved": 3, "confirmed": 1}
    assert ctx.events.count("escalated", by="case_id", **NOV) == {ids["c"]: 1}
    assert ctx.events.count("no_such_type", by="case_id", **NOV) == {}
    assert ctx.events.count("no_such_type", **NOV) == 0


def test_milestones_count_tally_by_unit(county):
    _, ctx, ids = county
    # one primary village milestone a case (5 days); c's closed by the escalation before it was due
    assert ctx.milestones.count(primary=True, level="village", **NOV) == 5
    assert ctx.milestones.count(by=("case.origin_unit", "state"), primary=True, level="village", **NOV) == {
        (LLG, "met"): 3, (LLG, "pending"): 1, (SQ, "met"): 1}
    # d's village limit; c's township reply (10 days) and report-up (15 days, primary)
    assert ctx.milestones.count(by=("level", "name"), state="pending", **NOV) == {
        ("village", "close"): 1, ("township", "reply"): 1, ("township", "report_up"): 1}
    assert ctx.milestones.count(by="case_id", state=("met", "missed"), origin_unit=SQ, **NOV) == {ids["e"]: 1}


@pytest.mark.parametrize("call, message", [
    (lambda ctx: ctx.cases.count(by="colour"), "ctx.cases.count: cannot count by 'colour'"),
    (lambda ctx: ctx.cases.count(by=("status", 3)), "ctx.cases.count: cannot count by 3"),
    (lambda ctx: ctx.events.count(by="origin_unit"), "ctx.events.count: cannot count by 'origin_unit'"),
    (lambda ctx: ctx.events.count(by="data.a-b"), "ctx.events.count: 'data.a-b': a JSON field name must be"),
    (lambda ctx: ctx.milestones.count(by="case.colour"), "ctx.milestones.count: cannot count by 'case.colour'"),
    (lambda ctx: ctx.events.count("callback", units="x"), "ctx.cases: no filter 'units'"),
    (lambda ctx: ctx.cases.values("requester_phone"), "ctx.cases.values: no field 'requester_phone'"),
    (lambda ctx: ctx.cases.values(), "ctx.cases.values: name at least one field"),
    (lambda ctx: ctx.cases.values("id", order="colour"), "ctx.cases.values: order 'colour'"),
    (lambda ctx: ctx.cases.values("extra.x y"), "ctx.cases.values: 'extra.x y': a JSON field name must be"),
])
def test_bad_keys_and_filters_name_the_call(county, call, message):
    with pytest.raises(CountyError, match=message.replace("(", r"\(")):
        call(county[1])
