"""wuxin's ``county_demo`` on the demo county (only wuxin enabled), October 2024 — National Day
10-01..07 off, Saturday 10-12 a make-up working day — every figure worked out by hand from
plugins/contrib/wuxin/demo.py:

* case 1 at 1号楼 Thu 10-03 09:00 (a holiday; calendar days all the same): grid 第一网格, jointly with
  1号楼's 卫生员 (environment), 3 calendar days → 10-06 23:59:59, resolved 10-04 at the grid;
* case 2 at 第二网格 Tue 10-08 10:00 (dispute): grid head, → 10-11 23:59:59; escalated 10-12 00:30 to
  the community: 5 working days after the 12th → 10-14..18 → 10-18 23:59:59; resolved 10-16;
* case 3 at 杨文社区 Thu 10-10 09:00: 10-11, Sat 10-12 (调休), 10-14, 15, 16 → 10-16 23:59:59;
* care steps: 7 fixed + 28 greetings of elder C + 16 of elder D (the working days among the 1st–28th:
  10-08..11, Sat 10-12, 10-14..18, 10-21..25, 10-28) + 8 chats of C (Wednesdays and Saturdays) + 4
  of D (Wednesdays) = 63; inspections on the Fridays 4, 11, 18, 25, the ranking, 28 evening watches
  and a leader on duty on 10-01..07 (National Day): 4 + 1 + 28 + 7 = 40 work steps.
"""

import pytest

from framework.testing import CountyRunner, demo_county


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The demo month through the hook, as ``county demo`` seeds it; the CLI and ctx on that county."""
    db = tmp_path_factory.mktemp("wuxin-demo") / "county.db"
    _, line = demo_county(db, "wuxin", "2024-10", now="2024-11-05T09:00")
    run = CountyRunner(db)
    return run, run.ctx("wuxin", now="2024-11-05T09:00"), line


def test_the_summary_line(seeded):
    assert seeded[2] == ("wuxin 杨文社区：楼栋 3 栋（两长四员配齐 1 栋），档案 4 份（留守儿童 2、留守老人 2），结对 4 对，"
                         "关爱记录 63 次，工作记录 40 次，事项 3 件（1 件上报社区）")


def test_the_demo_cases(seeded):
    _, ctx, _ = seeded
    got = [(c.title, c.level, c.unit, c.handler, c.joint_unit, c.joint_handler, c.status, c.due_at.isoformat(),
            c.extra["target_tier"]) for c in ctx.cases.find(method="wuxin")]
    assert got == [
        ("楼道杂物乱堆放", "grid", "demo.yw.yw.g1", "yw-g1", "demo.yw.yw.g1.b1", "yw-b1-3", "resolved",
         "2024-10-06T23:59:59+08:00", "grid"),
        ("邻里漏水纠纷", "community", "demo.yw.yw", "yw-c01", None, None, "resolved", "2024-10-18T23:59:59+08:00",
         "subdistrict"),
        ("咨询临时救助政策", "community", "demo.yw.yw", "yw-c01", None, None, "resolved", "2024-10-16T23:59:59+08:00",
         "community")]


def test_octobers_figures(seeded):
    run = seeded[0]
    metrics = run("appraise", "--unit", "demo.yw.yw", "--period", "2024-10", "--now", "2024-11-05T09:00", "--json").data
    got = {m["metric"]: (m["numerator"], m["denominator"]) for m in metrics
           if m["method"] == "wuxin" and m["subject"] == "demo.yw.yw"}
    assert {k: got[k] for k in ("slogan_kept_rate", "feedback_rate", "care_greeting_rate", "care_chat_rate", "care_activity_rate",
                                "care_contact_rate", "care_letter_rate", "care_birthday_rate", "care_festival_rate",
                                "environment_inspection_rate", "environment_ranking_rate", "security_watch_rate",
                                "security_leader_watch_rate")} == {
        "slogan_kept_rate": (3, 3), "feedback_rate": (1, 3), "care_greeting_rate": (44, 62), "care_chat_rate": (3, 6),
        "care_activity_rate": (1, 2), "care_contact_rate": (2, 2), "care_letter_rate": (1, 2),
        "care_birthday_rate": (1, 1), "care_festival_rate": (0, 0), "environment_inspection_rate": (4, 4),
        "environment_ranking_rate": (1, 1), "security_watch_rate": (28, 31), "security_leader_watch_rate": (7, 7)}


def test_a_community_without_wuxin_posts_no_wuxin_board(seeded):
    run = seeded[0]
    boards = run("board", "--unit", "demo.cg.hp", "--period", "2024-10", "--now", "2024-11-05", "--json").data
    assert [b["method"] for b in boards if b["method"] == "wuxin"] == []
    own = run("board", "--unit", "demo.yw.yw", "--period", "2024-10", "--now", "2024-11-05", "--json").data
    assert [b["title"] for b in own if b["method"] == "wuxin"] == ["杨文社区“五心”工程（杨文社区）服务公开屏（2024-10）"]
