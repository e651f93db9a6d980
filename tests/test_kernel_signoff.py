"""Issue 19, sign-off progress (签字进度, docs/hooks.md §12.6): a case lists the parties who must
sign (the households of a collective dispute, Pu'er's 五字法), each signs once while the case is
open, and the case may be resolved or confirmed only when every party has signed — unless its
method declares ``signoff_gate=False``. Instants are Asia/Shanghai, chosen by hand.

The test method ``hu``: one village tier, 5 calendar days; ``free`` is the same with the gate off.
"""

from __future__ import annotations

import datetime as dt
import types
from zoneinfo import ZoneInfo

import pytest

from framework import (
    CountyError,
    Deadline,
    MethodInfo,
    Milestone,
    Refusal,
    SignOff,
    SignOffParty,
    Tier,
    case_json,
    hookimpl,
)
from framework.kernel.registry import Registry

TZ = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def plugin(name: str, gate: bool) -> types.ModuleType:
    mod = types.ModuleType(f"signoff_{name}")

    @hookimpl
    def county_method():
        """A one-tier test method (see the module)."""
        return MethodInfo(name=name, title_zh="签字", title="Sign", source_county="测试县", source_lines="L1",
                          stages=("deadline",), tiers=[Tier("village", "村", "village")], signoff_gate=gate)

    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        """Village: 5 calendar days."""
        return Deadline([Milestone("close", ctx.calendar.calendar_days(arrived_at, 5), primary=True)])

    mod.county_method, mod.county_deadline = county_method, county_deadline
    return mod


TOML = """
[deployment]
name = "测试县"
code = "s"
methods = ["hu", "free"]

[[units]]
code = "s"
name = "测试县"
level = "county"

[[units]]
code = "s.v"
name = "西村"
level = "village"
parent = "s"
"""

HOUSES = [("h01", "张三户"), ("h02", "李四户"), ("h03", "王五户"), ("h04", "赵六户"), ("h05", "钱七户")]


@pytest.fixture
def registry():
    return Registry(extra_plugins={"hu": plugin("hu", True), "free": plugin("free", False)}, entry_points=False)


@pytest.fixture
def county(make_county, registry):
    return make_county(TOML, now="2026-03-02T09:00", registry=registry)


def test_parties_sign_one_by_one_and_the_progress_is_read_back(county):
    c = county.add_case("hu", "s.v", "征地补偿纠纷")
    c = county.ctx("hu").actions.require_signoff(c.id, HOUSES[:3], note="三户")
    assert c.signoff == SignOff(3, 0, [SignOffParty("h01", "张三户"), SignOffParty("h02", "李四户"),
                                       SignOffParty("h03", "王五户")])
    assert [e.type for e in c.events][-1] == "signoff_required"
    assert c.events[-1].data == {"parties": [{"id": "h01", "name": "张三户"}, {"id": "h02", "name": "李四户"},
                                             {"id": "h03", "name": "王五户"}]}
    county.clock.fixed = at("2026-03-03T10:00")
    c = county.sign(c.id, "h02", at=at("2026-03-03T08:30"), note="调解书已签")
    assert (c.signoff.required, c.signoff.signed, c.signoff.label) == (3, 1, "签字 1/3")
    assert c.signoff.parties[1] == SignOffParty("h02", "李四户", at("2026-03-03T08:30"), "调解书已签", "tester")
    assert [p.id for p in c.signoff.unsigned] == ["h01", "h03"]
    assert (c.events[-1].type, c.events[-1].at, c.events[-1].data) == (
        "signed", at("2026-03-03T08:30"), {"party": "h02", "name": "李四户"})
    # more parties may be added later; the read API reads many cases at once
    county.require_signoff(c.id, HOUSES[3:])
    other = county.add_case("hu", "s.v", "无需签字")
    got = county.ctx("hu").signoffs.of([c.id, other.id])
    assert list(got) == [c.id] and (got[c.id].required, got[c.id].signed) == (5, 1)
    assert county.ctx("hu").cases.get(other.id).signoff is None
    assert case_json(county.get_case(c.id))["signoff"]["parties"][1]["signed_at"] == "2026-03-03T08:30:00+08:00"


def test_the_close_gate_names_the_unsigned_then_lets_the_case_close(county):
    c = county.add_case("hu", "s.v", "集体林权纠纷")
    county.require_signoff(c.id, HOUSES)
    county.sign(c.id, "h03")
    with pytest.raises(Refusal) as e:
        county.resolve(c.id, "已调解")
    assert str(e.value) == (f"case {c.id}: 4 of 5 parties have not signed (张三户、李四户、赵六户…); "
                            f"sign first (county case sign)")
    assert county.get_case(c.id).status == c.status  # nothing written
    for pid in ("h01", "h02", "h04", "h05"):
        county.sign(c.id, pid)
    county.clock.fixed = at("2026-03-02T10:00")
    done = county.resolve(c.id, "已调解")
    assert (done.status, done.resolved_at, done.signoff.label) == ("resolved", at("2026-03-02T10:00"), "签字 5/5")
    assert county.confirm(c.id, "满意").status == "confirmed"


def test_a_cascade_stops_at_a_linked_case_still_waiting_for_signatures(county):
    lead = county.add_case("hu", "s.v", "水渠改道")
    f = county.add_case("hu", "s.v", "水渠改道二")
    county.link([f.id], lead.id)
    county.require_signoff(f.id, HOUSES[:2])
    county.sign(f.id, "h01")
    with pytest.raises(Refusal, match=r"1 of 2 parties have not signed \(李四户\)"):
        county.resolve(lead.id, "改道完成", cascade=True)
    assert county.get_case(lead.id).status != "resolved"  # the whole refused


def test_a_method_without_the_gate_closes_with_an_incomplete_sign_off(county):
    c = county.add_case("free", "s.v", "宅基地纠纷")
    county.require_signoff(c.id, HOUSES[:2])
    assert county.resolve(c.id, "已处理").status == "resolved"
    with pytest.raises(Refusal, match=f"case {c.id} is resolved; a party signs only while the case is open"):
        county.sign(c.id, "h01")


@pytest.mark.parametrize("parties, error", [
    ([], "name at least one party"),
    ([("h01", "")], r"parties\[0\]: a party needs an id and a name"),
    ([("h01", "甲"), ("h01", "乙")], "party 'h01' is listed twice"),
    (["h01"], r"parties\[0\]: 'h01' is not an \(id, name\) pair"),
    ([("h" * 101, "甲")], r"parties\[0\]: the id 'h+' is over 100 characters"),
])
def test_bad_party_lists_are_one_line_errors(county, parties, error):
    c = county.add_case("hu", "s.v", "纠纷")
    with pytest.raises(CountyError, match=error):
        county.require_signoff(c.id, parties)
    assert county.get_case(c.id).signoff is None


def test_refusals_unknown_party_twice_no_signoff_future_and_repeat_listing(county):
    c = county.add_case("hu", "s.v", "纠纷")
    with pytest.raises(Refusal, match="has no sign-off"):
        county.sign(c.id, "h01")
    county.require_signoff(c.id, HOUSES[:3])
    with pytest.raises(Refusal, match=r"no party 'h9' to sign \(parties: h01, h02, h03\)"):
        county.sign(c.id, "h9")
    county.sign(c.id, "h01")
    with pytest.raises(Refusal, match=r"party h01 张三户 already signed at 2026-03-02T09:00:00\+08:00"):
        county.sign(c.id, "h01")
    with pytest.raises(Refusal, match="after now"):
        county.sign(c.id, "h02", at=at("2026-03-02T09:01"))
    with pytest.raises(Refusal, match="party h02 李四户 is already listed"):
        county.require_signoff(c.id, [("h02", "李四户")])
    assert county.get_case(c.id).signoff.signed == 1


def test_public_case_json_shows_the_progress_only(county):
    c = county.add_case("hu", "s.v", "纠纷")
    county.require_signoff(c.id, HOUSES[:2])
    c = county.sign(c.id, "h01")
    pub = case_json(c, public=True)
    assert pub["signoff"] == "签字 1/2"
    signed = [e for e in pub["events"] if e["type"] == "signed"][0]
    assert signed["data"] == {"party": "h01", "name": "张某"}
    listed = [e for e in pub["events"] if e["type"] == "signoff_required"][0]
    assert [p["name"] for p in listed["data"]["parties"]] == ["张某", "李某"]
    assert "张三户" not in str(pub) and "李四户" not in str(pub)


def test_cli_signoff_sign_show_and_the_gate(county, county_cli, cli_registry, registry):
    cli_registry(registry)
    c = county.add_case("hu", "s.v", "纠纷")
    now = ["--now", "2026-03-02T11:00"]
    out = county_cli("case", "signoff", c.id, "--party", "h01:张三户", "--party", "h02:李四户", "--json", *now).data
    assert out["signoff"]["required"] == 2 and out["signoff"]["signed"] == 0
    county_cli("case", "sign", c.id, "--party", "h02", "--when", "2026-03-02T10:00", *now)
    shown = county_cli("case", "show", c.id, *now).stdout
    assert "签字 1/2：✗ 张三户 h01，✓ 李四户 h02 2026-03-02T10:00:00+08:00" in shown
    refused = county_cli("case", "resolve", c.id, "--note", "结", *now, ok=1)
    assert f"case {c.id}: 1 of 2 parties have not signed (张三户)" in refused.output
    bad = county_cli("case", "signoff", c.id, "--party", "h03", *now, ok=2)
    assert "--party 'h03': write ID:NAME" in bad.output
