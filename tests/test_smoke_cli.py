"""End-to-end smoke test of the kernel through the CLI with the taizhang chain."""

from deployments import mini_zhongjiang

TOML = mini_zhongjiang(("taizhang",))


def test_case_gets_deadline_and_is_escalated_by_sweep(init_county):
    county_cli = init_county(TOML)
    r = county_cli("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "土地撂荒",
                   "--category", "livelihood", "--now", "2026-11-02T10:00", "--json")
    assert r.data["id"] == "zj-000001"
    assert r.data["level"] == "village"
    assert r.data["due_at"] == "2026-11-07T23:59:59+08:00"
    # at the due instant nothing happens; one second later the sweep escalates
    assert county_cli("sweep", "--now", "2026-11-07T23:59:59", "--json").data["actions"] == []
    acts = county_cli("sweep", "--now", "2026-11-08T00:00:00", "--json").data["actions"]
    assert [(a["case"], a["from"], a["to"]) for a in acts] == [("zj-000001", "village", "township")]
    assert county_cli("sweep", "--now", "2026-11-08T00:00:00", "--json").data["actions"] == []
    shown = county_cli("case", "show", "zj-000001", "--json").data
    assert shown["level"] == "township" and shown["unit"] == "zj.fx"
    assert shown["due_at"] == "2026-11-23T23:59:59+08:00"  # 15 days from 2026-11-08
    assert shown["extra"]["reply_due_at"] == "2026-11-18T23:59:59+08:00"
    assert [e["type"] for e in shown["events"]] == ["registered", "overdue", "escalated", "assigned"]
