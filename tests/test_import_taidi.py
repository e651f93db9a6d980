"""Done-when of issue 8: import the 2,816 replied messages of 泰迪杯 2020C 附件4 and check the
appraisal's on-time rate under the taizhang village rule (close within 5 calendar days, due
23:59:59 +08:00 on the 5th day after arrival) and under a 15-working-day rule, each against a
computation done here from the raw workbook with openpyxl and the holidays library — not
through the project."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import holidays
import openpyxl
import pytest

from framework import hookimpl
from framework.kernel.config import deployment_from_dict
from framework.kernel.county import County
from framework.interchange import import_file
from framework.models import Deadline, MethodInfo, Milestone, Tier
from framework.kernel.registry import Registry
from framework.store.db import Store
from framework.testing import real_data

FUJIAN4 = Path("taidi2020c-zhihuizhengwu") / "full" / "附件4.xlsx"
BJ = dt.timezone(dt.timedelta(hours=8))


def _real_file() -> Path:
    return real_data(FUJIAN4)


class WorkingDays15:
    """A test-only method: one desk tier, reply due at the end of the 15th working day."""

    @hookimpl
    def county_method(self):
        return MethodInfo(name="wd15", title_zh="十五个工作日答复", title="15 working days", source_county="test",
                          source_lines="-", stages=("deadline",), tiers=[Tier("desk", "受理", "village")])

    @hookimpl
    def county_deadline(self, ctx, case, level, arrived_at):
        return Deadline([Milestone("reply", ctx.calendar.working_days(arrived_at, 15), "flag", None, True)])


TOML = {
    "deployment": {"name": "测试县", "code": "cs", "methods": ["taizhang"]},
    "units": [
        {"code": "cs", "name": "测试县", "level": "county"},
        {"code": "cs.sza", "name": "县三账办", "level": "ledger_office", "parent": "cs"},
        {"code": "cs.fx", "name": "富兴镇", "level": "township", "parent": "cs"},
        {"code": "cs.fx.a", "name": "甲村", "level": "village", "parent": "cs.fx"},
        {"code": "cs.fx.b", "name": "乙村", "level": "village", "parent": "cs.fx"},
    ],
}


def _county(tmp_path, methods, registry) -> County:
    raw = {**TOML, "deployment": {**TOML["deployment"], "methods": methods}}
    return County.init(Store(str(tmp_path / f"{methods[-1]}.db")), deployment_from_dict(raw), registry,
                       now=dt.datetime(2020, 6, 1, tzinfo=BJ), actor="tester")


@pytest.fixture(scope="module")
def taizhang_county(tmp_path_factory):
    """附件4 imported once into a taizhang county (no sweep), with the import report."""
    tz = _county(tmp_path_factory.mktemp("taizhang"), ["taizhang"], Registry())
    return tz, import_file(tz, _real_file(), mapping="taidi-replied")


# -- the independent side: raw workbook, own time parsing, own calendars ----------------------------

_T = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?: (\d{1,2}):(\d{1,2}):(\d{1,2}))?$")


def _t(v) -> dt.datetime:
    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=BJ)
    m = _T.match(str(v).strip())
    assert m, f"unexpected time {v!r}"
    y, mo, d, h, mi, s = (int(x or 0) for x in m.groups())
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=BJ)


def _raw_pairs() -> list[tuple[dt.datetime, dt.datetime]]:
    wb = openpyxl.load_workbook(_real_file(), read_only=True)
    rows = [r for r in wb.active.iter_rows(values_only=True) if any(c is not None for c in r)]
    head = list(rows[0])
    i_arr, i_rep = head.index("留言时间"), head.index("答复时间")
    return [(_t(r[i_arr]), _t(r[i_rep])) for r in rows[1:]]


def _end(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=BJ)


_YEARS: dict[int, tuple[set, set]] = {}


def _is_working(day: dt.date) -> bool:
    if day.year not in _YEARS:
        cn = holidays.China(years=day.year)
        _YEARS[day.year] = (set(cn), set(cn.weekend_workdays))
    rest, makeup = _YEARS[day.year]
    return day in makeup or (day.weekday() < 5 and day not in rest)


def _working_day_due(arrival: dt.datetime, n: int) -> dt.datetime:
    day = arrival.date()
    while n:
        day += dt.timedelta(days=1)
        n -= _is_working(day)
    return _end(day)


def _project_rate(county: County, method: str) -> tuple[float, float]:
    num = den = 0.0
    for year in range(2011, 2021):
        for m in county.appraise(str(year), "cs"):
            if m.metric == "on_time_rate" and m.subject == "cs" and m.method == method:
                num += m.numerator
                den += m.denominator
    return num, den


def test_on_time_rate_of_2816_replied_messages_under_village_rule_and_15_working_days(tmp_path, taizhang_county):
    pairs = _raw_pairs()
    assert len(pairs) == 2816
    village_on_time = sum(rep <= _end(arr.date() + dt.timedelta(days=5)) for arr, rep in pairs)
    wd_on_time = sum(rep <= _working_day_due(arr, 15) for arr, rep in pairs)
    # sanity of the independent side: the README's figures bracket these counts
    assert 448 < village_on_time < 1732 and village_on_time < wd_on_time < 2355

    registry = Registry(extra_plugins={"wd15": WorkingDays15()})

    # taizhang village rule, no sweep: a reply after the village's 5 days is a missed milestone
    tz, rep = taizhang_county
    assert (rep.rows, rep.taken, rep.resolved, rep.skipped, rep.refused) == (2816, 2816, 2816, 0, [])
    assert _project_rate(tz, "taizhang") == (village_on_time, 2816)

    # 15 working days (statutory calendar with make-up days), registered through extra_plugins
    wd = _county(tmp_path, ["taizhang", "wd15"], registry)
    rep = import_file(wd, _real_file(), mapping="taidi-replied", method="wd15")
    assert (rep.taken, rep.resolved) == (2816, 2816)
    assert _project_rate(wd, "wd15") == (wd_on_time, 2816)

    # re-importing the same file takes nothing twice
    again = import_file(tz, _real_file(), mapping="taidi-replied")
    assert (again.taken, again.skipped, again.refused) == (0, 2816, [])
    assert tz.store.db.execute("select count(*) from cases").fetchone()[0] == 2816


def test_historical_case_keeps_real_arrival_reply_and_missed_milestone(taizhang_county):
    """Message 2549: 2019/4/25 9:32:09 -> reply 2019/5/10 14:56:53, 15 days: the village's
    close milestone (due 2019-04-30 23:59:59+08:00) is recorded as missed."""
    tz, _ = taizhang_county
    cid = tz.store.db.execute("select id from cases where source_id = 'taidi:2549'").fetchone()[0]
    case = tz.get_case(cid)
    assert case.created_at.isoformat() == "2019-04-25T09:32:09+08:00"
    assert case.resolved_at.isoformat() == "2019-05-10T14:56:53+08:00"
    assert case.status == "resolved" and case.title == "A2区景蓉华苑物业管理有问题"
    assert case.requester.name == "A00045581" and case.category == "livelihood" and case.channel == "mailbox"
    assert [e.type for e in case.events][0] == "registered" and case.events[-1].type == "resolved"
    assert case.events[-1].note.startswith("现将网友在平台《问政西地省》栏目向胡华衡书记留言反映")
    ms = tz.store.query("select name, due_at, state from milestones where case_id = ?", [cid])
    assert ms == [{"name": "close", "due_at": "2019-04-30T23:59:59+08:00", "state": "missed"}]
    # the one Excel-datetime arrival (row 7) and the one date-only reply (row 1141) both parse
    got = {r["line"]: r["case_id"] for r in tz.store.query("select line, case_id from imported_rows where line in (7, 1141)")}
    assert tz.get_case(got[7]).created_at.isoformat() == "2019-04-08T08:37:20+08:00"
    assert tz.get_case(got[1141]).resolved_at.isoformat() == "2018-04-24T00:00:00+08:00"
