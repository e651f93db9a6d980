"""Preparing rows the short way (issue 13): ``parse_time`` reads the ISO shape
``2025-01-01T07:04:48+08:00`` in C and must give what its pattern gives — the same instant,
offset and errors — and ``RowContext.text`` is ``_text`` of ``RowContext.get``'s value."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from framework.interchange.mappings import Mapping
from framework.interchange.rows import RowContext, _text, parse_time

TZ = ZoneInfo("Asia/Shanghai")


class Text(str):
    """A str that is not exactly ``str``: parse_time takes the pattern's way with it."""


SHAPED = ["2025-01-01T07:04:48+08:00", "2025-01-01T07:04:48-05:30", "2025-01-01T07:04:48+00:00",
          "2025-01-01T07:04:48-00:00", "2024-02-29T23:59:59+14:00", "2025-02-30T07:04:48+08:00",
          "2025-01-01T25:04:48+08:00", "２０２５-01-01T07:04:48+08:00", "2025-01-01T07:04:48+24:00",
          "2025-01-01T07:04:48+08:60", "2025-01-01T07:04:4a+08:00", "2025-01-01T07:04.48+08:00",
          "2025/01/01T07:04:48+08:00", "2025-01-01 07:04:48+08:00"]


def outcome(value):
    try:
        t = parse_time(value, TZ)
    except ValueError as e:
        return "error", str(e)
    return t.isoformat(), t.utcoffset(), t.timestamp(), t.fold


@pytest.mark.parametrize("value", SHAPED)
def test_the_iso_shape_read_in_c_is_what_the_pattern_reads(value):
    assert outcome(value) == outcome(Text(value))


def test_the_iso_shape_values():
    assert outcome("2025-01-01T07:04:48+08:00") == ("2025-01-01T07:04:48+08:00", dt.timedelta(hours=8), 1735686288.0, 0)
    # full-width digits: not ISO for C, read by the pattern (\d is any decimal digit)
    assert outcome("２０２５-01-01T07:04:48+08:00")[0] == "2025-01-01T07:04:48+08:00"
    # +08:60 is 09:00 to the pattern
    assert outcome("2025-01-01T07:04:48+08:60")[1] == dt.timedelta(hours=9)
    assert outcome("2025-02-30T07:04:48+08:00") == (
        "error", "'2025-02-30T07:04:48+08:00' is not a real date/time (day is out of range for month)")


def test_text_is_text_of_get():
    m = Mapping(name="t", fields={"title": ["主题", "标题"], "channel": "渠道", "category": "类别"},
                constants={"priority": " high ", "channel": "ignored"})

    class County:  # what RowContext reads of a county
        deployment = type("D", (), {"methods": ["taizhang"]})()
        calendar = type("C", (), {"tz": TZ})()
        units = {}

        def require_enabled(self, method):
            return method

    rc = RowContext(County(), m, method="taizhang")
    rows = [{"主题": "  ", "标题": " 路灯坏了 ", "渠道": 12.0, "类别": ""}, {"主题": "漏水", "渠道": None}, {}]
    for data in rows:
        for field in ("title", "channel", "category", "priority", "unit"):
            assert rc.text(data, field) == _text(rc.get(data, field)[0]), (data, field)
    assert [rc.text(rows[0], f) for f in ("title", "channel", "category", "priority")] == ["路灯坏了", "12", None, "high"]
    assert rc.get(rows[0], "title") == (" 路灯坏了 ", "标题") and rc.get(rows[2], "title") == (None, "主题")


def test_bulk_case_values_are_case_to_rows():
    from framework.kernel.bulk_rows import Instants, case_values, event_rows
    from framework.models import Case, Event, Requester
    from framework.store.rows import case_to_row

    t = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    cases = [
        Case(id="tc-000001", method="taizhang", title="路灯", unit="tc.t.v1"),
        Case(id="tc-000002", method="taizhang", title="路灯", unit="tc.t.v1", level="village", status="resolved",
             channel="hotline", category="needy", description="说明", handler="p1", priority="high", created_at=t,
             tier_arrived_at=t, due_at=t + dt.timedelta(days=5), resolved_at=t + dt.timedelta(hours=3),
             resolved_level="village", satisfaction="satisfied",
             requester=Requester("王长贵", "13812340000", "11010519491231002X", "三组", True), source_id="imp:1",
             extra={"when": t, "tags": {"b", "a"}, "n": 1.5, "三": None}, lead_id="tc-000001", joint_unit="tc.t.v2",
             joint_handler="p2"),
    ]
    instants = Instants()
    for c in cases:
        assert case_values(c, instants) == [*case_to_row(c).values()]
        assert case_values(c, instants) == [*case_to_row(c).values()]  # the instants remembered
    ts = t.timestamp()  # 2026-03-02T01:00:00Z
    assert ts == 1772413200.0
    assert case_to_row(cases[1]) == {
        "id": "tc-000002", "method": "taizhang", "channel": "hotline", "category": "needy", "title": "路灯",
        "description": "说明", "unit": "tc.t.v1", "level": "village", "status": "resolved", "handler": "p1",
        "priority": "high", "created_at": "2026-03-02T09:00:00+08:00", "created_ts": ts,
        "tier_arrived_at": "2026-03-02T09:00:00+08:00", "due_at": "2026-03-07T09:00:00+08:00", "due_ts": ts + 5 * 86400,
        "resolved_at": "2026-03-02T12:00:00+08:00", "resolved_ts": ts + 3 * 3600, "resolved_level": "village",
        "satisfaction": "satisfied", "requester_name": "王长贵", "requester_phone": "13812340000",
        "requester_id_number": "11010519491231002X", "requester_address": "三组", "requester_anonymous": 1,
        "source_id": "imp:1", "extra": '{"when": "2026-03-02T09:00:00+08:00", "tags": ["a", "b"], "n": 1.5, "三": null}',
        "lead_id": "tc-000001", "joint_unit": "tc.t.v2", "joint_handler": "p2"}
    c = cases[1]
    c.events = [Event(t, "registered", "tester"), Event(t, "assigned", "tester", "village", None, {"unit": "tc.t.v1"}),
                Event(t + dt.timedelta(hours=3), "resolved", "tester", "village", "已办结")]
    out = []
    event_rows(c, out, instants)
    assert out == [
        ("tc-000002", "2026-03-02T09:00:00+08:00", "registered", "tester", None, "tc.t.v1", None, "{}"),
        ("tc-000002", "2026-03-02T09:00:00+08:00", "assigned", "tester", "village", "tc.t.v1", None, '{"unit": "tc.t.v1"}'),
        ("tc-000002", "2026-03-02T12:00:00+08:00", "resolved", "tester", "village", "tc.t.v1", "已办结", "{}")]
    assert c.events == []


def test_text_follows_a_subclass_get():
    """Open311's ServiceRows fills empty fields from the row's service in its own get(): text()
    must ask it (an import of service requests otherwise loses their category and unit)."""
    m = Mapping(name="t", fields={"category": "类别"})

    class County:
        deployment = type("D", (), {"methods": ["taizhang"]})()
        calendar = type("C", (), {"tz": TZ})()
        units = {}

        def require_enabled(self, method):
            return method

    class Routed(RowContext):
        def get(self, data, field):
            value, col = super().get(data, field)
            return (value, col) if value is not None else (" from-service ", None)

    rc = Routed(County(), m, method="taizhang")
    assert rc.text({"类别": ""}, "category") == "from-service"
    assert rc.text({"类别": "needy"}, "category") == "needy"
    assert rc.text({}, "unit") == "from-service"
