"""liuyao's ``county_demo``: a fixed month at 西芹镇坑布村 (units and people added through
``ctx.actions.import_units`` / ``import_people``), written on the plugin's service and
``ctx.actions`` — checked for 2026-11, every value counted by hand."""

from collections import Counter

from framework import parse_instant
from framework.testing import demo_county
from plugins.contrib.liuyao import disclosure, service

LINE = ("liuyao 坑布村：事务 3 件按决策形式办理（户代表会议 52/3/2、村民会议 610/25/15、村“两委”），"
        "反映问题 3 件（按期答复 1、逾期 1、未答复 1），公开 3 次（1 次形式不足2种），"
        "监督结果 1 条，一事一测评 1 次，督办提示 0 件")


def test_demo_month_at_kengbu(tmp_path):
    county, line = demo_county(tmp_path / "county.db", "liuyao", "2026-11", now="2027-01-05T12:00",
                               titles=["村道路灯损坏"])
    assert line == LINE
    assert county.now() == parse_instant("2027-01-05T12:00", county.calendar.tz)
    ctx = county.ctx("liuyao")
    assert (ctx.unit("demo.xq.kb").name, ctx.unit("demo.xq").parent, ctx.person("xq-kb-03").roles) == (
        "坑布村", "demo", ["supervision_member"])
    cases = ctx.cases.find(method="liuyao")
    assert Counter(c.extra["kind"] for c in cases) == {"matter": 3, "report": 3}
    reports = [c for c in cases if c.extra["kind"] == "report"]
    # the real title names the first report; the demo's own fill the rest
    assert [c.title for c in reports] == ["村道路灯损坏", "村道边沟堵塞雨天积水", "低保评定名单有疑问"]
    # Sunday 11-01: 11-02..06, 09..13, 16..20 → due 11-20, answered 11-28 (late); Wednesday 11-04 →
    # due 11-25, answered 11-10; Wednesday 11-18 → 19, 20, 23..27, 30, 12-01..04, 07..09 → due 12-09
    assert [(c.due_at.isoformat(), c.status, c.handler) for c in reports] == [
        ("2026-11-20T23:59:59+08:00", "resolved", "xq-kb-01"),
        ("2026-11-25T23:59:59+08:00", "resolved", "xq-kb-03"),
        ("2026-12-09T23:59:59+08:00", "assigned", "xq-kb-01"),
    ]
    assert [(d["body"], d["votes_for"], d["outcome"]) for d in service.decisions(ctx)] == [
        ("rep_meeting", 52, "adopted"), ("villager_assembly", 610, "adopted"), ("two_committees", None, "adopted")]
    forest = next(c for c in cases if c.title.startswith("坑布村3108亩"))
    assert (forest.status, forest.extra["decision_body"], forest.extra["meeting_kind"], forest.extra["supervisor"]) == (
        "resolved", "rep_meeting", "household", "xq-kb-03")
    reg = disclosure.register(ctx, "demo.xq.kb")
    assert [(r["item"], r["key"], r["complete"]) for r in reg] == [
        ("collective_assets", forest.id, True), ("awards", reg[1]["case_id"], False), ("finance", "2026-11", True)]
    assert [(r["kind"], r["share"]) for r in service.ratings(ctx)] == [("matter", 53 / 54)]
